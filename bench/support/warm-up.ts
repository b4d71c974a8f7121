import { runUntilFlat } from './saturation.js';

/** A warm-up's runs, in order, and whether they had stopped rising. */
export interface WarmUp {
  rowsPerSecond: number[];
  steady: boolean;
}

/**
 * Runs `run` until its rate stops rising (runUntilFlat: two runs in a row without a gain of
 * `rising`), at most `maxRuns`. A fresh stack's JIT takes over a million rows to settle
 * (300,000-row drains of the job's defaults at 13,657, 16,593, 21,275, 22,541 and 23,822 rows/s,
 * executors 43, 39, 24, 21, 21 µs of CPU per row): measured cold, the job is compared with a
 * Cassandra ceiling that its own sweep has warmed.
 */
export async function warmUntilSteady(run: () => Promise<number>, options: { rising: number; maxRuns: number }): Promise<WarmUp> {
  const warm = await runUntilFlat(options.maxRuns, run, (rate) => rate, options.rising);
  return { rowsPerSecond: warm.steps, steady: warm.flat };
}
