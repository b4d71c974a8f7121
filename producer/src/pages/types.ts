import type { PreparedPage } from '../prepare.js';
import type { SourceKind, SourceStats } from '../source/types.js';

/**
 * A source and the transform together: pages of users, validated and serialized, for the run loop.
 * Where the work happens is the implementation's business: on the main thread (InlinePages, for
 * sources that wait on the network) or in a worker thread (SyntheticWorkerPages, where generating
 * and preparing users is all the work there is).
 */
export interface PageSource {
  readonly label: SourceKind;
  /** Ready to give pages; the run loop starts its clock (pacing, rates) after this and the sink's start. */
  start(): Promise<void>;
  /**
   * The next page: users' worth as the source gives for `count` (an API page may hold more; the run
   * loop trims to --count). Rejects with signal.reason when aborted.
   */
  next(count: number, signal: AbortSignal): Promise<PreparedPage>;
  /**
   * The next `count` users after the page being sent are due already (the run loop is not pacing,
   * or is behind its schedule): a source that can prepare pages meanwhile starts now, never beyond
   * `count`. next() then gives those pages in order; their produced_at is when each was prepared.
   */
  prepareAhead(count: number): void;
  stats(): SourceStats;
  /** Releases threads and connections; pages not yet taken are dropped (they were never sent). */
  close(): Promise<void>;
}
