// Synthetic users generated and prepared in a worker thread. Generating, validating and serializing a
// user is about a third of the producer's CPU, and the rest (kafkajs encoding every message) has to
// stay on the thread that owns the connections: in a thread of its own, the next page is prepared
// while the current one is encoded and sent. Pages cross as each record's id and JSON, two strings:
// an earlier attempt that posted the records themselves (16 fields each, rebuilt one by one on
// arrival) cost the receiving thread more than the worker saved it.
// bench/producer-throughput.ts (Kafka only, 3 alternating rounds, 100,000 records per run): the whole
// producer against ProducerPerformance 0.84× with gzip and 0.80× uncompressed, against 0.66× and 0.53×
// in the last full bench before. Separate processes, same session, 300,000 records, 2 partitions,
// uncompressed: 30.8k–35.7k records/s on the main thread; 28.8k–31.6k with the worker one page (100
// users) ahead, a page being less work than the round trip between the threads; 45.2k–52.9k with
// AHEAD_USERS ahead.
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { ProducerWorkerError } from '../errors.js';
import type { PreparedPage } from '../prepare.js';
import type { SyntheticSourceConfig } from '../source/synthetic.js';
import type { SourceStats } from '../source/types.js';
import type { PageRequest, SyntheticWorkerData, WorkerMessage } from './synthetic-worker-protocol.js';
import type { PageSource } from './types.js';

const ENTRY = new URL('./synthetic-worker-entry.mjs', import.meta.url);
/** Users prepared ahead of the page being sent at most, when that many are due (see prepareAhead and the header). */
const AHEAD_USERS = 2_000;
const CLOSED = 'the synthetic source was closed';

interface Waiting {
  resolve(page: PreparedPage): void;
  reject(err: Error): void;
}

export interface SyntheticWorkerOptions {
  /** The worker's entry module; tests substitute one that misbehaves. */
  readonly entry?: URL;
}

export class SyntheticWorkerPages implements PageSource {
  readonly label = 'synthetic' as const;
  readonly seed: string;
  private readonly worker: Worker;
  /** Requests sent and not yet answered, oldest first (the worker answers in order). */
  private readonly waiting: Waiting[] = [];
  /** Pages asked for by prepareAhead, oldest first, taken by next(); with the users they hold. */
  private readonly ahead: { page: Promise<PreparedPage>; users: number }[] = [];
  private failure: ProducerWorkerError | undefined;
  private closing = false;
  /** Settles when the worker has loaded its modules (or failed to). */
  private readonly loaded: Promise<void>;
  private onLoaded: { resolve(): void; reject(err: Error): void } | undefined;

  constructor(
    private readonly cfg: SyntheticSourceConfig,
    options: SyntheticWorkerOptions = {},
  ) {
    this.seed = cfg.seed ?? randomUUID();
    // Started at construction: the thread loads while the sink connects to Kafka.
    this.worker = new Worker(options.entry ?? ENTRY, { workerData: { ...cfg, seed: this.seed } satisfies SyntheticWorkerData });
    this.loaded = new Promise((resolve, reject) => {
      this.onLoaded = { resolve, reject };
    });
    this.loaded.catch(() => undefined);
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (err) => this.fail(`failed: ${err.message}`));
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(`exited with code ${code}`);
    });
  }

  /** Waits until the thread can generate (loading it takes a few hundred ms), so pacing starts after. */
  async start(): Promise<void> {
    await this.loaded;
  }

  next(count: number, signal: AbortSignal): Promise<PreparedPage> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const page = this.ahead.shift()?.page ?? this.request(count);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      page.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * Keeps up to AHEAD_USERS users (at least a page) requested beyond the page being sent, never more
   * than the `count` the run loop says are due (all it still needs when it is not pacing): with pages
   * of 100 (the default --results), one page ahead is a few hundred microseconds of work, shorter
   * than a round trip between the threads.
   */
  prepareAhead(count: number): void {
    if (this.failure !== undefined || this.closing) return;
    let queued = this.ahead.reduce((n, a) => n + a.users, 0);
    const target = Math.min(count, Math.max(AHEAD_USERS, this.cfg.results));
    while (queued < target) {
      const users = Math.min(this.cfg.results, count - queued);
      const page = this.request(users);
      // Its failure is reported by the next() that takes it; until then it is not unhandled.
      page.catch(() => undefined);
      this.ahead.push({ page, users });
      queued += users;
    }
  }

  stats(): SourceStats {
    return { retries: 0, errors: 0 };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.worker.terminate();
    this.rejectWaiting(new ProducerWorkerError(CLOSED));
  }

  private request(count: number): Promise<PreparedPage> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new ProducerWorkerError(CLOSED));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage({ count } satisfies PageRequest);
    });
  }

  private onMessage(message: WorkerMessage): void {
    if (message.kind === 'ready') {
      this.onLoaded?.resolve();
      return;
    }
    const waiting = this.waiting.shift();
    if (waiting === undefined) return;
    if (message.kind === 'page') waiting.resolve(message.page);
    else waiting.reject(new ProducerWorkerError(`the synthetic source failed to generate users: ${message.message}`));
  }

  private fail(what: string): void {
    this.failure ??= new ProducerWorkerError(`the synthetic source's worker thread ${what}; no users can be generated (re-run the producer)`);
    this.onLoaded?.reject(this.failure);
    this.rejectWaiting(this.failure);
  }

  private rejectWaiting(err: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}
