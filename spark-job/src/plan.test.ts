import { SparkSession } from 'spark-connect';
import { describe, expect, it } from 'vitest';
import { pipelineDefaults, toPipelineConfig, type PipelineConfig } from './config.js';
import { RECORD_FIELDS, RECORD_FUNCTION, recordContractJson, sqlString } from '@streamline/record';
import { BATCH_TIMESTAMP_SQL, buildPipelinePlan, checkpointSessionConf, SPLIT_SINK_FORMAT } from './plan.js';
import { QUARANTINE_COLUMNS, USER_COLUMNS } from './schema.js';

// A session object is only a plan factory here: nothing below opens a connection.
const spark = SparkSession.builder().remote('sc://plan-test.invalid:15002').create();

function config(overrides: Partial<Parameters<typeof toPipelineConfig>[0]> = {}): PipelineConfig {
  return toPipelineConfig({ ...pipelineDefaults({}), checkpointLocation: '/data/checkpoints', ...overrides });
}

/** Every protobuf message of a given type anywhere inside `root` (protobuf-es messages carry $typeName). */
function findAll(root: unknown, typeName: string, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (root === null || typeof root !== 'object') return found;
  if (Array.isArray(root)) {
    for (const item of root) findAll(item, typeName, found);
    return found;
  }
  const record = root as Record<string, unknown>;
  if (record.$typeName === typeName) found.push(record);
  for (const [key, value] of Object.entries(record)) if (key !== '$typeName') findAll(value, typeName, found);
  return found;
}

function expressionStrings(root: unknown): string[] {
  return findAll(root, 'spark.connect.Expression.ExpressionString').map((e) => e.expression as string);
}

