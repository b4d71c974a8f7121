// The settings every component agrees on: one name, one default, one meaning. The producer, the job,
// the stack, the demo and the benchmarks read these names through `setting()` and never write a default
// of their own, so `KAFKA_TOPIC` cannot mean one topic to the producer and another to the job.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Env = Readonly<Record<string, string | undefined>>;

/** The repository root: where `jars/`, `cql/` and the default run directory live. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SHARED_SETTINGS = {
  KAFKA_BOOTSTRAP_SERVERS: { default: '127.0.0.1:9092', describe: 'Kafka brokers, host:port[,host:port]' },
  KAFKA_TOPIC: { default: 'users_created', describe: 'the topic the producer writes and the job reads' },
  // One Spark task per Kafka partition: a multiple of the local worker's 2 cores leaves no core idle in
  // a second wave. `make bench` drain: 2 partitions 1.3× faster than 3.
  KAFKA_TOPIC_PARTITIONS: { default: '2', describe: 'partitions of the topic when it is created' },
  KAFKA_TOPIC_REPLICATION_FACTOR: { default: '1', describe: 'replication factor of the topic when it is created' },
  SPARK_REMOTE: { default: 'sc://localhost:15002', describe: 'the Spark Connect server' },
  CASSANDRA_CONTACT_POINTS: { default: '127.0.0.1:9042', describe: 'Cassandra host:port[,host:port]' },
  CASSANDRA_USERNAME: { default: 'cassandra', describe: 'Cassandra login' },
  CASSANDRA_PASSWORD: { default: 'cassandra', describe: 'Cassandra password' },
  CASSANDRA_KEYSPACE: { default: 'spark_streams', describe: 'keyspace of both tables' },
  CASSANDRA_TABLE: { default: 'created_users', describe: 'the table of conforming records' },
  CASSANDRA_QUARANTINE_TABLE: { default: 'created_users_quarantine', describe: 'the table of everything else, with its reason' },
  RANDOMUSER_URL: { default: 'https://randomuser.me', describe: 'the randomuser API base URL' },
  STREAMLINE_RUN_DIR: { default: path.join(REPO_ROOT, '.run'), describe: 'data, logs, pids and checkpoints of the local stack' },
} as const satisfies Record<string, { default: string; describe: string }>;

export type SharedSettingName = keyof typeof SHARED_SETTINGS;

/** The value of a shared setting: the environment's when set and not blank, else the one default. */
export function setting(env: Env, name: SharedSettingName): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? SHARED_SETTINGS[name].default : value.trim();
}

/** The value of a setting only when the environment sets it (for flags whose default derives from another). */
export function settingIfSet(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Where a component keeps its state under the run directory (the stack's data, the job's session...). */
export function runPath(env: Env, ...parts: string[]): string {
  return path.join(setting(env, 'STREAMLINE_RUN_DIR'), ...parts);
}
