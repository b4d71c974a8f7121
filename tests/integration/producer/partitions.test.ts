// Several idempotent producers, each owning a disjoint set of partitions, on the real broker: every
// key lands on the partition kafkajs' own murmur2 partitioner gives it, the versions of a key arrive
// in the order they were written, and "sent" is exactly what the topic holds.
import { Partitioners } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../producer/src/log.js';
import { serializeRecord } from '../../../producer/src/prepare.js';
import { KafkaSink } from '../../../producer/src/sink/kafka.js';
import { generateUsers } from '../../../producer/src/source/synthetic-users.js';
import { toUserRecord, type UserRecord } from '../../../producer/src/transform.js';
import { consumeAll, deleteTopics, freshTopic, messageCount, testConfig } from './kafka-helpers.js';

const topics: string[] = [];
afterAll(() => deleteTopics(topics));

const USERS = 400;
const VERSIONS = 5;
const PARTITIONS = 3;

function users(): UserRecord[] {
  return generateUsers('it-partitions', 1, USERS).map((u) => {
    const r = toUserRecord(u, new Date());
    if (!r.ok) throw new Error(r.reason);
    return r.record;
  });
}

describe('several idempotent producers', () => {
  it.each([
    { producers: 3, pendingBatches: 1 },
    { producers: 2, pendingBatches: 2 },
  ])(
    '$producers producers, $pendingBatches pending batches: keys on their murmur2 partition, versions in order, sent = in topic',
    async ({ producers, pendingBatches }) => {
      const t = freshTopic(`partitions_${producers}`);
      topics.push(t);
      // Small batches, so that every partition has many batches queued behind the one in flight.
      const cfg = testConfig({ topic: t, partitions: String(PARTITIONS), 'batch-size': '37', 'linger-ms': '5' });
      const sink = new KafkaSink({ ...cfg.kafka, producers, pendingBatches }, { log: memoryLogger() });
      await sink.start();
      const base = users();
      try {
        // Version v of every user, in pages of 100 as the producer writes them; versions go out in order.
        for (let v = 0; v < VERSIONS; v++) {
          const versioned = base.map((r) => serializeRecord({ ...r, first_name: `v${v}` }));
          for (let i = 0; i < versioned.length; i += 100) await sink.write(versioned.slice(i, i + 100));
        }
        await sink.flush();
      } finally {
        await sink.close();
      }
      const total = USERS * VERSIONS;
      expect(sink.stats().sent).toBe(total);
      expect(await messageCount(t)).toBe(total);

      const msgs = await consumeAll(t, total);
      expect(msgs).toHaveLength(total);
      const partitioner = Partitioners.DefaultPartitioner();
      const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
        partitionId,
        leader: 0,
        replicas: [0],
        isr: [0],
        partitionErrorCode: 0,
      }));
      // Within a partition the consumer sees offset order: each key's versions must read v0, v1, ... v4.
      const versions = new Map<string, string[]>();
      for (const m of msgs) {
        expect(m.partition).toBe(partitioner({ topic: t, partitionMetadata, message: { key: m.key, value: null } }));
        const seen = versions.get(m.key) ?? [];
        seen.push((JSON.parse(m.value) as UserRecord).first_name);
        versions.set(m.key, seen);
      }
      expect(versions.size).toBe(USERS);
      const inOrder = Array.from({ length: VERSIONS }, (_, v) => `v${v}`);
      for (const seen of versions.values()) expect(seen).toEqual(inOrder);
    },
  );
});
