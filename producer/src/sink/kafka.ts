// Kafka sink on kafkajs. The only module that imports kafkajs (see sink/types.ts for why).
//
// Delivery: idempotent producer, acks=all, one request in flight, key = record id (so a partition
// holds all versions of a user and Cassandra upserts), value = the record as JSON.
// Retries: kafkajs retries each request with backoff for ~1.5 minutes, long enough to ride out a
// broker restart; every retry is counted and logged so the restart is visible in the report.

import {
  CompressionTypes,
  Kafka,
  Partitioners,
  logLevel as KafkaLogLevel,
  type Admin,
  type ISocketFactory,
  type LogEntry,
  type Message,
  type PartitionMetadata,
  type Producer,
  type RetryOptions,
} from 'kafkajs';
import { ensureTopic, rootCause } from '@streamline/core';
import { KafkaSendError, KafkaUnreachableError, StreamlineError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { UserRecord } from '../transform.js';
import { Batcher } from './batcher.js';
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
  /** Records per produce request. */
  readonly batchSize: number;
  /** Max time a record waits for its batch to fill. */
  readonly lingerMs: number;
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

export class KafkaSink implements RecordSink {
  readonly description: string;
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private readonly batcher: Batcher<Message>;
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
  /** The topic's partitions (known after start()): records are assigned to them here, see sendBatch. */
  private partitionMetadata: PartitionMetadata[] = [];
  private readonly partitioner = Partitioners.DefaultPartitioner();

  constructor(
    private readonly cfg: KafkaSinkConfig,
    private readonly deps: KafkaSinkDeps,
  ) {
    this.description = `kafka ${cfg.brokers.join(',')} topic ${cfg.topic}`;
    this.kafka = this.client(deps.retry ?? SEND_RETRY);
    this.batcher = new Batcher<Message>({ maxItems: cfg.batchSize, lingerMs: cfg.lingerMs, send: (m) => this.sendBatch(m) });
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
    try {
      try {
        await admin.connect();
      } catch (err) {
        throw new KafkaUnreachableError(this.cfg.brokers, errorMessage(rootCause(err)), { cause: err, setting: BROKERS_SETTING });
      }
      try {
        await this.ensureTopic(admin);
      } catch (err) {
        if (err instanceof StreamlineError) throw err;
        throw new KafkaSendError(`checking topic ${this.cfg.topic} on ${this.cfg.brokers.join(',')} failed: ${errorMessage(rootCause(err))}`, { cause: err });
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const producer = this.kafka.producer({
      idempotent: true,
      // kafkajs requires 1 in-flight request for the idempotent producer to guarantee ordering.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 like the Java client, so keys land on the same partitions whoever produces them.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: this.deps.retry ?? SEND_RETRY,
    });
    producer.on(producer.events.DISCONNECT, () => {
      if (!this.closed) this.deps.log.warn(`[kafka] disconnected from ${this.cfg.brokers.join(',')}; kafkajs reconnects on the next send`);
    });
    try {
      await producer.connect();
    } catch (err) {
      throw new KafkaUnreachableError(this.cfg.brokers, errorMessage(rootCause(err)), { cause: err, setting: BROKERS_SETTING });
    }
    this.producer = producer;
    this.starting = false;
  }

  private async ensureTopic(admin: Admin): Promise<void> {
    const { topic, partitions, replicationFactor } = this.cfg;
    const state = await ensureTopic(
      admin,
      { topic, partitions, replicationFactor },
      {
        create: this.cfg.createTopic,
        missingHint: 'create it, or drop --no-create-topic',
      },
    );
    // Only the count matters to the murmur2 partitioner of keyed records.
    this.partitionMetadata = Array.from({ length: state.partitions }, (_, partitionId) => ({
      partitionId,
      leader: -1,
      replicas: [],
      isr: [],
      partitionErrorCode: 0,
    }));
    if (state.created) this.deps.log.info(`[kafka] created topic ${topic} (partitions=${partitions}, replication=${replicationFactor})`);
    else if (state.partitions !== partitions)
      this.deps.log.debug(`[kafka] topic ${topic} exists with ${state.partitions} partitions (--partitions applies only when creating it)`);
  }

  async write(records: readonly UserRecord[]): Promise<void> {
    if (this.producer === undefined) throw new KafkaSendError('KafkaSink.write() before start()');
    const headers = { 'content-type': 'application/json', ...this.deps.headers };
    await this.batcher.add(records.map((r) => ({ key: r.id, value: JSON.stringify(r), headers })));
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.broken) {
        if (this.batcher.pending > 0) this.deps.log.error(`[kafka] ${this.batcher.pending} buffered record(s) not sent: Kafka failed earlier`);
      } else if (this.producer !== undefined) {
        await this.batcher.flush();
      }
    } finally {
      this.closed = true;
      this.batcher.dispose();
      await this.producer?.disconnect().catch(() => undefined);
    }
  }

  /** The partition of a keyed record: murmur2 like the Java client, so keys land where any producer would put them. */
  private partitionOf(message: Message): number {
    return this.partitioner({ topic: this.cfg.topic, partitionMetadata: this.partitionMetadata, message });
  }

  /**
   * One kafkajs send per partition, all in parallel. A send covering partitions of several leaders is not
   * safe in kafkajs 2.2.4: when the request to one leader fails and its partitions move to a broker whose
   * request already succeeded, the retry skips that broker, and the moved partitions' records are
   * reported sent but never written (tulios/kafkajs#1303; reproduced by tests/hosts with 3 brokers).
   * With one partition per send, a retry always re-sends to the partition's current leader.
   */
  private async sendBatch(messages: Message[]): Promise<void> {
    const producer = this.producer;
    if (producer === undefined) throw new KafkaSendError('send before start()');
    const byPartition = new Map<number, Message[]>();
    for (const message of messages) {
      const partition = this.partitionOf(message);
      const group = byPartition.get(partition);
      if (group) group.push({ ...message, partition });
      else byPartition.set(partition, [{ ...message, partition }]);
    }
    const compression = this.cfg.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    const results = await Promise.allSettled(
      [...byPartition.values()].map((group) => producer.sendBatch({ topicMessages: [{ topic: this.cfg.topic, messages: group }], acks: -1, compression })),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      this.errors++;
      this.broken = true;
      const delivered = results.reduce((n, r, i) => (r.status === 'fulfilled' ? n + [...byPartition.values()][i]!.length : n), 0);
      this.sent += delivered;
      throw new KafkaSendError(
        `sending ${messages.length - delivered} record(s) to ${this.cfg.topic} on ${this.cfg.brokers.join(',')} failed after retries: ${errorMessage(rootCause(failed.reason))}`,
        { cause: failed.reason },
      );
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
