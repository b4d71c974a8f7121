// The streaming job as a plan: configuration in, one ready-to-start streaming write out. Pure: building
// it performs no I/O (the SparkSession is only used as a plan factory), so every field of the plan is
// unit-tested without a server.
//
//   Kafka ──▶ classify each message ──▶ both tables' columns ──▶ split sink ─┬─ no reason ──▶ Cassandra <table>
//                                                                             └─ a reason ──▶ Cassandra <quarantine table>
//
// One query reads the topic and classifies each message once, with the record function
// (`streamline_record`, registered in the session by record-function.ts); the split sink writes each
// micro-batch's rows without a rejection reason to the users table and the others, byte for byte with
// their reason, to the quarantine: null or not null, every message lands in exactly one table. Both
// come from jars/spark-extensions, on the Spark cluster's classpath. Both tables are keyed so that a
// replay after a crash overwrites instead of duplicating (id for users, topic/partition/offset for the
// quarantine): with Spark's checkpointed offsets that is exactly-once.
import path from 'node:path';
import { RECORD_FIELDS, RECORD_SQL } from '@streamline/record';
import { expr, type DataFrame, type DataStreamWriter, type SparkSession } from 'spark-connect';
import { intervalMs, type CassandraWriter, type PipelineConfig } from './config.js';
import { QUARANTINE_COLUMNS, USER_COLUMNS } from './schema.js';

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

/** The column holding each message's classification: a struct of its reason and typed fields (RECORD_RESULT_FIELDS). */
const RECORD_COLUMN = 'record';

/**
 * Any DataFrame with a binary `value` column, classified: adds `record` (the record function's struct,
 * record/src/spark.ts) and `rejection_reason` (its reason, NULL for a conforming message). The function
 * must be registered in the session (registerRecordFunction). The streaming job, the golden tests and
 * the bench all call this, so they test the job's own classification. Spark computes the function once
 * per message: it never inlines an expensive expression that is used more than once
 * (tests/integration/spark-job checks the physical plan).
 */
export function classify(messages: DataFrame): DataFrame {
  return messages.selectExpr('*', `${RECORD_SQL} AS ${RECORD_COLUMN}`).selectExpr('*', `${RECORD_COLUMN}.reason AS rejection_reason`);
}

