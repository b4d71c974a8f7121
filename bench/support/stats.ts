// Descriptive statistics over samples (nearest-rank percentiles: every reported value was observed).

export interface Distribution {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** The middle value; of an even count, the mean of the two middle ones (a nearest-rank p50 would report the lower as "the median" of two pairs). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Histogram with fixed-width bins over [0, upper]; values above upper go to the last bin. */
export function histogram(values: readonly number[], bins: number, upper: number): { from: number; to: number; count: number }[] {
  const width = upper / bins;
  const out = Array.from({ length: bins }, (_, i) => ({ from: i * width, to: (i + 1) * width, count: 0 }));
  for (const v of values) out[Math.min(bins - 1, Math.max(0, Math.floor(v / width)))]!.count++;
  return out;
}

export const round = (n: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/**
 * The steady-state rate of a cumulative series (rows written over seconds): the least-squares slope
 * over the samples between `from` and `to` of the final count, so that neither the start-up (first
 * batch, JIT) nor the tail (last partial batch) weighs in. NaN with fewer than 3 such samples.
 */
export function steadySlope(series: readonly { t: number; rows: number }[], total: number, from = 0.2, to = 0.8): number {
  const mid = series.filter((s) => s.rows >= total * from && s.rows <= total * to);
  if (mid.length < 3) return Number.NaN;
  const mt = mid.reduce((a, s) => a + s.t, 0) / mid.length;
  const mr = mid.reduce((a, s) => a + s.rows, 0) / mid.length;
  const cov = mid.reduce((a, s) => a + (s.t - mt) * (s.rows - mr), 0);
  const vt = mid.reduce((a, s) => a + (s.t - mt) ** 2, 0);
  return vt > 0 ? cov / vt : Number.NaN;
}
