import { describe, expect, it } from 'vitest';
import { saturationPoint, sweepUntilFlat } from './saturation.js';

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

describe('sweepUntilFlat', () => {
  const rates: Record<number, number> = { 8: 27_542, 16: 29_000, 32: 31_984, 64: 32_046, 128: 31_000, 256: 40_000 };
  const step = async (level: number) => ({ concurrencyLevel: level, rowsPerSecond: rates[level]! });

  it('stops after two levels in a row without a gain over the best so far', async () => {
    const sweep = await sweepUntilFlat([8, 16, 32, 64, 128, 256], step, 0.05);
    // 16 is 5.3 % above 8 and 32 10 % above 16: rising; 64 and 128 are not: saturated before 256.
    expect(sweep.steps.map((s) => s.concurrencyLevel)).toEqual([8, 16, 32, 64, 128]);
    expect(sweep.saturated).toBe(true);
  });

  it('says so when the levels run out while it still rises', async () => {
    const sweep = await sweepUntilFlat([8, 16], step, 0.05);
    expect(sweep).toEqual({
      steps: [
        { concurrencyLevel: 8, rowsPerSecond: 27_542 },
        { concurrencyLevel: 16, rowsPerSecond: 29_000 },
      ],
      saturated: false,
    });
  });
});
