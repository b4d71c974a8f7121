import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RandomUserUnavailableError } from '../errors.js';
import { memoryLogger } from '../log.js';
import { startFakeRandomUserApi, type FakeRandomUserApi } from '../testing/fake-randomuser-api.js';
import { toUserRecord } from '../transform.js';
import { probeRandomUser, RandomUserSource, randomUserUrl, type RandomUserSourceConfig } from './randomuser.js';

let api: FakeRandomUserApi;
beforeAll(async () => {
  api = await startFakeRandomUserApi();
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
  api.setPersistentFault(undefined);
});

// Small delays keep the retry tests fast; the arithmetic itself is tested in backoff.test.ts.
function source(over: Partial<RandomUserSourceConfig> = {}) {
  const log = memoryLogger();
  const cfg: RandomUserSourceConfig = {
    kind: 'randomuser',
    baseUrl: api.url,
    results: 10,
    timeoutMs: 2000,
    maxRetries: 3,
    backoff: { baseMs: 10, maxMs: 40, maxRetryAfterMs: 5000 },
    ...over,
  };
  return { src: new RandomUserSource(cfg, { log }), log };
}
const signal = () => new AbortController().signal;

describe('randomUserUrl', () => {
  it('pins /api/1.4/ and encodes the options', () => {
    expect(randomUserUrl({ baseUrl: 'https://randomuser.me/', nat: ['GB', 'CA'], seed: 'a b' }, 50, 2)).toBe(
      'https://randomuser.me/api/1.4/?results=50&nat=gb%2Cca&seed=a+b&page=2',
    );
    expect(randomUserUrl({ baseUrl: 'http://h:1' }, 1)).toBe('http://h:1/api/1.4/?results=1');
  });
});

