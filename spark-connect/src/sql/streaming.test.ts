// Streaming plans and commands, built without a server.
import { describe, expect, it } from 'vitest';
import { col, from_json } from './functions.js';
import { SparkSession } from './session.js';
import { StreamingQuery } from './streaming.js';
import { StringType, StructType } from './types.js';

const spark = SparkSession.builder().remote('sc://localhost:15002').create();
const schema = new StructType().add('id', StringType(), false).add('email', StringType());

describe('readStream', () => {
  it('builds a streaming Read.data_source with format, options and schema', () => {
    const df = spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'localhost:9092')
      .options({ subscribe: 'users_created', startingOffsets: 'earliest', maxOffsetsPerTrigger: 1000, failOnDataLoss: false })
      .load();
    const r = df.relation.relType;
    expect(r.case).toBe('read');
    if (r.case !== 'read') return;
    expect(r.value.isStreaming).toBe(true);
    expect(r.value.readType.case).toBe('dataSource');
    if (r.value.readType.case !== 'dataSource') return;
    const ds = r.value.readType.value;
    expect(ds.format).toBe('kafka');
    expect(ds.options).toEqual({
      'kafka.bootstrap.servers': 'localhost:9092',
      subscribe: 'users_created',
      startingOffsets: 'earliest',
      maxOffsetsPerTrigger: '1000',
      failOnDataLoss: 'false',
    });
    expect(ds.schema).toBeUndefined();
  });

  it('sends a StructType schema as JSON and a string schema as given', () => {
    const a = spark.readStream.format('json').schema(schema).load('/tmp/in').relation.relType;
    expect(a.case === 'read' && a.value.readType.case === 'dataSource' && a.value.readType.value).toMatchObject({
      schema: schema.json(),
      paths: ['/tmp/in'],
    });
    const b = spark.readStream.format('json').schema('id STRING').load().relation.relType;
    expect(b.case === 'read' && b.value.readType.case === 'dataSource' && b.value.readType.value.schema).toBe('id STRING');
  });
});

describe('writeStream', () => {
  const parsed = spark.readStream
    .format('kafka')
    .option('subscribe', 'users_created')
    .load()
    .select(from_json(col('value').cast('string'), schema).alias('data'))
    .select('data.*');

  it('command() returns the WriteStreamOperationStart start() would send', () => {
    const cmd = parsed.writeStream
      .format('org.apache.spark.sql.cassandra')
      .option('checkpointLocation', '/tmp/ckpt')
      .options({ keyspace: 'spark_streams', table: 'created_users' })
      .outputMode('append')
      .trigger({ processingTime: '10 seconds' })
      .queryName('users_to_cassandra')
      .command();
    expect(cmd.format).toBe('org.apache.spark.sql.cassandra');
    expect(cmd.options).toEqual({ checkpointLocation: '/tmp/ckpt', keyspace: 'spark_streams', table: 'created_users' });
    expect(cmd.outputMode).toBe('append');
    expect(cmd.queryName).toBe('users_to_cassandra');
    expect(cmd.trigger).toEqual({ case: 'processingTimeInterval', value: '10 seconds' });
    expect(cmd.sinkDestination.case).toBeUndefined();
    expect(cmd.input).toBe(parsed.relation);
    expect(cmd.input?.relType.case).toBe('project');
  });

  it.each([
    [{ availableNow: true as const }, { case: 'availableNow', value: true }],
    [{ once: true as const }, { case: 'once', value: true }],
    [{ continuous: '1 second' }, { case: 'continuousCheckpointInterval', value: '1 second' }],
  ])('trigger %o', (trigger, expected) => {
    expect(parsed.writeStream.trigger(trigger).command().trigger).toEqual(expected);
  });

  it('toCommand wraps it in a Command, with path / table sinks', () => {
    const c = parsed.writeStream.format('parquet').toCommand({ path: '/out' });
    expect(c.commandType.case).toBe('writeStreamOperationStart');
    expect(c.commandType.case === 'writeStreamOperationStart' && c.commandType.value.sinkDestination).toEqual({ case: 'path', value: '/out' });
    const t = parsed.writeStream.command({ tableName: 'db.t' });
    expect(t.sinkDestination).toEqual({ case: 'tableName', value: 'db.t' });
  });
});

describe('query and manager commands', () => {
  it('encode query id and the operation', () => {
    const q = new StreamingQuery(spark, 'qid', 'rid', 'n');
    const c = q.commandFor({ case: 'awaitTermination', value: { timeoutMs: 5000n } });
    expect(c.commandType.case).toBe('streamingQueryCommand');
    if (c.commandType.case !== 'streamingQueryCommand') return;
    expect(c.commandType.value.queryId).toMatchObject({ id: 'qid', runId: 'rid' });
    expect(c.commandType.value.command).toEqual({ case: 'awaitTermination', value: expect.objectContaining({ timeoutMs: 5000n }) });
    const m = spark.streams.commandFor({ case: 'getQuery', value: 'qid' });
    expect(m.commandType.case === 'streamingQueryManagerCommand' && m.commandType.value.command).toEqual({ case: 'getQuery', value: 'qid' });
  });
});

describe('read (batch)', () => {
  it('builds a non-streaming Read.data_source', () => {
    const r = spark.read.format('org.apache.spark.sql.cassandra').options({ keyspace: 'spark_streams', table: 'created_users' }).load().relation.relType;
    expect(r.case).toBe('read');
    if (r.case !== 'read') return;
    expect(r.value.isStreaming).toBe(false);
    expect(r.value.readType).toMatchObject({
      case: 'dataSource',
      value: { format: 'org.apache.spark.sql.cassandra', options: { keyspace: 'spark_streams', table: 'created_users' } },
    });
  });
});

describe('write (batch)', () => {
  it('builds a WriteOperation with source, mode, options and target', () => {
    const w = spark.range(3).write.format('org.apache.spark.sql.cassandra').mode('append').options({ keyspace: 'ks', table: 't' });
    const c = w.command();
    expect(c.source).toBe('org.apache.spark.sql.cassandra');
    expect(c.mode).toBe(1); // APPEND
    expect(c.options).toEqual({ keyspace: 'ks', table: 't' });
    expect(c.saveType.case).toBeUndefined();
    expect(w.command({ path: '/out' }).saveType).toEqual({ case: 'path', value: '/out' });
    expect(w.command({ saveAsTable: 'db.t' }).saveType).toMatchObject({ case: 'table', value: { tableName: 'db.t', saveMethod: 1 } });
    expect(w.toCommand().commandType.case).toBe('writeOperation');
  });
});
