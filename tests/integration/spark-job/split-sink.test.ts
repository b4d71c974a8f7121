// The split sink (jars/spark-extensions, `streamline-split`) on the real Connect server, on its own: a
// finite file stream routed by a column's null-ness into two Parquet tables, the rows of each read
// back; and the one-line errors its options give when the query starts. The pipeline's use of it
// (Cassandra on both routes) is tests/e2e.
import { setting } from '@streamline/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SparkSession, type StreamingQuery } from 'spark-connect';
import { expr } from 'spark-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPLIT_SINK_FORMAT } from '@streamline/spark-job';
import { expectCleanStopMidBatch } from './split-stop.js';

const spark = SparkSession.builder().remote(setting(process.env, 'SPARK_REMOTE')).create();
// The local stack's Connect server runs on this machine: its paths are ours.
const dir = mkdtempSync(path.join(tmpdir(), 'streamline-split-sink-'));
const input = path.join(dir, 'input');
const accepted = path.join(dir, 'accepted');
const rejected = path.join(dir, 'rejected');
const ROWS = 100;
/** Rows with n % 7 = 0 carry a reason: 15 of 0..99. */
const REJECTED = Array.from({ length: ROWS }, (_, n) => n).filter((n) => n % 7 === 0);

beforeAll(async () => {
  await spark
    .range(ROWS)
    .selectExpr('id AS n', "concat('row ', id) AS label", "IF(id % 7 = 0, concat('bad ', id), NULL) AS reason")
    .repartition(3)
    .write.mode('overwrite')
    .json(input);
  // The routes' tables exist before the query, as Cassandra tables do (the sink checks them at start).
  await spark.range(0).selectExpr('id', 'CAST(NULL AS STRING) AS label').write.mode('overwrite').parquet(accepted);
  await spark.range(0).selectExpr('id AS n', 'CAST(NULL AS STRING) AS why').write.mode('overwrite').parquet(rejected);
});

afterAll(() => {
  spark.close();
  rmSync(dir, { recursive: true, force: true });
});

const ROUTES = {
  'split.column': 'reason',
  'accepted.format': 'parquet',
  'accepted.path': accepted,
  'accepted.columns': 'n AS id, label',
  'rejected.format': 'parquet',
  'rejected.path': rejected,
  'rejected.columns': 'n, reason AS why',
};

function stream() {
  return spark.readStream.schema('n BIGINT, label STRING, reason STRING').option('maxFilesPerTrigger', 1).json(input);
}

function start(options: Record<string, string>, name: string): Promise<StreamingQuery> {
  return stream()
    .observe('routes', expr('count_if(reason IS NULL)').alias('accepted'), expr('count(reason)').alias('quarantined'))
    .writeStream.format(SPLIT_SINK_FORMAT)
    .options({ checkpointLocation: path.join(dir, `checkpoint-${name}`), ...options })
    .trigger({ availableNow: true })
    .start();
}

