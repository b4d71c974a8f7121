// Stopping the job from another process: join its session and stop its active queries. Checkpoints are
// kept, so the next submit resumes exactly where this one stopped.
import type { SessionConfig } from '../config.js';
import { joinSession } from '../spark-session.js';
import { QueriesNotStoppedError } from './errors.js';
import type { LineSink } from './running-job.js';

export interface StopResult {
  /** The session joined; undefined when no job was submitted from here and no session id was given. */
  readonly sessionId: string | undefined;
  readonly stopped: readonly { name: string; id: string }[];
}

/** Stops every active query of the session; throws QueriesNotStoppedError if any stop failed (after trying all). */
export async function stopJob(config: SessionConfig, log: LineSink): Promise<StopResult> {
  const joined = joinSession(config);
  if (!joined) return { sessionId: undefined, stopped: [] };
  const { spark } = joined;
  try {
    const queries = await spark.streams.active();
    const stopped: { name: string; id: string }[] = [];
    const failures: string[] = [];
    for (const query of queries) {
      try {
        await query.stop();
        stopped.push({ name: query.name ?? '', id: query.id });
        log(`stopped ${query.name ?? ''} (${query.id})`);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        log(`could not stop ${query.name ?? ''} (${query.id}): ${reason}`);
        failures.push(query.id);
      }
    }
    if (failures.length > 0)
      throw new QueriesNotStoppedError(`${failures.length} of ${queries.length} queries could not be stopped; they may still be running`);
    return { sessionId: spark.sessionId, stopped };
  } finally {
    spark.close();
  }
}
