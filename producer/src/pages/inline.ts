// Pages from a source, prepared on the calling thread. For the randomuser API (the time goes into
// waiting for it) and for sources injected by tests.
import { preparePage, type PreparedPage } from '../prepare.js';
import type { SourceStats, UserSource } from '../source/types.js';
import type { PageSource } from './types.js';

export class InlinePages implements PageSource {
  readonly label: UserSource['label'];

  constructor(private readonly source: UserSource) {
    this.label = source.label;
  }

  async start(): Promise<void> {}

  async next(count: number, signal: AbortSignal): Promise<PreparedPage> {
    const users = await this.source.fetch(count, signal);
    // produced_at: when the users arrived, one timestamp for the page (formatted once).
    return preparePage(users, new Date().toISOString());
  }

  /** Nothing to overlap: the next fetch is a request that must not be sent before it is due. */
  prepareAhead(_count: number): void {}

  stats(): SourceStats {
    return this.source.stats();
  }

  async close(): Promise<void> {}
}
