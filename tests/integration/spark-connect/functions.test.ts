// Every function of the server's registry has a wrapper (generated from PySpark's functions modules,
// or hand-written), on Spark 3.5 and 4.0; and the wrappers send what PySpark sends: each sampled one is
// evaluated next to the same call written in SQL, and the two results must be equal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession, expr, functions as F, type Column } from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

const wrappers = F as unknown as Record<string, unknown>;
const GENERATED = F.GENERATED;

/** Registry names that are not functions a client calls by name, each with what stands for it. */
const NOT_WRAPPED: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ['!', '!=', '%', '&', '*', '+', '-', '/', '<', '<<', '<=', '<=>', '<>', '=', '==', '>', '>=', '>>', '>>>', '^', '|', '||', '~'].map((op) => [
      op,
      'an operator: Column methods (plus, eq, eqNullSafe, ...) or expr()',
    ]),
  ),
  and: 'a keyword: Column.and',
  or: 'a keyword: Column.or',
  not: 'a keyword: Column.not',
  in: 'a keyword: Column.isin',
  between: 'a keyword: Column.between',
  case: 'a keyword: when().otherwise()',
  ...Object.fromEntries(
    ['cast', 'bigint', 'binary', 'boolean', 'date', 'decimal', 'double', 'float', 'int', 'smallint', 'string', 'timestamp', 'tinyint'].map((t) => [
      t,
      'a cast: Column.cast',
    ]),
  ),
  map: "create_map (PySpark's name)",
  range: 'a table-valued function: spark.range()',
  sql_keywords: 'a table-valued function: spark.sql()',
  collations: 'a table-valued function (Spark 4.0): spark.sql()',
  variant_explode: 'a table-valued function (Spark 4.0): spark.sql()',
  variant_explode_outer: 'a table-valued function (Spark 4.0): spark.sql()',
  percentile_cont: 'an ordered-set aggregate (Spark 4.0): needs WITHIN GROUP (ORDER BY ...), use expr()',
  percentile_disc: 'an ordered-set aggregate (Spark 4.0): needs WITHIN GROUP (ORDER BY ...), use expr()',
};

function isWrapped(name: string, servedByGenerated: ReadonlySet<string>): boolean {
  return typeof wrappers[name] === 'function' || servedByGenerated.has(name);
}

/** [wrapper call, the same call in SQL] over one row: (s 'Hello, World', n -7.25, d DATE'2024-02-29', a [3,1,2]). */
const SAMPLES: readonly [string, Column, string][] = [
  ['date_format', F.date_format('d', 'yyyy/MM/dd'), "date_format(d, 'yyyy/MM/dd')"],
  ['substring_index', F.substring_index('s', ',', 1), "substring_index(s, ',', 1)"],
  ['lpad', F.lpad('s', 15, '*'), "lpad(s, 15, '*')"],
  ['round', F.round('n', 1), 'round(n, 1)'],
  ['bround', F.bround('n'), 'bround(n, 0)'],
  ['split', F.split('s', ', ', 1), "split(s, ', ', 1)"],
  ['regexp_extract', F.regexp_extract('s', '(\\w+), (\\w+)', 2), "regexp_extract(s, '(\\\\w+), (\\\\w+)', 2)"],
  ['translate', F.translate('s', 'lo', '01'), "translate(s, 'lo', '01')"],
  ['conv', F.conv(F.lit('ff'), 16, 10), "conv('ff', 16, 10)"],
  ['format_number', F.format_number('n', 3), 'format_number(n, 3)'],
  ['pow', F.pow('n', 2), 'pow(n, 2)'],
  ['atan2', F.atan2(1, 'n'), 'atan2(1, n)'],
  ['date_add', F.date_add('d', 1), 'date_add(d, 1)'],
  ['months_between', F.months_between(F.lit('2024-05-31'), 'd'), "months_between('2024-05-31', d, true)"],
  ['make_date', F.make_date(F.lit(2024), F.lit(2), F.lit(29)), 'make_date(2024, 2, 29)'],
  ['greatest', F.greatest('n', F.lit(-1), F.lit(0.5)), 'greatest(n, -1, 0.5)'],
  ['array_join', F.array_join('a', '-'), "array_join(a, '-')"],
  ['sort_array', F.sort_array('a', false), 'sort_array(a, false)'],
  ['array_contains', F.array_contains('a', 2), 'array_contains(a, 2)'],
  ['element_at', F.element_at('a', -1), 'element_at(a, -1)'],
  ['slice', F.slice('a', 2, 2), 'slice(a, 2, 2)'],
  ['sha2', F.sha2('s', 256), 'sha2(s, 256)'],
  ['concat', F.concat('s', F.lit('!')), "concat(s, '!')"],
  ['nvl', F.nvl(F.lit(null), 's'), 'nvl(NULL, s)'],
  ['to_date', F.to_date(F.lit('29.02.2024'), 'dd.MM.yyyy'), "to_date('29.02.2024', 'dd.MM.yyyy')"],
  ['from_unixtime', F.from_unixtime(F.lit(0), 'yyyy-MM-dd'), "from_unixtime(0, 'yyyy-MM-dd')"],
  ['log (base)', F.log(2, F.lit(8)), 'log(2, 8)'],
  ['log (natural)', F.log(F.lit(1)), 'ln(1)'],
  ['transform', F.transform('a', (x) => x.multiply(10)), 'transform(a, x -> x * 10)'],
  ['transform (index)', F.transform('a', (x, i) => x.plus(i)), 'transform(a, (x, i) -> x + i)'],
  ['filter', F.filter('a', (x) => x.gt(1)), 'filter(a, x -> x > 1)'],
  ['exists', F.exists('a', (x) => x.eq(3)), 'exists(a, x -> x = 3)'],
  ['aggregate', F.aggregate('a', F.lit(0), (acc, x) => acc.plus(x)), 'aggregate(a, 0, (acc, x) -> acc + x)'],
  ['array_sort (comparator)', F.array_sort('a', (l, r) => r.minus(l)), 'array_sort(a, (l, r) -> r - l)'],
  ['zip_with', F.zip_with('a', 'a', (x, y) => x.multiply(y)), 'zip_with(a, a, (x, y) -> x * y)'],
  ['mod', F.mod('n', 2), 'mod(n, 2)'],
  ['if', (F as unknown as { if: (c: Column, a: unknown, b: unknown) => Column }).if(expr('n < 0'), 'neg', 'pos'), "if(n < 0, 'neg', 'pos')"],
];

