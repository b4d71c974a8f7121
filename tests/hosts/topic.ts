// Creating and reading back topics of the multi-host cluster: what the brokers really hold is the
// reference the producer's own report is checked against.
import { Kafka, logLevel } from 'kafkajs';
import { topicMessageCount as countOnBrokers, readTopic } from '../support/kafka.js';

function client(bootstrap: readonly string[]): Kafka {
  return new Kafka({ clientId: 'tests-hosts', brokers: [...bootstrap], logLevel: logLevel.NOTHING, connectionTimeout: 3_000, requestTimeout: 10_000 });
}

/**
 * Creates the topic, then waits (bounded) until every broker's metadata shows every partition with a
 * leader and all its replicas in sync: until then a broker may still answer "does not host this
 * topic-partition" (kafkajs' own waitForLeaders gives up on that answer).
 */
export async function createTopic(
  bootstrap: readonly string[],
  topic: string,
  partitions: number,
  replicationFactor: number,
  timeoutMs = 30_000,
): Promise<void> {
  const admin = client(bootstrap).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor }], waitForLeaders: false, timeout: timeoutMs });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await Promise.all(bootstrap.map((broker) => fullyReplicated([broker], topic, partitions, replicationFactor)));
      if (ready.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error(`topic ${topic}: not every partition led and fully in sync on every broker within ${timeoutMs / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } finally {
    await admin.disconnect();
  }
}

async function fullyReplicated(brokers: readonly string[], topic: string, partitions: number, replicationFactor: number): Promise<boolean> {
  const admin = client(brokers).admin();
  try {
    await admin.connect();
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const parts = meta?.partitions ?? [];
    return parts.length === partitions && parts.every((p) => p.leader >= 0 && p.isr.length === replicationFactor);
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Messages in the topic according to the brokers: sum over partitions of high - low watermark. */
export function topicMessageCount(bootstrap: readonly string[], topic: string): Promise<number> {
  return countOnBrokers(topic, bootstrap);
}

/** The key of every message of the topic (there must be `expected`), read from the beginning. */
export async function readKeys(bootstrap: readonly string[], topic: string, expected: number, timeoutMs = 90_000): Promise<string[]> {
  const messages = await readTopic(topic, timeoutMs, bootstrap);
  if (messages.length !== expected) throw new Error(`topic ${topic}: read ${messages.length} messages back, expected ${expected}`);
  return messages.map((m) => m.key ?? '');
}
