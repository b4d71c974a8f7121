// The drain of the anchor: the tutorials' PySpark job (pyspark-job.ts) on the same stack, the same
// pre-loaded backlog and a table of the same schema, measured like drainOnce measures ours. Each job
// gets the whole Spark worker: the Connect server (whose executor holds the worker's cores for as long
// as it runs) is stopped while the PySpark job runs, and started again afterwards.
import path from 'node:path';
import { applySchema } from '@streamline/spark-job';
import { down, up, type StackConfig } from '@streamline/stack';
import { drainOnce, type DrainRun } from '../drain.js';
import { cpuMicrosPerRow, trackCpu } from '../support/cpu.js';
import { countRows, jobConfig, localWrites, uniqueName, type BenchContext } from '../support/env.js';
import { alternatingPairs, pairedRatio, type PairedRatio } from '../support/pairs.js';
import { every, nowMs, sleep } from '../support/timing.js';
import { startPySparkJob } from './pyspark-job.js';

const TABLE = 'created_users';

export interface AnchorDrainRun {
  label: 'PySpark job (tutorials)';
  rows: number;
  /** spark-submit → the streaming query started (JVM, Python, session, query). */
  startSeconds: number;
  /** Query started → the last row written. */
  drainSeconds: number;
  rowsPerSecond: number;
  /** spark-submit → the last row written. */
  wallSeconds: number;
  series: { t: number; rows: number }[];
  /** CPU µs per row written, per stack process (its executors; its driver is not a stack process). */
  cpuMicrosPerRow: Record<string, number>;
}

export async function anchorDrainOnce(ctx: BenchContext, stack: StackConfig, topic: string, rows: number, timeoutMs: number): Promise<AnchorDrainRun> {
  const keyspace = uniqueName(ctx, 'anchor');
  // The same table as ours (the job's own schema rendering), in a keyspace of its own.
  const { pipeline } = jobConfig(ctx, topic, keyspace);
  await applySchema(pipeline.cassandra);
  await down(stack, () => undefined, { only: ['spark-connect'] });
  try {
    const tSubmit = nowMs();
    const job = startPySparkJob({
      master: `spark://${stack.host}:${stack.ports.sparkMaster}`,
      bootstrapServers: pipeline.kafka.bootstrapServers,
      topic,
      keyspace,
      table: TABLE,
      checkpoint: path.join(ctx.scratch, 'checkpoints', keyspace),
      cassandra: { host: stack.host, port: stack.ports.cassandra, ...stack.cassandra },
      executorMemory: stack.memory.sparkExecutor,
      driverMemory: stack.memory.sparkDriver,
    });
    const series: { t: number; rows: number }[] = [];
    let tStarted = tSubmit;
    let cpuSeconds: Record<string, number> = {};
    try {
      await job.started;
      tStarted = nowMs();
      const cpu = await trackCpu();
      let written = 0;
      const sampler = every(250, async () => {
        written = await localWrites(ctx.db, keyspace, TABLE);
        series.push({ t: (nowMs() - tStarted) / 1000, rows: written });
      });
      try {
        const deadline = tStarted + timeoutMs;
        while (written < rows) {
          if (nowMs() > deadline) throw new Error(`anchor drain: ${written}/${rows} rows after ${timeoutMs / 1000}s`);
          await sleep(250);
        }
      } finally {
        cpuSeconds = await cpu.stop();
        await sampler.stop();
      }
    } finally {
      await job.stop();
    }
    const counted = await countRows(ctx.db, keyspace, TABLE);
    if (counted !== rows) throw new Error(`anchor drain: ${counted} rows in ${keyspace}.${TABLE}, expected ${rows}`);
    const done = series.find((s) => s.rows >= rows)!;
    await ctx.db.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    ctx.keyspaces.delete(keyspace);
    return {
      label: 'PySpark job (tutorials)',
      rows,
      startSeconds: (tStarted - tSubmit) / 1000,
      drainSeconds: done.t,
      rowsPerSecond: rows / done.t,
      wallSeconds: (tStarted - tSubmit) / 1000 + done.t,
      series: series.filter((s) => s.t <= done.t + 0.5),
      cpuMicrosPerRow: cpuMicrosPerRow(cpuSeconds, rows),
    };
  } finally {
    // Our job's measurements need the Connect server back.
    await up(stack, () => undefined);
  }
}

export interface AnchorComparison {
  rows: number;
  ours: DrainRun[];
  anchor: AnchorDrainRun[];
  /** Our drain rate / the PySpark job's, per pair. */
  drain: PairedRatio;
  /** The PySpark job's start (spark-submit → query running) / ours (submit → the query running). */
  start: PairedRatio;
}

/**
 * Our job and the PySpark job on the same backlog, in alternating pairs (ours first, then the anchor
 * first, …), each with a fresh keyspace and checkpoint and the whole worker to itself.
 */
export async function anchorComparison(
  ctx: BenchContext,
  stack: StackConfig,
  options: { topic: string; rows: number; partitions: number; pairs: number; timeoutMs: number },
): Promise<AnchorComparison> {
  const { topic, rows, timeoutMs } = options;
  const ours: DrainRun[] = [];
  const anchor: AnchorDrainRun[] = [];
  const result = await alternatingPairs<{ rowsPerSecond: number; startSeconds: number }>(
    options.pairs,
    async () => {
      const run = await drainOnce(ctx, topic, rows, { label: 'job defaults', partitions: options.partitions, knobs: {} }, timeoutMs);
      ctx.log(`anchor: ours ${Math.round(run.rowsPerSecond)} rows/s (started in ${run.startSeconds.toFixed(1)} s)`);
      ours.push(run);
      return run;
    },
    async () => {
      const run = await anchorDrainOnce(ctx, stack, topic, rows, timeoutMs);
      ctx.log(`anchor: PySpark job ${Math.round(run.rowsPerSecond)} rows/s (started in ${run.startSeconds.toFixed(1)} s)`);
      anchor.push(run);
      return run;
    },
  );
  return {
    rows,
    ours,
    anchor,
    drain: pairedRatio(
      result.b.map((r) => r.rowsPerSecond),
      result.a.map((r) => r.rowsPerSecond),
      result.load,
    ),
    start: pairedRatio(
      result.a.map((r) => r.startSeconds),
      result.b.map((r) => r.startSeconds),
      result.load,
    ),
  };
}