describe('the split sink', () => {
  it('writes each row to exactly one route, by the null-ness of the split column, with the columns each route names', async () => {
    const query = await start(ROUTES, 'routes');
    await query.awaitTermination(120_000);
    expect(await query.exception()).toBeNull();

    const users = await spark.read.parquet(accepted).orderBy('id').collect();
    expect(users.map((r) => Number(r.id))).toEqual(Array.from({ length: ROWS }, (_, n) => n).filter((n) => n % 7 !== 0));
    expect({ ...users[0], id: Number(users[0]!.id) }).toEqual({ id: 1, label: 'row 1' });
    const poison = await spark.read.parquet(rejected).orderBy('n').collect();
    expect(poison.map((r) => ({ n: Number(r.n), why: r.why }))).toEqual(REJECTED.map((n) => ({ n, why: `bad ${n}` })));

    // Several micro-batches (one input file each): the observed counts add up once per row, although
    // the sink reads each batch twice (the rows it keeps for the rejected route are not recomputed).
    const progress = await query.recentProgress();
    expect(progress.filter((p) => p.numInputRows > 0).length).toBeGreaterThan(1);
    const sum = (metric: string): number =>
      progress.reduce((s, p) => s + Number((p.observedMetrics.routes as Record<string, unknown> | undefined)?.[metric] ?? 0), 0);
    expect({ accepted: sum('accepted'), quarantined: sum('quarantined') }).toEqual({ accepted: ROWS - REJECTED.length, quarantined: REJECTED.length });
  });

  it.each([
    [{ 'split.column': undefined }, /streamline-split sink: option split\.column is missing; expected a column name/],
    [{ 'accepted.format': undefined }, /streamline-split sink: option accepted\.format is missing; expected the batch format/],
    [
      { 'rejected.columns': 'n, reason AS' },
      /streamline-split sink: option rejected\.columns is "n, reason AS"; expected columns as "name" or "name AS other"; "reason AS" is neither/,
    ],
    [
      { 'accepted.columns': 'n AS id, nope' },
      /streamline-split sink: accepted\.columns writes nope, which the accepted target \(parquet\) does not have; its columns: id, label/,
    ],
  ])('refuses %o when the query starts, naming the option', async (override, message) => {
    const options: Record<string, string> = { ...ROUTES };
    for (const [key, value] of Object.entries(override)) {
      if (value === undefined) delete options[key];
      else options[key] = value;
    }
    await expect(start(options, 'refused')).rejects.toThrow(message);
  });

  it('stops cleanly in the middle of a batch: a stop is not reported as a failed write', async () => {
    const stopAccepted = path.join(dir, 'stop-accepted');
    const stopRejected = path.join(dir, 'stop-rejected');
    await spark.range(0).selectExpr('id', 'CAST(NULL AS STRING) AS label').write.mode('overwrite').parquet(stopAccepted);
    await spark.range(0).selectExpr('id AS n', 'CAST(NULL AS STRING) AS why').write.mode('overwrite').parquet(stopRejected);
    await expectCleanStopMidBatch(spark, {
      ...ROUTES,
      'accepted.path': stopAccepted,
      'rejected.path': stopRejected,
      checkpointLocation: path.join(dir, 'checkpoint-stop'),
    });
  });

  it('fails the query with the route, the target and the whole cause when a write fails', async () => {
    const failingAccepted = path.join(dir, 'failing-accepted');
    await spark.range(0).selectExpr('id', 'CAST(NULL AS STRING) AS label').write.mode('overwrite').parquet(failingAccepted);
    // A row whose computation fails: the sink computes the batch inside the accepted write, so the
    // write fails, with Spark's multi-line task failure around the row's own two-line message.
    const query = await stream()
      // The message is made at run time: the query's plan, which the exception quotes, must not hold it.
      .selectExpr('n', "IF(n = 42, CAST(raise_error(concat('row ', n, ' is bad', char(10), 'below its ', 'first line')) AS STRING), label) AS label", 'reason')
      .writeStream.format(SPLIT_SINK_FORMAT)
      .options({ ...ROUTES, 'accepted.path': failingAccepted, checkpointLocation: path.join(dir, 'checkpoint-failing') })
      .trigger({ availableNow: true })
      .start();
    await query.awaitTermination(120_000).catch(() => undefined);
    const message = (await query.exception())?.message ?? '';
    expect(message.split('\n')[0]).toMatch(/streamline-split sink: batch \d+: writing the accepted rows to parquet failed: \S/);
    // A target's root cause is often below its first line (the Cassandra connector's is): all of it is kept.
    expect(message).toMatch(/row 42 is bad\nbelow its first line/);
  });

  it('fails the query at its first batch when a route reads a column the query does not have', async () => {
    const query = await start({ ...ROUTES, 'rejected.columns': 'n, missing AS why' }, 'missing-column');
    await query.awaitTermination(120_000).catch(() => undefined);
    expect((await query.exception())?.message).toMatch(
      /streamline-split sink: rejected\.columns names missing, not a column of the query \(n, label, reason\)/,
    );
  });
});
