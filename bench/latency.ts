// 3. End-to-end latency at a steady rate: the job running with a 1 s trigger, our producer sending at
// a fixed rate; per row, ingested_at − produced_at (both stamped in the row), and the time until the
// row was visible in Cassandra (write counter sampled every 100 ms: rows are matched to samples in
// production order, so this is an upper bound within one sampling interval).
import { parseProducerArgs, runProducer, silentLogger } from '../producer/src/index.js';
import { Pipeline, queryName } from '@streamline/spark-job';
import { BOOTSTRAP, createTopic, jobConfig, localWrites, uniqueName, type BenchContext } from './support/env.js';
import { distribution, type Distribution } from './support/stats.js';
import { every, pollUntil } from './support/timing.js';

export interface LatencyResult {
  targetRate: number;
  achievedRate: number;
  seconds: number;
  rows: number;
  trigger: string;
  /** ingested_at − produced_at per row, ms (ingested_at is the micro-batch's timestamp). */
  ingestedMinusProduced: Distribution;
  /** Row visible in Cassandra − produced_at, ms (sampled every 100 ms). */
  visibleMinusProduced: Distribution;
  /**
   * Duration (triggerExecution, ms) of the query's micro-batches that had rows, from its recent
   * progress: a batch that outlasts the trigger makes the next one start late, which the tail shows.
   */
  batchMs: Distribution;
  /** Raw samples for the chart (ms). */
  samples: { ingested: number[]; visible: number[] };
}

export async function steadyLatency(ctx: BenchContext, options: { rate: number; seconds: number }): Promise<LatencyResult> {
  const topic = uniqueName(ctx, 'latency');
  const keyspace = uniqueName(ctx, 'latency');
  const { pipeline, session } = jobConfig(ctx, topic, keyspace, { trigger: '1 second' });
  // The job's default partition count, as in every phase.
  await createTopic(ctx, topic, pipeline.kafka.topicPartitions);
  // Wait for the query's first (empty) progress: the job is warm before the first record is sent.
  const job = await new Pipeline(pipeline, session, { log: () => undefined }).submit({ startupCheckMs: 60_000 });
  const visible: { at: number; rows: number }[] = [];
  const sampler = every(100, async () => {
    visible.push({ at: Date.now(), rows: await localWrites(ctx.db, keyspace, 'created_users') });
  });
  let sent = 0;
  let elapsedMs = 0;
  const batchMs: number[] = [];
  try {
    const parsed = await parseProducerArgs(
      [
        '--source',
        'synthetic',
        '--rate',
        String(options.rate),
        '--duration',
        String(options.seconds),
        '--seed',
        `latency-${ctx.run}`,
        '--topic',
        topic,
        '--report-interval',
        '0',
        '--log-level',
        'warn',
      ],
      { KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP },
    );
    if (parsed.kind !== 'config') throw new Error('unexpected --help');
    const totals = await runProducer(parsed.config, { log: silentLogger });
    sent = totals.sent;
    elapsedMs = totals.elapsedMs;
    await pollUntil('every produced row in Cassandra', async () => ((visible.at(-1)?.rows ?? 0) >= sent ? true : undefined), {
      intervalMs: 100,
      timeoutMs: 120_000,
    });
    const query = job.queries.find((q) => q.name === queryName(pipeline));
    for (const p of (await query?.recentProgress()) ?? []) {
      if (p.sources.some((src) => src.numInputRows > 0) && p.durationMs.triggerExecution !== undefined) batchMs.push(p.durationMs.triggerExecution);
    }
  } finally {
    await sampler.stop();
    await job.stop().catch(() => undefined);
    job.spark.close();
  }
  const ingested: number[] = [];
  const produced: number[] = [];
  let pageState: string | undefined;
  do {
    const page = await ctx.db.execute(`SELECT produced_at, ingested_at FROM ${keyspace}.created_users`, [], {
      fetchSize: 5_000,
      readTimeout: 120_000,
      ...(pageState ? { pageState } : {}),
    });
    for (const row of page.rows) {
      produced.push((row.produced_at as Date).getTime());
      ingested.push((row.ingested_at as Date).getTime() - (row.produced_at as Date).getTime());
    }
    pageState = page.pageState ?? undefined;
  } while (pageState !== undefined && produced.length <= sent);
  if (produced.length !== sent) throw new Error(`latency: ${produced.length} rows in Cassandra, ${sent} sent`);
  produced.sort((a, b) => a - b);
  const visibleLag: number[] = [];
  let s = 0;
  for (let k = 0; k < produced.length; k++) {
    while (s < visible.length && visible[s]!.rows < k + 1) s++;
    if (s < visible.length) visibleLag.push(visible[s]!.at - produced[k]!);
  }
  await ctx.db.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  ctx.keyspaces.delete(keyspace);
  return {
    targetRate: options.rate,
    achievedRate: sent / (elapsedMs / 1000),
    seconds: elapsedMs / 1000,
    rows: sent,
    trigger: pipeline.triggerInterval,
    ingestedMinusProduced: distribution(ingested),
    visibleMinusProduced: distribution(visibleLag),
    batchMs: distribution(batchMs),
    samples: { ingested, visible: visibleLag },
  };
}
