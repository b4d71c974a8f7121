// Aggregation, windows, missing values and statistics against the real servers (Spark 3.5 and 4.0):
// groupBy/rollup/cube with agg and pivot, Window specs with over, na.fill/drop/replace, stat,
// describe and summary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession, Window, col, functions as F, type DataFrame, type Row } from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

const plain = (rows: Row[], ...keys: string[]): unknown[][] => rows.map((r) => keys.map((k) => r[k]));

describe.each(SERVERS)('DataFrame aggregation and statistics on $label', (server) => {
  let spark: SparkSession;
  let sales: DataFrame;

  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
    sales = spark.sql(
      `SELECT * FROM VALUES ('uk', 'books', 10), ('uk', 'music', 5), ('us', 'books', 7), ('us', 'books', 3), ('fi', 'music', 1)
       AS t(country, kind, amount)`,
    );
  });
  afterAll(() => spark?.stop());

  it('groupBy with agg (Columns and the dict form), count and the shorthand aggregates', async () => {
    const byCountry = await sales.groupBy('country').agg(F.sum('amount').alias('total'), F.count('*').alias('n')).orderBy('country').collect();
    expect(plain(byCountry, 'country', 'total', 'n')).toEqual([
      ['fi', 1, 1],
      ['uk', 15, 2],
      ['us', 10, 2],
    ]);
    const dict = await sales.groupBy('country').agg({ amount: 'max' }).orderBy('country').collect();
    expect(plain(dict, 'max(amount)')).toEqual([[1], [10], [7]]);
    expect(plain(await sales.groupBy('kind').count().orderBy('kind').collect(), 'kind', 'count')).toEqual([
      ['books', 3],
      ['music', 2],
    ]);
    expect(plain(await sales.groupBy('kind').avg('amount').orderBy('kind').collect(), 'avg(amount)')).toEqual([[20 / 3], [3]]);
    expect(() => sales.groupBy('kind').sum()).toThrow(/needs the columns/);
  });

  it('rollup and cube add the subtotal and total rows', async () => {
    const rollup = await sales.rollup('country', 'kind').agg(F.sum('amount').alias('t')).collect();
    // 4 (country, kind) groups + 3 country subtotals + 1 grand total.
    expect(rollup).toHaveLength(8);
    expect(rollup.find((r) => r['country'] === null && r['kind'] === null)?.['t']).toBe(26);
    const cube = await sales.cube('country', 'kind').agg(F.sum('amount').alias('t')).collect();
    // rollup's 8 + one subtotal per kind.
    expect(cube).toHaveLength(10);
    expect(cube.find((r) => r['country'] === null && r['kind'] === 'books')?.['t']).toBe(20);
  });

  it('pivot with and without the values listed', async () => {
    const listed = await sales.groupBy('country').pivot('kind', ['books', 'music']).agg(F.sum('amount')).orderBy('country').collect();
    expect(plain(listed, 'country', 'books', 'music')).toEqual([
      ['fi', null, 1],
      ['uk', 10, 5],
      ['us', 10, null],
    ]);
    const found = await sales.groupBy('kind').pivot('country').sum('amount').orderBy('kind').columns();
    expect(found).toEqual(['kind', 'fi', 'uk', 'us']);
    expect(() => sales.rollup('country').pivot('kind')).toThrow(/groupBy/);
  });

  it('Window specs: partitioned ranking, running totals (rows frame), range frames, lag', async () => {
    const w = Window.partitionBy('country').orderBy(col('amount').desc());
    const ranked = await sales.select('country', 'amount', F.row_number().over(w).alias('rn'), F.rank().over(w).alias('rk')).orderBy('country', 'rn').collect();
    expect(plain(ranked, 'country', 'amount', 'rn')).toEqual([
      ['fi', 1, 1],
      ['uk', 10, 1],
      ['uk', 5, 2],
      ['us', 7, 1],
      ['us', 3, 2],
    ]);
    const running = Window.orderBy('amount').rowsBetween(Window.unboundedPreceding, Window.currentRow);
    const totals = await sales.select('amount', F.sum('amount').over(running).alias('run')).orderBy('amount').collect();
    expect(plain(totals, 'run')).toEqual([[1], [4], [9], [16], [26]]);
    const near = Window.orderBy('amount').rangeBetween(-2, 2);
    const neighbours = await sales.select('amount', F.count('*').over(near).alias('n')).orderBy('amount').collect();
    // amounts 1, 3, 5, 7, 10: within ±2 of each.
    expect(plain(neighbours, 'amount', 'n')).toEqual([
      [1, 2],
      [3, 3],
      [5, 3],
      [7, 2],
      [10, 1],
    ]);
    const lagged = await sales
      .select('amount', F.lag('amount', 1, -1).over(Window.orderBy('amount')).alias('prev'))
      .orderBy('amount')
      .collect();
    expect(plain(lagged, 'prev')).toEqual([[-1], [1], [3], [5], [7]]);
  });

  it('na.fill, na.drop and na.replace (and their DataFrame shorthands)', async () => {
    const gaps = spark.sql("SELECT * FROM VALUES (1, 'a', 1.5D), (2, NULL, NULL), (NULL, NULL, NULL) AS t(i, s, d)");
    expect(plain(await gaps.na.fill(0).orderBy('d').collect(), 'i', 'd')).toEqual([
      [2, 0],
      [0, 0],
      [1, 1.5],
    ]);
    const filled = await gaps.fillna({ s: 'none', i: -1 }).orderBy(col('i').desc()).collect();
    expect(plain(filled, 'i', 's')).toEqual([
      [2, 'none'],
      [1, 'a'],
      [-1, 'none'],
    ]);
    expect(await gaps.na.fill('x', ['s']).where("s = 'x'").count()).toBe(2);
    expect(await gaps.na.drop().count()).toBe(1);
    expect(await gaps.dropna('all').count()).toBe(2);
    expect(await gaps.na.drop('any', 1).count()).toBe(2);
    expect(await gaps.na.drop('any', undefined, ['i']).count()).toBe(2);
    expect(plain(await gaps.na.replace('a', 'A').where('i = 1').collect(), 's')).toEqual([['A']]);
    expect(plain(await gaps.replace([1, 2], [10, 20], 'i').orderBy('i').collect(), 'i')).toEqual([[null], [10], [20]]);
  });

  it('stat: approxQuantile, corr, cov, crosstab, freqItems, sampleBy', async () => {
    const nums = spark.range(1, 101).withColumn('twice', col('id').multiply(2)).withColumn('neg', col('id').negate());
    expect(await nums.stat.approxQuantile('id', [0, 0.5, 1], 0)).toEqual([1, 50, 100]);
    const both = await nums.stat.approxQuantile(['id', 'twice'], [0.5], 0);
    expect(both).toEqual([[50], [100]]);
    expect(await nums.stat.corr('id', 'twice')).toBeCloseTo(1, 10);
    expect(await nums.stat.corr('id', 'neg')).toBeCloseTo(-1, 10);
    expect(await nums.stat.cov('id', 'twice')).toBeCloseTo((2 * (101 * 100)) / 12, 6);
    const ct = await sales.stat.crosstab('country', 'kind').orderBy('country_kind').collect();
    expect(plain(ct, 'country_kind', 'books', 'music')).toEqual([
      ['fi', 0, 1],
      ['uk', 1, 1],
      ['us', 2, 0],
    ]);
    const [freq] = await sales.stat.freqItems(['kind'], 0.5).collect();
    expect(freq?.['kind_freqItems']).toEqual(expect.arrayContaining(['books']));
    const strata = spark.range(0, 1000).withColumn('k', col('id').mod(2));
    const sampled = await strata.stat
      .sampleBy(
        'k',
        new Map([
          [0, 1.0],
          [1, 0.0],
        ]),
        3,
      )
      .groupBy('k')
      .count()
      .collect();
    expect(plain(sampled, 'k', 'count')).toEqual([[0, 500]]);
  });

  it('describe and summary', async () => {
    const d = await sales.describe('amount').collect();
    expect(plain(d, 'summary')).toEqual([['count'], ['mean'], ['stddev'], ['min'], ['max']]);
    expect(d.find((r) => r['summary'] === 'mean')?.['amount']).toBe('5.2');
    const s = await sales.summary('count', 'min', '50%', 'max').collect();
    expect(plain(s, 'summary', 'amount')).toEqual([
      ['count', '5'],
      ['min', '1'],
      ['50%', '5'],
      ['max', '10'],
    ]);
    expect(await sales.describe().columns()).toEqual(['summary', 'country', 'kind', 'amount']);
  });
});
