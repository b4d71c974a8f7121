// The rest of PySpark's DataFrame API against the real servers (Spark 3.5 and 4.0): observe and
// Observation, groupingSets, checkpoint/localCheckpoint, transpose, metadataColumn, tryCast (the last
// five need 4.0: on 3.5 the client refuses them with UnsupportedServerVersionError before sending),
// withMetadata, colRegex, to(schema), isLocal, isCached, the stat shorthands, Column's sort orders,
// bitwise operators, ilike, isNaN, withField/dropFields, the readers' and writers' format shorthands,
// and session tags.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntegerType,
  LongType,
  Observation,
  SparkSession,
  StorageLevel,
  StringType,
  StructType,
  UnsupportedServerVersionError,
  col,
  count,
  functions as F,
  lit,
  max,
  type DataFrame,
} from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

describe.each(SERVERS)('DataFrame breadth on $label', (server) => {
  let spark: SparkSession;
  let people: DataFrame;
  const is40 = server.version === '4.0';
  const dirs: string[] = [];
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'streamline-breadth-'));
    dirs.push(d);
    return d;
  };
  const schema = new StructType().add('name', StringType()).add('dept', StringType()).add('age', IntegerType());

  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
    people = spark.createDataFrame(
      [
        { name: 'ada', dept: 'eng', age: 36 },
        { name: 'grace', dept: 'eng', age: 45 },
        { name: 'alan', dept: 'math', age: 41 },
        { name: 'emmy', dept: null, age: null },
      ],
      schema,
    );
  });
  afterAll(() => {
    spark?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** A 4.0-only method: works on 4.0; on 3.5 the typed error, naming the method and both versions. */
  async function needs40<T>(feature: string, run: () => Promise<T>, check: (v: T) => void): Promise<void> {
    if (is40) {
      check(await run());
      return;
    }
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedServerVersionError);
    const e = err as UnsupportedServerVersionError;
    expect(e).toMatchObject({ feature, requiredVersion: '4.0' });
    expect(e.serverVersion).toMatch(/^3\.5\./);
    expect(e.message).toBe(`${feature} needs a Spark 4.0 or later Connect server; this one runs Spark ${e.serverVersion}.`);
  }

  it('observe(Observation): metrics of the action, by alias; an unaliased one named by the server (4.0) or by position (3.5)', async () => {
    const obs = new Observation('people_metrics');
    expect(() => obs.get).toThrow(/observe/);
    const observed = people.observe(obs, count(lit(1)).alias('rows'), max(col('age')).alias('oldest'), F.sum(col('age')));
    expect(obs.get).toEqual({});
    const rows = await observed.filter(col('age').isNotNull()).collect();
    expect(rows).toHaveLength(3);
    // The metrics are taken where observe() sits in the plan: before the filter, every row.
    const unaliased = is40 ? 'sum(age)' : 'observed_metric_2';
    expect(obs.get).toEqual({ rows: 4, oldest: 45, [unaliased]: 122 });
    expect(() => people.observe(obs, count(lit(1)))).toThrow(/one DataFrame/);
    expect(() => people.observe('x')).toThrow(/at least one metric/);

    // Any action over the observed plan delivers them: count() too, and an Observation without a name.
    const second = new Observation();
    expect(
      await spark
        .range(7)
        .observe(second, F.sum(col('id')).alias('total'))
        .count(),
    ).toBe(7);
    expect(second.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.get).toEqual({ total: 21 });
  });

  it('groupingSets(sets, ...cols).agg() (Spark 4.0)', async () => {
    await needs40(
      'groupingSets()',
      () =>
        people
          .filter(col('dept').isNotNull())
          .groupingSets([['dept', 'name'], ['dept'], []], 'dept', 'name')
          .agg(F.sum(col('age')).alias('age'))
          .orderBy(col('dept').ascNullsFirst(), col('name').ascNullsFirst())
          .collect(),
      (rows) =>
        expect(rows.map((r) => [r['dept'], r['name'], r['age']])).toEqual([
          [null, null, 122],
          ['eng', null, 81],
          ['eng', 'ada', 36],
          ['eng', 'grace', 45],
          ['math', null, 41],
          ['math', 'alan', 41],
        ]),
    );
  });

  it('checkpoint() and localCheckpoint(): the data saved, the lineage cut (Spark 4.0)', async () => {
    const filtered = people.filter(col('age').gt(40));
    await needs40(
      'checkpoint()',
      () => filtered.checkpoint(),
      () => undefined,
    );
    if (is40) {
      const saved = await filtered.checkpoint();
      expect(saved.relation.relType.case).toBe('cachedRemoteRelation');
      expect((await saved.orderBy('name').collect()).map((r) => r['name'])).toEqual(['alan', 'grace']);
      // The plan reads the checkpointed RDD: the filter is gone from it.
      const plan = await saved.explain('extended');
      expect(plan).not.toMatch(/Filter/);
      expect(plan).toMatch(/ExistingRDD|LogicalRDD/);
      // DataFrames built on a checkpoint work like any other.
      expect(await saved.filter(col('dept').eq('eng')).count()).toBe(1);
    }
    await needs40(
      'localCheckpoint()',
      () => filtered.localCheckpoint(true, StorageLevel.MEMORY_ONLY),
      () => undefined,
    );
    if (is40) {
      const local = await filtered.localCheckpoint(false);
      expect(await local.count()).toBe(2);
      expect(await local.explain()).not.toMatch(/Filter/);
    }
  });

  it('transpose(indexColumn) (Spark 4.0)', async () => {
    const scores = spark.createDataFrame(
      [
        { k: 'x', a: 1, b: 2 },
        { k: 'y', a: 3, b: 4 },
      ],
      new StructType().add('k', StringType()).add('a', IntegerType()).add('b', IntegerType()),
    );
    await needs40(
      'transpose()',
      () => scores.transpose('k').collect(),
      (rows) => {
        expect(rows.map((r) => r.asDict())).toEqual([
          { key: 'a', x: 1, y: 3 },
          { key: 'b', x: 2, y: 4 },
        ]);
      },
    );
  });

  it('metadataColumn(): the file source _metadata even where a data column has that name (Spark 4.0)', async () => {
    const dir = join(tmp(), 'shadow');
    await spark.range(2).select(col('id'), lit('data').alias('_metadata')).write.parquet(dir);
    const df = spark.read.parquet(dir);
    expect((await df.select(col('_metadata')).collect()).map((r) => r['_metadata'])).toEqual(['data', 'data']);
    await needs40(
      'metadataColumn()',
      () => df.select(df.metadataColumn('_metadata').getField('file_name').alias('f')).collect(),
      (rows) => {
        expect(rows).toHaveLength(2);
        for (const r of rows) expect(r['f']).toMatch(/\.parquet$/);
      },
    );
  });

  it('Column.tryCast(): NULL where cast() fails, whatever the ANSI mode (Spark 4.0)', async () => {
    const s = spark.sql("SELECT 'x' AS s, '12' AS n");
    await needs40(
      'Column.tryCast()',
      () => s.select(col('s').tryCast('int').alias('bad'), col('n').tryCast(IntegerType()).alias('good')).collect(),
      (rows) => expect(rows.map((r) => r.asDict())).toEqual([{ bad: null, good: 12 }]),
    );
  });

  it('withMetadata, colRegex, to(schema), isLocal, isCached, registerTempTable, sparkSession, printSchema(level)', async () => {
    const meta = await people.withMetadata('age', { comment: 'years', max: 150 }).schema();
    expect(meta.fields.find((f) => f.name === 'age')?.metadata).toEqual({ comment: 'years', max: 150 });
    expect(meta.fields.find((f) => f.name === 'name')?.metadata).toEqual({});

    expect(await people.select(people.colRegex('`(name|age)`')).columns()).toEqual(['name', 'age']);

    const reshaped = people.to(new StructType().add('age', LongType()).add('name', StringType()));
    expect((await reshaped.schema()).simpleString()).toBe('struct<age:bigint,name:string>');
    expect((await reshaped.orderBy('name').first())?.asDict()).toEqual({ age: 36, name: 'ada' });

    expect(await people.isLocal()).toBe(true);
    expect(await spark.range(10).filter('id > 2').isLocal()).toBe(false);

    const cached = spark.range(5).withColumn('x', col('id').multiply(2));
    expect(await cached.isCached()).toBe(false);
    await cached.persist(StorageLevel.MEMORY_ONLY);
    try {
      expect(await cached.isCached()).toBe(true);
    } finally {
      await cached.unpersist(true);
    }
    expect(await cached.isCached()).toBe(false);

    const view = `breadth_view_${process.pid}_${server.version.replace('.', '')}`;
    await people.registerTempTable(view);
    expect(await spark.table(view).count()).toBe(4);
    expect(people.sparkSession).toBe(spark);

    const nested = spark.sql("SELECT named_struct('a', named_struct('b', 1)) AS s");
    expect(await nested.printSchema()).toContain('|-- b: integer');
    const top = await nested.printSchema(1);
    expect(top).toContain('|-- s: struct');
    expect(top).not.toContain('|-- a:');
  });

  it('the statistics shorthands on DataFrame (as df.stat)', async () => {
    const adults = people.filter(col('age').isNotNull());
    const withRank = adults.withColumn('rank', F.length(col('name')));
    expect(await withRank.corr('age', 'rank')).toBeCloseTo(await withRank.stat.corr('age', 'rank'), 12);
    expect(await withRank.cov('age', 'rank')).toBeCloseTo(await withRank.stat.cov('age', 'rank'), 12);
    expect(await adults.approxQuantile('age', [0, 1], 0)).toEqual([36, 45]);
    expect(await adults.approxQuantile(['age'], [0.5], 0)).toEqual([[41]]);
    const ct = await adults.crosstab('dept', 'name').orderBy('dept_name').collect();
    expect(ct.map((r) => [r['dept_name'], r['ada'], r['alan']])).toEqual([
      ['eng', 1, 0],
      ['math', 0, 1],
    ]);
    const [fi] = await adults.freqItems(['dept'], 0.6).collect();
    expect(fi?.['dept_freqItems']).toEqual(['eng']);
    expect(await adults.sampleBy('dept', { eng: 1, math: 0 }, 7).count()).toBe(2);
  });

  it('Column: null orderings, bitwise operators, ilike, isNaN, withField and dropFields', async () => {
    const byAge = async (c: ReturnType<typeof col>) => (await people.orderBy(c).collect()).map((r) => r['name']);
    expect(await byAge(col('age').ascNullsFirst())).toEqual(['emmy', 'ada', 'alan', 'grace']);
    expect(await byAge(col('age').ascNullsLast())).toEqual(['ada', 'alan', 'grace', 'emmy']);
    expect(await byAge(col('age').descNullsFirst())).toEqual(['emmy', 'grace', 'alan', 'ada']);
    expect(await byAge(col('age').descNullsLast())).toEqual(['grace', 'alan', 'ada', 'emmy']);

    const [row] = await spark
      .sql("SELECT 12 AS a, 'ABC' AS s, double('NaN') AS d, 1.5D AS e, named_struct('x', 1, 'y', named_struct('p', 2, 'q', 3)) AS st")
      .select(
        col('a').bitwiseAND(10).alias('and'),
        col('a').bitwiseOR(3).alias('or'),
        col('a').bitwiseXOR(5).alias('xor'),
        col('s').ilike('ab%').alias('ilike'),
        col('s').like('ab%').alias('like'),
        col('d').isNaN().alias('nan'),
        col('e').isNaN().alias('notNan'),
        col('st').withField('z', lit(9)).withField('y.r', lit(4)).dropFields('x', 'y.p').alias('st'),
      )
      .collect();
    expect(row?.asDict()).toMatchObject({ and: 8, or: 15, xor: 9, ilike: true, like: false, nan: true, notNan: false });
    const st = row?.['st'] as { asDict(recursive?: boolean): Record<string, unknown> };
    expect(st.asDict(true)).toEqual({ y: { q: 3, r: 4 }, z: 9 });
  });

  it('readers and writers: csv, json, parquet, orc and text shorthands with options', async () => {
    const base = tmp();
    const adults = people.filter(col('age').isNotNull()).orderBy('name');
    const expected = [
      ['ada', 'eng', 36],
      ['alan', 'math', 41],
      ['grace', 'eng', 45],
    ];
    const asRows = async (df: DataFrame) => (await df.orderBy('name').collect()).map((r) => [r['name'], r['dept'], Number(r['age'])]);

    await adults.write.csv(join(base, 'csv'), { header: true, sep: ';' });
    expect(await asRows(spark.read.schema(schema).csv(join(base, 'csv'), { header: true, sep: ';' }))).toEqual(expected);
    await adults.write.mode('overwrite').json(join(base, 'json'));
    expect(await asRows(spark.read.json(join(base, 'json')))).toEqual(expected);
    await adults.write.parquet(join(base, 'parquet'));
    expect(await asRows(spark.read.parquet([join(base, 'parquet')]))).toEqual(expected);
    await adults.write.orc(join(base, 'orc'), { compression: 'zlib' });
    expect(await asRows(spark.read.orc(join(base, 'orc')))).toEqual(expected);
    expect(readdirSync(join(base, 'orc')).some((f) => f.endsWith('.zlib.orc'))).toBe(true);
    await adults.select(col('name')).write.text(join(base, 'text'));
    const lines = await spark.read.text(join(base, 'text')).orderBy('value').collect();
    expect(lines.map((r) => r['value'])).toEqual(['ada', 'alan', 'grace']);
    const whole = await spark.read.text(join(base, 'text'), { wholetext: true }).collect();
    expect(whole.length).toBeLessThan(3);
    expect(existsSync(join(base, 'csv', '_SUCCESS'))).toBe(true);

    // The streaming reader has the same shorthands.
    const q = await spark.readStream
      .schema(schema)
      .csv(join(base, 'csv'), { header: true, sep: ';' })
      .writeStream.format('memory')
      .queryName(`breadth_csv_${process.pid}_${server.version.replace('.', '')}`)
      .trigger({ availableNow: true })
      .start();
    expect(await q.awaitTermination(90_000)).toBe(true);
    expect(await spark.sql(`SELECT count(*) AS n FROM breadth_csv_${process.pid}_${server.version.replace('.', '')}`).collect()).toEqual([
      expect.objectContaining({ n: 3 }),
    ]);
  });

  it('session tags: addTag tags every operation, interruptTag cancels them, removeTag/clearTags stop it', async () => {
    expect(() => spark.addTag('a,b')).toThrow(RangeError);
    expect(() => spark.addTag('')).toThrow(RangeError);
    const tag = `breadth-${process.pid}`;
    spark.addTag(tag);
    spark.addTag('other');
    expect(spark.getTags()).toEqual(new Set([tag, 'other']));
    spark.removeTag('other');
    expect(spark.getTags()).toEqual(new Set([tag]));
    try {
      // A task that sleeps on the executor: it only ends early if the interrupt reaches it.
      const started = Date.now();
      const running = spark
        .sql("SELECT reflect('java.lang.Thread', 'sleep', 60000L)")
        .collect()
        .catch((e: unknown) => e);
      let interrupted: string[] = [];
      while (interrupted.length === 0 && Date.now() - started < 30_000) {
        interrupted = await spark.interruptTag(tag);
        if (interrupted.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(interrupted.length).toBeGreaterThanOrEqual(1);
      expect(await running).toBeInstanceOf(Error);
      expect(Date.now() - started).toBeLessThan(50_000);
    } finally {
      spark.clearTags();
    }
    expect(spark.getTags().size).toBe(0);
    expect(await spark.interruptTag(tag)).toEqual([]);
    expect(await spark.range(3).count()).toBe(3);
  });
});
