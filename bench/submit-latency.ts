// 4. Submit latency: from the submit call (schema, topic check, the query started) to the query
// being active, and to the first row of a small waiting backlog being readable in Cassandra.
import { Pipeline } from '@streamline/spark-job';
import { jobConfig, localWrites, uniqueName, type BenchContext } from './support/env.js';
import { preloadTopic } from './support/preload.js';
import { median } from './support/stats.js';
import { nowMs, pollUntil } from './support/timing.js';

export interface SubmitRun {
  /** submit() → the query started and reported active. */
  toActiveSeconds: number;
  /** submit() → first row readable in Cassandra. */
  toFirstRowSeconds: number;
  /** submit() → the whole backlog written. */
  toAllRowsSeconds: number;
}

export interface SubmitLatencyResult {
  backlog: number;
  trigger: string;
  runs: SubmitRun[];
  median: SubmitRun;
}

export async function submitLatency(ctx: BenchContext, options: { repeats: number; backlog: number }): Promise<SubmitLatencyResult> {
  const topic = uniqueName(ctx, 'submit');
  // The job's default partition count, as in every phase (the config of any keyspace carries it).
  const partitions = jobConfig(ctx, topic, uniqueName(ctx, 'submit')).pipeline.kafka.topicPartitions;
  await preloadTopic(ctx, topic, partitions, options.backlog, `submit-${ctx.run}`);
  const runs: SubmitRun[] = [];
  let trigger = '';
  for (let i = 0; i < options.repeats; i++) {
    const keyspace = uniqueName(ctx, 'submit');
    const { pipeline, session } = jobConfig(ctx, topic, keyspace);
    trigger = pipeline.triggerInterval;
    const t0 = nowMs();
    const job = await new Pipeline(pipeline, session, { log: () => undefined }).submit({ startupCheckMs: 0 });
    try {
      for (const query of job.queries) {
        if (!(await query.isActive())) throw (await query.exception()) ?? new Error(`query ${query.name} is not active after submit`);
      }
      const toActive = nowMs() - t0;
      const firstRow = await pollUntil(
        'the first row in Cassandra',
        async () => ((await ctx.db.execute(`SELECT id FROM ${keyspace}.created_users LIMIT 1`)).rows.length > 0 ? nowMs() : undefined),
        { intervalMs: 25, timeoutMs: 120_000 },
      );
      const allRows = await pollUntil(
        'the whole backlog in Cassandra',
        async () => ((await localWrites(ctx.db, keyspace, 'created_users')) >= options.backlog ? nowMs() : undefined),
        { intervalMs: 50, timeoutMs: 120_000 },
      );
      runs.push({ toActiveSeconds: toActive / 1000, toFirstRowSeconds: (firstRow - t0) / 1000, toAllRowsSeconds: (allRows - t0) / 1000 });
      ctx.log(`submit: active after ${(toActive / 1000).toFixed(2)}s, first row after ${((firstRow - t0) / 1000).toFixed(2)}s`);
    } finally {
      await job.stop().catch(() => undefined);
      job.spark.close();
    }
    await ctx.db.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    ctx.keyspaces.delete(keyspace);
  }
  return {
    backlog: options.backlog,
    trigger,
    runs,
    median: {
      toActiveSeconds: median(runs.map((r) => r.toActiveSeconds)),
      toFirstRowSeconds: median(runs.map((r) => r.toFirstRowSeconds)),
      toAllRowsSeconds: median(runs.map((r) => r.toAllRowsSeconds)),
    },
  };
}
