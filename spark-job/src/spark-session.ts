// Opening the Spark Connect session the job runs in: a new one for a fresh submit, or the remembered
// one (or --session-id) so that queries started by an earlier process are visible.
import { SparkSession } from 'spark-connect';
import type { SessionConfig } from './config.js';
import { loadSession, type SavedSession } from './session-store.js';

export function openSession(config: SessionConfig, reuse: SavedSession | undefined): SparkSession {
  const builder = SparkSession.builder().remote(config.remote);
  const sessionId = config.sessionId ?? reuse?.sessionId;
  if (sessionId) builder.sessionId(sessionId);
  if (reuse?.userId) builder.userId(reuse.userId);
  return builder.create();
}

/** The session `status` and `stop` should join: --session-id, else the one the last submit saved. */
export function joinSession(config: SessionConfig): { spark: SparkSession; saved: SavedSession | undefined } | undefined {
  const saved = loadSession(config.stateFile);
  if (!config.sessionId && !saved) return undefined;
  return { spark: openSession(config, saved), saved };
}
