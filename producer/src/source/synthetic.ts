// Locally generated users in randomuser's format. Chosen explicitly with --source synthetic (for
// load tests, offline work, or when the API is down); it is never a silent fallback.

import { randomUUID } from 'node:crypto';
import type { Nationality } from '../randomuser-types.js';
import { generateUsers } from './synthetic-users.js';
import type { SourceStats, UserSource } from './types.js';

export interface SyntheticSourceConfig {
  readonly kind: 'synthetic';
  /** Users generated per fetch, like --results for the API. */
  readonly results: number;
  readonly nat?: readonly Nationality[];
  /** Same seed => same users in the same order. Without one a random seed is drawn (and logged). */
  readonly seed?: string;
}

export class SyntheticSource implements UserSource {
  readonly label = 'synthetic' as const;
  readonly seed: string;
  private page = 0;

  constructor(private readonly cfg: SyntheticSourceConfig) {
    this.seed = cfg.seed ?? randomUUID();
  }

  stats(): SourceStats {
    return { retries: 0, errors: 0 };
  }

  fetch(count: number, signal: AbortSignal): Promise<readonly unknown[]> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const n = Math.max(1, Math.min(count, this.cfg.results));
    return Promise.resolve(generateUsers(this.seed, ++this.page, n, this.cfg.nat));
  }
}
