import { describe, expect, it } from 'vitest';
import { toUserRecord } from '../transform.js';
import { createPrng } from './prng.js';
import { SyntheticSource } from './synthetic.js';
import { generateUsers } from './synthetic-users.js';

const signal = new AbortController().signal;

describe('synthetic users', () => {
  it('are deterministic per (seed, page) and differ across pages and seeds', () => {
    expect(generateUsers('s', 1, 20)).toEqual(generateUsers('s', 1, 20));
    const ids = (u: ReturnType<typeof generateUsers>) => u.map((x) => x.login.uuid);
    expect(ids(generateUsers('s', 2, 20))).not.toEqual(ids(generateUsers('s', 1, 20)));
    expect(ids(generateUsers('t', 1, 20))).not.toEqual(ids(generateUsers('s', 1, 20)));
  });

  it('a shorter request is a prefix of a longer one (so --count cut-offs keep ids stable)', () => {
    expect(generateUsers('s', 3, 7)).toEqual(generateUsers('s', 3, 20).slice(0, 7));
  });

  it('reproduce the API quirks: GB/CA string postcodes, numeric ones, string coordinates, null id.value', () => {
    const users = generateUsers('quirks', 1, 400);
    const gb = users.filter((u) => u.nat === 'GB');
    const ca = users.filter((u) => u.nat === 'CA');
    expect(gb.length).toBeGreaterThan(0);
    expect(ca.length).toBeGreaterThan(0);
    for (const u of gb) expect(u.location.postcode).toMatch(/^[A-Z]{2}\d \d[A-Z]{2}$/);
    for (const u of ca) expect(u.location.postcode).toMatch(/^[A-Z]\d[A-Z] \d[A-Z]\d$/);
    expect(users.some((u) => typeof u.location.postcode === 'number')).toBe(true);
    for (const u of users) expect(typeof u.location.coordinates.latitude).toBe('string');
    expect(users.some((u) => u.id.value === null)).toBe(true);
    expect(new Set(users.map((u) => u.login.uuid)).size).toBe(users.length);
  });

  it('honour the nationality filter', () => {
    expect(new Set(generateUsers('n', 1, 50, ['GB']).map((u) => u.nat))).toEqual(new Set(['GB']));
  });

  it('all transform into valid records', () => {
    for (const u of generateUsers('valid', 1, 300)) expect(toUserRecord(u, new Date()).ok).toBe(true);
  });
});

describe('SyntheticSource', () => {
  it('with the same seed yields the same sequence of batches', async () => {
    const a = new SyntheticSource({ kind: 'synthetic', results: 10, seed: 'x' });
    const b = new SyntheticSource({ kind: 'synthetic', results: 10, seed: 'x' });
    const batchesA = [await a.fetch(10, signal), await a.fetch(10, signal)];
    const batchesB = [await b.fetch(10, signal), await b.fetch(10, signal)];
    expect(batchesA).toEqual(batchesB);
    expect(batchesA[0]).not.toEqual(batchesA[1]);
  });

  it('caps a batch at --results and draws a random seed when none is given', async () => {
    const s = new SyntheticSource({ kind: 'synthetic', results: 5 });
    expect(await s.fetch(100, signal)).toHaveLength(5);
    expect(await s.fetch(3, signal)).toHaveLength(3);
    expect(s.seed).not.toBe(new SyntheticSource({ kind: 'synthetic', results: 5 }).seed);
    expect(s.label).toBe('synthetic');
  });

  it('rejects when aborted', async () => {
    const s = new SyntheticSource({ kind: 'synthetic', results: 5 });
    await expect(s.fetch(1, AbortSignal.abort(new Error('bye')))).rejects.toThrow('bye');
  });
});

describe('createPrng', () => {
  it('is deterministic and in range', () => {
    const a = createPrng('k');
    const b = createPrng('k');
    for (let i = 0; i < 100; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
