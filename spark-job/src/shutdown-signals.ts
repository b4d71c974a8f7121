// The one way every long-running command of the job ends: Ctrl-C (SIGINT), `kill` (SIGTERM) and a closed
// terminal (SIGHUP) all start the same clean shutdown; a second signal, while it runs, forces the exit.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Calls `shutdown` on the first signal; on a second one, calls `force` (which should end the process
 * quickly, e.g. by killing what it started) and exits 130 (128 + SIGINT, what shells report).
 */
export function onShutdownSignals(shutdown: (signal: NodeJS.Signals) => void, force: (signal: NodeJS.Signals) => void = () => undefined): () => void {
  let received = 0;
  const handler = (signal: NodeJS.Signals): void => {
    received++;
    if (received === 1) {
      shutdown(signal);
      return;
    }
    try {
      force(signal);
    } finally {
      process.exit(130);
    }
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}
