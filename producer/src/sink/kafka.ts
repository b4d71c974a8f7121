// Kafka sink on kafkajs. The only module that imports kafkajs (see sink/types.ts for why).
//
// Delivery: idempotent producers, acks=all, key = record id (so a partition holds all versions of a
// user and Cassandra upserts), value = the record as JSON (serialized before the sink: prepare.ts).
// Concurrency: the sink assigns each record its partition (murmur2, like the Java client) and batches
// per partition; each partition's batches go out one at a time, in order, through the one idempotent
// producer that owns that partition (partition p belongs to producer p % producers). An idempotent
// kafkajs producer sends one request at a time per broker (its broker lock), so on one broker only
// several producers put several partitions' requests in flight at once. Per-key order holds because
// a key has one partition, a partition one producer and one batch in flight.
// Retries: kafkajs retries each request with backoff for ~1.5 minutes, long enough to ride out a
// broker restart; every retry is counted and logged so the restart is visible in the report.

import {
  CompressionTypes,
  Kafka,
  logLevel as KafkaLogLevel,
  type Admin,
  type ISocketFactory,
  type LogEntry,
  type Message,
  type Producer,
  type RetryOptions,
} from 'kafkajs';
import { ensureTopic, rootCause } from '@streamline/core';
import { KafkaSendError, KafkaUnreachableError, StreamlineError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { SerializedRecord } from '../prepare.js';
import { Batcher } from './batcher.js';
import { partitionOfKey } from './murmur2.js';
import type { RecordSink, SinkStats } from './types.js';

export interface KafkaSinkConfig {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId: string;
  /** Create the topic when missing (with partitions/replicationFactor); otherwise require it. */
  readonly createTopic: boolean;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** gzip is built into kafkajs; snappy/lz4/zstd would need extra codec packages. */
  readonly compression: 'gzip' | 'none';
  /** Records per produce request (one partition's). */
  readonly batchSize: number;
  /** Max time a record waits for its batch to fill. */
  readonly lingerMs: number;
  /** Idempotent producers, each owning a disjoint set of partitions; more than the partitions would idle. */
  readonly producers: number;
  /** Full batches per partition that may be unsent while write() returns (default PENDING_BATCHES; the bench varies it). */
  readonly pendingBatches?: number;
}

export interface KafkaSinkDeps {
  readonly log: Logger;
  /** Headers added to every message (e.g. the source label, so synthetic data is recognisable). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides for tests; defaults ride out a broker restart. */
  readonly retry?: RetryOptions;
  readonly startupRetry?: RetryOptions;
  /** Network hook for tests that simulate a broker outage without touching the broker. */
  readonly socketFactory?: ISocketFactory;
}

// ~0.3+0.6+1.2+2.4+4.8+9.6 then 10 s steps: about 90 s of retrying before a send fails for good.
const SEND_RETRY: RetryOptions = { initialRetryTime: 300, maxRetryTime: 10_000, retries: 14, factor: 0.2, multiplier: 2 };
// Startup is different: a wrong address should fail in seconds, not after 90 s.
const STARTUP_RETRY: RetryOptions = { initialRetryTime: 300, maxRetryTime: 2_000, retries: 3 };
/** Where the user sets the brokers, for the unreachable message. */
const BROKERS_SETTING = '--bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS';

/**
 * Full batches per partition that may wait or be in flight while the source goes on: one in flight and
 * one being filled behind it keeps each partition's producer busy without the source waiting for acks.
 * bench/producer-throughput.ts with BENCH_PRODUCER_RTT_MS=2 (5 pairs, load 2.3–3.2): with 0 (the source
 * waits for every send) the whole producer reached 0.85× (0.70–1.07) of this setting's rate with gzip and
 * 0.83× (0.59–1.20) without, at the same CPU per run (1.03×, 1.02×). On the loopback alone, where the
 * broker answers in about a millisecond, 0 and 1 are within noise (0.91–1.05×).
 */
export const PENDING_BATCHES = 1;

interface PartitionLane {
  readonly partition: number;
  readonly batcher: Batcher<Message>;
}

export class KafkaSink implements RecordSink {
  readonly description: string;
  private readonly kafka: Kafka;
  /** producers[i] owns the partitions p with p % producers.length === i. */
  private producers: Producer[] = [];
  /** One per partition of the topic (known after start()). */
  private lanes: PartitionLane[] = [];
  private readonly headers: Message['headers'];
  private sent = 0;
  private retries = 0;
  private errors = 0;
  /** Retries seen since the last successful send, to report recovery. */
  private retriesSinceSuccess = 0;
  /** During start() kafkajs' connection errors are expected noise; we raise our own error instead. */
  private starting = true;
  private closed = false;
  /** Set once a send failed after all retries: further sends would only fail the same way, slowly. */
  private broken = false;
  /** That first failure: the one every caller sees (other partitions' sends are refused after it). */
  private failure: KafkaSendError | undefined;

  constructor(
    private readonly cfg: KafkaSinkConfig,
    private readonly deps: KafkaSinkDeps,
  ) {
    this.description = `kafka ${cfg.brokers.join(',')} topic ${cfg.topic}`;
    this.kafka = this.client(deps.retry ?? SEND_RETRY);
    // Encoded once and shared by every record: kafkajs measures and writes string values per record.
    // No constant content-type header: every value is the record's JSON (the contract says so), and
    // each header costs kafkajs 1.5-2 µs per record to encode (about a fifth of a record's encoding).
    this.headers = Object.fromEntries(Object.entries(deps.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)]));
  }

  /** kafkajs applies the client-level retry to (re)connecting, so startup and sending need separate clients. */
  private client(retry: RetryOptions): Kafka {
    return new Kafka({
      clientId: this.cfg.clientId,
      brokers: [...this.cfg.brokers],
      connectionTimeout: 3_000,
      requestTimeout: 30_000,
      retry,
      ...(this.deps.socketFactory ? { socketFactory: this.deps.socketFactory } : {}),
      // DEBUG because kafkajs reports some retries (reconnecting after a broker went away) only at
      // debug level; classifyKafkaLog keeps what matters and drops the rest cheaply.
      logLevel: KafkaLogLevel.DEBUG,
      logCreator: () => (entry) => this.onKafkaLog(entry),
    });
  }

  stats(): SinkStats {
    return { sent: this.sent, retries: this.retries, errors: this.errors };
  }

  async start(): Promise<void> {
    const admin = this.client(this.deps.startupRetry ?? STARTUP_RETRY).admin();
    let partitions: number;
    try {
      try {
        await admin.connect();
      } catch (err) {
        throw new KafkaUnreachableError(this.cfg.brokers, errorMessage(rootCause(err)), { cause: err, setting: BROKERS_SETTING });
      }
      try {
        partitions = await this.ensureTopic(admin);
      } catch (err) {
        if (err instanceof StreamlineError) throw err;
        throw new KafkaSendError(`checking topic ${this.cfg.topic} on ${this.cfg.brokers.join(',')} failed: ${errorMessage(rootCause(err))}`, { cause: err });
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const producers = Array.from({ length: Math.max(1, Math.min(this.cfg.producers, partitions)) }, () => this.producer());
    const connected = await Promise.allSettled(producers.map((p) => p.connect()));
    const refused = connected.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (refused) {
      await Promise.all(producers.map((p) => p.disconnect().catch(() => undefined)));
      throw new KafkaUnreachableError(this.cfg.brokers, errorMessage(rootCause(refused.reason)), { cause: refused.reason, setting: BROKERS_SETTING });
    }
    this.producers = producers;
    this.lanes = Array.from({ length: partitions }, (_, partition) => ({
      partition,
      batcher: new Batcher<Message>({
        maxItems: this.cfg.batchSize,
        lingerMs: this.cfg.lingerMs,
        maxPendingBatches: this.cfg.pendingBatches ?? PENDING_BATCHES,
        send: (messages) => this.sendPartition(partition, messages),
      }),
    }));
    this.starting = false;
  }

  private producer(): Producer {
    const producer = this.kafka.producer({
      idempotent: true,
      // kafkajs requires 1 in-flight request for the idempotent producer to guarantee ordering.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Every message carries its partition (write() assigns it with the same murmur2). kafkajs still
      // calls the partitioner per message, and its default one filters the partition list first.
      createPartitioner:
        () =>
        ({ message }) => {
          if (message.partition === undefined) throw new KafkaSendError('a message without a partition reached kafkajs');
          return message.partition;
        },
      retry: this.deps.retry ?? SEND_RETRY,
    });
    producer.on(producer.events.DISCONNECT, () => {
      if (!this.closed) this.deps.log.warn(`[kafka] disconnected from ${this.cfg.brokers.join(',')}; kafkajs reconnects on the next send`);
    });
    return producer;
  }

  /** Creates or checks the topic; its partition count (the one records are spread over). */
  private async ensureTopic(admin: Admin): Promise<number> {
    const { topic, partitions, replicationFactor } = this.cfg;
    const state = await ensureTopic(
      admin,
      { topic, partitions, replicationFactor },
      {
        create: this.cfg.createTopic,
        missingHint: 'create it, or drop --no-create-topic',
      },
    );
    if (state.created) this.deps.log.info(`[kafka] created topic ${topic} (partitions=${partitions}, replication=${replicationFactor})`);
    else if (state.partitions !== partitions)
      this.deps.log.debug(`[kafka] topic ${topic} exists with ${state.partitions} partitions (--partitions applies only when creating it)`);
    return state.partitions;
  }

  /**
   * Hands the records to their partitions' batches; waits only while a partition has more than
   * pendingBatches full batches unsent, so the caller prepares its next records meanwhile.
   */
  async write(records: readonly SerializedRecord[]): Promise<void> {
    const lanes = this.lanes;
    if (lanes.length === 0) throw new KafkaSendError('KafkaSink.write() before start()');
    const byPartition: Message[][] = lanes.map(() => []);
    for (const r of records) {
      const key = Buffer.from(r.id);
      const partition = partitionOfKey(key, lanes.length);
      byPartition[partition]!.push({ key, value: r.json, headers: this.headers, partition });
    }
    this.throwFirst(await Promise.allSettled(byPartition.map((messages, p) => (messages.length > 0 ? lanes[p]!.batcher.add(messages) : undefined))));
  }

  async flush(): Promise<void> {
    this.throwFirst(await Promise.allSettled(this.lanes.map((lane) => lane.batcher.flush())));
  }

  /** The sink's first failure if any lane failed (a lane's own error may be the refusal that followed it). */
  private throwFirst(results: readonly PromiseSettledResult<unknown>[]): void {
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw this.failure ?? failed.reason;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.broken) {
        // Other partitions' sends may still be in flight: their acknowledgements still count, so wait
        // for them (new sends are refused) before disconnecting; "sent" stays exact.
        for (const lane of this.lanes) lane.batcher.dispose();
        await Promise.all(this.lanes.map((lane) => lane.batcher.settled()));
        const pending = this.lanes.reduce((n, lane) => n + lane.batcher.pending, 0);
        if (pending > 0) this.deps.log.error(`[kafka] ${pending} buffered record(s) not sent: Kafka failed earlier`);
      } else {
        await this.flush();
      }
    } finally {
      this.closed = true;
      for (const lane of this.lanes) lane.batcher.dispose();
      await Promise.all(this.producers.map((p) => p.disconnect().catch(() => undefined)));
    }
  }

  /**
   * One kafkajs send per partition. A send covering partitions of several leaders is not safe in
   * kafkajs 2.2.4: when the request to one leader fails and its partitions move to a broker whose
   * request already succeeded, the retry skips that broker, and the moved partitions' records are
   * reported sent but never written (tulios/kafkajs#1303; reproduced by tests/hosts with 3 brokers).
   * With one partition per send, a retry always re-sends to the partition's current leader.
   * Only acknowledged records count as sent; after a failure nothing more is sent (the run fails).
   */
  private async sendPartition(partition: number, messages: Message[]): Promise<void> {
    if (this.broken) throw new KafkaSendError(`${messages.length} record(s) for ${this.cfg.topic} not sent: an earlier send failed`);
    const producer = this.producers[partition % this.producers.length]!;
    const compression = this.cfg.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    try {
      await producer.sendBatch({ topicMessages: [{ topic: this.cfg.topic, messages }], acks: -1, compression });
    } catch (err) {
      this.errors++;
      this.broken = true;
      const failure = new KafkaSendError(
        `sending ${messages.length} record(s) to ${this.cfg.topic} on ${this.cfg.brokers.join(',')} failed after retries: ${errorMessage(rootCause(err))}`,
        { cause: err },
      );
      this.failure ??= failure;
      throw failure;
    }
    this.sent += messages.length;
    if (this.retriesSinceSuccess > 0) {
      this.deps.log.warn(`[kafka] sends recovered after ${this.retriesSinceSuccess} retr${this.retriesSinceSuccess === 1 ? 'y' : 'ies'}`);
      this.retriesSinceSuccess = 0;
    }
  }

  private onKafkaLog(entry: LogEntry): void {
    const { line, kind } = classifyKafkaLog(entry, this.starting);
    switch (kind) {
      case 'ignore':
        return;
      case 'retry':
        this.retries++;
        this.errors++;
        this.retriesSinceSuccess++;
        this.deps.log.warn(line);
        return;
      case 'warn':
        this.deps.log.warn(line);
        return;
      case 'debug':
        this.deps.log.debug(line);
    }
  }
}

export type KafkaLogKind = 'ignore' | 'retry' | 'warn' | 'debug';

/**
 * What a kafkajs log entry means for us. kafkajs reports each retried produce request as an ERROR
 * from the Producer with a retryCount: those are our "retries" (e.g. a broker restarting).
 * During startup connection errors are expected noise; we raise one clear error instead.
 */
export function classifyKafkaLog({ namespace, level, log }: LogEntry, starting: boolean): { kind: KafkaLogKind; line: string } {
  const { message, retryCount } = log as { message: string; retryCount?: unknown };
  const line = `[kafka] ${namespace}: ${message}`;
  // We bound retries on purpose (see SEND_RETRY); this warning is about that choice, not a fault.
  if (message.includes('Limiting retries for the idempotent producer')) return { kind: 'ignore', line };
  if (starting) return { kind: 'debug', line };
  // Each attempt of kafkajs' send retrier logs at most one entry with retryCount (at error or debug level).
  if (typeof retryCount === 'number' && namespace === 'Producer') return { kind: 'retry', line: `${line} (retry ${retryCount + 1})` };
  return { kind: level <= KafkaLogLevel.WARN ? 'warn' : 'debug', line };
}
