// The hosts project's safety net: before the run, remove whatever an earlier run that crashed left
// (namespaces, links, the processes inside them: all named with HOSTS_PREFIX); after it, the same, so
// nothing outlives the run even if a test file died before its afterAll. The shared local stack on
// 127.0.0.1 is never touched: it is neither started nor stopped here.
import { hostsUnsupportedReason, sweepHosts } from '../../stack/src/hosts/index.js';

export default async function setup(): Promise<() => Promise<void>> {
  const reason = hostsUnsupportedReason();
  if (reason !== undefined) {
    console.log(`[hosts] SKIPPED: ${reason}`);
    return async () => undefined;
  }
  const removed = await sweepHosts();
  if (removed.length > 0) console.log(`[hosts] removed leftovers of an earlier run: ${removed.join(', ')}`);
  return async () => {
    const left = await sweepHosts();
    if (left.length > 0) console.log(`[hosts] removed after the run: ${left.join(', ')}`);
  };
}
