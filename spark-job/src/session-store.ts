// Streaming queries belong to a Spark Connect session. `submit` remembers its session here so that a
// later `status` or `stop` (another process) can join it and find the queries.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SavedSession {
  remote: string;
  sessionId: string;
  userId: string;
  queries: { name: string; id: string }[];
  submittedAt: string;
}

export function loadSession(stateFile: string): SavedSession | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as SavedSession;
  } catch {
    return undefined;
  }
}

export function saveSession(stateFile: string, session: SavedSession): void {
  mkdirSync(path.dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
}
