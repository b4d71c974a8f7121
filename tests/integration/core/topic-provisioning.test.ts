// Topic provisioning on the real broker: the producer and the job both call it, possibly at the same
// moment; exactly one creation wins, nobody fails, everybody sees the partitions with their leaders.
import { randomUUID } from 'node:crypto';
import { KafkaTopicError, KafkaUnreachableError, ensureTopic, withAdmin } from '@streamline/core';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP } from '../../support/kafka.js';

const target = { brokers: BOOTSTRAP.split(','), clientId: 'topic-provisioning-test', setting: 'KAFKA_BOOTSTRAP_SERVERS' };
const created: string[] = [];
const freshTopic = (): string => {
  const topic = `provision_${randomUUID().slice(0, 8)}`;
  created.push(topic);
  return topic;
};

afterAll(async () => {
  await withAdmin(target, (admin) => admin.deleteTopics({ topics: created })).catch(() => undefined);
});

describe('topic provisioning', () => {
  it('is race-safe: concurrent callers, one creation, the same partitions with leaders for all', async () => {
    const topic = freshTopic();
    const spec = { topic, partitions: 3, replicationFactor: 1 };
    // Separate admin clients, as the producer and the job have.
    const states = await Promise.all(Array.from({ length: 4 }, () => withAdmin(target, (admin) => ensureTopic(admin, spec))));
    expect(states.filter((s) => s.created)).toHaveLength(1);
    expect(states.map((s) => s.partitions)).toEqual([3, 3, 3, 3]);
    const metadata = await withAdmin(target, (admin) => admin.fetchTopicMetadata({ topics: [topic] }));
    expect(metadata.topics[0]!.partitions.map((p) => p.leader >= 0)).toEqual([true, true, true]);
  });

  it('reports the partitions an existing topic really has, whatever the spec asks', async () => {
    const topic = freshTopic();
    await withAdmin(target, (admin) => ensureTopic(admin, { topic, partitions: 2, replicationFactor: 1 }));
    const again = await withAdmin(target, (admin) => ensureTopic(admin, { topic, partitions: 5, replicationFactor: 1 }));
    expect(again).toEqual({ created: false, partitions: 2 });
  });

  it('refuses a missing topic when creation is off, and an impossible replication factor, with typed errors', async () => {
    const missing = await withAdmin(target, (admin) =>
      ensureTopic(admin, { topic: freshTopic(), partitions: 1, replicationFactor: 1 }, { create: false, missingHint: 'drop --no-create' }),
    ).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(KafkaTopicError);
    expect((missing as Error).message).toMatch(/does not exist and creating it is turned off: drop --no-create/);
    const rf = await withAdmin(target, (admin) => ensureTopic(admin, { topic: freshTopic(), partitions: 1, replicationFactor: 3 })).catch((e: unknown) => e);
    expect(rf).toBeInstanceOf(KafkaTopicError);
    expect((rf as Error).message).toMatch(/replication=3.*single-broker cluster needs replication factor 1/);
  });

  it('names the setting when no broker answers', async () => {
    const error = await withAdmin({ ...target, brokers: ['127.0.0.1:1'], setting: '--bootstrap-servers' }, async () => 'unreachable').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaUnreachableError);
    expect((error as KafkaUnreachableError).retriable).toBe(true);
    expect((error as Error).message).toMatch(/cannot reach Kafka bootstrap servers 127\.0\.0\.1:1: .*Set --bootstrap-servers/);
  });
});
