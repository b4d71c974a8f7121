import type { StackConfig } from '../config.js';
import type { StackPaths } from '../paths.js';

export type CoreServiceName = 'kafka' | 'cassandra' | 'spark-master' | 'spark-worker' | 'spark-connect';
export type AirflowServiceName = 'postgres' | 'airflow-api-server' | 'airflow-scheduler' | 'airflow-dag-processor' | 'airflow-triggerer';
export type Spark4ServiceName = 'spark4-connect';
export type ServiceName = CoreServiceName | AirflowServiceName | Spark4ServiceName;
/**
 * `core`: the pipeline's services; `airflow`: Airflow and its PostgreSQL, started on demand; `spark4`: a
 * Spark 4.0 Connect server for the client's compatibility tests, started on demand.
 */
export type ServiceGroup = 'core' | 'airflow' | 'spark4';

export interface LaunchCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd: string;
}

/** How one service of the local stack is prepared, launched and judged healthy. */
export interface ServiceDefinition {
  name: ServiceName;
  /** What a person sees in progress lines, e.g. "Kafka broker (KRaft) on 127.0.0.1:9092". */
  description: string;
  /** Ports the service listens on: if one answers while the service is not ours, we refuse to start. */
  ports: { name: string; port: number }[];
  dependsOn: ServiceName[];
  /** Writes config files and formats storage; must be idempotent (runs before every start). */
  prepare(): Promise<void>;
  launch(): Promise<LaunchCommand>;
  healthy(): Promise<boolean>;
  /** What "healthy" means, for messages. */
  healthDescription: string;
  afterHealthy?(): Promise<void>;
  /**
   * The working directory it runs in, for services whose process title hides the stack marker
   * (stack/src/process.ts isOurs).
   */
  workingDirectory?: string;
  /** The signal that stops it promptly (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Processes it leaves behind that no pid file names (Airflow's task workers), to stop after it. */
  leftovers?(): number[];
}

export interface ServiceContext {
  config: StackConfig;
  paths: StackPaths;
}

export function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  return home ? `${home}/bin/java` : 'java';
}
