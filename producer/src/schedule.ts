// The run loop: take a page from the source (transformed, validated and serialized: pages/), hand
// its valid records to the sink, pace, repeat until a stop condition; report progress on a timer;
// always flush and close.
// runProducer() is the programmatic API (tests, demo); cli.ts is a thin wrapper around it.

import type { ProducerConfig } from './config.js';
import { NoValidRecordsError } from './errors.js';
import type { Logger } from './log.js';
import { silentLogger } from './log.js';
import type { PreparedPage } from './prepare.js';
import { registerRecordSchema } from './schema-registry.js';
import { KafkaSink } from './sink/kafka.js';
import type { RecordSink } from './sink/types.js';
import { createPages, InlinePages, type PageSource } from './pages/index.js';
import { sleep } from './source/backoff.js';
import type { SourceKind, UserSource } from './source/types.js';

export interface ScheduleConfig {
  /** Exactly one fetch. */
  readonly once: boolean;
  /** Stop once this many valid records were sent. */
  readonly count?: number;
  /** Stop after this long. */
  readonly durationMs?: number;
  /** Interval: one fetch every intervalMs (0 = back to back). Rate: fetches spaced to average recordsPerSecond. */
  readonly pacing: { readonly kind: 'interval'; readonly intervalMs: number } | { readonly kind: 'rate'; readonly recordsPerSecond: number };
}

export type StopReason = 'once' | 'count' | 'duration' | 'signal';

export interface ProducerTotals {
  readonly source: SourceKind;
  /** API calls / generated batches that succeeded. */
  readonly fetches: number;
  /** Users received from the source. */
  readonly fetched: number;
  /** Records acknowledged by the sink. */
  readonly sent: number;
  /** Users that failed validation (logged, not sent). */
  readonly invalid: number;
  readonly retries: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly stoppedBy: StopReason;
}

export interface RunOptions {
  /** Abort to stop gracefully: buffered records are flushed, connections closed, totals returned. */
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  /** Injected for tests of the loop itself (prepared on this thread); by default built from config. */
  readonly source?: UserSource;
  /** Pages injected as they are (tests of when the loop asks for pages ahead); wins over `source`. */
  readonly pages?: PageSource;
  readonly sink?: RecordSink;
}

/** Invalid users are logged one by one up to this many; after that only counted (see the report line). */
const MAX_INVALID_LOGGED = 20;
/** A source whose batches are all invalid this many times in a row is broken; do not spin on it forever. */
const MAX_EMPTY_BATCHES = 5;

class StopSignal {
  private readonly controller = new AbortController();
  reason: StopReason | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly onOuterAbort = (): void => this.stop('signal');

