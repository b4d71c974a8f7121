// The two Spark Connect servers every compatibility test runs against: the local stack's 3.5.7 (which
// tests/global-setup.ts brings up) and the optional Spark 4.0.1 server, started here the first time a
// test file asks for it (idempotent: later files, or a developer's `make spark4-up`, reuse it). The
// global setup's teardown stops it again if this run started it.
import { loadStackConfig, stackPaths, up } from '../../../stack/src/index.js';
import { spark4Remote } from '../../../stack/src/services/spark4-connect.js';
import { REMOTE } from './remote.js';

export interface ConnectServer {
  /** What test names show: `Spark 3.5` / `Spark 4.0`. */
  label: string;
  /** The major.minor the server must report (a wrong server fails the suite instead of passing it). */
  version: string;
  /** Resolves the server's remote, starting it if it is optional and down. */
  remote: () => Promise<string>;
}

let spark4: Promise<string> | undefined;

export function ensureSpark4(): Promise<string> {
  spark4 ??= (async () => {
    const config = loadStackConfig();
    await up(config, (line) => console.log(`[spark4] ${line}`), { group: 'spark4' });
    return spark4Remote({ config, paths: stackPaths(config) });
  })();
  return spark4;
}

export const SERVERS: readonly ConnectServer[] = [
  { label: 'Spark 3.5', version: '3.5', remote: async () => REMOTE },
  { label: 'Spark 4.0', version: '4.0', remote: ensureSpark4 },
];
