// The batch writers against the real servers (Spark 3.5 and 4.0): bucketBy/sortBy of df.write, and the
// v2 table writer df.writeTo (create with provider, partitionedBy and table properties; append and
// replace are v2-table operations, which the default session catalog's v1 tables refuse with Spark's
// own error, as PySpark's users see it).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkConnectError, SparkSession, col } from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

describe.each(SERVERS)('batch writers on $label', (server) => {
  let spark: SparkSession;
  const tables: string[] = [];
  const table = (label: string): string => {
    const name = `writers_${label}_${randomUUID().slice(0, 8)}`;
    tables.push(name);
    return name;
  };
  const describeTable = async (name: string): Promise<Map<string, string>> =>
    new Map((await spark.sql(`DESCRIBE TABLE EXTENDED ${name}`).collect()).map((r) => [String(r['col_name']).trim(), String(r['data_type']).trim()]));

  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
  });
  afterAll(async () => {
    for (const name of tables)
      await spark
        .sql(`DROP TABLE IF EXISTS ${name}`)
        .collect()
        .catch(() => undefined);
    spark?.stop();
  });

  it('df.write.bucketBy(...).sortBy(...).saveAsTable: the table is bucketed and sorted as asked', async () => {
    const name = table('bucketed');
    await spark.range(100).withColumn('k', col('id').mod(7)).write.format('parquet').bucketBy(4, 'k').sortBy('id').saveAsTable(name);
    const info = await describeTable(name);
    expect(info.get('Num Buckets')).toBe('4');
    expect(info.get('Bucket Columns')).toBe('[`k`]');
    expect(info.get('Sort Columns')).toBe('[`id`]');
    expect(await spark.table(name).count()).toBe(100);
  });

  it('df.writeTo: create (provider, partitions, properties); a second create is refused', async () => {
    const name = table('v2');
    const df = spark.range(10).withColumn('part', col('id').mod(2));
    await df.writeTo(name).using('parquet').partitionedBy('part').tableProperty('streamline.purpose', 'tests').create();
    expect(await spark.table(name).count()).toBe(10);
    const info = await describeTable(name);
    expect(info.get('Provider')).toBe('parquet');
    expect([...info.keys()]).toContain('# Partition Information');
    const props = await spark.sql(`SHOW TBLPROPERTIES ${name}`).collect();
    expect(props.map((r) => [r['key'], r['value']])).toContainEqual(['streamline.purpose', 'tests']);
    // create() of an existing table is refused, with Spark's error class.
    await expect(df.writeTo(name).using('parquet').create()).rejects.toMatchObject({ errorClass: 'TABLE_OR_VIEW_ALREADY_EXISTS' });
  });

  it('append / replace of a session-catalog (v1) table: refused by Spark with its own message, the table untouched', async () => {
    const name = table('v1');
    await spark.range(3).writeTo(name).using('parquet').create();
    const append = await spark
      .range(3)
      .writeTo(name)
      .append()
      .catch((e: unknown) => e);
    expect(append).toBeInstanceOf(SparkConnectError);
    expect((append as Error).message).toMatch(/Cannot write into v1 table/);
    const replace = await spark
      .range(3)
      .writeTo(name)
      .using('parquet')
      .replace()
      .catch((e: unknown) => e);
    expect(replace).toBeInstanceOf(SparkConnectError);
    expect(await spark.table(name).count()).toBe(3);
  });
});
