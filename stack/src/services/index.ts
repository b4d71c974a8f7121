import { cassandraService } from './cassandra.js';
import { kafkaService } from './kafka.js';
import { sparkConnectService, sparkMasterService, sparkWorkerService } from './spark.js';
import type { ServiceContext, ServiceDefinition } from './types.js';

export type { ServiceDefinition, ServiceName, ServiceContext } from './types.js';

/** The stack's services, in start order (down stops them in reverse). */
export function stackServices(ctx: ServiceContext): ServiceDefinition[] {
  return [kafkaService(ctx), cassandraService(ctx), sparkMasterService(ctx), sparkWorkerService(ctx), sparkConnectService(ctx)];
}
