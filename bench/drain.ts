// 2. Pipeline drain rate: a backlog already in a fresh topic, the job started with a fresh checkpoint
// and keyspace, rows/s until every record is in Cassandra. Each run varies one knob of the job.
import type { StreamingQueryProgress } from 'spark-connect';
import { Pipeline, type RunningJob } from '@streamline/spark-job';
import { countRows, jobConfig, localWrites, uniqueName, type BenchContext, type JobKnobs } from './support/env.js';
import { cpuMicrosPerRow, trackCpu } from './support/cpu.js';
import { steadySlope } from './support/stats.js';
import { every, nowMs, sleep } from './support/timing.js';

export interface DrainVariant {
  label: string;
  partitions: number;
  knobs: JobKnobs;
}

export interface DrainRun {
  label: string;
  partitions: number;
  knobs: JobKnobs;
  rows: number;
  /** Submit call → the query started. */
  startSeconds: number;
  /** Queries started → first row written in Cassandra. */
  firstRowSeconds: number;
  /** Queries started → the last row written (the drain). */
  drainSeconds: number;
  /** rows / drainSeconds. */
  rowsPerSecond: number;
  /** Steady state: the slope of rows written between 20 % and 80 % of the backlog (start-up and tail left out). */
  steadyRowsPerSecond: number;
  /** Submit call → the last row written. */
  wallSeconds: number;
  batches: { batchId: number; rows: number; durationMs: number }[];
  /** Rows written, sampled (seconds since the query started). */
  series: { t: number; rows: number }[];
  /** CPU µs per row written, per stack process, from the query's start to the last row. */
  cpuMicrosPerRow: Record<string, number>;
}

const TABLE = 'created_users';

/** How the job is started: the real submit by default (a test of another plan can pass its own). */
export type JobStarter = (config: ReturnType<typeof jobConfig>) => Promise<RunningJob>;

const submit: JobStarter = ({ pipeline, session }) => new Pipeline(pipeline, session, { log: () => undefined }).submit({ startupCheckMs: 0 });

export async function drainOnce(
  ctx: BenchContext,
  topic: string,
  rows: number,
  variant: DrainVariant,
  timeoutMs: number,
  start: JobStarter = submit,
): Promise<DrainRun> {
  const keyspace = uniqueName(ctx, 'drain');
  const config = jobConfig(ctx, topic, keyspace, variant.knobs);
  const tSubmit = nowMs();
  const job = await start(config);
  const tStarted = nowMs();
  const cpu = await trackCpu();
  const series: { t: number; rows: number }[] = [];
  let written = 0;
  const sampler = every(250, async () => {
    written = await localWrites(ctx.db, keyspace, TABLE);
    series.push({ t: (nowMs() - tStarted) / 1000, rows: written });
  });
  let progress: StreamingQueryProgress[] = [];
  try {
    const deadline = tStarted + timeoutMs;
    let checks = 0;
    while (written < rows) {
      if (nowMs() > deadline) throw new Error(`drain ${variant.label}: ${written}/${rows} rows after ${timeoutMs / 1000}s`);
      if (++checks % 8 === 0) {
        for (const query of job.queries) {
          if (!(await query.isActive())) throw (await query.exception()) ?? new Error(`query ${query.name} stopped during the drain`);
        }
      }
      await sleep(250);
    }
    await cpu.stop(); // the CPU window ends with the last row
    progress = await job.queries[0]!.recentProgress();
  } finally {
    await cpu.stop();
    await sampler.stop();
    await job.stop().catch(() => undefined);
    job.spark.close();
  }
  const done = series.find((s) => s.rows >= rows)!;
  const first = series.find((s) => s.rows > 0)!;
  const counted = await countRows(ctx.db, keyspace, TABLE);
  if (counted !== rows) throw new Error(`drain ${variant.label}: ${counted} rows in ${keyspace}.${TABLE}, expected ${rows}`);
  await ctx.db.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  ctx.keyspaces.delete(keyspace);
  return {
    label: variant.label,
    partitions: variant.partitions,
    knobs: variant.knobs,
    rows,
    startSeconds: (tStarted - tSubmit) / 1000,
    firstRowSeconds: first.t,
    drainSeconds: done.t,
    rowsPerSecond: rows / done.t,
    steadyRowsPerSecond: steadySlope(series, rows),
    wallSeconds: (tStarted - tSubmit) / 1000 + done.t,
    batches: progress
      .filter((p) => p.sources.reduce((s, x) => s + x.numInputRows, 0) > 0)
      .map((p) => ({
        batchId: p.batchId,
        rows: p.sources.reduce((s, x) => s + x.numInputRows, 0),
        durationMs: p.durationMs.triggerExecution ?? p.batchDuration,
      })),
    series: series.filter((s) => s.t <= done.t + 0.5),
    cpuMicrosPerRow: cpuMicrosPerRow(await cpu.stop(), rows),
  };
}

export interface SweepVariantResult {
  label: string;
  partitions: number;
  knobs: JobKnobs;
  /** Mean over the rounds. */
  rowsPerSecond: number;
  perRound: number[];
}

export interface SweepResult {
  rows: number;
  rounds: number;
  variants: SweepVariantResult[];
  runs: DrainRun[];
}

/**
 * Runs each variant on the same backlog (one pre-loaded topic per partition count), each run with a
 * fresh keyspace and checkpoint. Rounds alternate the order (forward, backward, ...) so that a drift of
 * the machine (JIT warm-up, compaction, other load) does not favour the variants that come last.
 */
export async function drainSweep(
  ctx: BenchContext,
  options: {
    rows: number;
    rounds: number;
    variants: DrainVariant[];
    timeoutMs: number;
    preload: (topic: string, partitions: number, rows: number) => Promise<number>;
  },
): Promise<SweepResult> {
  const topics = new Map<number, string>();
  const runs: DrainRun[] = [];
  const perVariant = new Map<string, number[]>();
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? options.variants : [...options.variants].reverse();
    for (const variant of order) {
      let topic = topics.get(variant.partitions);
      if (topic === undefined) {
        topic = uniqueName(ctx, `sweep_p${variant.partitions}`);
        await options.preload(topic, variant.partitions, options.rows);
        topics.set(variant.partitions, topic);
      }
      const run = await drainOnce(ctx, topic, options.rows, variant, options.timeoutMs);
      ctx.log(
        `drain sweep ${round + 1}/${options.rounds}: ${variant.label.padEnd(40)} ${Math.round(run.rowsPerSecond)} rows/s (${run.drainSeconds.toFixed(1)}s)`,
      );
      runs.push(run);
      perVariant.set(variant.label, [...(perVariant.get(variant.label) ?? []), run.rowsPerSecond]);
    }
  }
  const variants = options.variants.map((v) => {
    const perRound = perVariant.get(v.label) ?? [];
    return {
      label: v.label,
      partitions: v.partitions,
      knobs: v.knobs,
      perRound,
      rowsPerSecond: perRound.reduce((a, b) => a + b, 0) / Math.max(1, perRound.length),
    };
  });
  return { rows: options.rows, rounds: options.rounds, variants, runs };
}
