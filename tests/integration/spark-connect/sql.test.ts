// SQL / DataFrame round trips and typed errors against the real Spark Connect servers (Spark 3.5 and 4.0).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AnalysisException,
  ParseException,
  SparkConnectUnavailableError,
  SparkSession,
  ArrayType,
  DoubleType,
  LongType,
  StringType,
  StructType,
  TimestampType,
  col,
  lit,
  struct,
  when,
} from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

describe.each(SERVERS)('Spark Connect SQL on $label', (server) => {
  let spark: SparkSession;
  let remote: string;
  beforeAll(async () => {
    remote = await server.remote();
    spark = SparkSession.builder().remote(remote).create();
  });
  afterAll(() => spark?.stop());

  it('reports the server version', async () => {
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.\\d+`));
  });

  it('round-trips typed values', async () => {
    const rows = await spark
      .sql(
        `SELECT 1 AS i, CAST(2 AS BIGINT) AS l, 9007199254740993L AS big, 1.5D AS d, 'héllo' AS s, true AS b,
                CAST(NULL AS STRING) AS n, TIMESTAMP'2024-01-02 03:04:05.123' AS ts, DATE'2024-01-02' AS dt,
                named_struct('a', 1, 'b', named_struct('c', 'z')) AS st, array(1, 2) AS arr,
                CAST(12.34 AS DECIMAL(10,2)) AS dec`,
      )
      .collect();
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r['i']).toBe(1);
    expect(r['l']).toBe(2);
    expect(r['big']).toBe(9007199254740993n); // beyond 2^53: bigint, no silent precision loss
    expect(r['d']).toBe(1.5);
    expect(r['s']).toBe('héllo');
    expect(r['b']).toBe(true);
    expect(r['n']).toBeNull();
    const tz = await spark.conf.get('spark.sql.session.timeZone');
    expect(r['ts']).toBeInstanceOf(Date);
    if (tz === 'UTC' || tz === 'Etc/UTC') expect((r['ts'] as Date).toISOString()).toBe('2024-01-02T03:04:05.123Z');
    expect(r['dt']).toBeInstanceOf(Date);
    expect(r['st']).toEqual({ a: 1, b: { c: 'z' } });
    expect(r['arr']).toEqual([1, 2]);
    expect(r['dec']).toBe('12.34');
  });

  it('builds DataFrames with the Column API and runs actions', async () => {
    const df = spark
      .range(0, 10)
      .withColumn('sq', col('id').multiply(col('id')))
      .filter(col('id').geq(5).and(col('sq').lt(64)))
      .withColumn('kind', when(col('id').eq(6), 'six').otherwise(lit(null)))
      .select(col('id'), col('sq'), col('kind'), struct(col('id').alias('x')).alias('s'))
      .withColumnRenamed('sq', 'square');
    expect(await df.collect({ longs: 'bigint' })).toEqual([
      { id: 5n, square: 25n, kind: null, s: { x: 5n } },
      { id: 6n, square: 36n, kind: 'six', s: { x: 6n } },
      { id: 7n, square: 49n, kind: null, s: { x: 7n } },
    ]);
    expect(await df.count()).toBe(3);
    const schema = await df.schema();
    expect(schema.fieldNames()).toEqual(['id', 'square', 'kind', 's']);
    expect(schema.toDDL()).toContain('`id` BIGINT NOT NULL');
    expect(await df.showString()).toContain('|  6|    36| six|');
    expect(await df.explain('extended')).toContain('== Physical Plan ==');
    expect(await spark.range(3).union(spark.range(2)).count()).toBe(5);
    expect(await spark.range(100).limit(7).count()).toBe(7);
    const a = spark.range(3);
    const b = spark.range(2).withColumnRenamed('id', 'k');
    expect(await a.join(b, a.col('id').eq(b.col('k'))).count()).toBe(2);
    expect(await a.join(spark.range(2), 'id', 'left_anti').collect()).toEqual([{ id: 2 }]);
  });

  it('createDataFrame sends local rows and gets them back typed', async () => {
    const schema = new StructType()
      .add('id', StringType(), false)
      .add('n', LongType())
      .add('at', TimestampType())
      .add('tags', ArrayType(StringType()))
      .add('geo', new StructType().add('lat', DoubleType()).add('lon', DoubleType()));
    const at = new Date('2024-05-06T07:08:09.010Z');
    const df = spark.createDataFrame(
      [
        { id: 'a', n: 1, at, tags: ['x', 'y'], geo: { lat: 1.5, lon: -2 } },
        { id: 'b', n: null, at: null, tags: null, geo: null },
      ],
      schema,
    );
    expect((await df.schema()).toDDL()).toBe(schema.toDDL());
    expect(await df.filter(col('n').isNull()).select('id').collect()).toEqual([{ id: 'b' }]);
    expect(await df.orderBy('id').collect()).toEqual([
      { id: 'a', n: 1, at, tags: ['x', 'y'], geo: { lat: 1.5, lon: -2 } },
      { id: 'b', n: null, at: null, tags: null, geo: null },
    ]);
  });

  it('writes and reads back a batch DataFrame (df.write / spark.read)', async () => {
    // The Connect server runs on this machine, so a local directory works as a path.
    const dir = join(mkdtempSync(join(tmpdir(), 'streamline-sc-')), 'out');
    try {
      await spark.range(5).withColumn('s', col('id').cast('string')).write.format('parquet').mode('overwrite').save(dir);
      const back = spark.read.format('parquet').load(dir);
      expect(await back.count()).toBe(5);
      expect((await back.orderBy('id').first())?.['s']).toBe('0');
    } finally {
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  });

  it('applies builder confs before the first action', async () => {
    const s = SparkSession.builder().remote(remote).config('spark.sql.shuffle.partitions', 7).create();
    try {
      expect(await s.conf.get('spark.sql.shuffle.partitions')).toBe('7');
    } finally {
      s.stop();
    }
  });

  it('reads and writes session confs', async () => {
    await spark.conf.set('spark.sql.shuffle.partitions', 3);
    expect(await spark.conf.get('spark.sql.shuffle.partitions')).toBe('3');
    expect(await spark.conf.get('streamline.unset.key', 'dflt')).toBe('dflt');
    const all = await spark.conf.getAll('spark.sql.shuffle');
    expect(all['spark.sql.shuffle.partitions']).toBe('3');
  });

  it('maps an unresolved column to AnalysisException with its error class', async () => {
    const err = await spark
      .range(1)
      .select(col('nope'))
      .collect()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalysisException);
    const e = err as AnalysisException;
    expect(e.errorClass).toBe('UNRESOLVED_COLUMN.WITH_SUGGESTION');
    expect(e.message).toContain('`nope`');
    expect(e.classes).toContain('org.apache.spark.sql.AnalysisException');
  });

  it('maps a missing table (at analysis) to TABLE_OR_VIEW_NOT_FOUND', async () => {
    const err = await spark
      .table('streamline_no_such_table')
      .schema()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalysisException);
    expect((err as AnalysisException).errorClass).toBe('TABLE_OR_VIEW_NOT_FOUND');
  });

  it('maps a syntax error to ParseException', async () => {
    const err = await spark
      .sql('SELEC 1')
      .collect()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseException);
    expect((err as ParseException).errorClass).toBe('PARSE_SYNTAX_ERROR');
  });

  it('interrupts a running operation by tag', async () => {
    // A task that sleeps on the executor: cheap, and only ends early if the interrupt works.
    const slow = spark.sql("SELECT reflect('java.lang.Thread', 'sleep', 60000L)");
    const started = Date.now();
    const running = (async () => {
      for await (const _ of spark.client.execute(slow.plan(), { tags: ['streamline-slow'] })) {
        // drain
      }
    })().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 2000));
    const ids = await spark.interruptTag('streamline-slow');
    expect(ids.length).toBeGreaterThanOrEqual(1);
    const err = await running;
    expect(err).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(50_000);
  });

  it('reports an unreachable server as SparkConnectUnavailableError', async () => {
    const dead = SparkSession.builder().remote('sc://127.0.0.1:1').create();
    try {
      const err = await dead.version().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SparkConnectUnavailableError);
      expect((err as Error).message).toContain('127.0.0.1:1');
      expect((err as Error).message).toContain('Spark Connect server');
    } finally {
      dead.stop();
    }
  });
});
