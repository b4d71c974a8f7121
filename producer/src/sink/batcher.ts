// Client-agnostic batching: kafkajs sends what it is given, one request per send() call, so
// batching by size and by time ("linger", like the Java client's linger.ms) happens here.
// Sends are serialised: with an idempotent producer, one request in flight keeps order per partition
// (the Kafka sink keeps one Batcher per partition). The caller need not wait for them, though: up to
// maxPendingBatches full batches may be queued or in flight when add() returns, so the caller makes its
// next records while these are sent.

export interface BatcherOptions<T> {
  /** Flush as soon as this many items are buffered; also the maximum items per send. */
  readonly maxItems: number;
  /** Flush a non-empty buffer at the latest this long after its first item arrived. */
  readonly lingerMs: number;
  /**
   * Full batches that may still be queued or in flight when add() returns (default 0: add() waits until
   * its batches are sent). Bounds the memory held to (maxPendingBatches + 1) × maxItems items.
   */
  readonly maxPendingBatches?: number;
  readonly send: (items: T[]) => Promise<void>;
}

export class Batcher<T> {
  private buffer: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Batches queued or in flight. */
  private unsent = 0;
  /** Callers of add() waiting for unsent to fall (woken on every settled send). */
  private waiters: (() => void)[] = [];
  /** A failure of a background (linger) flush, reported to the next caller. */
  private failure: unknown;
  private failed = false;

  constructor(private readonly opts: BatcherOptions<T>) {}

  get pending(): number {
    return this.buffer.length;
  }

  /** Buffers items; when full batches are ready, waits until at most maxPendingBatches are unsent (that is the backpressure). */
  async add(items: readonly T[]): Promise<void> {
    this.throwIfFailed();
    for (const item of items) this.buffer.push(item);
    if (this.buffer.length >= this.opts.maxItems) {
      void this.drain(false);
      const allowed = this.opts.maxPendingBatches ?? 0;
      while (this.unsent > allowed && !this.failed) await new Promise<void>((wake) => this.waiters.push(wake));
      this.throwIfFailed();
    } else {
      this.armTimer();
    }
  }

  /** Sends everything buffered and waits for all sends, including earlier background ones. */
  async flush(): Promise<void> {
    await this.drain(true);
    this.throwIfFailed();
  }

  /** Waits until the sends already queued have settled, without queueing what is buffered. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Stops the linger timer without sending (for shutdown after a fatal error). */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private armTimer(): void {
    if (this.buffer.length === 0 || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain(true);
    }, this.opts.lingerMs);
  }

  /** Queues full batches (all = also the remainder); the returned promise never rejects, failures are recorded. */
  private drain(all: boolean): Promise<void> {
    this.dispose();
    while (this.buffer.length >= this.opts.maxItems || (all && this.buffer.length > 0)) {
      const batch = this.buffer.length <= this.opts.maxItems ? this.buffer : this.buffer.slice(0, this.opts.maxItems);
      this.buffer = batch === this.buffer ? [] : this.buffer.slice(this.opts.maxItems);
      this.unsent++;
      this.chain = this.chain
        .then(() => this.opts.send(batch))
        .catch((err: unknown) => {
          // Keep the first failure: later ones are usually consequences of it.
          if (!this.failed) {
            this.failed = true;
            this.failure = err;
          }
        })
        .finally(() => {
          this.unsent--;
          const waiters = this.waiters;
          this.waiters = [];
          for (const wake of waiters) wake();
        });
    }
    // Items left over (less than a full batch) still need their linger flush.
    this.armTimer();
    return this.chain;
  }

  private throwIfFailed(): void {
    if (this.failed) {
      this.failed = false;
      throw this.failure;
    }
  }
}
