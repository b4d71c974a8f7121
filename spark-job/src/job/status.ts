// The job's state as the server sees it: the active queries of its session with their latest progress,
// and the queries the last submit started that no longer run (with the failure, when there is one).
import type { SessionConfig } from '../config.js';
import { accumulate, formatProgressLine, newTotals } from '../progress.js';
import { joinSession } from '../spark-session.js';

export interface ActiveQueryStatus {
  readonly name: string;
  readonly id: string;
  /** One line: rows, rates, lag (the line `submit` prints live). */
  readonly progress: string;
  readonly message: string;
  readonly isDataAvailable: boolean;
  readonly isTriggerActive: boolean;
}

export interface EndedQueryStatus {
  readonly name: string;
  readonly id: string;
  /** The first line of the query's exception; undefined when it was stopped. */
  readonly failure: string | undefined;
}

export interface JobStatus {
  readonly sessionId: string;
  readonly remote: string;
  readonly active: readonly ActiveQueryStatus[];
  readonly ended: readonly EndedQueryStatus[];
}

/** The job's status; undefined when no job was submitted from here and no session id was given. */
export async function jobStatus(config: SessionConfig): Promise<JobStatus | undefined> {
  const joined = joinSession(config);
  if (!joined) return undefined;
  const { spark, saved } = joined;
  try {
    const active: ActiveQueryStatus[] = [];
    for (const query of await spark.streams.active()) {
      const status = await query.status();
      const reports = await query.recentProgress();
      active.push({
        name: query.name ?? query.id,
        id: query.id,
        progress: formatProgressLine(query.name ?? query.id, reports.at(-1) ?? null, accumulate(newTotals(), reports)),
        message: status.message,
        isDataAvailable: status.isDataAvailable,
        isTriggerActive: status.isTriggerActive,
      });
    }
    // The server keeps terminated queries, with their exception, for a while.
    const activeIds = new Set(active.map((q) => q.id));
    const ended: EndedQueryStatus[] = [];
    for (const savedQuery of saved?.queries ?? []) {
      if (activeIds.has(savedQuery.id)) continue;
      const query = await spark.streams.get(savedQuery.id);
      const exception = query ? await query.exception() : null;
      ended.push({ name: savedQuery.name, id: savedQuery.id, failure: exception ? exception.message.split('\n')[0] : undefined });
    }
    return { sessionId: spark.sessionId, remote: config.remote, active, ended };
  } finally {
    spark.close();
  }
}
