// The randomuser.me source: one HTTP GET per batch against the pinned API version, with timeout,
// bounded retries (backoff + jitter, Retry-After honoured) and an envelope check, so that an outage
// answer ({"results":[]}, an error object, HTML) is retried and never forwarded downstream.

import { SHARED_SETTINGS } from '@streamline/core';
// node-fetch rather than Node's global fetch: one HTTP client, chosen by the project, on every Node version.
import fetch, { FetchError, type Response } from 'node-fetch';
import { RandomUserUnavailableError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { responseShapeProblem, type Nationality } from '../randomuser-types.js';
import { DEFAULT_BACKOFF, parseRetryAfter, retryDelayMs, sleep, type BackoffPolicy } from './backoff.js';
import type { SourceStats, UserSource } from './types.js';

/** Pinned: field layout (street object, string coordinates...) changes between API versions. */
export const RANDOMUSER_API_PATH = '/api/1.4/';
export const RANDOMUSER_MAX_RESULTS = 5000;

export interface RandomUserSourceConfig {
  readonly kind: 'randomuser';
  /** Origin (optionally with a path prefix), without the /api/ part, e.g. https://randomuser.me */
  readonly baseUrl: string;
  /** Users per API call, 1..5000. */
  readonly results: number;
  readonly nat?: readonly Nationality[];
  /** With a seed, page k of that seed always returns the same users (same ids => upserts downstream). */
  readonly seed?: string;
  readonly timeoutMs: number;
  /** Retries after the first attempt; the call fails after maxRetries + 1 attempts. */
  readonly maxRetries: number;
  readonly backoff: BackoffPolicy;
}

export const RANDOMUSER_DEFAULTS = {
  baseUrl: SHARED_SETTINGS.RANDOMUSER_URL.default,
  results: 100,
  timeoutMs: 10_000,
  maxRetries: 5,
  backoff: DEFAULT_BACKOFF,
} as const;

export function randomUserUrl(cfg: Pick<RandomUserSourceConfig, 'baseUrl' | 'nat' | 'seed'>, results: number, page?: number): string {
  const url = new URL(cfg.baseUrl.replace(/\/+$/, '') + RANDOMUSER_API_PATH);
  url.searchParams.set('results', String(results));
  if (cfg.nat && cfg.nat.length > 0) url.searchParams.set('nat', cfg.nat.join(',').toLowerCase());
  if (cfg.seed !== undefined) url.searchParams.set('seed', cfg.seed);
  if (page !== undefined) url.searchParams.set('page', String(page));
  return url.toString();
}

/** One failed attempt: whether retrying may help, and how long the server asked us to wait. */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

interface FetchDeps {
  readonly log: Logger;
  readonly random?: () => number;
}

export class RandomUserSource implements UserSource {
  readonly label = 'randomuser' as const;
  private retries = 0;
  private errors = 0;
  private page = 0;

  constructor(
    private readonly cfg: RandomUserSourceConfig,
    private readonly deps: FetchDeps,
  ) {}

  stats(): SourceStats {
    return { retries: this.retries, errors: this.errors };
  }

  async fetch(count: number, signal: AbortSignal): Promise<readonly unknown[]> {
    const results = Math.max(1, Math.min(count, this.cfg.results, RANDOMUSER_MAX_RESULTS));
    // Pages only mean something with a seed; without one every call is a fresh random draw.
    const page = this.cfg.seed !== undefined ? ++this.page : undefined;
    const url = randomUserUrl(this.cfg, results, page);
    let last = '';
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(url, signal);
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (!(err instanceof AttemptFailure)) throw err;
        this.errors++;
        last = err.message;
        const tooLongAfter = err.retryAfterMs !== undefined && err.retryAfterMs > this.cfg.backoff.maxRetryAfterMs;
        if (!err.retryable || attempt >= this.cfg.maxRetries || tooLongAfter) {
          const why = tooLongAfter ? `${last} (Retry-After ${Math.round((err.retryAfterMs ?? 0) / 1000)}s is longer than we wait)` : last;
          throw new RandomUserUnavailableError(url, attempt + 1, why, { cause: err });
        }
        const delay = retryDelayMs(attempt, this.cfg.backoff, err.retryAfterMs, this.deps.random);
        this.retries++;
        this.deps.log.warn(`[randomuser] ${err.message}; retry ${attempt + 1}/${this.cfg.maxRetries} in ${delay} ms`);
        await sleep(delay, signal);
      }
    }
  }

  private async attempt(url: string, signal: AbortSignal): Promise<readonly unknown[]> {
    const timeout = AbortSignal.timeout(this.cfg.timeoutMs);
    const both = AbortSignal.any([signal, timeout]);
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { signal: both, headers: { accept: 'application/json' } });
      text = await res.text();
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (timeout.aborted) throw new AttemptFailure(`no answer within ${this.cfg.timeoutMs} ms`, true);
      throw new AttemptFailure(`network error: ${describeFetchError(err)}`, true);
    }
    if (!res.ok) {
      const retryable = res.status === 429 || res.status === 408 || res.status >= 500;
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
      throw new AttemptFailure(`HTTP ${res.status} ${snippet(text)}`, retryable, retryAfterMs);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AttemptFailure(`malformed JSON body: ${snippet(text)}`, true);
    }
    const problem = responseShapeProblem(body);
    if (problem !== undefined) throw new AttemptFailure(`unexpected answer: ${problem}`, true);
    return (body as { results: unknown[] }).results;
  }
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(t.length > 120 ? `${t.slice(0, 120)}…` : t);
}

/** node-fetch puts the system error code ("ECONNREFUSED", "ENOTFOUND") on FetchError.code. */
function describeFetchError(err: unknown): string {
  if (err instanceof FetchError && err.code) return `${err.code}: ${err.message}`;
  const cause = err instanceof Error ? err.cause : undefined;
  return cause !== undefined ? `${errorMessage(err)} (${errorMessage(cause)})` : errorMessage(err);
}

export type ProbeResult = { ok: true; latencyMs: number } | { ok: false; reason: string };

/**
 * One quick request (results=1, no retries) to tell whether the API is usable right now. The demo
 * uses it to decide, visibly, to run with --source synthetic; the producer never falls back by itself.
 * Never throws.
 */
export async function probeRandomUser(baseUrl: string, timeoutMs: number): Promise<ProbeResult> {
  const started = Date.now();
  const source = new RandomUserSource(
    { ...RANDOMUSER_DEFAULTS, kind: 'randomuser', baseUrl, results: 1, timeoutMs, maxRetries: 0 },
    { log: { debug() {}, info() {}, warn() {}, error() {} } },
  );
  try {
    await source.fetch(1, new AbortController().signal);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (err) {
    const reason = err instanceof RandomUserUnavailableError ? err.lastProblem : errorMessage(err);
    return { ok: false, reason };
  }
}
