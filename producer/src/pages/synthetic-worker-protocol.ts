// The messages between the run loop's thread and the synthetic source's worker thread.
import type { PreparedPage } from '../prepare.js';
import type { SyntheticSourceConfig } from '../source/synthetic.js';

/** What the worker is started with: the source's configuration, its seed already chosen. */
export type SyntheticWorkerData = SyntheticSourceConfig & { readonly seed: string };

/** One page of `count` users (the worker answers requests in the order they came). */
export interface PageRequest {
  readonly count: number;
}

/** The worker's messages: once `ready` (its modules loaded), then one reply per request. */
export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'page'; readonly page: PreparedPage }
  | { readonly kind: 'failed'; readonly message: string };
