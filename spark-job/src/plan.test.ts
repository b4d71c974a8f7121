import { SparkSession } from 'spark-connect';
import { describe, expect, it } from 'vitest';
import { pipelineDefaults, toPipelineConfig, type PipelineConfig } from './config.js';
import { recordStructDdl } from '@streamline/record';
import { BATCH_TIMESTAMP_SQL, buildPipelinePlans, checkpointSessionConf, REJECTION_REASON_SQL } from './plan.js';
import { USER_COLUMNS } from './schema.js';

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

describe('pipeline plans', () => {
  const plans = buildPipelinePlans(spark, config({ topic: 'users_created', maxOffsetsPerTrigger: 5000, trigger: '2 seconds' }));
  const users = plans.users.writer.command();
  const quarantine = plans.quarantine.writer.command();

  it('write both streams to Cassandra, append-only, with their own checkpoints and names', () => {
    for (const [command, table, trigger] of [
      [users, 'created_users', '2 seconds'],
      [quarantine, 'created_users_quarantine', '5 seconds'],
    ] as const) {
      expect(command.format).toBe('org.apache.spark.sql.cassandra');
      expect(command.outputMode).toBe('append');
      expect(command.queryName).toBe(table);
      expect(command.trigger).toEqual({ case: 'processingTimeInterval', value: trigger });
      expect(command.options).toMatchObject({
        keyspace: 'spark_streams',
        table,
        checkpointLocation: `/data/checkpoints/users_created/spark_streams.${table}`,
        'spark.cassandra.connection.host': '127.0.0.1',
        'spark.cassandra.connection.port': '9042',
        'spark.cassandra.auth.username': 'cassandra',
      });
    }
    expect(users.options.checkpointLocation).not.toBe(quarantine.options.checkpointLocation);
  });

  it('read Kafka as a stream with the configured options', () => {
    for (const command of [users, quarantine]) {
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
    }
  });

  it('parse each message once, with the record schema rendered from @streamline/record', () => {
    const exprs = expressionStrings(users.input).filter((e) => e.includes(`from_json(concat('{"records":[', json`));
    expect(exprs).toHaveLength(1);
    expect(exprs[0]).toContain(recordStructDdl());
    expect(exprs[0]).toMatch(/^inline\(array\(from_json\(/);
  });

  it('split on one classification: valid rows where no reason, quarantine where a reason', () => {
    const usersExprs = expressionStrings(users.input);
    const quarantineExprs = expressionStrings(quarantine.input);
    expect(usersExprs).toContain(`${REJECTION_REASON_SQL} AS rejection_reason`);
    expect(quarantineExprs).toContain(`${REJECTION_REASON_SQL} AS rejection_reason`);
    expect(usersExprs).toContain('rejection_reason IS NULL');
    expect(quarantineExprs).toContain('rejection_reason IS NOT NULL');
  });

  it('select exactly the table columns, typed and stamped', () => {
    const usersExprs = expressionStrings(users.input);
    for (const [name] of USER_COLUMNS) expect(usersExprs.some((e) => e.endsWith(` AS ${name}`))).toBe(true);
    expect(usersExprs).toContain(`${BATCH_TIMESTAMP_SQL} AS ingested_at`);
    expect(usersExprs).toContain('lower(records[0].id) AS id');
    // Timestamps from the one parse (the instants they give: tests/integration/spark-job).
    expect(usersExprs.find((e) => e.endsWith(' AS dob'))).toContain('CAST(records[0].dob AS TIMESTAMP)');
    const quarantineExprs = expressionStrings(quarantine.input);
    expect(quarantineExprs).toEqual(
      expect.arrayContaining(['value AS raw_value', 'rejection_reason AS reason', 'offset AS kafka_offset', `${BATCH_TIMESTAMP_SQL} AS quarantined_at`]),
    );
  });

  it('leave maxOffsetsPerTrigger out when unlimited, and pass sink tuning through', () => {
    const cfg = config({ maxOffsetsPerTrigger: undefined, sinkOption: ['spark.cassandra.output.concurrent.writes=8'] });
    const command = buildPipelinePlans(spark, cfg).users.writer.command();
    const read = findAll(command.input, 'spark.connect.Read')[0]!;
    expect((read.readType as { value: { options: Record<string, string> } }).value.options).not.toHaveProperty('maxOffsetsPerTrigger');
    expect(command.options['spark.cassandra.output.concurrent.writes']).toBe('8');
  });

  it('uses distinct checkpoints for another topic', () => {
    const other = buildPipelinePlans(spark, config({ topic: 'other' })).users.writer.command();
    expect(other.options.checkpointLocation).toBe('/data/checkpoints/other/spark_streams.created_users');
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
  it('keeps connector sessions short-lived, but alive across a few triggers of the slower query', () => {
    const keepAlive = (c: PipelineConfig) =>
      Object.values(buildPipelinePlans(spark, c)).map((p) => p.writer.command().options['spark.cassandra.connection.keepAliveMS']);
    expect(keepAlive(config({ trigger: '1 second', quarantineTrigger: '2 seconds' }))).toEqual(['10000', '10000']);
    expect(keepAlive(config({ trigger: '2 seconds' }))).toEqual(['15000', '15000']);
    expect(keepAlive(config({ trigger: '1 minute' }))).toEqual(['180000', '180000']);
    expect(keepAlive(config({ trigger: '1 second', quarantineTrigger: '20 seconds' }))).toEqual(['60000', '60000']);
  });

  it('triggers the quarantine query less often: as the users query, but at least every 5 seconds, unless set', () => {
    const triggers = (c: PipelineConfig) => Object.values(buildPipelinePlans(spark, c)).map((p) => p.writer.command().trigger);
    const every = (value: string) => ({ case: 'processingTimeInterval', value });
    expect(triggers(config({ trigger: '1 second' }))).toEqual([every('1 second'), every('5 seconds')]);
    expect(triggers(config({ trigger: '10 seconds' }))).toEqual([every('10 seconds'), every('10 seconds')]);
    expect(triggers(config({ trigger: '1 second', quarantineTrigger: ' 500 ms ' }))).toEqual([every('1 second'), every('500 ms')]);
  });

  it('never batches quarantine rows (raw values can be ~1 MB), whatever the sink tuning', () => {
    const plans = buildPipelinePlans(spark, config({ sinkOption: ['spark.cassandra.output.batch.size.rows=50'] }));
    const quarantine = plans.quarantine.writer.command();
    expect(quarantine.options['spark.cassandra.output.batch.size.rows']).toBe('1');
    expect(quarantine.options['spark.cassandra.output.batch.grouping.key']).toBe('none');
    expect(plans.users.writer.command().options['spark.cassandra.output.batch.size.rows']).toBe('50');
  });
});
