import type { RandomUserSourceConfig } from './randomuser.js';
import type { SyntheticSourceConfig } from './synthetic.js';

/** Which source, and its settings (config.ts builds it; pages/createPages builds the source from it). */
export type SourceConfig = RandomUserSourceConfig | SyntheticSourceConfig;