  constructor(
    private readonly outer: AbortSignal | undefined,
    durationMs: number | undefined,
  ) {
    if (outer?.aborted) this.stop('signal');
    outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    if (durationMs !== undefined) this.timer = setTimeout(() => this.stop('duration'), durationMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller.abort(new Error(`stopped: ${reason}`));
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

export function formatReport(label: string, s: { sent: number; rate: number; retries: number; errors: number; invalid: number }): string {
  return `[${label}] sent=${s.sent} rate=${Math.round(s.rate)}/s retries=${s.retries} errors=${s.errors} invalid=${s.invalid}`;
}

/** Next fetch time. Interval paces fetch starts; rate paces records: n records may go out at start + n/rate. */
export function nextFetchAt(pacing: ScheduleConfig['pacing'], runStartMs: number, lastFetchStartMs: number, produced: number): number {
  return pacing.kind === 'interval' ? lastFetchStartMs + pacing.intervalMs : runStartMs + (produced / pacing.recordsPerSecond) * 1000;
}

/**
 * How many users the source may prepare ahead while a page is sent: the pages already due, never
 * more than `left`. A page's produced_at is taken when it is prepared, so a page prepared before it
 * is due would carry a time earlier than its send by however long it then waits for its slot (with
 * a fixed 2,000 users ahead, up to 2 s at 1,000/s). Back to back (interval 0) every page is due; a
 * paced loop that fell behind (a slow send, a pause) may prepare the pages it is behind by, and none
 * while it is on schedule. A page is due when its first user is, as when the loop fetches it.
 */
export function usersDueAhead(
  pacing: ScheduleConfig['pacing'],
  t: { runStartMs: number; nowMs: number; nextAtMs: number },
  producedWithPage: number,
  pageUsers: number,
  left: number,
): number {
  if (t.nextAtMs > t.nowMs) return 0;
  if (pacing.kind === 'interval' && pacing.intervalMs === 0) return left;
  const behind =
    pacing.kind === 'rate'
      ? Math.floor(((t.nowMs - t.runStartMs) * pacing.recordsPerSecond) / 1000) - producedWithPage
      : Math.floor((t.nowMs - t.nextAtMs) / pacing.intervalMs) * pageUsers;
  const pages = 1 + Math.floor(Math.max(0, behind) / Math.max(1, pageUsers));
  return Math.min(left, pages * pageUsers);
}

export async function runProducer(config: ProducerConfig, options: RunOptions = {}): Promise<ProducerTotals> {
  const log = options.log ?? silentLogger;
  const source: PageSource = options.pages ?? (options.source ? new InlinePages(options.source) : createPages(config.source, log));
  const label = source.label;
  const sink = options.sink ?? new KafkaSink(config.kafka, { log, headers: { source: label } });
  const { schedule } = config;

  let fetches = 0;
  let fetched = 0;
  let produced = 0;
  let invalid = 0;
  let emptyBatches = 0;

  const snapshot = () => {
    const s = source.stats();
    const k = sink.stats();
    return { sent: k.sent, retries: s.retries + k.retries, errors: s.errors + k.errors, invalid };
  };
  const totals = (stoppedBy: StopReason): ProducerTotals => ({
    source: label,
    fetches,
    fetched,
    ...snapshot(),
    elapsedMs: Date.now() - started,
    stoppedBy,
  });

  // The source's thread (if it has one) loads while the sink connects; whichever failed, neither is left open.
  const [sinkStart, sourceStart] = await Promise.allSettled([sink.start(), source.start()]);
  if (sinkStart.status === 'rejected' || sourceStart.status === 'rejected') {
    await source.close();
    if (sinkStart.status === 'fulfilled') await sink.close().catch(() => undefined);
    throw sinkStart.status === 'rejected' ? sinkStart.reason : (sourceStart as PromiseRejectedResult).reason;
  }
  // Timing (pacing, rates, elapsed) starts once Kafka is ready, not while we wait for it.
  const started = Date.now();
  const stop = new StopSignal(options.signal, schedule.durationMs);
  let reporter: NodeJS.Timeout | undefined;
  let failure: unknown;
  try {
    if (config.schemaRegistry !== undefined) {
      const reg = await registerRecordSchema(config.schemaRegistry.url, config.kafka.topic, config.schemaRegistry.timeoutMs);
      log.info(`[schema-registry] ${reg.subject} registered (id ${reg.id})`);
    }
    log.info(`[${label}] producing to ${sink.description}`);

    if (config.reportIntervalMs > 0) {
      let lastSent = 0;
      let lastAt = Date.now();
      reporter = setInterval(() => {
        const snap = snapshot();
        const now = Date.now();
        log.info(formatReport(label, { ...snap, rate: ((snap.sent - lastSent) * 1000) / Math.max(1, now - lastAt) }));
        lastSent = snap.sent;
        lastAt = now;
      }, config.reportIntervalMs);
      reporter.unref();
    }

    for (;;) {
      const fetchStart = Date.now();
      const want = schedule.count !== undefined ? schedule.count - produced : Number.MAX_SAFE_INTEGER;
      let page: PreparedPage;
      try {
        page = await source.next(want, stop.signal);
      } catch (err) {
        if (stop.signal.aborted) break;
        throw err;
      }
      fetches++;
      fetched += page.fetched;

      for (const reason of page.invalid) {
        invalid++;
        if (invalid <= MAX_INVALID_LOGGED) {
          log.warn(`[${label}] invalid user not sent: ${reason}${invalid === MAX_INVALID_LOGGED ? ' (further invalid users are only counted)' : ''}`);
        }
      }
      emptyBatches = page.records.length === 0 ? emptyBatches + 1 : 0;
      if (emptyBatches >= MAX_EMPTY_BATCHES) {
        throw new NoValidRecordsError(
          `${label}: ${MAX_EMPTY_BATCHES} batches in a row without a single valid user (${invalid} invalid so far, reasons logged above); ` +
            'the API format may have changed: check --randomuser-url (the producer pins /api/1.4/)',
        );
      }
      // The source may return more than asked (it does not know about --count); never overshoot.
      const toSend = schedule.count !== undefined ? page.records.slice(0, schedule.count - produced) : page.records;
      const left = schedule.count !== undefined ? schedule.count - produced - toSend.length : Number.MAX_SAFE_INTEGER;
      const nextAt = nextFetchAt(schedule.pacing, started, fetchStart, produced + toSend.length);
      // The next pages are due already (back to back, or behind a paced schedule): the source may
      // prepare them while this one is sent, but only those (see usersDueAhead).
      const ahead = usersDueAhead(schedule.pacing, { runStartMs: started, nowMs: Date.now(), nextAtMs: nextAt }, produced + toSend.length, page.fetched, left);
      if (!schedule.once && ahead > 0 && !stop.signal.aborted) source.prepareAhead(ahead);
      await sink.write(toSend);
      produced += toSend.length;

      if (schedule.once) {
        stop.stop('once');
        break;
      }
      if (schedule.count !== undefined && produced >= schedule.count) {
        stop.stop('count');
        break;
      }
      if (stop.signal.aborted) break;
      const wait = nextAt - Date.now();
      if (wait > 0) {
        try {
          await sleep(wait, stop.signal);
        } catch {
          break;
        }
      }
    }
  } catch (err) {
    failure = err;
  } finally {
    if (reporter !== undefined) clearInterval(reporter);
    stop.dispose();
    try {
      await sink.close();
    } catch (err) {
      // The first error is the interesting one; a failing flush after it is a consequence.
      failure ??= err;
    }
    await source.close();
  }

  const result = totals(stop.reason ?? 'signal');
  const secs = result.elapsedMs / 1000;
  const summary =
    `[${label}] ${failure === undefined ? `done (${result.stoppedBy})` : 'FAILED'}: sent=${result.sent} fetched=${result.fetched} ` +
    `invalid=${result.invalid} retries=${result.retries} errors=${result.errors} in ${secs.toFixed(1)}s ` +
    `(avg ${Math.round(result.sent / Math.max(secs, 0.001))}/s)`;
  if (failure !== undefined) {
    log.error(summary);
    throw failure;
  }
  log.info(summary);
  return result;
}
