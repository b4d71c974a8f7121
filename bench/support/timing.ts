// Clocks and bounded waiting. Every wait in the bench has a deadline: nothing loops forever.
import { setTimeout as sleepMs } from 'node:timers/promises';

export const sleep = (ms: number): Promise<void> => sleepMs(ms).then(() => undefined);

/** Monotonic milliseconds (for durations). */
export const nowMs = (): number => performance.now();

/** Runs fn and returns its result with the elapsed wall time in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = nowMs();
  const value = await fn();
  return { value, ms: nowMs() - t0 };
}

/** Polls check() every intervalMs until it returns a value other than undefined; throws after timeoutMs. */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined>, options: { intervalMs: number; timeoutMs: number }): Promise<T> {
  const deadline = nowMs() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (nowMs() >= deadline) throw new Error(`timed out after ${(options.timeoutMs / 1000).toFixed(0)}s waiting for ${what}`);
    await sleep(options.intervalMs);
  }
}

/** Runs a periodic sampler in the background until stop() is called; never overlaps two samples. */
export function every(intervalMs: number, sample: () => Promise<void> | void): { stop: () => Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t0 = nowMs();
      try {
        await sample();
      } catch {
        // A failed sample is a missing point, not a failed benchmark.
      }
      await sleep(Math.max(0, intervalMs - (nowMs() - t0)));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
