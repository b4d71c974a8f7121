import { describe, expect, it } from 'vitest';
import { toUserRecord } from '../transform.js';
import { createPrng } from './prng.js';
import { SyntheticSource } from './synthetic.js';
import { generateUsers, isoUtc, syntheticUuid } from './synthetic-users.js';

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

describe('isoUtc', () => {
  it('is toISOString for instants in years 1000-9999: random ones, and around days, months, leap years and the epoch', () => {
    const edges = [0, -1, 1, 86_399_999, 86_400_000, -86_400_000, Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];
    for (const year of [1900, 1945, 1970, 1999, 2000, 2004, 2023, 2100])
      for (const [m, d] of [
        [0, 1],
        [1, 28],
        [1, 29],
        [2, 1],
        [11, 31],
      ] as const)
        for (const delta of [-1, 0, 1]) edges.push(Date.UTC(year, m, d) + delta);
    const random = Array.from({ length: 20_000 }, () => Date.UTC(1000, 0, 1) + Math.floor(Math.random() * (Date.UTC(9999, 0, 1) - Date.UTC(1000, 0, 1))));
    const all = [...edges, ...random];
    expect(all.map(isoUtc)).toEqual(all.map((ms) => new Date(ms).toISOString()));
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

describe('synthetic ids', () => {
  // A 32-bit generator state gave 2,897 repeats in 960,000 records (and 3,468 in a million users of
  // 1,000 pages): each page's stream was a window of one 2^32-long cycle, and the windows of pages
  // overlapped. Random v4 UUIDs (122 random bits) repeat among 250,000 with odds of about 10^-26, so
  // a single repeat here is a bug.
  it('do not repeat: 250,000 ids over 12,500 pages of one seed', { timeout: 20_000 }, () => {
    const seen = new Set<string>();
    const pages = 12_500;
    const perPage = 20;
    for (let page = 1; page <= pages; page++) {
      const p = createPrng(`unique-ids:${page}`);
      for (let i = 0; i < perPage; i++) seen.add(syntheticUuid(p));
    }
    expect(seen.size).toBe(pages * perPage);
  });

  it('are RFC 4122 version 4 UUIDs', () => {
    const p = createPrng('v4');
    for (let i = 0; i < 1_000; i++) expect(syntheticUuid(p)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('use every hex digit evenly in their random positions', () => {
    const p = createPrng('spread');
    const counts = new Map<string, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) for (const c of syntheticUuid(p).replaceAll('-', '').slice(0, 12)) counts.set(c, (counts.get(c) ?? 0) + 1);
    // 240,000 digits: each of 16 expected 15,000 times; ±5 % is far outside chance (σ ≈ 119).
    expect(counts.size).toBe(16);
    for (const count of counts.values()) expect(Math.abs(count - (n * 12) / 16)).toBeLessThan(750);
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
