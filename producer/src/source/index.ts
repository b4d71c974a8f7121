import type { Logger } from '../log.js';
import { RandomUserSource, type RandomUserSourceConfig } from './randomuser.js';
import { SyntheticSource, type SyntheticSourceConfig } from './synthetic.js';
import type { UserSource } from './types.js';

export type SourceConfig = RandomUserSourceConfig | SyntheticSourceConfig;

/** Builds exactly the source the config names; there is deliberately no automatic fallback. */
export function createSource(cfg: SourceConfig, log: Logger): UserSource {
  switch (cfg.kind) {
    case 'randomuser':
      return new RandomUserSource(cfg, { log });
    case 'synthetic': {
      const source = new SyntheticSource(cfg);
      log.info(`[synthetic] generating users locally (seed=${source.seed}); this is not randomuser.me data`);
      return source;
    }
  }
}
