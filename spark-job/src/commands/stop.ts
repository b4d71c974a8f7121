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
    for (const query of queries) {
      await query.stop();
      print(`stopped ${query.name ?? ''} (${query.id})`);
    }
    if (queries.length === 0) print(`no active queries in session ${spark.sessionId}`);
    return queries.length;
  } finally {
    spark.close();
  }
}
