import { airflowServices } from './airflow.js';
import { cassandraService } from './cassandra.js';
import { kafkaService } from './kafka.js';
import { postgresService } from './postgres.js';
import { sparkConnectService, sparkMasterService, sparkWorkerService } from './spark.js';
import { spark4ConnectService } from './spark4-connect.js';
import type { ServiceContext, ServiceDefinition, ServiceGroup } from './types.js';

export type { ServiceDefinition, ServiceName, ServiceContext, ServiceGroup } from './types.js';

/** A group's services, in start order (down stops them in reverse). */
export function stackServices(ctx: ServiceContext, group: ServiceGroup = 'core'): ServiceDefinition[] {
  if (group === 'airflow') return [postgresService(ctx), ...airflowServices(ctx)];
  if (group === 'spark4') return [spark4ConnectService(ctx)];
  return [kafkaService(ctx), cassandraService(ctx), sparkMasterService(ctx), sparkWorkerService(ctx), sparkConnectService(ctx)];
}
