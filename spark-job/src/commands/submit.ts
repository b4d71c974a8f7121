// `submit`: apply the schema, start both queries, then show live progress until Ctrl-C (or detach).
import type { SparkSession, StreamingQuery } from 'spark-connect';
import { applySchema, assertCassandraReachable } from '../apply-schema.js';
import { ensureTopic } from '../ensure-topic.js';
import type { PipelineConfig, SessionConfig } from '../config.js';
import { buildPipelinePlans } from '../plan.js';
import { accumulate, formatProgressLine, newTotals } from '../progress.js';
import { openSession } from '../spark-session.js';
import { loadSession, saveSession } from '../session-store.js';

export interface SubmitOptions {
  pipeline: PipelineConfig;
  session: SessionConfig;
  detach: boolean;
  progressIntervalMs: number;
  /** How long to watch freshly started queries for an immediate failure. */
  startupCheckMs: number;
}

export interface SubmittedJob {
  spark: SparkSession;
  queries: StreamingQuery[];
}

export class JobAlreadyRunningError extends Error {
  override name = 'JobAlreadyRunningError';
}

/** Applies the schema and starts both queries; returns once they are running. */
export async function startPipeline(options: SubmitOptions, print: (line: string) => void): Promise<SubmittedJob> {
  const { pipeline, session } = options;
  const saved = loadSession(session.stateFile);
  const spark = openSession(session, saved?.remote === session.remote ? saved : undefined);

  // Reach Spark and Cassandra before creating anything: a wrong address fails the submit with nothing
  // half-created. (Kafka is reached by ensureTopic, the first step that creates something.)
  print(`spark: Spark ${await spark.version()} at ${session.remote}`);
  await assertCassandraReachable(pipeline.cassandra);
  const { kafka } = pipeline;
  if (await ensureTopic({ bootstrapServers: kafka.adminBootstrapServers, topic: kafka.topic, partitions: kafka.topicPartitions })) {
    print(`topic: created ${kafka.topic} with ${kafka.topicPartitions} partitions`);
  }
  const schema = await applySchema(pipeline.cassandra);
  print(`schema: ${schema.statements} statements applied to keyspace ${schema.keyspace} (idempotent)`);

  const plans = buildPipelinePlans(spark, pipeline);
  const wanted = new Set([plans.users.name, plans.quarantine.name]);
  const running = (await spark.streams.active()).filter((q) => q.name !== null && wanted.has(q.name));
  if (running.length > 0) {
    throw new JobAlreadyRunningError(
      `the job is already running in session ${spark.sessionId}: ${running.map((q) => `${q.name} (${q.id})`).join(', ')}. ` +
        'See it with `make status`, stop it with `make stop`.',
    );
  }

  const queries: StreamingQuery[] = [];
  try {
    for (const plan of [plans.users, plans.quarantine]) {
      const query = await startWhenSchemaVisible(() => plan.writer.start(), print);
      queries.push(query);
      print(`started ${plan.name}: id ${query.id}, run ${query.runId}`);
    }
    await confirmRunning(queries, options.startupCheckMs);
  } catch (error) {
    // Never leave half a pipeline running: the quarantine is what makes the users query lossless.
    await Promise.all(queries.map((q) => stopWithin(q, STOP_TIMEOUT_MS, print)));
    throw error;
  }
  saveSession(session.stateFile, {
    remote: session.remote,
    sessionId: spark.sessionId,
    userId: spark.userId,
    queries: queries.map((q) => ({ name: q.name ?? '', id: q.id })),
    submittedAt: new Date().toISOString(),
  });
  print(`session ${spark.sessionId} (saved to ${session.stateFile}; \`status\` and \`stop\` join it)`);
  return { spark, queries };
}

const SCHEMA_NOT_VISIBLE = /Couldn't find .* (keyspace|table)|NoSuchNamespaceException|NoSuchTableException/;

/**
 * The Cassandra connector inside the Spark driver keeps its sessions (and their schema metadata) open
 * between queries, and refreshes that metadata from schema-change events with a debounce of about a
 * second. Right after submit created the keyspace, the sink may therefore not see it yet: retry for a
 * few seconds instead of failing a correct submit.
 */
async function startWhenSchemaVisible(start: () => Promise<StreamingQuery>, print: (line: string) => void, attempts = 15): Promise<StreamingQuery> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !SCHEMA_NOT_VISIBLE.test((error as Error).message)) throw error;
      if (attempt === 1) print("waiting for Spark's Cassandra connector to see the new schema...");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/**
 * A query that cannot start (unreachable Kafka, missing table...) fails within its first trigger. Wait
 * for each query's first progress report (or the check period) so that a detached submit never
 * reports success for a job that is already dead.
 */
async function confirmRunning(queries: StreamingQuery[], checkMs: number): Promise<void> {
  const deadline = Date.now() + checkMs;
  const pending = new Set(queries);
  while (pending.size > 0 && Date.now() < deadline) {
    for (const query of [...pending]) {
      if (!(await query.isActive())) {
        const exception = await query.exception();
        throw exception ?? new Error(`query ${query.name} stopped right after it started`);
      }
      if ((await query.lastProgress()) !== null) pending.delete(query);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Waits one interval or until the signal aborts. The abort listener is removed when the timer fires:
 * one listener left behind per tick tripped Node's MaxListenersExceededWarning after a minute.
 */
function tick(intervalMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, intervalMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Prints progress until the signal aborts or a query ends; returns the failed query's error if any. */
export async function watch(job: SubmittedJob, intervalMs: number, signal: AbortSignal, print: (line: string) => void): Promise<Error | undefined> {
  const totals = new Map(job.queries.map((q) => [q.id, newTotals()]));
  while (!signal.aborted) {
    await tick(intervalMs, signal);
    if (signal.aborted) break;
    for (const query of job.queries) {
      if (!(await query.isActive())) {
        const exception = await query.exception();
        return exception ?? new Error(`query ${query.name} (${query.id}) stopped`);
      }
      const reports = await query.recentProgress();
      const sum = accumulate(totals.get(query.id)!, reports);
      print(formatProgressLine(query.name ?? query.id, reports.at(-1) ?? null, sum));
    }
  }
  return undefined;
}

/** How long a stop may take before we say so and move on (Spark's own stop waits forever by default). */
const STOP_TIMEOUT_MS = 60_000;

/**
 * Stops a query; a query stuck in its sink (e.g. Cassandra gone) must not hang the CLI. A failed stop
 * RPC is a failure, never reported as "stopped": the query may still be running.
 */
async function stopWithin(query: StreamingQuery, timeoutMs: number, print: (line: string) => void): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    query.stop().then(
      () => ({ stopped: true as const }),
      (error: unknown) => ({ stopped: false as const, error }),
    ),
    new Promise<{ stopped: false; error?: undefined }>((resolve) => {
      timer = setTimeout(() => resolve({ stopped: false }), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome.stopped) return true;
  const why =
    outcome.error === undefined
      ? `did not stop within ${timeoutMs / 1000} s`
      : `could not be stopped (${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)})`;
  print(`${query.name} (${query.id}) ${why}; it may still be running: see \`make status\``);
  return false;
}

/** Stops every query of the job; resolves false if any of them could not be confirmed stopped. */
export async function stopAll(job: SubmittedJob, print: (line: string) => void): Promise<boolean> {
  let all = true;
  for (const query of job.queries) {
    if (await stopWithin(query, STOP_TIMEOUT_MS, print)) print(`stopped ${query.name} (${query.id})`);
    else all = false;
  }
  return all;
}
