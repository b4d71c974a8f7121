// Client-agnostic batching: kafkajs sends what it is given, one request per send() call, so
// batching by size and by time ("linger", like the Java client's linger.ms) happens here.
// Sends are serialised: with an idempotent producer, one request in flight keeps order per partition.

export interface BatcherOptions<T> {
  /** Flush as soon as this many items are buffered; also the maximum items per send. */
  readonly maxItems: number;
  /** Flush a non-empty buffer at the latest this long after its first item arrived. */
  readonly lingerMs: number;
  readonly send: (items: T[]) => Promise<void>;
}

export class Batcher<T> {
  private buffer: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** A failure of a background (linger) flush, reported to the next caller. */
  private failure: unknown;
  private failed = false;

  constructor(private readonly opts: BatcherOptions<T>) {}

  get pending(): number {
    return this.buffer.length;
  }

  /** Buffers items; when a full batch is ready, waits until it is sent (that is the backpressure). */
  async add(items: readonly T[]): Promise<void> {
    this.throwIfFailed();
    this.buffer.push(...items);
    if (this.buffer.length >= this.opts.maxItems) {
      await this.drain(false);
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
      const batch = this.buffer.splice(0, this.opts.maxItems);
      this.chain = this.chain
        .then(() => this.opts.send(batch))
        .catch((err: unknown) => {
          // Keep the first failure: later ones are usually consequences of it.
          if (!this.failed) {
            this.failed = true;
            this.failure = err;
          }
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
