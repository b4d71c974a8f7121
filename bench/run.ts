// `make bench`: every measurement, in order, on the local stack, under the shared stack lock (the
// Makefile takes it). Figures are ratios against a reference measured in the same run on the same
// stack; nothing here asserts a time. Results: bench/results/<timestamp>/{results.json,summary.md,chart.png}.
//
// Sizes can be changed with BENCH_* environment variables (see SIZES below), e.g. a quick smoke run:
//   BENCH_DRAIN_ROWS=20000 BENCH_WARM_ROWS=10000 BENCH_WARM_RUNS=2 BENCH_SWEEP_ROWS=10000 BENCH_LATENCY_SECONDS=10 make bench
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadavg } from 'node:os';
import { loadStackConfig, up } from '@streamline/stack';
import { pipelineDefaults, sessionDefaults, toPipelineConfig } from '@streamline/spark-job';
import { anchorComparison } from './anchor/anchor-drain.js';
import { cassandraCeiling, ceilingReference, RISING } from './cassandra-ceiling.js';
import { classificationCost } from './classification.js';
import { SparkSession } from 'spark-connect';
import { drainOnce, drainSweep, type DrainVariant } from './drain.js';
import { footprint, machineInfo } from './footprint.js';
import { steadyLatency } from './latency.js';
import { producerThroughput } from './producer-throughput.js';
import { writeReport, type BenchResults } from './report.js';
import { submitLatency } from './submit-latency.js';
import { closeContext, openContext, uniqueName } from './support/env.js';
import { alternatingPairs, describeRatio, pairedRatio } from './support/pairs.js';
import { CpuTracker, stackProcesses } from './support/cpu.js';
import { preloadTopic } from './support/preload.js';
import { RssSampler } from './support/rss.js';
import { every, nowMs } from './support/timing.js';
import { warmUntilSteady } from './support/warm-up.js';

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return n;
};

const SIZES = {
  producerRecords: env('BENCH_PRODUCER_RECORDS', 100_000),
  // ≥ 500k rows so that start-up does not dominate the total (issue 16); lower it for a quick run.
  drainRows: env('BENCH_DRAIN_ROWS', 500_000),
  // The drain's warm-up: drains of this many rows until two in a row do not beat the best by 5 %, at most warmRuns.
  warmRows: env('BENCH_WARM_ROWS', 200_000),
  warmRuns: env('BENCH_WARM_RUNS', 8),
  sweepRows: env('BENCH_SWEEP_ROWS', 25_000),
  sweepRounds: env('BENCH_SWEEP_ROUNDS', 2),
  latencyRate: env('BENCH_LATENCY_RATE', 1_000),
  latencySeconds: env('BENCH_LATENCY_SECONDS', 30),
  submitRepeats: env('BENCH_SUBMIT_REPEATS', 3),
  classifyRows: env('BENCH_CLASSIFY_ROWS', 200_000),
  classifyRounds: env('BENCH_CLASSIFY_ROUNDS', 3),
  anchorPairs: env('BENCH_ANCHOR_PAIRS', 3),
  // Each step of the ceiling's concurrency sweep inserts this many rows (a sweep has up to 16 steps);
  // the ceiling itself is then measured on drainRows.
  ceilingRows: env('BENCH_CEILING_ROWS', 100_000),
  // Pairs of (job drain, ceiling reference run) behind the ratio to the ceiling.
  ceilingPairs: env('BENCH_CEILING_PAIRS', 3),
  // Pairs of drains behind the ratio of the job's Cassandra writer to the connector's.
  writerPairs: env('BENCH_WRITER_PAIRS', 2),
};

/** Topic partitions before this benchmark tuned the job (3; the job's and the producer's default is now 2). */
const PARTITIONS_BEFORE_TUNING = 3;

