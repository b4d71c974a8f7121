// The streaming job as plans: configuration in, two ready-to-start streaming writes out. Pure: building
// them performs no I/O (the SparkSession is only used as a plan factory), so every field of both plans
// is unit-tested without a server.
//
//   Kafka ──▶ classify each message ──┬─ valid ──▶ typed columns ──▶ Cassandra  <table>
//                                      └─ poison ─▶ raw bytes + reason ─▶ Cassandra <quarantine table>
//
// Both queries read the topic independently (each with its own checkpoint) and apply the same
// classification, whose two branches are complementary: every message lands in exactly one table.
// Both tables are keyed so that a replay after a crash overwrites instead of duplicating (id for users,
// topic/partition/offset for the quarantine): with Spark's checkpointed offsets that is exactly-once.
import path from 'node:path';
import { CLASSIFICATION_INPUTS, RECORD_FIELDS, REJECTION_REASON_SQL, typedFieldSql } from '@streamline/record';
import type { DataFrame, DataStreamWriter, SparkSession } from 'spark-connect';
import { intervalMs, type PipelineConfig } from './config.js';
import { USER_COLUMNS } from './schema.js';

export { REJECTION_REASON_SQL };

function kafkaSource(spark: SparkSession, config: PipelineConfig): DataFrame {
  const { kafka } = config;
  return spark.readStream
    .format('kafka')
    .options({
      'kafka.bootstrap.servers': kafka.bootstrapServers,
      subscribe: kafka.topic,
      startingOffsets: kafka.startingOffsets,
      failOnDataLoss: kafka.failOnDataLoss,
      ...(kafka.maxOffsetsPerTrigger !== undefined ? { maxOffsetsPerTrigger: kafka.maxOffsetsPerTrigger } : {}),
    })
    .load();
}

/**
 * Any DataFrame with a binary `value` column, classified: adds `json`, `records` and `malformed` (the
 * one parse) and `rejection_reason` (record/src/spark.ts). The streaming job, the golden tests and the bench all
 * call this, so they test the job's own classification.
 */
export function classify(messages: DataFrame): DataFrame {
  return (
    messages
      .selectExpr('*', `${CLASSIFICATION_INPUTS.json} AS json`)
      // `inline(array(<struct>))` yields exactly one row per message, like withColumn (its fields
      // `records` and `malformed` as columns), except that a Generate sits between the parse and the
      // classification: the optimizer pushes the filter on `rejection_reason` through a Project by
      // inlining the projected expressions (one more parse per copy), but never below a Generate, so
      // each message is parsed once.
      .selectExpr('*', `inline(array(${CLASSIFICATION_INPUTS.parsed}))`)
      .selectExpr('*', `${REJECTION_REASON_SQL} AS rejection_reason`)
  );
}

/** Kafka rows with the message parsed and classified. */
export function classifiedMessages(spark: SparkSession, config: PipelineConfig): DataFrame {
  return classify(kafkaSource(spark, config).selectExpr('topic', 'partition', 'offset', 'timestamp', 'key', 'value'));
}

/**
 * The micro-batch's timestamp (what current_timestamp() is in a streaming query), for ingested_at and
 * quarantined_at, handed to the generated code by reference instead of as a constant in its text.
 * Spark puts each batch's timestamp into the plan as a literal, and a timestamp literal is written into
 * the generated Java: every micro-batch's code was new, and every executor compiled it again (~100 ms of
 * Janino per query per batch, a compile a second per query at a 1 s trigger). reflect() is evaluated
 * outside the generated code (it has no code generation), so its argument, and with it the timestamp,
 * no longer varies the code: the code is compiled once per query. The value is the same instant,
 * exactly (microseconds, whatever the session time zone): tests/integration/spark-job. At 1,000
 * records/s and a 1 s trigger for 20 s, the executors compiled 10 times (the queries' start) instead of
 * 49, and in the same session the users query's batches took 0.55-0.65 s (median) instead of 0.7-1 s;
 * bench/latency.ts prints those durations.
 */
export const BATCH_TIMESTAMP_SQL = "timestamp_micros(CAST(reflect('java.lang.String', 'valueOf', unix_micros(current_timestamp())) AS BIGINT))";

const RECORD_COLUMN_SQL = new Map<string, string>(RECORD_FIELDS.map((f) => [f.name, typedFieldSql(f)]));

/** The users table's columns as SQL over a classified message. */
export function userColumnsSql(): string[] {
  return USER_COLUMNS.map(([name]) => {
    const record = RECORD_COLUMN_SQL.get(name);
    if (record !== undefined) return `${record} AS ${name}`;
    if (name === 'ingested_at') return `${BATCH_TIMESTAMP_SQL} AS ingested_at`;
    if (name === 'kafka_partition') return 'partition AS kafka_partition';
    if (name === 'kafka_offset') return 'offset AS kafka_offset';
    throw new Error(`no source for column ${name}`);
  });
}

/**
 * One checkpoint per (topic, keyspace.table): a checkpoint holds Kafka offsets of one subscription, so
 * pointing the job at another topic or table must start a new one, never reuse the old offsets.
 */
export function checkpointPath(config: PipelineConfig, table: string): string {
  return path.posix.join(config.checkpointLocation, config.kafka.topic, `${config.cassandra.names.keyspace}.${table}`);
}

