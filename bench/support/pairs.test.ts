import { describe, expect, it } from 'vitest';
import { alternatingPairs, NOISY_SPREAD, pairedRatio } from './pairs.js';

const quiet = { cores: 2, loadBefore: 0.5, loadAfter: 0.5 };

describe('alternating pairs', () => {
  it('swap which side goes first every pair (A B, B A, A B)', async () => {
    const order: string[] = [];
    const runs = await alternatingPairs(
      3,
      async () => order.push('a'),
      async () => order.push('b'),
    );
    expect(order).toEqual(['a', 'b', 'b', 'a', 'a', 'b']);
    // Results stay on their own side, in pair order.
    expect(runs.a).toEqual([1, 4, 5]);
    expect(runs.b).toEqual([2, 3, 6]);
  });

  it('give the median and spread of the per-pair ratios', () => {
    const r = pairedRatio([10, 20, 40], [5, 30, 20], quiet);
    expect(r.ratio.runs).toEqual([0.5, 1.5, 0.5]);
    expect(r.ratio.median).toBe(0.5);
    expect(r.ratio.min).toBe(0.5);
    expect(r.ratio.max).toBe(1.5);
    expect(r.spread).toBeCloseTo(2);
    expect(r.noisy).toBe(true);
  });

  it('call a run noisy when the pairs disagree or the load exceeded the cores, not otherwise', () => {
    const close = [1, 1 + NOISY_SPREAD / 2, 1];
    expect(pairedRatio([1, 1, 1], close, quiet).noisy).toBe(false);
    expect(pairedRatio([1, 1, 1], close, { ...quiet, loadAfter: 3 }).noisy).toBe(true);
    expect(() => pairedRatio([1, 2], [1], quiet)).toThrow(/pairs/);
  });
});
