// One retry policy for every RPC, with the constants of Spark's own clients (Scala
// `RetryPolicy.defaultPolicy`, PySpark `DefaultPolicy`): 15 retries, 50 ms initial backoff, x4 per
// attempt, 60 s cap, random jitter of up to 500 ms added once the backoff reaches 2 s, and a server's
// google.rpc.RetryInfo delay honoured (up to 10 min) in place of the computed backoff.
import { ConnectError } from '@connectrpc/connect';
import { RetryInfoSchema } from '../gen/google/rpc/error_details_pb.js';

export interface RetryPolicy {
  maxRetries: number;
  initialBackoffMs: number;
  backoffMultiplier: number;
  maxBackoffMs: number;
  jitterMs: number;
  minJitterThresholdMs: number;
  maxServerRetryDelayMs: number;
  /**
   * Retries while the connection is refused (nothing listens at the address). Smaller than
   * maxRetries so a wrong address or a stopped server is reported in seconds, not after ~10 min.
   */
  maxRefusedRetries: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 15,
  initialBackoffMs: 50,
  backoffMultiplier: 4,
  maxBackoffMs: 60_000,
  jitterMs: 500,
  minJitterThresholdMs: 2_000,
  maxServerRetryDelayMs: 10 * 60_000,
  maxRefusedRetries: 4,
});

/** True when the request never reached a server: connection refused, or the host name does not resolve. */
export function isConnectionRefused(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur instanceof Error; i++) {
    const code = (cur as Error & { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || /ECONNREFUSED|ENOTFOUND/.test(cur.message)) return true;
    cur = cur.cause;
  }
  return false;
}

/** How many retries a failure gets: the refused-connection budget or the full one. */
export function retryBudget(policy: RetryPolicy, e: unknown, maxRetries = policy.maxRetries): number {
  return isConnectionRefused(e) ? Math.min(maxRetries, policy.maxRefusedRetries) : maxRetries;
}

/** The server's google.rpc.RetryInfo delay, in ms, when the error carries one. */
export function serverRetryDelayMs(e: unknown): number | undefined {
  if (!(e instanceof ConnectError)) return undefined;
  const d = e.findDetails(RetryInfoSchema)[0]?.retryDelay;
  if (!d) return undefined;
  return Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6);
}

/**
 * The wait before retry number `retry` (0-based): the server's RetryInfo delay (capped) when given,
 * else initial * multiplier^retry capped at maxBackoff, plus jitter above the threshold.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, error: unknown, random: () => number = Math.random): number {
  const server = serverRetryDelayMs(error);
  if (server !== undefined) return Math.min(server, policy.maxServerRetryDelayMs);
  const backoff = Math.min(policy.initialBackoffMs * policy.backoffMultiplier ** retry, policy.maxBackoffMs);
  return backoff >= policy.minJitterThresholdMs ? backoff + random() * policy.jitterMs : backoff;
}

export interface RetryEnv {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

/**
 * Runs `attempt` until it succeeds, fails with an error `canRetry` refuses, the policy's retries are
 * spent, or `signal` aborts (then the last error is thrown). `attempt` receives the retry number.
 */
export async function withRetry<T>(
  attempt: (retry: number) => Promise<T>,
  canRetry: (e: unknown) => boolean,
  env: RetryEnv,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  signal?: AbortSignal,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (e) {
      if (signal?.aborted || retry >= retryBudget(policy, e) || !canRetry(e)) throw e;
      await env.sleep(retryDelayMs(policy, retry, e, env.random), signal).catch(() => {
        throw e;
      });
    }
  }
}