/** Kafka rows with the message classified. */
function classifiedMessages(spark: SparkSession, config: PipelineConfig): DataFrame {
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

const RECORD_FIELD_NAMES = new Set<string>(RECORD_FIELDS.map((f) => f.name));

/**
 * The users table's columns as SQL over a classified message: a record field's typed value (NULL for a
 * message that does not conform), then what the job adds.
 */
export function userColumnsSql(): string[] {
  return USER_COLUMNS.map(([name]) => {
    if (RECORD_FIELD_NAMES.has(name)) return `${RECORD_COLUMN}.${name} AS ${name}`;
    if (name === 'ingested_at') return `${BATCH_TIMESTAMP_SQL} AS ingested_at`; // the quarantine's quarantined_at too
    if (name === 'kafka_partition') return 'partition AS kafka_partition';
    if (name === 'kafka_offset') return 'offset AS kafka_offset';
    throw new Error(`no source for column ${name}`);
  });
}

/**
 * One checkpoint per (topic, keyspace, tables): a checkpoint holds Kafka offsets of one subscription, so
 * pointing the job at another topic or table must start a new one, never reuse the old offsets. Named
 * for both tables: the query writes them together (before it, two queries had one checkpoint per table,
 * which this name never reuses: their offsets were not each other's).
 */
export function checkpointPath(config: PipelineConfig): string {
  const { keyspace, table, quarantineTable } = config.cassandra.names;
  return path.posix.join(config.checkpointLocation, config.kafka.topic, `${keyspace}.${table}+${quarantineTable}`);
}

/** The streaming query's name (the Spark UI, status and stop): the users table's. */
export function queryName(config: PipelineConfig): string {
  return `${config.queryNamePrefix}${config.cassandra.names.table}`;
}

/**
 * Session settings the query needs, set before it starts (a query copies its session's settings).
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
  return Math.max(10_000, 3 * intervalMs(config.triggerInterval));
}

/** The split sink's name (jars/spark-extensions registers it with Spark). */
export const SPLIT_SINK_FORMAT = 'streamline-split';
/** The format of each writer of the rows (jars/spark-extensions registers streamline's). */
export const CASSANDRA_WRITER_FORMATS: Readonly<Record<CassandraWriter, string>> = {
  streamline: 'streamline-cassandra',
  connector: 'org.apache.spark.sql.cassandra',
};
/** The column whose null-ness routes a row: no reason, the users table; a reason, the quarantine. */
const SPLIT_COLUMN = 'rejection_reason';
const ACCEPTED = `${SPLIT_COLUMN} IS NULL`;

/**
 * Quarantined values are whatever arrived, up to Kafka's message size (~1 MB): batching them (as the
 * tuned users sink does) can exceed Cassandra's batch size limit and fail the query on every replay.
 * One row per statement is always accepted.
 */
const QUARANTINE_WRITE_OPTIONS = {
  'spark.cassandra.output.batch.grouping.key': 'none',
  'spark.cassandra.output.batch.size.rows': '1',
} as const;

/** Quarantine columns that are another column of the routed rows under their table's name. */
const QUARANTINE_RENAMES: Readonly<Record<string, string>> = { reason: SPLIT_COLUMN, quarantined_at: 'ingested_at' };

/**
 * Every message as one row carrying what either table needs, and the reason that routes it. What a
 * row carries costs memory and copies (with the connector's writer the sink keeps each micro-batch
 * between its two writes): the record function gives a users column for accepted rows only, and the
 * raw bytes and key are kept for rejected rows only.
 */
export function routedMessages(spark: SparkSession, config: PipelineConfig): DataFrame {
  const ifRejected = (sql: string, name: string): string => `IF(${ACCEPTED}, NULL, ${sql}) AS ${name}`;
  const users = userColumnsSql();
  const userNames = new Set(USER_COLUMNS.map(([name]) => name));
  const quarantineOnly = QUARANTINE_COLUMNS.map(([name]) => name).filter((name) => !userNames.has(name) && !(name in QUARANTINE_RENAMES));
  const quarantine = quarantineOnly.map((name) => {
    if (name === 'kafka_topic') return ifRejected('topic', name);
    if (name === 'kafka_key') return ifRejected('CAST(key AS STRING)', name);
    if (name === 'kafka_timestamp') return ifRejected('timestamp', name);
    if (name === 'raw_value') return ifRejected('value', name);
    throw new Error(`no source for column ${name}`);
  });
  return classifiedMessages(spark, config).selectExpr(SPLIT_COLUMN, ...users, ...quarantine);
}

/** The split sink's column list for a table: "a, b AS c" over the routed rows. */
function columnList(columns: readonly (readonly [string, string])[], renames: Readonly<Record<string, string>> = {}): string {
  return columns.map(([name]) => (renames[name] !== undefined ? `${renames[name]} AS ${name}` : name)).join(', ');
}

/** The route options of one table (the split sink strips the prefix). */
function route(
  prefix: 'accepted' | 'rejected',
  format: string,
  table: string,
  columns: string,
  options: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = { [`${prefix}.format`]: format, [`${prefix}.table`]: table, [`${prefix}.columns`]: columns };
  for (const [key, value] of Object.entries(options)) out[`${prefix}.${key}`] = value;
  return out;
}

/**
 * The per-batch counts of each route, in the query's progress (`observedMetrics[ROUTE_METRICS]`): the
 * sink's writes are batch writes, which report no row counts to the stream.
 */
export const ROUTE_METRICS = 'routes';

export interface PipelinePlan {
  name: string;
  /** The routed rows the sink receives (what `explain` shows). */
  dataFrame: DataFrame;
  writer: DataStreamWriter;
}

/** The pipeline's streaming write, ready to `start()`. */
export function buildPipelinePlan(spark: SparkSession, config: PipelineConfig): PipelinePlan {
  const { cassandra } = config;
  const { names } = cassandra;
  const routed = routedMessages(spark, config).observe(
    ROUTE_METRICS,
    expr(`count_if(${ACCEPTED})`).alias('accepted'),
    expr(`count(${SPLIT_COLUMN})`).alias('quarantined'),
  );
  const name = queryName(config);
  const format = CASSANDRA_WRITER_FORMATS[cassandra.writer];
  const writer = routed.writeStream
    .format(SPLIT_SINK_FORMAT)
    .outputMode('append')
    .trigger({ processingTime: config.triggerInterval })
    .queryName(name)
    .options({
      checkpointLocation: checkpointPath(config),
      'split.column': SPLIT_COLUMN,
      // Unprefixed options go to both writes. The sink connects from the driver and the executors:
      // their view of Cassandra, and its credentials.
      keyspace: names.keyspace,
      'spark.cassandra.connection.host': cassandra.sparkConnectionHost,
      'spark.cassandra.connection.port': cassandra.sparkConnectionPort,
      'spark.cassandra.connection.localDC': cassandra.localDataCenter,
      'spark.cassandra.auth.username': cassandra.username,
      'spark.cassandra.auth.password': cassandra.password,
      'spark.cassandra.connection.keepAliveMS': sessionKeepAliveMs(config),
      // After an outage, retry a dead node every 10 s at most (default: up to a minute).
      'spark.cassandra.connection.reconnectionDelayMS.max': 10_000,
      ...cassandra.sinkOptions,
      ...route('accepted', format, names.table, columnList(USER_COLUMNS)),
      ...route('rejected', format, names.quarantineTable, columnList(QUARANTINE_COLUMNS, QUARANTINE_RENAMES), QUARANTINE_WRITE_OPTIONS),
    });
  return { name, dataFrame: routed, writer };
}
