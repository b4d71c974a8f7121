// The job's configuration: parsed once at the edge (yargs, with env defaults) into typed objects that
// the rest of the job receives. Nothing below this file reads process.env.
import {
  ConfigError,
  formatHostPort,
  parseBootstrapServers,
  parseCqlIdentifier,
  parseHostPortList,
  parseInteger,
  parseHostPort,
  parseTopic,
  runPath,
  setting,
  settingIfSet,
  type Env,
} from '@streamline/core';
import { parseReplication, type Replication, type SchemaNames } from './schema.js';

export interface KafkaSourceConfig {
  /** As the Spark executors see them (in Docker: kafka:29092, not localhost). */
  bootstrapServers: string;
  /** As this CLI sees them, to create the topic if missing; defaults to bootstrapServers. */
  adminBootstrapServers: string;
  /** Partitions and replication factor of the topic when submit creates it (the producer's too). */
  topicPartitions: number;
  topicReplicationFactor: number;
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
  /** Who writes the rows: streamline's writer or the Cassandra connector's (see CASSANDRA_WRITERS). */
  writer: CassandraWriter;
}

/**
 * The writers of the sink's rows. `streamline` (jars/spark-extensions, format streamline-cassandra)
 * binds each value from Spark's row as the column's bytes, through the connector's sessions and with
 * its settings; it refuses the connector settings it does not implement (ttl, timestamp, ifNotExists,
 * throughput). `connector` is the Cassandra connector's own writer, for those. Drain on the local stack:
 * bench/README.md, "Why the rows are written by a writer of ours".
 */
export const CASSANDRA_WRITERS = ['streamline', 'connector'] as const;
export type CassandraWriter = (typeof CASSANDRA_WRITERS)[number];

export interface PipelineConfig {
  kafka: KafkaSourceConfig;
  cassandra: CassandraConfig;
  /** Root of the checkpoints; the query's is a sub-directory per topic and tables. Must survive restarts. */
  checkpointLocation: string;
  /** Micro-batch trigger of the query, a Spark interval string such as "2 seconds". */
  triggerInterval: string;
  /** The query's name is the users table's; a prefix keeps several pipelines apart. */
  queryNamePrefix: string;
}

export interface SessionConfig {
  remote: string;
  /** Reuse a Spark Connect session (to see and stop queries started by an earlier process). */
  sessionId: string | undefined;
  /** Where the CLI remembers the session of the last submit. */
  stateFile: string;
}

/** The units an interval may be written in (Spark takes more; these are the ones we read). */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1_000,
  second: 1_000,
  seconds: 1_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
};

/** Milliseconds of an interval string ("2 seconds", "500 ms"); undefined when it is not one. */
function millisecondsOf(interval: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(interval.trim());
  const unit = match ? UNIT_MS[match[2]!.toLowerCase()] : undefined;
  return match && unit !== undefined ? Number(match[1]) * unit : undefined;
}

/** Milliseconds of a Spark interval string ("2 seconds", "500 ms"), as the config validated it. */
export function intervalMs(interval: string): number {
  const ms = millisecondsOf(interval);
  if (ms === undefined) throw new Error(`not an interval: ${interval}`);
  return ms;
}

