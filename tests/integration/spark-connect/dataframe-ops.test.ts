// DataFrame transformations and actions against the real servers (Spark 3.5 and 4.0): distinct and
// deduplication, partitioning, sampling, set operations, every join kind, caching, temp views and the
// streaming row iterator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession, StorageLevel, col, expr, type DataFrame, type Row } from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

const ids = (rows: Row[], key = 'id'): unknown[] => rows.map((r) => r[key]);

describe.each(SERVERS)('DataFrame operations on $label', (server) => {
  let spark: SparkSession;
  let people: DataFrame;
  let orders: DataFrame;

  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
    people = spark.sql("SELECT * FROM VALUES (1, 'ada', 'uk'), (2, 'grace', 'us'), (3, 'linus', 'fi'), (4, 'alan', 'uk') AS t(id, name, country)");
    orders = spark.sql('SELECT * FROM VALUES (10, 1, 5.0D), (11, 1, 7.5D), (12, 2, 1.0D), (13, 9, 2.0D) AS t(oid, id, amount)');
  });
  afterAll(() => spark?.stop());

  it('distinct, dropDuplicates (all columns and a subset)', async () => {
    const dup = spark.sql('SELECT * FROM VALUES (1, 1), (1, 1), (1, 2), (2, 2) AS t(a, b)');
    expect(await dup.distinct().count()).toBe(3);
    expect(await dup.dropDuplicates().count()).toBe(3);
    expect(ids(await dup.dropDuplicates(['a']).orderBy('a').collect(), 'a')).toEqual([1, 2]);
  });

  it('dropDuplicatesWithinWatermark on a stream (the plan is accepted and analysed as streaming)', async () => {
    const stream = spark.readStream.format('rate').load().withWatermark('timestamp', '10 seconds').dropDuplicatesWithinWatermark(['value']);
    expect(await stream.isStreaming()).toBe(true);
    expect(await stream.columns()).toEqual(['timestamp', 'value']);
  });

  it('repartition / coalesce / repartitionByRange change the partitioning, not the rows', async () => {
    const df = spark.range(100);
    // How many partitions hold rows.
    const partitions = async (d: DataFrame): Promise<number> => d.select(expr('spark_partition_id()').alias('p')).distinct().count();
    expect(await partitions(df.repartition(5))).toBe(5);
    expect(await partitions(df.repartition(5).coalesce(2))).toBe(2);
    expect(await partitions(df.repartition(3, 'id'))).toBeLessThanOrEqual(3);
    expect(await df.repartitionByRange(4, col('id').desc()).count()).toBe(100);
    expect(await df.repartition('id').count()).toBe(100);
    expect(await df.repartition(5).explain()).toMatch(/RoundRobinPartitioning\(5\)|Repartition/);
    expect(await df.repartitionByRange(4, 'id').explain()).toMatch(/rangepartitioning/i);
  });

  it('sample: seeded samples repeat, fractions hold roughly, with replacement may repeat rows', async () => {
    const df = spark.range(2000);
    const a = ids(await df.sample(0.1, 42).collect());
    const b = ids(await df.sample(false, 0.1, 42).collect());
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(100);
    expect(a.length).toBeLessThan(300);
    const withReplacement = ids(await spark.range(50).sample(true, 3.0, 7).collect());
    expect(new Set(withReplacement).size).toBeLessThan(withReplacement.length);
    expect(() => df.sample(1.5)).toThrow(RangeError);
  });

  it('union, unionByName (allowMissingColumns), intersect, intersectAll, subtract, exceptAll', async () => {
    const a = spark.sql('SELECT * FROM VALUES (1), (1), (2), (3) AS t(x)');
    const b = spark.sql('SELECT * FROM VALUES (1), (1), (3), (4) AS t(x)');
    const xs = async (d: DataFrame): Promise<unknown[]> => ids(await d.orderBy('x').collect(), 'x');
    expect(await xs(a.union(b))).toEqual([1, 1, 1, 1, 2, 3, 3, 4]);
    expect(await xs(a.intersect(b))).toEqual([1, 3]);
    expect(await xs(a.intersectAll(b))).toEqual([1, 1, 3]);
    expect(await xs(a.subtract(b))).toEqual([2]);
    expect(await xs(a.exceptAll(spark.sql('SELECT 1 AS x')))).toEqual([1, 2, 3]);
    const left = spark.sql('SELECT 1 AS id, "a" AS name');
    const right = spark.sql('SELECT "b" AS name, 2 AS id, true AS extra');
    const byName = await left.unionByName(right, true).orderBy('id').collect();
    expect(byName.map((r) => [r['id'], r['name'], r['extra']])).toEqual([
      [1, 'a', null],
      [2, 'b', true],
    ]);
    await expect(left.unionByName(right).collect()).rejects.toThrow();
  });

  it('joins of every kind, on a name, names, or an expression; crossJoin', async () => {
    const on = async (how: Parameters<DataFrame['join']>[2]): Promise<unknown[]> => ids(await people.join(orders, 'id', how).orderBy('id').collect());
    expect(await on('inner')).toEqual([1, 1, 2]);
    expect(await on('left')).toEqual([1, 1, 2, 3, 4]);
    expect(await on('right')).toEqual([1, 1, 2, 9]);
    expect(await on('full')).toEqual([1, 1, 2, 3, 4, 9]);
    expect(await on('left_semi')).toEqual([1, 2]);
    expect(await on('left_anti')).toEqual([3, 4]);
    const usingList = await people.join(orders, ['id'], 'inner').columns();
    expect(usingList).toEqual(['id', 'name', 'country', 'oid', 'amount']);
    const byExpr = await people
      .alias('p')
      .join(orders.alias('o'), col('p.id').eq(col('o.id')).and(col('o.amount').gt(2)), 'inner')
      .select('p.name', 'o.oid')
      .orderBy('oid')
      .collect();
    expect(byExpr.map((r) => r['oid'])).toEqual([10, 11]);
    const conditions = await people
      .join(orders, [people.col('id').eq(orders.col('id')), orders.col('amount').gt(2)], 'inner')
      .select(orders.col('oid'))
      .orderBy('oid')
      .collect();
    expect(conditions.map((r) => r['oid'])).toEqual([10, 11]);
    expect(await people.crossJoin(orders).count()).toBe(16);
    expect(await people.join(orders).count()).toBe(16);
  });

  it('cache / persist / storageLevel / unpersist', async () => {
    const df = spark.range(10).withColumn('sq', col('id').multiply(col('id')));
    expect((await df.storageLevel()).useMemory).toBe(false);
    await df.cache();
    const cached = await df.storageLevel();
    expect(cached).toMatchObject({ useMemory: true, useDisk: true, deserialized: true });
    expect(await df.count()).toBe(10);
    await df.unpersist(true);
    expect(await df.storageLevel()).toEqual(StorageLevel.NONE);
    await df.persist(StorageLevel.DISK_ONLY);
    expect(await df.storageLevel()).toEqual(StorageLevel.DISK_ONLY);
    await df.unpersist(true);
  });

  it('temp views: local and global', async () => {
    const name = `people_${process.pid}`;
    await people.createOrReplaceTempView(name);
    expect(await spark.sql(`SELECT count(*) AS n FROM ${name}`).collect()).toEqual([expect.objectContaining({ n: 4 })]);
    await people.limit(1).createOrReplaceGlobalTempView(name);
    expect(await spark.table(`global_temp.${name}`).count()).toBe(1);
    await expect(people.createGlobalTempView(name)).rejects.toThrow(/already exists/i);
    expect(await spark.catalog.dropGlobalTempView(name)).toBe(true);
  });

  it('toLocalIterator streams rows batch by batch, and can stop early', async () => {
    let n = 0;
    let sum = 0;
    for await (const row of spark.range(0, 50_000, 1, 4).toLocalIterator()) {
      n++;
      sum += Number(row['id']);
    }
    expect(n).toBe(50_000);
    expect(sum).toBe((49_999 * 50_000) / 2);
    const firstFew: unknown[] = [];
    for await (const row of spark.range(1_000_000).toLocalIterator()) {
      firstFew.push(row['id']);
      if (firstFew.length === 3) break;
    }
    expect(firstFew).toEqual([0, 1, 2]);
    // The session is still usable after the abandoned stream.
    expect(await spark.range(3).count()).toBe(3);
  });

  it('toArrow returns an Arrow table of every batch (and of an empty result)', async () => {
    const table = await spark.range(0, 10_000, 1, 3).withColumn('half', col('id').divide(2)).toArrow();
    expect(table.numRows).toBe(10_000);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'half']);
    expect(table.getChild('half')?.get(9_999)).toBe(4_999.5);
    const empty = await spark.range(0).toArrow();
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => f.name)).toEqual(['id']);
  });

  it('sortWithinPartitions, unpivot/melt, randomSplit, tail, dtypes', async () => {
    const sorted = await spark.range(0, 20, 1, 2).sortWithinPartitions(col('id').desc()).collect();
    expect(ids(sorted)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
    const wide = spark.sql('SELECT 1 AS id, 10 AS a, 20 AS b');
    const long = await wide.unpivot('id', ['a', 'b'], 'col', 'val').orderBy('col').collect();
    expect(long.map((r) => [r['id'], r['col'], r['val']])).toEqual([
      [1, 'a', 10],
      [1, 'b', 20],
    ]);
    expect(await wide.melt(['id'], null, 'k', 'v').count()).toBe(2);
    const [train, test] = spark.range(1000).randomSplit([3, 1], 11);
    const [a, b] = [ids(await train!.collect()), ids(await test!.collect())];
    expect(a.length + b.length).toBe(1000);
    expect(new Set([...a, ...b]).size).toBe(1000);
    expect(a.length).toBeGreaterThan(650);
    expect(a.length).toBeLessThan(850);
    expect(ids(await spark.range(10).tail(2))).toEqual([8, 9]);
    expect(await people.dtypes()).toEqual([
      ['id', 'int'],
      ['name', 'string'],
      ['country', 'string'],
    ]);
  });

  it('offset, toDF, hint, transform, isEmpty', async () => {
    expect(ids(await spark.range(5).offset(3).collect())).toEqual([3, 4]);
    expect(await people.toDF('a', 'b', 'c').columns()).toEqual(['a', 'b', 'c']);
    expect(await people.join(orders.hint('broadcast'), 'id').explain()).toMatch(/Broadcast/);
    const addOne = (d: DataFrame, by: number): DataFrame => d.withColumn('next', col('id').plus(by));
    expect((await spark.range(1).transform(addOne, 5).collect())[0]?.['next']).toBe(5);
    expect(await spark.range(0).isEmpty()).toBe(true);
    expect(await spark.range(1).isEmpty()).toBe(false);
  });
});
