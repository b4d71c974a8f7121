// The job's configuration: parsed once at the edge (yargs, with env defaults) into typed objects that
// the rest of the job receives. Nothing below this file reads process.env.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SCHEMA_NAMES, parseReplication, validateIdentifier, type Replication, type SchemaNames } from './schema.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export class JobConfigError extends Error {
  override name = 'JobConfigError';
}

export interface KafkaSourceConfig {
  /** As the Spark executors see them (in Docker: kafka:29092, not localhost). */
  bootstrapServers: string;
  /** As this CLI sees them, to create the topic if missing; defaults to bootstrapServers. */
  adminBootstrapServers: string;
  /** Partitions of the topic when submit creates it. */
  topicPartitions: number;
  topic: string;
  startingOffsets: 'earliest' | 'latest';
  /** Upper bound of records per micro-batch (across partitions); undefined = no limit. */
  maxOffsetsPerTrigger: number | undefined;
  failOnDataLoss: boolean;
}

export interface CassandraConfig {
  /** host:port list the CLI itself connects to (to apply the schema). */
  contactPoints: string[];
  /** Host(s) the Spark executors connect to; defaults to the contact points' hosts. */
  sparkConnectionHost: string;
  sparkConnectionPort: number;
  username: string;
  password: string;
  localDataCenter: string;
  names: SchemaNames;
  replication: Replication;
  /** Extra `spark.cassandra.*` options for the sink (write tuning). */
  sinkOptions: Record<string, string>;
}

export interface PipelineConfig {
  kafka: KafkaSourceConfig;
  cassandra: CassandraConfig;
  /** Root of the checkpoints; each query gets its own sub-directory. Must survive restarts. */
  checkpointLocation: string;
  /** Micro-batch trigger, a Spark interval string such as "2 seconds". */
  triggerInterval: string;
  /** Query names are derived from the table names; a prefix keeps several pipelines apart. */
  queryNamePrefix: string;
}

export interface SessionConfig {
  remote: string;
  /** Reuse a Spark Connect session (to see and stop queries started by an earlier process). */
  sessionId: string | undefined;
  /** Where the CLI remembers the session of the last submit. */
  stateFile: string;
}

export type Env = Record<string, string | undefined>;

const INTERVAL = /^\d+(\.\d+)?\s*(millisecond|milliseconds|ms|second|seconds|s|minute|minutes|min)$/i;

export function parseHostPort(text: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(text.trim());
  if (!match?.[1]) throw new JobConfigError(`"${text}" is not host[:port]`);
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new JobConfigError(`"${text}" has an invalid port`);
  return { host: match[1], port };
}

/**
 * Sink write tuning applied unless a --sink-option names the same key (measured by `make bench`, see
 * bench/README.md). The connector's own defaults group a batch by Cassandra partition; every row of
 * created_users is its own partition (id), so each write went out alone (5 in flight per task) and the
 * drain was bound by round trips. Grouping by replica set sends unlogged batches only to replicas that
 * own every row in them (sound on a multi-node cluster too); bounding them by bytes (16 KiB, about 30
 * of our rows) rather than rows keeps them far below Cassandra's batch_size_fail_threshold (50 KiB by
 * default) whatever the row size. Drain on the local stack: ~1.7× the connector defaults; 10 rows per
 * batch (below Cassandra's multi-partition warning) gave ~20 % less.
 */
export const DEFAULT_SINK_OPTIONS: Readonly<Record<string, string>> = {
  'spark.cassandra.output.batch.grouping.key': 'replica_set',
  'spark.cassandra.output.batch.size.bytes': '16384',
};

/** Raw option values as yargs hands them over (strings/numbers/booleans), before validation. */
export interface RawPipelineOptions {
  kafkaBootstrapServers: string;
  kafkaAdminBootstrapServers: string | undefined;
  topicPartitions: number;
  topic: string;
  startingOffsets: string;
  maxOffsetsPerTrigger: number | undefined;
  failOnDataLoss: boolean;
  cassandraContactPoints: string;
  sparkCassandraHost: string | undefined;
  cassandraUsername: string;
  cassandraPassword: string;
  cassandraLocalDc: string;
  keyspace: string;
  table: string;
  quarantineTable: string;
  replication: string;
  sinkOption: string[];
  checkpointLocation: string;
  trigger: string;
  queryNamePrefix: string;
}

