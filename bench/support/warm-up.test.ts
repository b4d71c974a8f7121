import { describe, expect, it } from 'vitest';
import { warmUntilSteady } from './warm-up.js';

function runs(rates: number[]): () => Promise<number> {
  let i = 0;
  return async () => {
    const rate = rates[i++];
    if (rate === undefined) throw new Error('ran more often than the test allows');
    return rate;
  };
}

describe('warmUntilSteady', () => {
  it('stops at the first run within the margin of the one before', async () => {
    // A fresh stack's drains (warm-up.ts), each still 5.6-30 % above the one before, then one 1 % above.
    const warm = await warmUntilSteady(runs([13_657, 16_593, 21_275, 22_541, 23_822, 24_061, 30_000]), { rising: 0.05, maxRuns: 8 });
    expect(warm).toEqual({ rowsPerSecond: [13_657, 16_593, 21_275, 22_541, 23_822, 24_061], steady: true });
  });

  it('a run slower than the one before ends it too', async () => {
    expect(await warmUntilSteady(runs([20_000, 18_000]), { rising: 0.05, maxRuns: 6 })).toEqual({ rowsPerSecond: [20_000, 18_000], steady: true });
  });

  it('says so when the bound ends it while still rising', async () => {
    expect(await warmUntilSteady(runs([10_000, 12_000, 15_000]), { rising: 0.05, maxRuns: 3 })).toEqual({
      rowsPerSecond: [10_000, 12_000, 15_000],
      steady: false,
    });
  });
});
