import { describe, expect, it } from 'vitest';
import { ProducerWorkerError } from '../errors.js';
import { preparePage, type PreparedPage } from '../prepare.js';
import { SyntheticSource } from '../source/synthetic.js';
import { SyntheticWorkerPages } from './synthetic-worker.js';

const cfg = { kind: 'synthetic', results: 50, seed: 'worker-test' } as const;
const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);
const open = (): AbortSignal => new AbortController().signal;

/** A page without its produced_at (the time it was prepared), to compare pages made at different times. */
const timeless = (page: PreparedPage) => ({
  ...page,
  records: page.records.map((r) => ({ id: r.id, json: r.json.replace(/"produced_at":"[^"]*"/, '"produced_at":""') })),
});

async function inlinePages(counts: readonly number[]): Promise<PreparedPage[]> {
  const source = new SyntheticSource(cfg);
  const out: PreparedPage[] = [];
  for (const n of counts) out.push(preparePage(await source.fetch(n, open()), new Date().toISOString()));
  return out;
}

describe('SyntheticWorkerPages', () => {
  it('gives the pages the synthetic source gives on this thread, whether asked for ahead or not', async () => {
    const pages = new SyntheticWorkerPages(cfg);
    try {
      await pages.start();
      const got: PreparedPage[] = [await pages.next(50, open())];
      // 120 more wanted: pages of 50, 50 and 20 are prepared now; asking again adds none.
      pages.prepareAhead(120);
      pages.prepareAhead(120);
      for (const left of [120, 70, 20]) got.push(await pages.next(left, open()));
      expect(got.map((p) => p.records.length)).toEqual([50, 50, 50, 20]);
      expect(got.map(timeless)).toEqual((await inlinePages([50, 50, 50, 20])).map(timeless));
    } finally {
      await pages.close();
    }
  });

  it('stamps produced_at when the page is prepared', async () => {
    const pages = new SyntheticWorkerPages(cfg);
    try {
      await pages.start();
      const before = Date.now();
      const page = await pages.next(3, open());
      const stamp = Date.parse((JSON.parse(page.records[0]!.json) as { produced_at: string }).produced_at);
      expect(stamp).toBeGreaterThanOrEqual(before);
      expect(stamp).toBeLessThanOrEqual(Date.now());
    } finally {
      await pages.close();
    }
  });

  it('an abort rejects the wait with the reason', async () => {
    const pages = new SyntheticWorkerPages(cfg);
    try {
      const ac = new AbortController();
      const waiting = pages.next(50, ac.signal); // before start(): the worker is still loading
      ac.abort(new Error('stop'));
      await expect(waiting).rejects.toThrow('stop');
      await expect(pages.next(5, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    } finally {
      await pages.close();
    }
  });

  it('a worker that dies fails the waiting page and every later one with one typed line', async () => {
    const pages = new SyntheticWorkerPages(cfg, { entry: fixture('exits-after-ready.mjs') });
    try {
      await pages.start();
      const err = await pages.next(5, open()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProducerWorkerError);
      expect((err as Error).message).toMatch(/^the synthetic source's worker thread exited with code 3; no users can be generated/);
      expect((err as Error).message).not.toContain('\n');
      await expect(pages.next(5, open())).rejects.toBe(err);
    } finally {
      await pages.close();
    }
  });

  it('a worker that cannot load fails start()', async () => {
    const pages = new SyntheticWorkerPages(cfg, { entry: fixture('throws-on-load.mjs') });
    try {
      const err = await pages.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProducerWorkerError);
      expect((err as Error).message).toMatch(/worker thread failed: cannot load the generator/);
    } finally {
      await pages.close();
    }
  });

  it('after close(), no page is given', async () => {
    const pages = new SyntheticWorkerPages(cfg);
    await pages.start();
    await pages.close();
    await expect(pages.next(5, open())).rejects.toThrow(/closed/);
  });
});
