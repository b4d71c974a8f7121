// The retry policy with a fake clock: delays, caps, jitter, RetryInfo, and the retry budget.
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { RetryInfoSchema } from '../gen/google/rpc/error_details_pb.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, withRetry, type RetryEnv } from './retry.js';

function fakeEnv(random = 0): RetryEnv & { slept: number[] } {
  const slept: number[] = [];
  return { slept, random: () => random, sleep: async (ms) => void slept.push(ms) };
}
const unavailable = () => new ConnectError('down', Code.Unavailable);

describe('retry policy', () => {
  it('backs off 50 ms x4 per retry, capped at 60 s, with jitter from 2 s on', () => {
    const p = DEFAULT_RETRY_POLICY;
    const delays = Array.from({ length: 8 }, (_, i) => retryDelayMs(p, i, unavailable(), () => 0));
    expect(delays).toEqual([50, 200, 800, 3200, 12800, 51200, 60000, 60000]);
    expect(retryDelayMs(p, 1, unavailable(), () => 0.999)).toBe(200); // below the jitter threshold
    expect(retryDelayMs(p, 3, unavailable(), () => 0.5)).toBe(3200 + 250);
  });

  it("honours the server's RetryInfo, up to 10 minutes", () => {
    const withInfo = (seconds: bigint) =>
      new ConnectError('busy', Code.Unavailable, undefined, [
        { desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: { seconds, nanos: 5e6 } }) },
      ]);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, withInfo(7n))).toBe(7005);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, withInfo(3600n))).toBe(600_000);
  });

  it('retries a retriable failure until it succeeds', async () => {
    const env = fakeEnv();
    let calls = 0;
    const v = await withRetry(
      async () => (++calls < 4 ? Promise.reject(unavailable()) : 'ok'),
      () => true,
      env,
    );
    expect(v).toBe('ok');
    expect(env.slept).toEqual([50, 200, 800]);
  });

  it('gives up after 15 retries (16 attempts) with the last error', async () => {
    const env = fakeEnv();
    let calls = 0;
    const err = await withRetry(
      async () => Promise.reject(unavailable()),
      () => {
        calls++;
        return true;
      },
      env,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect(env.slept).toHaveLength(15);
    expect(calls).toBe(15);
    expect(env.slept.reduce((a, b) => a + b, 0)).toBeGreaterThan(9 * 60_000); // ~10.5 min in all
  });

  it('reports a refused connection after 4 retries, not the full budget', async () => {
    const env = fakeEnv();
    const refused = new ConnectError('connect ECONNREFUSED 127.0.0.1:1', Code.Unavailable);
    await expect(
      withRetry(
        async () => Promise.reject(refused),
        () => true,
        env,
      ),
    ).rejects.toBe(refused);
    expect(env.slept).toEqual([50, 200, 800, 3200]);
  });

  it('does not retry what the predicate refuses, nor after an abort', async () => {
    const env = fakeEnv();
    await expect(
      withRetry(
        async () => Promise.reject(new Error('no')),
        () => false,
        env,
      ),
    ).rejects.toThrow('no');
    const ac = new AbortController();
    ac.abort();
    await expect(
      withRetry(
        async () => Promise.reject(unavailable()),
        () => true,
        env,
        DEFAULT_RETRY_POLICY,
        ac.signal,
      ),
    ).rejects.toThrow('down');
    expect(env.slept).toEqual([]);
  });
});
