// The local stack's configuration: read once from the environment at the edge, then passed down as a
// typed object. Every port is overridable so the stack can coexist with other services on a machine.
import path from 'node:path';
import { ConfigError, REPO_ROOT, SHARED_SETTINGS, parseInteger, parsePort, setting } from '@streamline/core';

export { ConfigError, REPO_ROOT } from '@streamline/core';

export interface StackPorts {
  kafka: number;
  kafkaController: number;
  cassandra: number;
  cassandraStorage: number;
  sparkMaster: number;
  sparkMasterUi: number;
  sparkWorkerUi: number;
  sparkConnect: number;
  sparkDriverUi: number;
  /** Airflow's API server and UI (not 8080: that is the Spark master UI). */
  airflow: number;
  /** PostgreSQL, Airflow's metadata database (not 5432: a system PostgreSQL may have it). */
  postgres: number;
}

export interface StackMemory {
  kafkaHeap: string;
  cassandraHeap: string;
  sparkDaemon: string;
  sparkDriver: string;
  sparkExecutor: string;
  sparkWorker: string;
}

export interface StackConfig {
  /** Address every service binds to. Loopback only: nothing of the stack is reachable from outside. */
  host: string;
  ports: StackPorts;
  memory: StackMemory;
  sparkWorkerCores: number;
  cassandra: { username: string; password: string };
  /** The Airflow UI's admin login (simple auth manager). */
  airflow: { username: string; password: string };
  /** Repository root (where jars/ lives). */
  repoRoot: string;
  /** All data, logs, pids, configs and checkpoints of the stack: one git-ignored directory. */
  runDir: string;
  /** Seconds to wait for each service to become healthy before failing with its log. */
  startTimeoutSeconds: number;
}

type Env = Record<string, string | undefined>;

/** Environment variables the stack reads, with their defaults (documented in the README). */
export const STACK_ENV_DEFAULTS = {
  STACK_HOST: '127.0.0.1',
  KAFKA_PORT: '9092',
  KAFKA_CONTROLLER_PORT: '9093',
  CASSANDRA_PORT: '9042',
  CASSANDRA_STORAGE_PORT: '7000',
  SPARK_MASTER_PORT: '7077',
  SPARK_MASTER_UI_PORT: '8080',
  SPARK_WORKER_UI_PORT: '8081',
  SPARK_CONNECT_PORT: '15002',
  SPARK_DRIVER_UI_PORT: '4040',
  AIRFLOW_PORT: '8088',
  POSTGRES_PORT: '5433',
  AIRFLOW_ADMIN_USERNAME: 'admin',
  AIRFLOW_ADMIN_PASSWORD: 'admin',
  KAFKA_HEAP: '512m',
  CASSANDRA_HEAP: '1g',
  SPARK_DAEMON_MEMORY: '256m',
  SPARK_DRIVER_MEMORY: '1g',
  SPARK_EXECUTOR_MEMORY: '1g',
  SPARK_WORKER_MEMORY: '2g',
  SPARK_WORKER_CORES: '2',
  CASSANDRA_USERNAME: SHARED_SETTINGS.CASSANDRA_USERNAME.default,
  CASSANDRA_PASSWORD: SHARED_SETTINGS.CASSANDRA_PASSWORD.default,
  STACK_START_TIMEOUT: '240',
} as const;

type StackEnvName = keyof typeof STACK_ENV_DEFAULTS;

function read(env: Env, name: StackEnvName): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? STACK_ENV_DEFAULTS[name] : value.trim();
}

function port(env: Env, name: StackEnvName): number {
  return parsePort(name, read(env, name));
}

function memory(env: Env, name: StackEnvName): string {
  const raw = read(env, name);
  if (!/^\d+[kmgKMG]$/.test(raw)) {
    throw new ConfigError(`${name}=${raw} is not a JVM memory size (expected e.g. 512m or 2g)`);
  }
  return raw.toLowerCase();
}

function positiveInt(env: Env, name: StackEnvName): number {
  return parseInteger(name, read(env, name), 1);
}

/** Parses the stack configuration from environment variables; throws ConfigError on bad values. */
export function loadStackConfig(env: Env = process.env): StackConfig {
  const ports: StackPorts = {
    kafka: port(env, 'KAFKA_PORT'),
    kafkaController: port(env, 'KAFKA_CONTROLLER_PORT'),
    cassandra: port(env, 'CASSANDRA_PORT'),
    cassandraStorage: port(env, 'CASSANDRA_STORAGE_PORT'),
    sparkMaster: port(env, 'SPARK_MASTER_PORT'),
    sparkMasterUi: port(env, 'SPARK_MASTER_UI_PORT'),
    sparkWorkerUi: port(env, 'SPARK_WORKER_UI_PORT'),
    sparkConnect: port(env, 'SPARK_CONNECT_PORT'),
    sparkDriverUi: port(env, 'SPARK_DRIVER_UI_PORT'),
    airflow: port(env, 'AIRFLOW_PORT'),
    postgres: port(env, 'POSTGRES_PORT'),
  };
  const seen = new Map<number, string>();
  for (const [name, value] of Object.entries(ports)) {
    const other = seen.get(value);
    if (other) throw new ConfigError(`ports ${other} and ${name} are both ${value}; each service needs its own port`);
    seen.set(value, name);
  }
  const username = read(env, 'CASSANDRA_USERNAME');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(username)) {
    throw new ConfigError(`CASSANDRA_USERNAME=${username} must be a plain identifier (letters, digits, underscore)`);
  }
  const airflowUser = read(env, 'AIRFLOW_ADMIN_USERNAME');
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(airflowUser)) {
    throw new ConfigError(`AIRFLOW_ADMIN_USERNAME=${airflowUser} must be a plain user name (letters, digits, . _ -)`);
  }
  return {
    host: read(env, 'STACK_HOST'),
    ports,
    memory: {
      kafkaHeap: memory(env, 'KAFKA_HEAP'),
      cassandraHeap: memory(env, 'CASSANDRA_HEAP'),
      sparkDaemon: memory(env, 'SPARK_DAEMON_MEMORY'),
      sparkDriver: memory(env, 'SPARK_DRIVER_MEMORY'),
      sparkExecutor: memory(env, 'SPARK_EXECUTOR_MEMORY'),
      sparkWorker: memory(env, 'SPARK_WORKER_MEMORY'),
    },
    sparkWorkerCores: positiveInt(env, 'SPARK_WORKER_CORES'),
    cassandra: { username, password: read(env, 'CASSANDRA_PASSWORD') },
    airflow: { username: airflowUser, password: read(env, 'AIRFLOW_ADMIN_PASSWORD') },
    repoRoot: REPO_ROOT,
    runDir: path.resolve(setting(env, 'STREAMLINE_RUN_DIR')),
    startTimeoutSeconds: positiveInt(env, 'STACK_START_TIMEOUT'),
  };
}