/** A Spark interval string, trimmed; the flag is named in the error. */
function parseInterval(flag: string, raw: string): string {
  const value = raw.trim();
  if (millisecondsOf(value) === undefined) throw new ConfigError(`${flag} must be an interval such as "2 seconds" or "500 milliseconds", got "${raw}"`);
  return value;
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
 * 16 batches in flight per task instead of the connector's 5: with 5, Cassandra waited on the
 * executors' round trips and spent its idle time spinning (Cassandra's CPU per row written: 122-128 µs
 * with 5, 89-101 µs with 16 or 32, in alternating 200,000-row drains), and the drain was 1.3-1.5×
 * slower; 32 gained nothing over 16 (bench/README.md, the drain sweep's `concurrent.writes` rows).
 */
export const DEFAULT_SINK_OPTIONS: Readonly<Record<string, string>> = {
  'spark.cassandra.output.batch.grouping.key': 'replica_set',
  'spark.cassandra.output.batch.size.bytes': '16384',
  'spark.cassandra.output.concurrent.writes': '16',
};

/** Raw option values as yargs hands them over (strings/numbers/booleans), before validation. */
export interface RawPipelineOptions {
  kafkaBootstrapServers: string;
  kafkaAdminBootstrapServers: string | undefined;
  topicPartitions: number | string;
  topicReplicationFactor: number | string;
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
  cassandraWriter: string;
  checkpointLocation: string;
  trigger: string;
  queryNamePrefix: string;
}

/** Validates raw options into a PipelineConfig; every message names the flag and what is expected. */
export function toPipelineConfig(raw: RawPipelineOptions): PipelineConfig {
  if (raw.startingOffsets !== 'earliest' && raw.startingOffsets !== 'latest') {
    throw new ConfigError(`--starting-offsets must be "earliest" or "latest", got "${raw.startingOffsets}"`);
  }
  const maxOffsetsPerTrigger = raw.maxOffsetsPerTrigger === undefined ? undefined : parseInteger('--max-offsets-per-trigger', raw.maxOffsetsPerTrigger, 1);
  const trigger = parseInterval('--trigger', raw.trigger);
  const contactPoints = parseHostPortList('--cassandra-contact-points', raw.cassandraContactPoints, 9042);
  const first = contactPoints[0]!;
  const sparkHost = raw.sparkCassandraHost ? parseHostPort('--spark-cassandra-host', raw.sparkCassandraHost, first.port) : first;
  const names: SchemaNames = {
    keyspace: parseCqlIdentifier('--keyspace', raw.keyspace),
    table: parseCqlIdentifier('--table', raw.table),
    quarantineTable: parseCqlIdentifier('--quarantine-table', raw.quarantineTable),
  };
  const sinkOptions: Record<string, string> = { ...DEFAULT_SINK_OPTIONS };
  for (const option of raw.sinkOption) {
    const match = /^(spark\.cassandra\.[A-Za-z0-9_.]+)=(.*)$/.exec(option);
    if (!match) throw new ConfigError(`--sink-option "${option}" must be spark.cassandra.<name>=<value>`);
    sinkOptions[match[1]!] = match[2]!;
  }
  const writer = CASSANDRA_WRITERS.find((w) => w === raw.cassandraWriter);
  if (writer === undefined)
    throw new ConfigError(`--cassandra-writer must be ${CASSANDRA_WRITERS.map((w) => `"${w}"`).join(' or ')}, got "${raw.cassandraWriter}"`);
  const bootstrapServers = parseBootstrapServers('--kafka-bootstrap-servers', raw.kafkaBootstrapServers).join(',');
  return {
    kafka: {
      bootstrapServers,
      adminBootstrapServers: raw.kafkaAdminBootstrapServers
        ? parseBootstrapServers('--kafka-admin-bootstrap-servers', raw.kafkaAdminBootstrapServers).join(',')
        : bootstrapServers,
      topicPartitions: parseInteger('--topic-partitions', raw.topicPartitions, 1, 10_000),
      topicReplicationFactor: parseInteger('--topic-replication-factor', raw.topicReplicationFactor, 1, 100),
      topic: parseTopic('--topic', raw.topic),
      startingOffsets: raw.startingOffsets,
      maxOffsetsPerTrigger,
      failOnDataLoss: raw.failOnDataLoss,
    },
    cassandra: {
      contactPoints: contactPoints.map(formatHostPort),
      sparkConnectionHost: sparkHost.host,
      sparkConnectionPort: sparkHost.port,
      username: raw.cassandraUsername,
      password: raw.cassandraPassword,
      localDataCenter: raw.cassandraLocalDc,
      names,
      replication: parseReplication(raw.replication),
      sinkOptions,
      writer,
    },
    checkpointLocation: raw.checkpointLocation,
    triggerInterval: trigger,
    queryNamePrefix: raw.queryNamePrefix,
  };
}

/** Defaults, with the environment variable each one comes from (the shared ones are @streamline/core's). */
export function pipelineDefaults(env: Env): RawPipelineOptions {
  return {
    kafkaBootstrapServers: setting(env, 'KAFKA_BOOTSTRAP_SERVERS'),
    kafkaAdminBootstrapServers: settingIfSet(env, 'KAFKA_ADMIN_BOOTSTRAP_SERVERS'),
    topicPartitions: setting(env, 'KAFKA_TOPIC_PARTITIONS'),
    topicReplicationFactor: setting(env, 'KAFKA_TOPIC_REPLICATION_FACTOR'),
    topic: setting(env, 'KAFKA_TOPIC'),
    startingOffsets: 'earliest',
    maxOffsetsPerTrigger: 100_000,
    failOnDataLoss: true,
    cassandraContactPoints: setting(env, 'CASSANDRA_CONTACT_POINTS'),
    sparkCassandraHost: settingIfSet(env, 'SPARK_CASSANDRA_CONNECTION_HOST'),
    cassandraUsername: setting(env, 'CASSANDRA_USERNAME'),
    cassandraPassword: setting(env, 'CASSANDRA_PASSWORD'),
    cassandraLocalDc: settingIfSet(env, 'CASSANDRA_LOCAL_DC') ?? 'datacenter1',
    keyspace: setting(env, 'CASSANDRA_KEYSPACE'),
    table: setting(env, 'CASSANDRA_TABLE'),
    quarantineTable: setting(env, 'CASSANDRA_QUARANTINE_TABLE'),
    replication: settingIfSet(env, 'CASSANDRA_REPLICATION') ?? '1',
    sinkOption: [],
    cassandraWriter: settingIfSet(env, 'CASSANDRA_WRITER') ?? 'streamline',
    checkpointLocation: settingIfSet(env, 'CHECKPOINT_LOCATION') ?? runPath(env, 'checkpoints'),
    trigger: settingIfSet(env, 'TRIGGER_INTERVAL') ?? '2 seconds',
    queryNamePrefix: '',
  };
}

export function sessionDefaults(env: Env): SessionConfig {
  return {
    remote: setting(env, 'SPARK_REMOTE'),
    sessionId: settingIfSet(env, 'SPARK_SESSION_ID'),
    stateFile: runPath(env, 'spark-job', 'session.json'),
  };
}
