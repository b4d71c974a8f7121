import type { Logger } from '../log.js';
import { RandomUserSource } from '../source/randomuser.js';
import type { SourceConfig } from '../source/index.js';
import { InlinePages } from './inline.js';
import { SyntheticWorkerPages } from './synthetic-worker.js';
import type { PageSource } from './types.js';

export { InlinePages } from './inline.js';
export { SyntheticWorkerPages } from './synthetic-worker.js';
export type { PageSource } from './types.js';

/** The pages of the source the config names; there is deliberately no automatic fallback. */
export function createPages(cfg: SourceConfig, log: Logger): PageSource {
  switch (cfg.kind) {
    case 'randomuser':
      return new InlinePages(new RandomUserSource(cfg, { log }));
    case 'synthetic': {
      const pages = new SyntheticWorkerPages(cfg);
      log.info(`[synthetic] generating users locally (seed=${pages.seed}); this is not randomuser.me data`);
      return pages;
    }
  }
}
