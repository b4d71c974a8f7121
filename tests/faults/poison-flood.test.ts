// Poison flood: 10% of the messages in a busy topic are poison of every kind, including a ~1 MB value.
// The running job must put exactly the valid records in the users table and exactly the poison in the
// quarantine (with the right reason, byte for byte), and the query must stay up.
import { randomUUID } from 'node:crypto';
import type cassandra from 'cassandra-driver';
import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopic, withAdmin } from '@streamline/core';
import type { RunningJob } from '@streamline/spark-job';
import { BOOTSTRAP, readTopic, sendRaw } from '../support/kafka.js';
import { cassandraFor, cleanUp, countRows, drain, faultRun, produceSynthetic, release, submit, userIds } from './support/pipeline.js';
import { restoreStack } from './support/stack.js';
import { secondsSince } from '../support/wait.js';

const run = faultRun('poison');
let db: cassandra.Client;
let job: RunningJob | undefined;

const VALID = 1_800;
const POISON_COUNT = 200; // 10% of 2,000
/** Just under Kafka's default max message size (1 MiB + overhead). */
const HUGE = 1_000_000;

interface Poison {
  kind: string;
  reason: string;
  value: (i: number) => Buffer | string | null;
}

const KINDS: Poison[] = [
  { kind: 'invalid-json', reason: 'not a JSON object', value: (i) => `{"id": "${randomUUID()}", "first_name": "trunc${i}` },
  { kind: 'no-id', reason: 'id missing', value: (i) => JSON.stringify({ first_name: `Nobody${i}`, email: 'n@example.com' }) },
  { kind: 'null-id', reason: 'id is null', value: () => JSON.stringify({ id: null, first_name: 'Null' }) },
  { kind: 'bad-uuid', reason: 'id is not a UUID', value: (i) => JSON.stringify({ id: `not-a-uuid-${i}`, first_name: 'Bad' }) },
  { kind: 'empty', reason: 'empty value', value: () => '' },
  { kind: 'tombstone', reason: 'empty value', value: () => null },
  { kind: 'not-utf8', reason: 'value is not valid UTF-8', value: (i) => Buffer.from([0xc3, 0x28, 0x7b, 0xff, i & 0x7f]) },
  { kind: 'wrong-types', reason: 'first_name missing', value: () => JSON.stringify({ id: randomUUID(), latitude: 'north', dob: 'yesterday' }) },
  { kind: 'array', reason: 'not a JSON object', value: () => `[{"id": "${randomUUID()}"}]` },
  { kind: 'scalar', reason: 'not a JSON object', value: (i) => String(i) },
];

/** Two ~1 MB values: one not JSON at all, one a JSON object whose field has the wrong type. */
const HUGE_KINDS: Poison[] = [
  { kind: 'huge-garbage', reason: 'not a JSON object', value: () => Buffer.alloc(HUGE, 'x') },
  {
    kind: 'huge-wrong-types',
    reason: 'first_name missing',
    value: () => {
      const head = `{"id":"${randomUUID()}","latitude":"`;
      return head + 'n'.repeat(HUGE - head.length - 2) + '"}';
    },
  },
];

/**
 * The poison: the two ~1 MB values go to the same Kafka partition (so the same Spark task, and the same
 * micro-batch when sent before the job starts: the sink must cope with both in one write), the rest is
 * spread by key.
 */
function poisonMessages(): { huge: Message[]; messages: Message[]; reasonByKey: Map<string, string> } {
  const huge: Message[] = [];
  const messages: Message[] = [];
  const reasonByKey = new Map<string, string>();
  const add = (into: Message[], p: Poison, i: number, partition?: number): void => {
    const key = `poison-${p.kind}-${i}`;
    into.push({ key, value: p.value(i), ...(partition !== undefined ? { partition } : {}) });
    reasonByKey.set(key, p.reason);
  };
  for (const p of HUGE_KINDS) add(huge, p, 0, 0);
  for (let i = 0; huge.length + messages.length < POISON_COUNT; i++) add(messages, KINDS[i % KINDS.length]!, i);
  return { huge, messages, reasonByKey };
}

