// Retry timing for the HTTP source. Pure functions (randomness and clock injected) so the
// arithmetic is unit-tested; the sleeping lives in sleep().

export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  readonly baseMs: number;
  /** Cap of the exponential delay. */
  readonly maxMs: number;
  /** Cap for a server's Retry-After; anything larger is treated as "give up now" by the caller. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 120_000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random. Pure full jitter
 * can retry almost immediately, which a rate-limited service (429) does not appreciate; no jitter
 * makes several producers retry in lock-step.
 * @param attempt 0 for the first retry.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * Retry-After is either delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT").
 * Returns milliseconds to wait from `nowMs` (0 for dates in the past), or undefined when absent/garbage.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const v = header.trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Only accept things that look like an HTTP date, not any string Date.parse happens to swallow.
  if (!/[a-z]{3},? .*\d{2}:\d{2}:\d{2}/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/** The wait before retry `attempt`: the server's Retry-After when given (it knows best), else backoff. */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  return retryAfterMs !== undefined ? retryAfterMs : backoffDelayMs(attempt, policy, random);
}

/** setTimeout as a promise that rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
