/** A warm-up's runs, in order, and whether the last one had stopped rising. */
export interface WarmUp {
  rowsPerSecond: number[];
  steady: boolean;
}

/**
 * Runs `run` until its rate stops rising: a run within `rising` (a fraction) of the one before, or
 * below it, ends the warm-up; `maxRuns` bounds it. A fresh stack's JIT takes over a million rows to
 * settle (300,000-row drains of the job's defaults at 13,657, 16,593, 21,275, 22,541 and 23,822
 * rows/s, executors 43, 39, 24, 21, 21 µs of CPU per row): measured cold, the job is compared with
 * a Cassandra ceiling that its own sweep has warmed.
 */
export async function warmUntilSteady(run: () => Promise<number>, options: { rising: number; maxRuns: number }): Promise<WarmUp> {
  const rowsPerSecond: number[] = [];
  while (rowsPerSecond.length < options.maxRuns) {
    const rate = await run();
    const before = rowsPerSecond.at(-1);
    rowsPerSecond.push(rate);
    if (before !== undefined && rate <= before * (1 + options.rising)) return { rowsPerSecond, steady: true };
  }
  return { rowsPerSecond, steady: false };
}
