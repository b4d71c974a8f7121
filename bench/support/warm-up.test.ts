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
  it('goes on past one low run while the trend still rises, and stops after two without a gain', async () => {
    // A fresh stack: 15,228 is below 15,880, but the drains go on rising; 24,061 and 23,500 do not
    // beat 23,822 by 5 %.
    const warm = await warmUntilSteady(runs([10_314, 15_880, 15_228, 21_275, 23_822, 24_061, 23_500, 30_000]), { rising: 0.05, maxRuns: 8 });
    expect(warm).toEqual({ rowsPerSecond: [10_314, 15_880, 15_228, 21_275, 23_822, 24_061, 23_500], steady: true });
  });

  it('says so when the bound ends it while still rising', async () => {
    expect(await warmUntilSteady(runs([10_000, 12_000, 15_000]), { rising: 0.05, maxRuns: 3 })).toEqual({
      rowsPerSecond: [10_000, 12_000, 15_000],
      steady: false,
    });
  });
});
