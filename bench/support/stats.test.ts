import { describe, expect, it } from 'vitest';
import { median, steadySlope } from './stats.js';

describe('steadySlope', () => {
  it('is the rate of the middle of a drain, not of its slow start or tail', () => {
    // 10 s of start-up at 100 rows/s, then 1,000 rows/s up to 20,000 rows, then a slow tail.
    const series: { t: number; rows: number }[] = [];
    for (let t = 0; t <= 10; t += 0.5) series.push({ t, rows: 100 * t });
    for (let t = 10.5; t <= 29; t += 0.5) series.push({ t, rows: 1000 + 1000 * (t - 10) });
    series.push({ t: 40, rows: 20_000 });
    expect(steadySlope(series, 20_000)).toBeCloseTo(1000, 6);
  });

  it('is NaN when too few samples fall in the window', () => {
    expect(
      steadySlope(
        [
          { t: 1, rows: 0 },
          { t: 2, rows: 100 },
        ],
        100,
      ),
    ).toBeNaN();
  });
});

describe('median', () => {
  it('is the middle value of an odd count and the mean of the two middle ones of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1.26, 1.05])).toBeCloseTo(1.155, 10);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