/** The job's settings before this benchmark tuned them (the Spark Cassandra connector's writer and defaults). */
const BEFORE_TUNING = {
  maxOffsetsPerTrigger: 100_000,
  writer: 'connector' as const,
  sinkOptions: [
    'spark.cassandra.output.batch.grouping.key=partition',
    'spark.cassandra.output.batch.size.bytes=1024',
    'spark.cassandra.output.batch.size.rows=auto',
    'spark.cassandra.output.concurrent.writes=5',
  ],
};

/** One knob at a time, from the job's defaults. */
function sweepVariants(defaultPartitions: number): DrainVariant[] {
  const sink = (label: string, ...options: string[]): DrainVariant => ({
    label,
    partitions: defaultPartitions,
    knobs: { sinkOptions: options.map((o) => `spark.cassandra.output.${o}`) },
  });
  return [
    { label: 'job defaults', partitions: defaultPartitions, knobs: {} },
    { label: 'before tuning (sink and partitions)', partitions: PARTITIONS_BEFORE_TUNING, knobs: BEFORE_TUNING },
    sink('batch.grouping.key=none', 'batch.grouping.key=none'),
    sink('batch.size.rows=10', 'batch.size.rows=10'),
    sink('batch.size.rows=50', 'batch.size.rows=50'),
    sink('batch.size.bytes=65536', 'batch.size.bytes=65536'),
    sink('concurrent.writes=5 (the connector default)', 'concurrent.writes=5'),
    sink('concurrent.writes=32', 'concurrent.writes=32'),
    { label: "the Cassandra connector's writer", partitions: defaultPartitions, knobs: { writer: 'connector' } },
    { label: 'maxOffsetsPerTrigger=5000', partitions: defaultPartitions, knobs: { maxOffsetsPerTrigger: 5_000 } },
    { label: 'maxOffsetsPerTrigger=unlimited', partitions: defaultPartitions, knobs: { maxOffsetsPerTrigger: undefined } },
    ...[2, 3, 4].filter((p) => p !== defaultPartitions).map((p) => ({ label: `topic partitions=${p}`, partitions: p, knobs: {} })),
  ];
}

