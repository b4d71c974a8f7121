// One real local stack for the whole integration run: started here if it is not already up, reused if
// it is (a developer's `make stack-up`), and stopped afterwards only if this run started it. The optional
// Spark 4 Connect server is started by the first test that asks for it (tests/integration/spark-connect/
// servers.ts); if this run started it, it is stopped here too.
import { down, loadStackConfig, status, up } from '@streamline/stack';

export default async function setup(): Promise<() => Promise<void>> {
  const config = loadStackConfig();
  const log = (line: string): void => console.log(`[stack] ${line}`);
  const result = await up(config, log);
  const spark4WasUp = (await status(config, 'spark4')).some((s) => s.running);
  return async () => {
    if (process.env.STREAMLINE_KEEP_STACK === '1') return;
    if (!spark4WasUp && (await status(config, 'spark4')).some((s) => s.running)) await down(config, log, { group: 'spark4' });
    if (result.started.length === 0) return;
    const everything = result.alreadyRunning.length === 0;
    await down(config, log, everything ? {} : { only: result.started });
  };
}
