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
 * Runs `step` at each level in turn until the rate stops rising: two levels in a row that do not
 * beat the best so far by `rising` (a fraction). `saturated` is false when the levels ran out first.
 */
export async function sweepUntilFlat<T extends SweepStep>(
  levels: readonly number[],
  step: (level: number) => Promise<T>,
  rising: number,
): Promise<{ steps: T[]; saturated: boolean }> {
  const steps: T[] = [];
  let best = 0;
  let flat = 0;
  for (const level of levels) {
    const s = await step(level);
    steps.push(s);
    if (s.rowsPerSecond > best * (1 + rising)) {
      best = s.rowsPerSecond;
      flat = 0;
    } else if (++flat >= 2) {
      return { steps, saturated: true };
    }
  }
  return { steps, saturated: false };
}
