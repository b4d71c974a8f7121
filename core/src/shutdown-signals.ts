// The one way every long-running streamline command ends: Ctrl-C (SIGINT), `kill` (SIGTERM) and a closed
// terminal (SIGHUP) all start the same clean shutdown; a second signal, while it runs, forces the exit.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * One stop request can arrive twice: `kill -TERM -- -<pgid>` of `make demo` reaches us directly and once
 * more through make, which forwards SIGTERM to its children. Within this window a second signal is the
 * same request; a person pressing Ctrl-C again takes longer than that.
 */
const SAME_REQUEST_MS = 300;

/**
 * Calls `shutdown` on the first signal; on a second one, calls `force` (which should end the process
 * quickly, e.g. by killing what it started) and exits 130 (128 + SIGINT, what shells report).
 */
export function onShutdownSignals(shutdown: (signal: NodeJS.Signals) => void, force: (signal: NodeJS.Signals) => void = () => undefined): () => void {
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      shutdown(signal);
      return;
    }
    if (Date.now() - firstAt < SAME_REQUEST_MS) return;
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
