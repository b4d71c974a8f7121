// `stop`: stops the job's queries (found through the remembered session). Checkpoints are kept, so the
// next submit resumes exactly where this one stopped.
import type { SessionConfig } from '../config.js';
import { joinSession } from '../spark-session.js';

export async function stopJob(config: SessionConfig, print: (line: string) => void): Promise<number> {
  const joined = joinSession(config);
  if (!joined) {
    print(`nothing to stop: no job has been submitted from here (no ${config.stateFile}); pass --session-id to name one`);
    return 0;
  }
  const { spark } = joined;
  try {
    const queries = await spark.streams.active();
    // Every query gets its stop even if an earlier one fails; a failed stop RPC is reported as such.
    const failures: string[] = [];
    for (const query of queries) {
      try {
        await query.stop();
        print(`stopped ${query.name ?? ''} (${query.id})`);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        print(`could not stop ${query.name ?? ''} (${query.id}): ${reason}`);
        failures.push(query.id);
      }
    }
    if (failures.length > 0) throw new Error(`${failures.length} of ${queries.length} queries could not be stopped; see \`make status\``);
    if (queries.length === 0) print(`no active queries in session ${spark.sessionId}`);
    return queries.length;
  } finally {
    spark.close();
  }
}
