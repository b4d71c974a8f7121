// One real local stack for the whole integration run: started here if it is not already up, reused if
// it is (a developer's `make stack-up`), and stopped afterwards only if this run started it.
import { down, loadStackConfig, up } from '../stack/src/index.js';

export default async function setup(): Promise<() => Promise<void>> {
  const config = loadStackConfig();
  const log = (line: string): void => console.log(`[stack] ${line}`);
  const result = await up(config, log);
  return async () => {
    if (result.started.length === 0 || process.env.STREAMLINE_KEEP_STACK === '1') return;
    const everything = result.alreadyRunning.length === 0;
    await down(config, log, everything ? {} : { only: result.started });
  };
}
