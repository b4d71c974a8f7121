// spark.catalog against the real servers (Spark 3.5 and 4.0): databases, tables, columns, temp views,
// functions and caching, each observed through the catalog itself and through SQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LongType, SparkSession, StorageLevel, StringType, StructType } from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

describe.each(SERVERS)('catalog on $label', (server) => {
  let spark: SparkSession;
  const db = `catalog_it_${process.pid}_${server.version.replace('.', '')}`;
  const schema = new StructType([
    { name: 'id', dataType: LongType(), nullable: false, metadata: {} },
    { name: 'name', dataType: StringType(), nullable: true, metadata: {} },
  ]);

  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
    await spark.sql(`CREATE DATABASE IF NOT EXISTS ${db} COMMENT 'catalog test'`).collect();
  });
  afterAll(async () => {
    await spark?.sql(`DROP DATABASE IF EXISTS ${db} CASCADE`).collect();
    spark?.stop();
  });

  it('databases: exists, list by pattern, get, current and set current', async () => {
    expect(await spark.catalog.databaseExists(db)).toBe(true);
    expect(await spark.catalog.databaseExists(`${db}_missing`)).toBe(false);
    const listed = await spark.catalog.listDatabases(`${db}*`);
    expect(listed.map((d) => d.name)).toEqual([db]);
    const got = await spark.catalog.getDatabase(db);
    expect(got).toMatchObject({ name: db, description: 'catalog test' });
    expect(got.locationUri).toContain(db);
    expect(await spark.catalog.currentCatalog()).toBe('spark_catalog');
    expect(await spark.catalog.currentDatabase()).toBe('default');
    await spark.catalog.setCurrentDatabase(db);
    try {
      expect(await spark.catalog.currentDatabase()).toBe(db);
      expect((await spark.sql('SELECT current_database() AS d').collect())[0]?.['d']).toBe(db);
    } finally {
      await spark.catalog.setCurrentDatabase('default');
    }
  });

  it('tables: createTable, tableExists, listTables, getTable, listColumns; temp views listed and dropped', async () => {
    const table = `${db}.people`;
    const df = await spark.catalog.createTable(table, { source: 'parquet', schema, description: 'people' });
    expect(await df.columns()).toEqual(['id', 'name']);
    await spark.sql(`INSERT INTO ${table} VALUES (1, 'ada'), (2, 'grace')`).collect();
    expect(await spark.table(table).count()).toBe(2);

    expect(await spark.catalog.tableExists('people', db)).toBe(true);
    expect(await spark.catalog.tableExists(table)).toBe(true);
    expect(await spark.catalog.tableExists('nobody', db)).toBe(false);
    const t = await spark.catalog.getTable(table);
    expect(t).toMatchObject({ name: 'people', database: db, tableType: 'MANAGED', isTemporary: false, description: 'people' });

    const columns = await spark.catalog.listColumns(table);
    expect(columns.map((c) => [c.name, c.dataType, c.isPartition])).toEqual([
      ['id', 'bigint', false],
      ['name', 'string', false],
    ]);

    await spark.range(3).createOrReplaceTempView(`tmp_${db}`);
    const tables = await spark.catalog.listTables(db);
    expect(tables.find((x) => x.name === 'people')?.isTemporary).toBe(false);
    expect(tables.find((x) => x.name === `tmp_${db}`)?.isTemporary).toBe(true);
    expect((await spark.catalog.listTables(db, 'peo*')).map((x) => x.name)).toEqual(['people']);
    expect(await spark.catalog.dropTempView(`tmp_${db}`)).toBe(true);
    expect(await spark.catalog.dropTempView(`tmp_${db}`)).toBe(false);
    expect(await spark.catalog.tableExists(`tmp_${db}`)).toBe(false);
  });

  it("createExternalTable (PySpark's deprecated name): a table at a path, over existing files", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamline-catalog-'));
    try {
      await spark.range(3).write.parquet(join(dir, 'data'));
      const table = `${db}.external`;
      const df = await spark.catalog.createExternalTable(table, { path: join(dir, 'data'), source: 'parquet' });
      expect(await df.count()).toBe(3);
      expect(await spark.catalog.getTable(table)).toMatchObject({ name: 'external', tableType: 'EXTERNAL' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('functions: exists, list by pattern, get', async () => {
    expect(await spark.catalog.functionExists('date_format')).toBe(true);
    expect(await spark.catalog.functionExists('no_such_function_anywhere')).toBe(false);
    const fns = await spark.catalog.listFunctions(undefined, 'date_*');
    expect(fns.length).toBeGreaterThan(3);
    expect(fns.every((f) => f.name.startsWith('date_'))).toBe(true);
    const abs = await spark.catalog.getFunction('abs');
    expect(abs.className).toBe('org.apache.spark.sql.catalyst.expressions.Abs');
    expect(abs.isTemporary).toBe(true);
  });

  it('caching: cacheTable (with a storage level), isCached, uncacheTable, clearCache, refreshTable', async () => {
    const table = `${db}.cached`;
    await spark.sql(`CREATE TABLE ${table} USING parquet AS SELECT id FROM range(10)`).collect();
    expect(await spark.catalog.isCached(table)).toBe(false);
    await spark.catalog.cacheTable(table);
    expect(await spark.catalog.isCached(table)).toBe(true);
    await spark.catalog.uncacheTable(table);
    expect(await spark.catalog.isCached(table)).toBe(false);
    await spark.catalog.cacheTable(table, StorageLevel.DISK_ONLY);
    expect(await spark.catalog.isCached(table)).toBe(true);
    await spark.catalog.refreshTable(table);
    expect(await spark.table(table).count()).toBe(10);
    await spark.catalog.clearCache();
    expect(await spark.catalog.isCached(table)).toBe(false);
  });
});
