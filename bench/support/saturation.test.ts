import { describe, expect, it } from 'vitest';
import { saturationPoint } from './saturation.js';

const sweep = (rates: Record<number, number>) => Object.entries(rates).map(([c, r]) => ({ concurrencyLevel: Number(c), rowsPerSecond: r }));

describe('saturationPoint', () => {
  it('is the lowest concurrency within the margin of the best step, not the best step itself', () => {
    // A sweep of the bench (2026-12-07T09-53-05Z): 1,024 was best by 2 % over 256, by 10 % over 64.
    const steps = sweep({ 8: 29_808, 16: 33_860, 32: 35_400, 64: 39_175, 128: 35_438, 256: 42_131, 512: 34_507, 1024: 43_086 });
    expect(saturationPoint(steps, 0.05).concurrencyLevel).toBe(256);
    expect(saturationPoint(steps, 0.1).concurrencyLevel).toBe(64);
  });

  it('is the best step when no lower one comes near it', () => {
    const steps = sweep({ 8: 10_000, 16: 20_000, 32: 30_000 });
    expect(saturationPoint(steps, 0.05).concurrencyLevel).toBe(32);
  });

  it('refuses an empty sweep', () => {
    expect(() => saturationPoint([], 0.05)).toThrow(/no sweep step/);
  });
});
