import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfter, retryDelayMs, sleep, type BackoffPolicy } from './backoff.js';

const policy: BackoffPolicy = { baseMs: 500, maxMs: 8000, maxRetryAfterMs: 60_000 };

describe('backoffDelayMs', () => {
  it('doubles per attempt, between half and all of the exponential delay', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelayMs(a, policy, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((a) => backoffDelayMs(a, policy, () => 0.999999))).toEqual([500, 1000, 2000, 4000]);
  });

  it('is capped at maxMs', () => {
    expect(backoffDelayMs(10, policy, () => 1)).toBe(8000);
    expect(backoffDelayMs(1000, policy, () => 0)).toBe(4000);
  });

  it('is jittered', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelayMs(3, policy)));
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) expect(d).toBeGreaterThanOrEqual(2000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP date relative to now, past dates meaning "now"', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });
  it.each([null, undefined, '', 'soon', '-5', '1.5', 'Thursday'])('ignores %j', (v) => {
    expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('prefers the server Retry-After over backoff', () => {
    expect(retryDelayMs(0, policy, 3000, () => 0)).toBe(3000);
    expect(retryDelayMs(0, policy, 0, () => 0)).toBe(0);
    expect(retryDelayMs(2, policy, undefined, () => 0)).toBe(1000);
  });
});

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const ac = new AbortController();
    const p = sleep(10_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    await expect(sleep(10, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