describe.each(SERVERS)('functions on $label', (server) => {
  let spark: SparkSession;
  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
  });
  afterAll(() => spark?.stop());

  it("has a wrapper for every function of the server's registry", async () => {
    const registry = (await spark.sql('SHOW FUNCTIONS').collect()).map((r) => String(r['function']));
    const served = new Set(Object.values(GENERATED));
    const missing = registry.filter((n) => !isWrapped(n, served) && !(n in NOT_WRAPPED));
    const wrapped = registry.filter((n) => isWrapped(n, served));
    console.log(
      `[functions] ${server.label}: registry ${registry.length} functions; wrapped ${wrapped.length}; ` +
        `not wrapped by design ${registry.length - wrapped.length - missing.length} (operators, keywords, casts, table-valued); ` +
        `generated wrappers ${Object.keys(GENERATED).length}`,
    );
    expect(missing).toEqual([]);
    // A real registry, not an empty answer that would make the check above vacuous.
    expect(registry.length).toBeGreaterThan(400);
  });

  it('sends what the same call in SQL sends (sampled wrappers, generated and hand-written)', async () => {
    const base = spark.sql("SELECT 'Hello, World' AS s, -7.25D AS n, DATE'2024-02-29' AS d, array(3, 1, 2) AS a");
    const cols = SAMPLES.flatMap(([, c, sql], i) => [c.alias(`w${i}`), expr(sql).alias(`s${i}`)]);
    const [row] = await base.select(...cols).collect();
    const mismatches = SAMPLES.flatMap(([name], i) => {
      const w = row?.[`w${i}`];
      const s = row?.[`s${i}`];
      return JSON.stringify(w, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ===
        JSON.stringify(s, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
        ? []
        : [`${name}: wrapper ${String(w)} vs SQL ${String(s)}`];
    });
    expect(mismatches).toEqual([]);
    // Not vacuous: the results are real values.
    expect(row?.['w0']).toBe('2024/02/29');
  });

  it('what differs between 3.5 and 4.0: functions new in 4.0, ANSI mode (as the README says)', async () => {
    // Each action runs when awaited: a rejection never waits unhandled for its expect.
    const randstr = () =>
      spark
        .range(1)
        .select(F.randstr(F.lit(5), F.lit(1)).alias('r'))
        .collect();
    const divide = () => spark.sql('SELECT 1/0 AS x').collect();
    if (server.version === '3.5') {
      await expect(randstr()).rejects.toMatchObject({ errorClass: 'UNRESOLVED_ROUTINE' });
      expect(await divide()).toEqual([expect.objectContaining({ x: null })]);
    } else {
      expect(String((await randstr())[0]?.['r'])).toHaveLength(5);
      await expect(divide()).rejects.toMatchObject({ errorClass: 'DIVIDE_BY_ZERO' });
    }
  });

  it('distinct aggregates and sort-order functions', async () => {
    const df = spark.sql('SELECT * FROM VALUES (1), (1), (2), (NULL) AS t(x)');
    const [r] = await df.agg(F.count_distinct('x').alias('c'), F.sum_distinct('x').alias('s'), F.mean('x').alias('m')).collect();
    expect(r).toMatchObject({ c: 2, s: 3 });
    expect(Number(r?.['m'])).toBeCloseTo(4 / 3, 6);
    const sorted = await df.orderBy(F.desc_nulls_first('x')).collect();
    expect(sorted.map((x) => x['x'])).toEqual([null, 2, 1, 1]);
  });
});

describe('a registry exception is a real registry name', () => {
  it('every NOT_WRAPPED name is in a registry (checked on 3.5 and 4.0)', async () => {
    const names = new Set<string>();
    for (const server of SERVERS) {
      const spark = SparkSession.builder()
        .remote(await server.remote())
        .create();
      try {
        for (const r of await spark.sql('SHOW FUNCTIONS').collect()) names.add(String(r['function']));
      } finally {
        spark.stop();
      }
    }
    expect(Object.keys(NOT_WRAPPED).filter((n) => !names.has(n))).toEqual([]);
  });
});