describe('RandomUserSource against the fake API', () => {
  it('fetches a batch from the pinned version, every user transformable', async () => {
    const { src } = source();
    const users = await src.fetch(10, signal());
    expect(users).toHaveLength(10);
    expect(api.requests[0]?.path).toBe('/api/1.4/');
    for (const u of users) expect(toUserRecord(u, new Date()).ok).toBe(true);
    expect(src.stats()).toEqual({ retries: 0, errors: 0 });
  });

  it('never asks for more than --results, nor more than needed', async () => {
    const { src } = source({ results: 10 });
    expect(await src.fetch(1000, signal())).toHaveLength(10);
    expect(await src.fetch(3, signal())).toHaveLength(3);
    expect(api.requests.map((r) => r.query.results)).toEqual(['10', '3']);
  });

  it('with a seed walks pages, and a second source with the same seed gets the same users', async () => {
    const a = source({ seed: 'fixed', nat: ['GB', 'CA'] }).src;
    const b = source({ seed: 'fixed', nat: ['GB', 'CA'] }).src;
    const a1 = await a.fetch(10, signal());
    const a2 = await a.fetch(10, signal());
    expect(await b.fetch(10, signal())).toEqual(a1);
    expect(a2).not.toEqual(a1);
    expect(api.requests.map((r) => r.query.page)).toEqual(['1', '2', '1']);
    expect(api.requests[0]?.query.nat).toBe('gb,ca');
    // GB/CA postcodes are strings: exactly what crashed the tutorial's int(postcode).
    for (const u of a1) expect(typeof (u as { location: { postcode: unknown } }).location.postcode).toBe('string');
  });

  it('retries 429 (honouring Retry-After), 503, {"results":[]}, malformed and error bodies, and resets', async () => {
    api.enqueue({ kind: 'status', status: 429, retryAfter: '0' }, { kind: 'status', status: 503 }, { kind: 'empty' }, { kind: 'malformed' });
    const { src, log } = source({ maxRetries: 4 });
    const users = await src.fetch(5, signal());
    expect(users).toHaveLength(5);
    expect(src.stats()).toEqual({ retries: 4, errors: 4 });
    expect(log.lines.join('\n')).toMatch(/HTTP 429.*cowboy/);
    expect(log.lines.join('\n')).toMatch(/empty "results"/);
    expect(log.lines.join('\n')).toMatch(/malformed JSON body/);

    api.enqueue({ kind: 'error-body' }, { kind: 'reset' });
    const again = source();
    expect(await again.src.fetch(2, signal())).toHaveLength(2);
    expect(again.log.lines.join('\n')).toMatch(/API error: Uh oh/);
    expect(again.log.lines.join('\n')).toMatch(/network error/);
  });

  it('waits as long as Retry-After says', async () => {
    api.enqueue({ kind: 'status', status: 429, retryAfter: '1' });
    const { src } = source();
    const t0 = Date.now();
    await src.fetch(1, signal());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('gives up immediately when Retry-After is longer than we are willing to wait', async () => {
    api.enqueue({ kind: 'status', status: 429, retryAfter: '3600' });
    const err = await source()
      .src.fetch(1, signal())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RandomUserUnavailableError);
    expect((err as Error).message).toMatch(/Retry-After 3600s/);
  });

  it('times out slow answers and retries them', async () => {
    api.enqueue({ kind: 'delay', ms: 1500 });
    const { src, log } = source({ timeoutMs: 300 });
    expect(await src.fetch(1, signal())).toHaveLength(1);
    expect(log.lines.join('\n')).toMatch(/no answer within 300 ms/);
  });

  it('after bounded retries fails with an actionable error and forwards nothing', async () => {
    api.setPersistentFault({ kind: 'empty' });
    const { src } = source({ maxRetries: 2 });
    const err = await src.fetch(5, signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RandomUserUnavailableError);
    expect((err as Error).message).toMatch(/failed 3 time\(s\).*empty "results".*--source synthetic/);
    expect(api.requests).toHaveLength(3);
  });

  it('does not retry client errors (4xx other than 408/429)', async () => {
    api.enqueue({ kind: 'status', status: 400, body: '{"error":"bad nat"}' });
    const err = await source()
      .src.fetch(1, signal())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RandomUserUnavailableError);
    expect(api.requests).toHaveLength(1);
  });

  it('stops promptly when aborted during a backoff', async () => {
    api.setPersistentFault({ kind: 'status', status: 503 });
    const { src } = source({ backoff: { baseMs: 10_000, maxMs: 10_000, maxRetryAfterMs: 1000 } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('shutdown')), 100);
    const t0 = Date.now();
    await expect(src.fetch(1, ac.signal)).rejects.toThrow('shutdown');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('passes odd users through to the transform, which rejects them (envelope ok, content not)', async () => {
    api.enqueue({ kind: 'results', results: [{ login: { uuid: 'nope' } }] });
    const users = await source().src.fetch(1, signal());
    expect(users).toHaveLength(1);
    expect(toUserRecord(users[0], new Date()).ok).toBe(false);
  });
});

describe('probeRandomUser', () => {
  it('reports a healthy API', async () => {
    const r = await probeRandomUser(api.url, 1000);
    expect(r.ok).toBe(true);
  });

  it('reports an outage without retrying or throwing', async () => {
    api.setPersistentFault({ kind: 'empty' });
    expect(await probeRandomUser(api.url, 1000)).toEqual({ ok: false, reason: expect.stringMatching(/empty "results"/) });
    expect(api.requests).toHaveLength(1);
  });

  it('reports timeouts and refused connections', async () => {
    api.setPersistentFault({ kind: 'delay', ms: 1000 });
    expect(await probeRandomUser(api.url, 200)).toEqual({ ok: false, reason: expect.stringMatching(/no answer within 200 ms/) });
    const closed = await startFakeRandomUserApi();
    await closed.close();
    expect(await probeRandomUser(closed.url, 1000)).toEqual({ ok: false, reason: expect.stringMatching(/network error.*ECONNREFUSED/) });
  });
});
