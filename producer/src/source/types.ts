import type { Logger } from '../log.js';

/**
 * Where users come from. Results are returned as `unknown`: whatever the origin, the transform
 * validates each one, so a source only guarantees the envelope was sane.
 */
export interface UserSource {
  /** Shown in every report line, so nobody mistakes synthetic data for API data. */
  readonly label: SourceKind;
  /** Fetches up to `count` users (fewer only if the origin returns fewer). Rejects with signal.reason when aborted. */
  fetch(count: number, signal: AbortSignal): Promise<readonly unknown[]>;
  stats(): SourceStats;
}

export type SourceKind = 'randomuser' | 'synthetic';

export interface SourceStats {
  /** Attempts that were retried. */
  readonly retries: number;
  /** Failed attempts (including the retried ones). */
  readonly errors: number;
}

export interface SourceDeps {
  readonly log: Logger;
}