/** Validates raw options into a PipelineConfig; every message names the flag and what is expected. */
export function toPipelineConfig(raw: RawPipelineOptions): PipelineConfig {
  if (raw.startingOffsets !== 'earliest' && raw.startingOffsets !== 'latest') {
    throw new JobConfigError(`--starting-offsets must be "earliest" or "latest", got "${raw.startingOffsets}"`);
  }
  if (raw.maxOffsetsPerTrigger !== undefined && (!Number.isInteger(raw.maxOffsetsPerTrigger) || raw.maxOffsetsPerTrigger < 1)) {
    throw new JobConfigError(`--max-offsets-per-trigger must be a positive integer, got ${raw.maxOffsetsPerTrigger}`);
  }
  if (!INTERVAL.test(raw.trigger.trim())) {
    throw new JobConfigError(`--trigger must be an interval such as "2 seconds" or "500 milliseconds", got "${raw.trigger}"`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(raw.topic)) {
    throw new JobConfigError(`--topic "${raw.topic}" is not a valid Kafka topic name`);
  }
  if (raw.kafkaBootstrapServers.trim() === '') throw new JobConfigError('--kafka-bootstrap-servers must not be empty');
  if (!Number.isInteger(raw.topicPartitions) || raw.topicPartitions < 1) {
    throw new JobConfigError(`--topic-partitions must be a positive integer, got ${raw.topicPartitions}`);
  }
  const contactPoints = raw.cassandraContactPoints
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (contactPoints.length === 0) throw new JobConfigError('--cassandra-contact-points must name at least one host[:port]');
  const parsed = contactPoints.map((c) => parseHostPort(c, 9042));
  const sparkHost = raw.sparkCassandraHost ? parseHostPort(raw.sparkCassandraHost, parsed[0]!.port) : parsed[0]!;
  const names: SchemaNames = {
    keyspace: validateIdentifier('--keyspace', raw.keyspace),
    table: validateIdentifier('--table', raw.table),
    quarantineTable: validateIdentifier('--quarantine-table', raw.quarantineTable),
  };
  const sinkOptions: Record<string, string> = { ...DEFAULT_SINK_OPTIONS };
  for (const option of raw.sinkOption) {
    const match = /^(spark\.cassandra\.[A-Za-z0-9_.]+)=(.*)$/.exec(option);
    if (!match) throw new JobConfigError(`--sink-option "${option}" must be spark.cassandra.<name>=<value>`);
    sinkOptions[match[1]!] = match[2]!;
  }
  return {
    kafka: {
      bootstrapServers: raw.kafkaBootstrapServers.trim(),
      adminBootstrapServers: (raw.kafkaAdminBootstrapServers || raw.kafkaBootstrapServers).trim(),
      topicPartitions: raw.topicPartitions,
      topic: raw.topic,
      startingOffsets: raw.startingOffsets,
      maxOffsetsPerTrigger: raw.maxOffsetsPerTrigger,
      failOnDataLoss: raw.failOnDataLoss,
    },
    cassandra: {
      contactPoints: parsed.map((p) => `${p.host}:${p.port}`),
      sparkConnectionHost: sparkHost.host,
      sparkConnectionPort: sparkHost.port,
      username: raw.cassandraUsername,
      password: raw.cassandraPassword,
      localDataCenter: raw.cassandraLocalDc,
      names,
      replication: parseReplication(raw.replication),
      sinkOptions,
    },
    checkpointLocation: raw.checkpointLocation,
    triggerInterval: raw.trigger.trim(),
    queryNamePrefix: raw.queryNamePrefix,
  };
}

/** Defaults, with the environment variable each one comes from (documented in the README). */
export function pipelineDefaults(env: Env): RawPipelineOptions {
  const runDir = env.STREAMLINE_RUN_DIR || path.join(REPO_ROOT, '.run');
  return {
    kafkaBootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS || '127.0.0.1:9092',
    kafkaAdminBootstrapServers: env.KAFKA_ADMIN_BOOTSTRAP_SERVERS || undefined,
    // One Spark task per Kafka partition: a multiple of the worker's cores (2 on the local stack) avoids
    // a second wave with idle cores. `make bench` drain: 2 partitions 1.3× faster than 3.
    topicPartitions: Number(env.KAFKA_TOPIC_PARTITIONS || 2),
    topic: env.KAFKA_TOPIC || 'users_created',
    startingOffsets: 'earliest',
    maxOffsetsPerTrigger: 100_000,
    failOnDataLoss: true,
    cassandraContactPoints: env.CASSANDRA_CONTACT_POINTS || '127.0.0.1:9042',
    sparkCassandraHost: env.SPARK_CASSANDRA_CONNECTION_HOST || undefined,
    cassandraUsername: env.CASSANDRA_USERNAME || 'cassandra',
    cassandraPassword: env.CASSANDRA_PASSWORD || 'cassandra',
    cassandraLocalDc: env.CASSANDRA_LOCAL_DC || 'datacenter1',
    keyspace: env.CASSANDRA_KEYSPACE || DEFAULT_SCHEMA_NAMES.keyspace,
    table: env.CASSANDRA_TABLE || DEFAULT_SCHEMA_NAMES.table,
    quarantineTable: env.CASSANDRA_QUARANTINE_TABLE || DEFAULT_SCHEMA_NAMES.quarantineTable,
    replication: env.CASSANDRA_REPLICATION || '1',
    sinkOption: [],
    checkpointLocation: env.CHECKPOINT_LOCATION || path.join(runDir, 'checkpoints'),
    trigger: env.TRIGGER_INTERVAL || '2 seconds',
    queryNamePrefix: '',
  };
}

export function sessionDefaults(env: Env): { remote: string; sessionId: string | undefined; stateFile: string } {
  const runDir = env.STREAMLINE_RUN_DIR || path.join(REPO_ROOT, '.run');
  return {
    remote: env.SPARK_REMOTE || 'sc://localhost:15002',
    sessionId: env.SPARK_SESSION_ID || undefined,
    stateFile: path.join(runDir, 'spark-job', 'session.json'),
  };
}
