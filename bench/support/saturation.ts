/** One step of a concurrency sweep. */
export interface SweepStep {
  concurrencyLevel: number;
  rowsPerSecond: number;
}

/**
 * Where a sweep saturates: the lowest concurrency whose rate is within `rising` (a fraction) of the
 * best step's. Beyond it a step's gain is within the noise of one short step, and more requests in
 * flight only load the node more: on a sustained run of 500k rows, unlogged batches at concurrency
 * 1,024 (the best 100k-row step of one sweep, by 2 %) gave 18,105–27,593 rows/s and timed statements
 * out, at 64 30,290–31,462 rows/s (bench/README.md).
 */
export function saturationPoint<T extends SweepStep>(steps: readonly T[], rising: number): T {
  if (steps.length === 0) throw new Error('saturationPoint: no sweep step');
  const best = Math.max(...steps.map((s) => s.rowsPerSecond));
  const near = steps.filter((s) => s.rowsPerSecond * (1 + rising) >= best);
  return near.reduce((a, b) => (b.concurrencyLevel < a.concurrencyLevel ? b : a));
}

/**
 * Runs `step` (0, 1, 2, …) until its rate stops rising: two runs in a row that do not beat the best
 * so far by `rising` (a fraction); at most `max` runs. `flat` is false when `max` came first. Two,
 * not one: on two shared cores one run can come out low while the trend still rises (a fresh
 * stack's 200k-row warm-up drains at 10,314, 15,880, then 15,228 rows/s; they settle above 22,000).
 */
export async function runUntilFlat<T>(
  max: number,
  step: (i: number) => Promise<T>,
  rateOf: (t: T) => number,
  rising: number,
): Promise<{ steps: T[]; flat: boolean }> {
  const steps: T[] = [];
  let best = 0;
  let flat = 0;
  for (let i = 0; i < max; i++) {
    const s = await step(i);
    steps.push(s);
    if (rateOf(s) > best * (1 + rising)) {
      best = rateOf(s);
      flat = 0;
    } else if (++flat >= 2) {
      return { steps, flat: true };
    }
  }
  return { steps, flat: false };
}

/** A concurrency sweep: each level in turn until the rate stops rising (runUntilFlat). */
export async function sweepUntilFlat<T extends SweepStep>(
  levels: readonly number[],
  step: (level: number) => Promise<T>,
  rising: number,
): Promise<{ steps: T[]; saturated: boolean }> {
  const sweep = await runUntilFlat(
    levels.length,
    (i) => step(levels[i]!),
    (s) => s.rowsPerSecond,
    rising,
  );
  return { steps: sweep.steps, saturated: sweep.flat };
}
