// Structured Streaming against the real Spark Connect servers (Spark 3.5 and 4.0): start, progress,
// find from a second session object (same session id), stop, awaitTermination timeouts, failures,
// from_json. Only sources and sinks every Spark ships (rate, text files, memory, noop): the 4.0 server
// has no Kafka connector.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DoubleType,
  SparkSession,
  StreamingQueryException,
  StringType,
  StructType,
  TimestampType,
  col,
  count,
  from_json,
  lit,
  max,
  raise_error,
  when,
  window,
  type StreamingQuery,
  type StreamingQueryProgress,
} from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

async function until<T>(what: string, timeoutMs: number, f: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.each(SERVERS)('Structured Streaming on $label', (server) => {
  let spark: SparkSession;
  let remote: string;
  const started: StreamingQuery[] = [];
  const suffix = `${server.version.replace('.', '')}_${Math.random().toString(36).slice(2, 8)}`;
  const dirs: string[] = [];

  beforeAll(async () => {
    remote = await server.remote();
    spark = SparkSession.builder().remote(remote).create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
  });
  afterAll(async () => {
    // Never leave a query running on the shared server.
    for (const q of started) await q.stop().catch(() => undefined);
    spark?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('rate -> memory: progress, found and stopped from a second session object', async () => {
    const name = `rate_to_memory_${suffix}`;
    const q = await spark.readStream
      .format('rate')
      .option('rowsPerSecond', 5)
      .load()
      .withColumn('even', col('value').mod(2).eq(0))
      .writeStream.format('memory')
      .queryName(name)
      .outputMode('append')
      .trigger({ processingTime: '1 second' })
      .start();
    started.push(q);
    expect(q.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(q.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(q.name).toBe(name);
    expect(await q.isActive()).toBe(true);

    const p: StreamingQueryProgress = await until('a batch with rows', 60_000, async () => {
      const last = await q.lastProgress();
      return last && last.numInputRows > 0 ? last : undefined;
    });
    expect(p.id).toBe(q.id);
    expect(p.runId).toBe(q.runId);
    expect(typeof p.batchId).toBe('number');
    expect(p.durationMs.triggerExecution).toBeGreaterThanOrEqual(0);
    expect(p.sources).toHaveLength(1);
    expect(p.sources[0]!.description).toContain('RateStream');
    expect(typeof p.sources[0]!.endOffset).toBe('number');
    expect(p.sink.description).toContain('MemorySink');
    expect((await q.recentProgress()).length).toBeGreaterThanOrEqual(1);
    expect(await q.explain()).toContain('Physical Plan');

    // A second client (think: a later CLI process) joins the same server-side session by id.
    const later = SparkSession.builder().remote(remote).sessionId(spark.sessionId).create();
    try {
      const active = await later.streams.active();
      const found = active.find((a) => a.id === q.id);
      expect(found?.name).toBe(name);
      expect((await later.streams.get(q.id))?.runId).toBe(q.runId);
      const rows = await later.sql(`SELECT count(*) AS n, max(value) AS m FROM ${name}`).collect();
      expect(rows[0]!['n'] as number).toBeGreaterThan(0);
      await found!.stop();
    } finally {
      later.stop();
    }
    expect(await q.isActive()).toBe(false);
    expect(await q.awaitTermination(5_000)).toBe(true);
    expect(await q.exception()).toBeNull();
    expect((await spark.streams.active()).some((a) => a.id === q.id)).toBe(false);
    expect(await spark.streams.get(q.id)).toBeNull();
  });

  it('awaitTermination(timeout) resolves false while the query runs', async () => {
    const q = await spark.readStream.format('rate').option('rowsPerSecond', 1).load().writeStream.format('noop').queryName(`noop_${suffix}`).start();
    started.push(q);
    const t0 = Date.now();
    expect(await q.awaitTermination(1_500)).toBe(false);
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(1_400);
    expect(waited).toBeLessThan(20_000);
    // Queries stopped earlier in this session count as terminated until resetTerminated().
    await spark.streams.resetTerminated();
    expect(await spark.streams.awaitAnyTermination(500)).toBe(false);
    await q.stop();
    expect(await q.awaitTermination()).toBe(true);
  });

  it('a failing query surfaces its exception', async () => {
    const q = await spark.readStream
      .format('rate')
      .option('rowsPerSecond', 2)
      .load()
      .select(
        when(col('value').geq(1), raise_error(lit(`streamline boom ${suffix}`)))
          .otherwise(col('value'))
          .alias('v'),
      )
      .writeStream.format('noop')
      .queryName(`failing_${suffix}`)
      .start();
    started.push(q);
    const err = await q.awaitTermination(120_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamingQueryException);
    const e = err as StreamingQueryException;
    expect(e.errorClass).toBe('STREAM_FAILED');
    expect(e.message).toContain(`streamline boom ${suffix}`);
    expect(await q.isActive()).toBe(false);
    const ex = await q.exception();
    expect(ex).toBeInstanceOf(StreamingQueryException);
    expect(ex!.message).toContain(`streamline boom ${suffix}`);
    await spark.streams.resetTerminated();
  });

  it('text files -> from_json(StructType, options) -> memory with an availableNow trigger', async () => {
    // The Connect server runs on this machine, so a local directory is a valid streaming source.
    const dir = mkdtempSync(join(tmpdir(), 'streamline-sc-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'a.json'),
      [
        JSON.stringify({ id: 'u1', email: 'a@example.com', latitude: 1.5, registered_date: '2024-01-02T03:04:05.000Z' }),
        JSON.stringify({ id: 'u2', email: null, latitude: -2.25, registered_date: '2024-05-06T07:08:09.000Z' }),
        'not json',
      ].join('\n') + '\n',
    );
    const schema = new StructType().add('id', StringType()).add('email', StringType()).add('latitude', DoubleType()).add('registered_date', TimestampType());
    const name = `from_json_${suffix}`;
    const q = await spark.readStream
      .format('text')
      .load(dir)
      .select(col('value'), from_json(col('value'), schema, { mode: 'PERMISSIVE', timestampFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" }).alias('u'))
      .select(col('value'), col('u.*'))
      .writeStream.format('memory')
      .queryName(name)
      .option('checkpointLocation', join(dir, '_checkpoint'))
      .trigger({ availableNow: true })
      .start();
    started.push(q);
    expect(await q.awaitTermination(90_000)).toBe(true);
    const rows = await spark.sql(`SELECT id, email, latitude, registered_date FROM ${name} ORDER BY id NULLS LAST`).collect();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ id: 'u1', email: 'a@example.com', latitude: 1.5 });
    expect((rows[0]!['registered_date'] as Date).toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(rows[1]).toMatchObject({ id: 'u2', email: null, latitude: -2.25 });
    expect(rows[2]).toMatchObject({ id: null, email: null, latitude: null });
  });
  it('event-time aggregation to a table: typed state and watermark progress, status, processAllAvailable, toTable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamline-sc-'));
    dirs.push(dir);
    const input = join(dir, 'in');
    const table = `windows_${suffix}`;
    mkdirSync(input);
    const events = (ts: string[]): string => `${ts.map((t) => JSON.stringify({ ts: t, k: 'a' })).join('\n')}\n`;
    writeFileSync(join(input, '1.json'), events(['2024-01-01T00:00:01Z', '2024-01-01T00:00:20Z', '2024-01-01T00:00:30Z']));
    const q = await spark.readStream
      .schema('ts TIMESTAMP, k STRING')
      .format('json')
      .load(input)
      .withWatermark('ts', '10 seconds')
      .groupBy(window(col('ts'), '1 minute'), col('k'))
      .agg(count(col('k')).alias('n'))
      .select(col('window.start').alias('start'), col('k'), col('n'))
      .writeStream.outputMode('append')
      .format('parquet')
      .option('checkpointLocation', join(dir, '_checkpoint'))
      .queryName(`windows_${suffix}`)
      .toTable(table);
    started.push(q);
    try {
      await q.processAllAvailable();
      // The batch that read the file (a later one may be a no-data batch that only moves the watermark).
      const first = (await q.recentProgress()).find((p) => p.numInputRows > 0);
      expect(first?.numInputRows).toBe(3);
      expect(first?.stateOperators).toHaveLength(1);
      expect(first?.stateOperators[0]).toMatchObject({ numRowsTotal: 1, numRowsUpdated: 1 });
      expect(first?.eventTime['max']).toBe('2024-01-01T00:00:30.000Z');
      // Append mode emits a window once the watermark (max event time - 10 s) passes its end.
      expect(await spark.table(table).count()).toBe(0);
      const status = await q.status();
      expect(status.isActive).toBe(true);
      expect(typeof status.message).toBe('string');

      writeFileSync(join(input, '2.json'), events(['2024-01-01T00:02:00Z']));
      await q.processAllAvailable();
      const rows = await until('the first window in the table', 60_000, async () => {
        const r = await spark.table(table).collect();
        return r.length > 0 ? r : undefined;
      });
      expect(rows.map((r) => [(r['start'] as Date).toISOString(), r['k'], r['n']])).toEqual([['2024-01-01T00:00:00.000Z', 'a', 3]]);
      const progress = await q.recentProgress();
      expect(progress.some((p) => p.eventTime['watermark'] === '2024-01-01T00:01:50.000Z')).toBe(true);
      expect(progress.at(-1)?.sink.description).toContain(table);
    } finally {
      await q.stop();
      await spark.sql(`DROP TABLE IF EXISTS ${table}`).collect();
    }
  });

  // Spark 4 turns ANSI mode on by default, and streaming queries follow the session's setting: a
  // division by zero fails the query on 4.0, where 3.5 writes NULL. Turning ANSI off gives 3.5's result.
  it('ANSI mode reaches streaming queries: x / 0 fails on 4.0, is NULL on 3.5 (and on 4.0 with ANSI off)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamline-sc-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.json'), `${JSON.stringify({ x: 1 })}\n`);
    const run = async (name: string) => {
      const q = await spark.readStream
        .schema('x INT')
        .format('json')
        .load(dir)
        .select(col('x').divide(0).alias('y'))
        .writeStream.format('memory')
        .queryName(name)
        .option('checkpointLocation', join(dir, `_checkpoint_${name}`))
        .trigger({ availableNow: true })
        .start();
      started.push(q);
      return q;
    };
    const ansiQuery = await run(`ansi_${suffix}`);
    if (server.version === '4.0') {
      const err = await ansiQuery.awaitTermination(90_000).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StreamingQueryException);
      expect((err as StreamingQueryException).message).toContain('DIVIDE_BY_ZERO');
      await spark.streams.resetTerminated();
      await spark.conf.set('spark.sql.ansi.enabled', 'false');
      try {
        const lenient = await run(`lenient_${suffix}`);
        expect(await lenient.awaitTermination(90_000)).toBe(true);
        expect(await spark.sql(`SELECT y FROM lenient_${suffix}`).collect()).toEqual([expect.objectContaining({ y: null })]);
      } finally {
        await spark.conf.unset('spark.sql.ansi.enabled');
      }
    } else {
      expect(await ansiQuery.awaitTermination(90_000)).toBe(true);
      expect(await spark.sql(`SELECT y FROM ansi_${suffix}`).collect()).toEqual([expect.objectContaining({ y: null })]);
    }
  });
  it('observe(name, ...) on a stream: the metrics of each batch in its progress (observedMetrics)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamline-sc-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.json'), `${[1, 2, 3].map((x) => JSON.stringify({ x })).join('\n')}\n`);
    const q = await spark.readStream
      .schema('x INT')
      .json(dir)
      .observe('batch_metrics', count(lit(1)).alias('rows'), max(col('x')).alias('top'))
      .writeStream.format('noop')
      .queryName(`observed_${suffix}`)
      .option('checkpointLocation', join(dir, '_checkpoint'))
      .trigger({ availableNow: true })
      .start();
    started.push(q);
    expect(await q.awaitTermination(90_000)).toBe(true);
    const withRows = (await q.recentProgress()).find((p) => p.numInputRows > 0);
    expect(withRows?.observedMetrics['batch_metrics']).toEqual({ rows: 3, top: 3 });
  });
});
