// Reading a topic back from the real broker: what is really in Kafka is the reference the end-to-end,
// fault and producer tests compare Cassandra (or the producer's own report) against.
import { setting } from '@streamline/core';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Message } from 'kafkajs';

export const BOOTSTRAP = setting(process.env, 'KAFKA_BOOTSTRAP_SERVERS');

/** A client of the local stack's Kafka, or of the brokers given (the multi-host cluster). */
export function kafkaClient(clientId = 'tests', brokers: readonly string[] = BOOTSTRAP.split(',')): Kafka {
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING, connectionTimeout: 5_000 });
}

export interface TopicMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
}

/** Messages in the topic according to the broker: the sum over partitions of high - low watermark. */
export async function topicMessageCount(topic: string, brokers?: readonly string[]): Promise<number> {
  const admin = kafkaClient('tests', brokers).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Every message of the topic, read from the beginning with a throw-away consumer group. */
export async function readTopic(topic: string, timeoutMs = 90_000, brokers?: readonly string[]): Promise<TopicMessage[]> {
  const total = await topicMessageCount(topic, brokers);
  if (total === 0) return [];
  const consumer = kafkaClient('tests', brokers).consumer({ groupId: `tests-read-${randomUUID()}`, maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  const messages: TopicMessage[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${messages.length}/${total} messages of ${topic} back within ${timeoutMs / 1000}s`)), timeoutMs);
      void consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            messages.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value });
            if (messages.length >= total) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** Kafka's default message.max.bytes applies to a whole record batch: keep every request under it. */
const MAX_BATCH_BYTES = 900_000;

function size(m: Message): number {
  return (m.value === null || m.value === undefined ? 0 : Buffer.byteLength(m.value as Buffer | string)) + 100;
}

/** Sends raw messages (anything, including poison) with an idempotent, acks=all producer. */
export async function sendRaw(topic: string, messages: Message[], chunk = 50): Promise<void> {
  const producer = kafkaClient('tests-raw').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    let batch: Message[] = [];
    let bytes = 0;
    for (const m of [...messages, undefined]) {
      const full = m === undefined || batch.length >= chunk || (batch.length > 0 && bytes + size(m) > MAX_BATCH_BYTES);
      if (full && batch.length > 0) {
        await producer.send({ topic, acks: -1, messages: batch });
        batch = [];
        bytes = 0;
      }
      if (m !== undefined) {
        batch.push(m);
        bytes += size(m);
      }
    }
  } finally {
    await producer.disconnect();
  }
}

export async function listTopics(): Promise<string[]> {
  const admin = kafkaClient().admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

/** Best-effort clean-up of the topics a test created. */
export async function deleteTopics(topics: string[]): Promise<void> {
  const admin = kafkaClient().admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const mine = topics.filter((t) => existing.has(t));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 15_000 });
  } catch {
    // clean-up only
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