async function main(): Promise<void> {
  const started = nowMs();
  const startedAt = new Date();
  const log = (line: string): void => console.log(`[bench +${((nowMs() - started) / 1000).toFixed(0).padStart(4)}s] ${line}`);
  const stackConfig = loadStackConfig();
  log('stack: making sure every service is up (idempotent)');
  await up(stackConfig, (line) => log(line.trim()));

  const machine = machineInfo();
  const defaults = toPipelineConfig(pipelineDefaults(process.env));
  const ctx = await openContext(log);
  const sampler = new RssSampler(stackConfig);
  sampler.start(1_000);
  const load: Record<string, number> = {};
  // CPU seconds of every stack process (and this one) per phase, from /proc; processes that start or
  // stop during a phase (the anchor restarts the Connect server; executors come and go) count too.
  const cpu = new CpuTracker(() => stackProcesses(stackConfig));
  const cpuSampler = every(1_000, () => cpu.sample());
  const cpuByPhase: Record<string, Record<string, number>> = {};
  let openPhase: string | undefined;
  const closePhase = async (): Promise<void> => {
    if (openPhase) cpuByPhase[openPhase] = await cpu.end();
  };
  const phase = async (name: string): Promise<void> => {
    await closePhase();
    await cpu.begin();
    openPhase = name;
    sampler.setPhase(name);
    load[name] = loadavg()[0]!;
    log(`--- ${name}`);
  };
  const preload = (topic: string, partitions: number, rows: number): Promise<number> => preloadTopic(ctx, topic, partitions, rows, `drain-${ctx.run}-${rows}`);
  /** A small drain off the record, for class loading and JIT in a fresh Connect server. */
  const warmUp = async (name: string): Promise<void> => {
    const topic = uniqueName(ctx, name);
    await preload(topic, defaults.kafka.topicPartitions, 10_000);
    await drainOnce(ctx, topic, 10_000, { label: 'warm-up', partitions: defaults.kafka.topicPartitions, knobs: {} }, 300_000);
  };
  try {
    await phase('producer throughput');
    const producer = await producerThroughput(ctx, { records: SIZES.producerRecords });

    await phase('submit latency');
    const submit = await submitLatency(ctx, { repeats: SIZES.submitRepeats, backlog: 1_000 });

    await phase('drain');
    // The job's defaults drained until they stop rising: the ceiling's sweep warms Cassandra before
    // its reference runs, and the job gets the same (support/warm-up.ts).
    const warmTopic = uniqueName(ctx, 'warmup');
    await preload(warmTopic, defaults.kafka.topicPartitions, SIZES.warmRows);
    const warm = await warmUntilSteady(
      async () =>
        (await drainOnce(ctx, warmTopic, SIZES.warmRows, { label: 'warm-up', partitions: defaults.kafka.topicPartitions, knobs: {} }, 300_000)).rowsPerSecond,
      { rising: RISING, maxRuns: SIZES.warmRuns },
    );
    log(`drain: warm-up ${warm.rowsPerSecond.map((r) => Math.round(r)).join(', ')} rows/s${warm.steady ? '' : ' (still rising at the bound)'}`);
    const drainTopic = uniqueName(ctx, 'drain');
    await preload(drainTopic, defaults.kafka.topicPartitions, SIZES.drainRows);
    const timeoutMs = Math.max(300_000, SIZES.drainRows * 5);
    // The same records (same seed) in a topic with the partition count of before the tuning.
    const beforeTopic = uniqueName(ctx, 'drain_before');
    await preload(beforeTopic, PARTITIONS_BEFORE_TUNING, SIZES.drainRows);
    const before = await drainOnce(
      ctx,
      beforeTopic,
      SIZES.drainRows,
      { label: 'before tuning', partitions: PARTITIONS_BEFORE_TUNING, knobs: BEFORE_TUNING },
      timeoutMs,
    );
    log(`drain: before tuning ${Math.round(before.rowsPerSecond)} rows/s`);
    const after = await drainOnce(
      ctx,
      drainTopic,
      SIZES.drainRows,
      { label: 'job defaults', partitions: defaults.kafka.topicPartitions, knobs: {} },
      timeoutMs,
    );
    log(`drain: job defaults ${Math.round(after.rowsPerSecond)} rows/s`);
    const ceiling = await cassandraCeiling(ctx, { rows: SIZES.ceilingRows, referenceRows: SIZES.drainRows });
    // The ratio to the ceiling from alternating pairs, like every other ratio: the drain and the
    // reference run above are the first pair (drain first); the next ones alternate (ceiling first, …).
    const morePairs = await alternatingPairs(
      SIZES.ceilingPairs - 1,
      () => ceilingReference(ctx, ceiling, SIZES.drainRows),
      () => drainOnce(ctx, drainTopic, SIZES.drainRows, { label: 'job defaults', partitions: defaults.kafka.topicPartitions, knobs: {} }, timeoutMs),
    );
    const ceilingRatio = pairedRatio(
      [ceiling.reference, ...morePairs.a].map((r) => r.rowsPerSecond),
      [after, ...morePairs.b].map((r) => r.rowsPerSecond),
      { cores: machine.cores, loadBefore: load.drain!, loadAfter: morePairs.load.loadAfter },
    );
    log(`drain: job defaults / Cassandra ceiling ${describeRatio(ceilingRatio)}`);
    // The job's writer against the Cassandra connector's, the job's settings otherwise the same.
    const writerPairs = await alternatingPairs(
      SIZES.writerPairs,
      () =>
        drainOnce(
          ctx,
          drainTopic,
          SIZES.drainRows,
          { label: "the connector's writer", partitions: defaults.kafka.topicPartitions, knobs: { writer: 'connector' } },
          timeoutMs,
        ),
      () => drainOnce(ctx, drainTopic, SIZES.drainRows, { label: 'job defaults', partitions: defaults.kafka.topicPartitions, knobs: {} }, timeoutMs),
    );
    const writerRatio = pairedRatio(
      writerPairs.a.map((r) => r.rowsPerSecond),
      writerPairs.b.map((r) => r.rowsPerSecond),
      writerPairs.load,
    );
    log(`drain: job defaults / the connector's writer ${describeRatio(writerRatio)}`);

    await phase('anchor: the PySpark job');
    const anchor = await anchorComparison(ctx, stackConfig, {
      topic: drainTopic,
      rows: SIZES.drainRows,
      partitions: defaults.kafka.topicPartitions,
      pairs: SIZES.anchorPairs,
      timeoutMs,
    });
    log(`anchor: drain ours / PySpark job ${describeRatio(anchor.drain)}`);

    await phase('drain sweep');
    // The anchor restarted the Connect server: warm it up again, or the sweep's first run (job defaults)
    // pays for class loading and JIT (1,277 and 1,342 rows/s cold against 8,186 warm in two runs).
    await warmUp('rewarm');
    const sweep = await drainSweep(ctx, {
      rows: SIZES.sweepRows,
      rounds: SIZES.sweepRounds,
      variants: sweepVariants(defaults.kafka.topicPartitions),
      timeoutMs,
      preload,
    });

    await phase('classification cost');
    const classifySpark = SparkSession.builder().remote(sessionDefaults(process.env).remote).create();
    const classification = await classificationCost(classifySpark, { rows: SIZES.classifyRows, rounds: SIZES.classifyRounds, log }).finally(() =>
      classifySpark.close(),
    );

    await phase('steady-rate latency');
    const latency = await steadyLatency(ctx, { rate: SIZES.latencyRate, seconds: SIZES.latencySeconds });
    log(`latency: ingested_at − produced_at p50 ${latency.ingestedMinusProduced.p50} ms, p99 ${latency.ingestedMinusProduced.p99} ms`);

    await closePhase();
    await cpuSampler.stop();
    await sampler.sample();
    await sampler.stop();
    const results: BenchResults = {
      startedAt: startedAt.toISOString(),
      totalSeconds: (nowMs() - started) / 1000,
      machine: { ...machine, loadAverage1mAtEnd: loadavg()[0]! },
      loadAverageByPhase: load,
      cpuSecondsByPhase: cpuByPhase,
      sizes: SIZES,
      jobDefaults: {
        maxOffsetsPerTrigger: defaults.kafka.maxOffsetsPerTrigger ?? null,
        topicPartitions: defaults.kafka.topicPartitions,
        trigger: defaults.triggerInterval,
        sinkOptions: defaults.cassandra.sinkOptions,
        writer: defaults.cassandra.writer,
      },
      beforeTuning: { ...BEFORE_TUNING, topicPartitions: PARTITIONS_BEFORE_TUNING },
      producer,
      drain: {
        before,
        after,
        ceiling,
        ratio: ceilingRatio,
        pairs: { drains: [after, ...morePairs.b], references: [ceiling.reference, ...morePairs.a] },
        ratioBefore: before.rowsPerSecond / ceiling.reference.rowsPerSecond,
        warmUp: { rows: SIZES.warmRows, ...warm },
        writer: { ratio: writerRatio, connector: writerPairs.a, defaults: writerPairs.b },
      },
      anchor,
      sweep,
      latency,
      submit,
      classification,
      footprint: footprint(sampler),
    };
    const dir = path.join(
      path.dirname(new URL(import.meta.url).pathname),
      'results',
      startedAt
        .toISOString()
        .replaceAll(':', '-')
        .replace(/\.\d+Z$/, 'Z'),
    );
    mkdirSync(dir, { recursive: true });
    writeReport(dir, results);
    log(`results: ${path.relative(process.cwd(), dir)}/{results.json,summary.md,chart.png} in ${results.totalSeconds.toFixed(0)}s`);
  } finally {
    await sampler.stop();
    await cpuSampler.stop();
    await closeContext(ctx);
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
