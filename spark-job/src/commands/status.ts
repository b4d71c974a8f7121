// `status`: the queries of the job's session, with their latest progress.
import type { SessionConfig } from '../config.js';
import { accumulate, formatProgressLine, newTotals } from '../progress.js';
import { joinSession } from '../spark-session.js';

/** Prints the active queries; resolves to how many there are. */
export async function printStatus(config: SessionConfig, print: (line: string) => void): Promise<number> {
  const joined = joinSession(config);
  if (!joined) {
    print(`no job has been submitted from here (no ${config.stateFile}); start one with \`make submit\`, or pass --session-id`);
    return 0;
  }
  const { spark } = joined;
  try {
    const queries = await spark.streams.active();
    print(`session ${spark.sessionId} on ${config.remote}: ${queries.length} active quer${queries.length === 1 ? 'y' : 'ies'}`);
    for (const query of queries) {
      const status = await query.status();
      const reports = await query.recentProgress();
      print(formatProgressLine(query.name ?? query.id, reports.at(-1) ?? null, accumulate(newTotals(), reports)));
      print(`  id ${query.id} — ${status.message}${status.isDataAvailable ? ', data available' : ''}${status.isTriggerActive ? ', trigger active' : ''}`);
    }
    // Queries the last submit started that are no longer active: say why (the server keeps
    // terminated queries, with their exception, for a while).
    const activeIds = new Set(queries.map((q) => q.id));
    for (const savedQuery of joined.saved?.queries ?? []) {
      if (activeIds.has(savedQuery.id)) continue;
      const query = await spark.streams.get(savedQuery.id);
      const exception = query ? await query.exception() : null;
      print(`${savedQuery.name.padEnd(26)} NOT RUNNING (id ${savedQuery.id})${exception ? ` — failed: ${exception.message.split('\n')[0]}` : ' — stopped'}`);
    }
    return queries.length;
  } finally {
    spark.close();
  }
}
