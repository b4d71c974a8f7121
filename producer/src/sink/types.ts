import type { SerializedRecord } from '../prepare.js';

/**
 * Where records go. Kafka today (sink/kafka.ts is the only module that knows kafkajs), so the
 * client can be swapped (e.g. for @confluentinc/kafka-javascript) without touching the scheduler.
 */
export interface RecordSink {
  /** Human-readable target, e.g. "kafka 127.0.0.1:9092 topic users_created". */
  readonly description: string;
  /** Connects and prepares the target (topic creation). Fails fast with a typed error when unreachable. */
  start(): Promise<void>;
  /** Accepts records (each already valid and serialized); may wait while the buffer is full (backpressure). */
  write(records: readonly SerializedRecord[]): Promise<void>;
  /** Sends everything buffered and waits for the acknowledgements. */
  flush(): Promise<void>;
  /** flush() then release connections. Safe to call twice. */
  close(): Promise<void>;
  stats(): SinkStats;
}

export interface SinkStats {
  /** Records acknowledged by the target. */
  readonly sent: number;
  /** Requests the client retried (e.g. while a broker restarted). */
  readonly retries: number;
  /** Failed requests, retried or not. */
  readonly errors: number;
}
