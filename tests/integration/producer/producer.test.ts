// The producer against the real local Kafka (never mocked). Each test writes to its own fresh topic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaTopicError } from '@streamline/core';
import { KafkaUnreachableError } from '../../../producer/src/errors.js';
import { memoryLogger } from '../../../producer/src/log.js';
import { runProducer } from '../../../producer/src/schedule.js';
import { startFakeRandomUserApi, type FakeRandomUserApi } from '../../../producer/src/testing/fake-randomuser-api.js';
import { recordProblem, type UserRecord } from '../../../producer/src/transform.js';
import { consumeAll, deleteTopics, freshTopic, messageCount, testConfig } from './kafka-helpers.js';

const topics: string[] = [];
const topic = (prefix: string): string => {
  const t = freshTopic(prefix);
  topics.push(t);
  return t;
};
afterAll(() => deleteTopics(topics));

function parse(value: string): UserRecord {
  const rec = JSON.parse(value) as unknown;
  expect(recordProblem(rec)).toBeUndefined();
  return rec as UserRecord;
}

describe('producer -> real Kafka', () => {
  it('synthetic: exactly N records, key = id, values are valid records, topic created with the partitions asked', async () => {
    const t = topic('synthetic');
    const N = 1234;
    const totals = await runProducer(testConfig({ topic: t, count: String(N), results: '500', seed: 'it-synthetic' }), { log: memoryLogger() });
    expect(totals).toMatchObject({ source: 'synthetic', sent: N, invalid: 0, errors: 0, stoppedBy: 'count' });

    const msgs = await consumeAll(t, N);
    expect(msgs).toHaveLength(N);
    const ids = new Set<string>();
    for (const m of msgs) {
      const rec = parse(m.value);
      expect(m.key).toBe(rec.id);
      // The one header: where the record came from (the value is always the record's JSON).
      expect(m.headers).toEqual({ source: 'synthetic' });
      ids.add(rec.id);
    }
    expect(ids.size).toBe(N);
    expect(new Set(msgs.map((m) => m.partition))).toEqual(new Set([0, 1, 2]));
  });

  it('re-sending the same seeded users produces the same keys (so Cassandra upserts)', async () => {
    const t = topic('resend');
    const cfg = testConfig({ topic: t, count: '150', results: '50', seed: 'it-resend' });
    await runProducer(cfg, {});
    await runProducer(cfg, {});
    const msgs = await consumeAll(t, 300);
    expect(msgs).toHaveLength(300);
    const byKey = new Map<string, number>();
    for (const m of msgs) byKey.set(m.key, (byKey.get(m.key) ?? 0) + 1);
    expect(byKey.size).toBe(150);
    for (const n of byKey.values()) expect(n).toBe(2);
    // Same key => same partition, so the two versions of a user stay ordered.
    const partitions = new Map<string, Set<number>>();
    for (const m of msgs) partitions.set(m.key, (partitions.get(m.key) ?? new Set()).add(m.partition));
    for (const p of partitions.values()) expect(p.size).toBe(1);
  });

  describe('randomuser source against the fake API', () => {
    let api: FakeRandomUserApi;
    beforeAll(async () => {
      api = await startFakeRandomUserApi();
    });
    afterAll(() => api.close());

    it('survives 429/503/empty/malformed answers and odd users; only valid records reach Kafka', async () => {
      const t = topic('randomuser');
      api.enqueue(
        { kind: 'status', status: 429, retryAfter: '0' },
        { kind: 'empty' },
        { kind: 'malformed' },
        { kind: 'status', status: 503 },
        { kind: 'results', results: [{ login: { uuid: 'not-a-uuid' } }, { name: 'x' }] },
      );
      const log = memoryLogger();
      const cfg = testConfig({ source: 'randomuser', 'randomuser-url': api.url, topic: t, count: '120', results: '40', nat: 'gb,ca,us', seed: 'it-api' });
      const totals = await runProducer(cfg, { log });
      expect(totals).toMatchObject({ source: 'randomuser', sent: 120, invalid: 2, retries: 4, stoppedBy: 'count' });

      const msgs = await consumeAll(t, 120);
      expect(msgs).toHaveLength(120);
      const recs = msgs.map((m) => parse(m.value));
      expect(msgs.every((m) => m.headers.source === 'randomuser')).toBe(true);
      // GB/CA postcodes arrive as strings, US ones as numbers converted to strings.
      expect(recs.some((r) => /^[A-Z]/.test(r.post_code))).toBe(true);
      expect(recs.some((r) => /^\d+$/.test(r.post_code))).toBe(true);
      expect(log.lines.join('\n')).toMatch(/\[randomuser\] HTTP 429/);
    });

    it('an API outage fails the run with a clear error after bounded retries, nothing bogus sent', async () => {
      const t = topic('outage');
      api.setPersistentFault({ kind: 'empty' });
      try {
        const cfg = testConfig({ source: 'randomuser', 'randomuser-url': api.url, topic: t, once: true, interval: undefined, 'max-retries': '1' });
        await expect(runProducer(cfg, { log: memoryLogger() })).rejects.toThrow(/failed 2 time\(s\).*--source synthetic/);
        expect(await messageCount(t)).toBe(0);
      } finally {
        api.setPersistentFault(undefined);
      }
    });
  });

  it('topic problems are explained: missing with --no-create-topic, replication factor above the broker count', async () => {
    const missing = await runProducer(testConfig({ topic: freshTopic('missing'), 'create-topic': false, once: true, interval: undefined })).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(KafkaTopicError);
    expect((missing as Error).message).toMatch(/does not exist .* --no-create-topic/);
    const t = topic('rf');
    const rf = await runProducer(testConfig({ topic: t, 'replication-factor': '3', once: true, interval: undefined })).catch((e: unknown) => e);
    expect(rf).toBeInstanceOf(KafkaTopicError);
    expect((rf as Error).message).toMatch(/could not create topic .*replication=3.*single-broker cluster needs replication factor 1/);
  });

  it('unreachable bootstrap servers: a typed error naming them, within seconds', async () => {
    const t0 = Date.now();
    const err = await runProducer(testConfig({ topic: 'never', 'bootstrap-servers': '127.0.0.1:1', once: true, interval: undefined })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaUnreachableError);
    expect((err as Error).message).toMatch(/cannot reach Kafka bootstrap servers 127\.0\.0\.1:1/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