beforeAll(async () => {
  db = cassandraFor(run);
  await db.connect();
});

afterAll(async () => {
  await release(job);
  await cleanUp(run, db);
  await db.shutdown();
  await restoreStack();
});

describe('poison flood', () => {
  it('routes every valid record to the users table and every poison message to quarantine, queries still up', async () => {
    const { huge, messages: rest, reasonByKey } = poisonMessages();
    const messages = [...huge, ...rest];
    expect(messages).toHaveLength(POISON_COUNT);
    // The two 1 MB values are waiting in the topic when the job starts: its first micro-batch has both.
    await withAdmin({ brokers: [BOOTSTRAP], clientId: 'poison-flood-test', setting: 'BOOTSTRAP' }, (admin) =>
      ensureTopic(admin, { topic: run.topic, partitions: 3, replicationFactor: 1 }),
    );
    await sendRaw(run.topic, huge);

    const t0 = Date.now();
    job = await submit(run);
    console.log(`[poison] job submitted in ${secondsSince(t0)}`);

    // The flood: valid records and the rest of the poison interleaved, while the job runs.
    const tFlood = Date.now();
    const [totals] = await Promise.all([
      produceSynthetic(run, ['--count', String(VALID), '--results', '100', '--rate', '600', '--seed', `poison-${run.keyspace}`]),
      sendRaw(run.topic, rest, 10),
    ]);
    expect(totals.sent).toBe(VALID);
    console.log(`[poison] flood of ${VALID} valid + ${POISON_COUNT} poison sent in ${secondsSince(tFlood)}`);

    const tDrain = Date.now();
    await drain(job);
    console.log(`[poison] drained in ${secondsSince(tDrain)}`);

    for (const query of job.queries) {
      expect(await query.isActive(), `${query.name} is active`).toBe(true);
      expect(await query.exception()).toBeNull();
    }
    expect(await countRows(db, run, 'users')).toBe(VALID);
    expect(await countRows(db, run, 'quarantine')).toBe(POISON_COUNT);

    // Exactly the poison, each with its reason.
    const quarantined = (
      await db.execute(`SELECT kafka_key, reason, raw_value FROM ${run.keyspace}.${run.pipeline.cassandra.names.quarantineTable}`, [], {
        fetchSize: 1000,
        autoPage: true,
      })
    ).rows;
    const gotReasons = new Map(quarantined.map((r) => [r.kafka_key as string, r.reason as string]));
    expect(gotReasons).toEqual(reasonByKey);
    // Byte for byte, also for the 1 MB values and the non-UTF-8 ones.
    const raw = new Map(quarantined.map((r) => [r.kafka_key as string, r.raw_value as Buffer | null]));
    for (const m of messages) {
      const expected = m.value === null || m.value === undefined ? Buffer.alloc(0) : Buffer.from(m.value as Buffer | string);
      const got = raw.get(m.key as string) ?? Buffer.alloc(0);
      expect(got.length, `raw bytes of ${String(m.key)}`).toBe(expected.length);
      expect(got.equals(expected), `raw bytes of ${String(m.key)}`).toBe(true);
    }
    expect(raw.get('poison-huge-garbage-0')!.length).toBe(HUGE);

    // Exactly the valid ones: the users table's ids are the producer's keys as read back from Kafka.
    const topic = await readTopic(run.topic);
    expect(topic).toHaveLength(VALID + POISON_COUNT);
    const producedIds = topic.map((m) => m.key!).filter((k) => !k.startsWith('poison-'));
    expect(new Set(producedIds).size).toBe(VALID);
    expect(new Set(await userIds(db, run))).toEqual(new Set(producedIds));
    console.log(`[poison] total ${secondsSince(t0)}: users=${VALID}, quarantine=${POISON_COUNT} (2 of ${HUGE} bytes), queries active`);
  });
});
