// A submitted job: its session and its query (a list: a caller may hold several), with what a caller
// does to a running job — watch its progress, stop it, let go of the session.
import type { SparkSession, StreamingQuery } from 'spark-connect';
import { accumulate, formatProgressLine, newTotals } from '../progress.js';
import { QueryEndedError } from './errors.js';

export type LineSink = (line: string) => void;

/** How long a stop may take before we say so and move on (Spark's own stop waits forever by default). */
export const STOP_TIMEOUT_MS = 60_000;

export class RunningJob {
  constructor(
    readonly spark: SparkSession,
    readonly queries: readonly StreamingQuery[],
    private readonly log: LineSink,
  ) {}

  /**
   * Reports one progress line per query every interval until the signal aborts or a query ends; resolves
   * to the ended query's error (undefined when the signal stopped the watch).
   */
  async watch(intervalMs: number, signal: AbortSignal, onLine: LineSink = this.log): Promise<Error | undefined> {
    const totals = new Map(this.queries.map((q) => [q.id, newTotals()]));
    while (!signal.aborted) {
      await tick(intervalMs, signal);
      if (signal.aborted) break;
      for (const query of this.queries) {
        if (!(await query.isActive())) {
          return (await query.exception()) ?? new QueryEndedError(`query ${query.name} (${query.id}) stopped`);
        }
        const reports = await query.recentProgress();
        const sum = accumulate(totals.get(query.id)!, reports);
        onLine(formatProgressLine(query.name ?? query.id, reports.at(-1) ?? null, sum));
      }
    }
    return undefined;
  }

  /** Stops every query (checkpoints kept); resolves false if any could not be confirmed stopped. */
  async stop(timeoutMs = STOP_TIMEOUT_MS): Promise<boolean> {
    let all = true;
    for (const query of this.queries) {
      if (await stopWithin(query, timeoutMs, this.log)) this.log(`stopped ${query.name} (${query.id})`);
      else all = false;
    }
    return all;
  }

  /** Lets go of the session; the queries keep running on the server. */
  close(): void {
    this.spark.close();
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

/**
 * Stops a query; a query stuck in its sink (e.g. Cassandra gone) must not hang the caller. A failed stop
 * RPC is a failure, never reported as "stopped": the query may still be running.
 */
export async function stopWithin(query: StreamingQuery, timeoutMs: number, log: LineSink): Promise<boolean> {
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
      : `could not be stopped (${outcome.error instanceof Error ? outcome.error.message.split('\n')[0] : String(outcome.error)})`;
  log(`${query.name} (${query.id}) ${why}; it may still be running: see the job's status`);
  return false;
}
