// Plan analysis actions against the real servers (Spark 3.5 and 4.0): sameSemantics, semanticHash and
// inputFiles, each compared with what the plans and the written table imply.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession, col } from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

describe.each(SERVERS)('plan analysis on $label', (server) => {
  let spark: SparkSession;
  const table = `analysis_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
  });
  afterAll(async () => {
    await spark?.sql(`DROP TABLE IF EXISTS ${table}`).collect();
    spark?.stop();
  });

  it('sameSemantics and semanticHash: equal plans agree, different plans do not', async () => {
    const a = spark.range(10).filter(col('id').gt(3));
    const b = spark.range(10).filter(col('id').gt(3));
    const c = spark.range(10).filter(col('id').gt(4));
    expect(await a.sameSemantics(b)).toBe(true);
    expect(await a.sameSemantics(c)).toBe(false);
    expect(await a.semanticHash()).toBe(await b.semanticHash());
    expect(await a.semanticHash()).not.toBe(await c.semanticHash());
  });

  it('inputFiles lists the parquet files of a table, none for range', async () => {
    await spark.sql(`CREATE TABLE ${table} USING parquet AS SELECT id FROM range(5)`).collect();
    const files = await spark.table(table).inputFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(new RegExp(`${table}/.*\\.parquet$`));
    expect(await spark.range(3).inputFiles()).toEqual([]);
  });
});