/** The streaming query that writes a table (its name in the Spark UI, status and stop). */
export function queryName(config: PipelineConfig, table: string): string {
  return `${config.queryNamePrefix}${table}`;
}

/**
 * Session settings the queries need, set before they start (a query copies its session's settings).
 * With checkpoints on the local file system: Spark's FileSystem-based checkpoint file manager instead of
 * the FileContext one. Through FileContext, Hadoop's local file system renames by first reading the
 * file's link status with a forked `readlink` (its pure-Java path, seen with jstack), and every
 * micro-batch renames two files per query (offsets before the batch, commit after); the FileSystem API
 * renames with one rename(2), atomic on a local file system as FileContext's is. Same session, 1,000
 * records/s, 1 s trigger: walCommit 41-59 -> 12-33 ms and commitOffsets 39-66 -> 11-23 ms per batch.
 * HDFS, S3 and the like keep Spark's default.
 */
export function checkpointSessionConf(config: PipelineConfig): Record<string, string> {
  const location = config.checkpointLocation;
  const local = location.startsWith('/') || location.startsWith('file:');
  return local ? { 'spark.sql.streaming.checkpointFileManagerClass': 'org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager' } : {};
}

/**
 * How long the connector keeps an unused Cassandra session. Its default is an hour, and sessions are
 * cached per configuration inside the Connect server: a session that lost Cassandra during an outage
 * (or that predates a keyspace the job just created) is then handed to every later submit for an hour
 * — "Control channel not available", "Couldn't find keyspace". A short keep-alive lets a resubmit get a
 * fresh session; three trigger intervals (10 s at least) keep a running query on the one it has.
 */
export function sessionKeepAliveMs(config: PipelineConfig): number {
  // Both sinks connect with the same settings, so they share one cached session: it must outlive the slower trigger.
  return Math.max(10_000, 3 * Math.max(intervalMs(config.triggerInterval), intervalMs(config.quarantineTriggerInterval)));
}

/**
 * Quarantined values are whatever arrived, up to Kafka's message size (~1 MB): batching them (as the
 * tuned users sink does) can exceed Cassandra's batch size limit and fail the query on every replay.
 * One row per statement is always accepted.
 */
const QUARANTINE_WRITE_OPTIONS = {
  'spark.cassandra.output.batch.grouping.key': 'none',
  'spark.cassandra.output.batch.size.rows': '1',
} as const;

function cassandraSink(
  df: DataFrame,
  config: PipelineConfig,
  table: string,
  trigger: string,
  overrides: Readonly<Record<string, string>> = {},
): DataStreamWriter {
  const { cassandra } = config;
  return df.writeStream
    .format('org.apache.spark.sql.cassandra')
    .outputMode('append')
    .trigger({ processingTime: trigger })
    .queryName(queryName(config, table))
    .options({
      keyspace: cassandra.names.keyspace,
      table,
      checkpointLocation: checkpointPath(config, table),
      // The sink connects from the executors: their view of Cassandra, and its credentials.
      'spark.cassandra.connection.host': cassandra.sparkConnectionHost,
      'spark.cassandra.connection.port': cassandra.sparkConnectionPort,
      'spark.cassandra.connection.localDC': cassandra.localDataCenter,
      'spark.cassandra.auth.username': cassandra.username,
      'spark.cassandra.auth.password': cassandra.password,
      'spark.cassandra.connection.keepAliveMS': sessionKeepAliveMs(config),
      // After an outage, retry a dead node every 10 s at most (default: up to a minute).
      'spark.cassandra.connection.reconnectionDelayMS.max': 10_000,
      ...cassandra.sinkOptions,
      ...overrides,
    });
}

/** Valid records as typed rows of the users table. */
export function validUsers(spark: SparkSession, config: PipelineConfig): DataFrame {
  return classifiedMessages(spark, config)
    .where('rejection_reason IS NULL')
    .selectExpr(...userColumnsSql());
}

/** Poison messages, byte for byte, with the reason, as rows of the quarantine table. */
export function quarantinedMessages(spark: SparkSession, config: PipelineConfig): DataFrame {
  return classifiedMessages(spark, config)
    .where('rejection_reason IS NOT NULL')
    .selectExpr(
      'topic AS kafka_topic',
      'partition AS kafka_partition',
      'offset AS kafka_offset',
      'CAST(key AS STRING) AS kafka_key',
      'timestamp AS kafka_timestamp',
      'value AS raw_value',
      'rejection_reason AS reason',
      `${BATCH_TIMESTAMP_SQL} AS quarantined_at`,
    );
}

export interface PipelinePlans {
  users: { name: string; dataFrame: DataFrame; writer: DataStreamWriter };
  quarantine: { name: string; dataFrame: DataFrame; writer: DataStreamWriter };
}

/** Both streaming writes of the pipeline, ready to `start()`. */
export function buildPipelinePlans(spark: SparkSession, config: PipelineConfig): PipelinePlans {
  const { names } = config.cassandra;
  const users = validUsers(spark, config);
  const quarantine = quarantinedMessages(spark, config);
  return {
    users: { name: queryName(config, names.table), dataFrame: users, writer: cassandraSink(users, config, names.table, config.triggerInterval) },
    quarantine: {
      name: queryName(config, names.quarantineTable),
      dataFrame: quarantine,
      writer: cassandraSink(quarantine, config, names.quarantineTable, config.quarantineTriggerInterval, QUARANTINE_WRITE_OPTIONS),
    },
  };
}
