// Real-Kafka helpers for the producer integration tests: fresh topics, and a consumer that reads
// a topic back from the beginning.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { buildConfig, type ProducerConfig, type ProducerFlags } from '../../../producer/src/config.js';

import { BOOTSTRAP } from '../../support/kafka.js';

export { BOOTSTRAP, deleteTopics, topicMessageCount as messageCount } from '../../support/kafka.js';

const kafka = new Kafka({ clientId: 'producer-it', brokers: BOOTSTRAP.split(','), logLevel: logLevel.NOTHING });

export function freshTopic(prefix: string): string {
  return `it_producer_${prefix}_${randomUUID().slice(0, 8)}`;
}

export interface Consumed {
  key: string;
  value: string;
  partition: number;
  headers: Record<string, string>;
}

/**
 * Reads the topic from the beginning until `expected` messages arrived, then waits `settleMs` more
 * to catch any extra (duplicate) message, or fails after timeoutMs.
 */
export async function consumeAll(topic: string, expected: number, { timeoutMs = 60_000, settleMs = 1500 } = {}): Promise<Consumed[]> {
  const consumer = kafka.consumer({ groupId: `it-${randomUUID()}` });
  const out: Consumed[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let reached: () => void = () => undefined;
    const done = new Promise<void>((r) => (reached = r));
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        out.push({
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          partition,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
        if (out.length >= expected) reached();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new Error(`only ${out.length}/${expected} messages on ${topic} after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    await new Promise((r) => setTimeout(r, settleMs));
    return out;
  } finally {
    await consumer.disconnect();
  }
}

/** A ProducerConfig for tests: the same validation path as the CLI. */
export function testConfig(flags: ProducerFlags): ProducerConfig {
  return buildConfig({
    source: 'synthetic',
    results: '100',
    'bootstrap-servers': BOOTSTRAP,
    'client-id': 'producer-it',
    partitions: '3',
    'replication-factor': '1',
    compression: 'gzip',
    'batch-size': '200',
    'linger-ms': '20',
    'report-interval': '0',
    'request-timeout': '2',
    'max-retries': '5',
    'retry-backoff': '0.05',
    interval: '0',
    ...flags,
  });
}