describe('pipeline plan', () => {
  const plan = buildPipelinePlan(spark, config({ topic: 'users_created', maxOffsetsPerTrigger: 5000, trigger: '2 seconds' }));
  const command = plan.writer.command();
  const exprs = expressionStrings(command.input);

  it('is one append-only query into the split sink, named for the users table, with one checkpoint for both tables', () => {
    expect(command.format).toBe(SPLIT_SINK_FORMAT);
    expect(command.outputMode).toBe('append');
    expect(command.queryName).toBe('created_users');
    expect(command.trigger).toEqual({ case: 'processingTimeInterval', value: '2 seconds' });
    expect(command.options).toMatchObject({
      checkpointLocation: '/data/checkpoints/users_created/spark_streams.created_users+created_users_quarantine',
      'split.column': 'rejection_reason',
      keyspace: 'spark_streams',
      'spark.cassandra.connection.host': '127.0.0.1',
      'spark.cassandra.connection.port': '9042',
      'spark.cassandra.auth.username': 'cassandra',
    });
  });

  it("routes rows without a reason to the users table and the others to the quarantine, both through streamline's Cassandra writer", () => {
    expect(command.options).toMatchObject({
      'accepted.format': 'streamline-cassandra',
      'accepted.table': 'created_users',
      'accepted.columns': USER_COLUMNS.map(([name]) => name).join(', '),
      'rejected.format': 'streamline-cassandra',
      'rejected.table': 'created_users_quarantine',
      'rejected.columns':
        'kafka_topic, kafka_partition, kafka_offset, kafka_key, kafka_timestamp, raw_value, rejection_reason AS reason, ingested_at AS quarantined_at',
    });
    // Every column a route names is a column of the routed rows.
    const routed = new Set(['rejection_reason', ...exprs.map((e) => /\bAS (\w+)$/.exec(e)?.[1]).filter((n) => n !== undefined)]);
    for (const key of ['accepted.columns', 'rejected.columns']) {
      for (const entry of command.options[key]!.split(', ')) expect(routed, `${key}: ${entry}`).toContain(entry.split(' AS ')[0]);
    }
    expect(QUARANTINE_COLUMNS.map(([name]) => name)).toEqual(command.options['rejected.columns']!.split(', ').map((e) => e.split(' AS ').at(-1)));
  });

  it("writes both tables through the Cassandra connector's own format when the connector's writer is asked for", () => {
    const options = buildPipelinePlan(spark, config({ cassandraWriter: 'connector' })).writer.command().options;
    expect([options['accepted.format'], options['rejected.format']]).toEqual(['org.apache.spark.sql.cassandra', 'org.apache.spark.sql.cassandra']);
  });

  it('reads Kafka as a stream with the configured options', () => {
    const reads = findAll(command.input, 'spark.connect.Read');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.isStreaming).toBe(true);
    const source = reads[0]!.readType as { case: string; value: { format: string; options: Record<string, string> } };
    expect(source.case).toBe('dataSource');
    expect(source.value.format).toBe('kafka');
    expect(source.value.options).toEqual({
      'kafka.bootstrap.servers': '127.0.0.1:9092',
      subscribe: 'users_created',
      startingOffsets: 'earliest',
      failOnDataLoss: 'true',
      maxOffsetsPerTrigger: '5000',
    });
  });

  it('classifies each message once, with the record function and the contract rendered from @streamline/record', () => {
    const calls = exprs.filter((e) => e.includes(`${RECORD_FUNCTION.name}(`));
    expect(calls).toEqual([`${RECORD_FUNCTION.name}(value, ${sqlString(recordContractJson())}) AS record`]);
    const contract = JSON.parse(recordContractJson()) as { fields: { name: string }[] };
    expect(contract.fields.map((f) => f.name)).toEqual(RECORD_FIELDS.map((f) => f.name));
  });

  it('filters nothing: every message reaches the sink, which splits on the reason', () => {
    expect(exprs.filter((e) => e === 'record.reason AS rejection_reason')).toHaveLength(1);
    expect(findAll(command.input, 'spark.connect.Filter')).toEqual([]);
  });

  it('takes users columns typed from the record function, stamps them, and keeps raw bytes for rejected rows only', () => {
    for (const [name] of USER_COLUMNS)
      expect(
        exprs.some((e) => e.endsWith(` AS ${name}`)),
        name,
      ).toBe(true);
    expect(exprs).toContain(`${BATCH_TIMESTAMP_SQL} AS ingested_at`);
    expect(exprs).toContain('record.id AS id');
    expect(exprs).toContain('record.dob AS dob');
    expect(exprs).toEqual(
      expect.arrayContaining([
        'IF(rejection_reason IS NULL, NULL, value) AS raw_value',
        'IF(rejection_reason IS NULL, NULL, CAST(key AS STRING)) AS kafka_key',
        'offset AS kafka_offset',
      ]),
    );
  });

  it('leaves maxOffsetsPerTrigger out when unlimited, and passes sink tuning to both tables', () => {
    const cfg = config({ maxOffsetsPerTrigger: undefined, sinkOption: ['spark.cassandra.output.concurrent.writes=8'] });
    const other = buildPipelinePlan(spark, cfg).writer.command();
    const read = findAll(other.input, 'spark.connect.Read')[0]!;
    expect((read.readType as { value: { options: Record<string, string> } }).value.options).not.toHaveProperty('maxOffsetsPerTrigger');
    expect(other.options['spark.cassandra.output.concurrent.writes']).toBe('8');
  });

  it('uses distinct checkpoints for another topic or other tables', () => {
    expect(buildPipelinePlan(spark, config({ topic: 'other' })).writer.command().options.checkpointLocation).toBe(
      '/data/checkpoints/other/spark_streams.created_users+created_users_quarantine',
    );
    expect(buildPipelinePlan(spark, config({ quarantineTable: 'poison' })).writer.command().options.checkpointLocation).toBe(
      '/data/checkpoints/users_created/spark_streams.created_users+poison',
    );
  });

  it('renames checkpoint files with the FileSystem API on a local file system only', () => {
    const manager = 'spark.sql.streaming.checkpointFileManagerClass';
    for (const local of ['/data/checkpoints', 'file:///data/checkpoints']) {
      expect(checkpointSessionConf(config({ checkpointLocation: local }))[manager], local).toMatch(/\.FileSystemBasedCheckpointFileManager$/);
    }
    for (const remote of ['hdfs://nn:8020/checkpoints', 's3a://bucket/checkpoints']) {
      expect(checkpointSessionConf(config({ checkpointLocation: remote })), remote).toEqual({});
    }
  });
});

describe('Cassandra sink settings', () => {
  const options = (c: PipelineConfig) => buildPipelinePlan(spark, c).writer.command().options;

  it('keeps connector sessions short-lived, but alive across a few triggers', () => {
    const keepAlive = (c: PipelineConfig) => options(c)['spark.cassandra.connection.keepAliveMS'];
    expect(keepAlive(config({ trigger: '1 second' }))).toBe('10000');
    expect(keepAlive(config({ trigger: '2 seconds' }))).toBe('10000');
    expect(keepAlive(config({ trigger: '5 seconds' }))).toBe('15000');
    expect(keepAlive(config({ trigger: '1 minute' }))).toBe('180000');
  });

  it('never batches quarantine rows (raw values can be ~1 MB), whatever the sink tuning', () => {
    const tuned = options(config({ sinkOption: ['spark.cassandra.output.batch.size.rows=50'] }));
    // The route's own options win over the shared ones in the sink.
    expect(tuned['rejected.spark.cassandra.output.batch.size.rows']).toBe('1');
    expect(tuned['rejected.spark.cassandra.output.batch.grouping.key']).toBe('none');
    expect(tuned['spark.cassandra.output.batch.size.rows']).toBe('50');
    expect(Object.keys(tuned).filter((k) => k.startsWith('accepted.spark.'))).toEqual([]);
  });
});
