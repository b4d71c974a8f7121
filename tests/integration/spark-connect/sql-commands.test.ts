// spark.sql() of a command runs when called, once (PySpark's behaviour), against the real servers
// (Spark 3.5 and 4.0); queries stay lazy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisException, SparkSession } from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

describe.each(SERVERS)('spark.sql of commands on $label', (server) => {
  let spark: SparkSession;
  const suffix = Math.random().toString(36).slice(2, 8);
  const table = `sql_once_${suffix}`;

  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
  });
  afterAll(async () => {
    await spark
      ?.sql(`DROP TABLE IF EXISTS ${table}`)
      .collect()
      .catch(() => undefined);
    spark?.stop();
  });

  it('runs CREATE and INSERT when called, in order, each exactly once', async () => {
    spark.sql(`CREATE TABLE ${table} (x INT) USING parquet`);
    const insert = spark.sql(`INSERT INTO ${table} VALUES (1), (2)`);
    // No action on either DataFrame: the table exists and holds the rows already.
    expect(await spark.table(table).count()).toBe(2);
    // Actions on the command's DataFrame return its result; they do not insert again.
    await insert.collect();
    await insert.collect();
    expect(await spark.table(table).count()).toBe(2);
  });

  it('SET applies when called; a temp view exists without an action', async () => {
    spark.sql('SET spark.sql.shuffle.partitions=3');
    spark.sql(`CREATE OR REPLACE TEMP VIEW v_${suffix} AS SELECT 42 AS answer`);
    expect(await spark.conf.get('spark.sql.shuffle.partitions')).toBe('3');
    expect(await spark.table(`v_${suffix}`).collect()).toEqual([{ answer: 42 }]);
  });

  it('a failed command throws from the next action; the session keeps working', async () => {
    spark.sql(`DROP TABLE no_such_table_${suffix}`);
    await expect(spark.sql('SELECT 1 AS one').collect()).rejects.toBeInstanceOf(AnalysisException);
    expect(await spark.sql('SELECT 1 AS one').collect()).toEqual([{ one: 1 }]);
  });

  it('keeps queries lazy: a failing query fails only at its action', async () => {
    const df = spark.sql(`SELECT * FROM no_such_table_${suffix}`);
    expect(await spark.sql('SELECT 2 AS two').collect()).toEqual([{ two: 2 }]);
    await expect(df.collect()).rejects.toBeInstanceOf(AnalysisException);
  });
});
