// The whole pipeline on the real local stack: producer → Kafka → Spark (plan.ts over Spark Connect) →
// Cassandra. Each run uses its own topic, keyspace and checkpoints, so counts are exact.
import { randomUUID } from 'node:crypto';
import type cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTopic, sendRaw } from '../support/kafka.js';
import { parseProducerArgs, runProducer, type ProducerTotals } from '@streamline/producer';
import { Pipeline, cassandraClient, type RunningJob } from '@streamline/spark-job';
import { isolatedPipeline, releasePipeline } from './support/isolated-pipeline.js';

const isolated = isolatedPipeline('e2e');
const { topic, keyspace, pipeline, session } = isolated;
const print = (line: string): void => console.log(`[job] ${line}`);

let db: cassandra.Client;
let job: RunningJob | undefined;

/** Poison of every kind the quarantine must catch (key, value). */
const POISON: { key: string; value: Buffer | string | null }[] = [
  { key: 'invalid-json', value: '{"id": "oops", ' },
  { key: 'no-id', value: JSON.stringify({ first_name: 'Nobody', email: 'n@example.com' }) },
  { key: 'bad-uuid', value: JSON.stringify({ id: 'not-a-uuid', first_name: 'Bad' }) },
  { key: 'empty', value: '' },
  { key: 'wrong-types', value: JSON.stringify({ id: randomUUID(), latitude: 'north', dob: 'yesterday' }) },
  { key: 'not-utf8', value: Buffer.from([0xc3, 0x28, 0x7b, 0xff]) },
  { key: 'array', value: '[{"id": "8c5b2e4e-6f0b-4a0e-9a57-2f0a1c7c9f11"}]' },
  { key: 'null-id', value: JSON.stringify({ id: null }) },
];

async function produceSynthetic(count: number, seed: string): Promise<ProducerTotals> {
  const parsed = await parseProducerArgs(
    ['--source', 'synthetic', '--count', String(count), '--seed', seed, '--topic', topic, '--results', '100', '--partitions', '3'],
    { KAFKA_BOOTSTRAP_SERVERS: pipeline.kafka.bootstrapServers },
  );
  if (parsed.kind !== 'config') throw new Error('unexpected --help');
  return runProducer(parsed.config);
}

async function count(table: string): Promise<number> {
  const result = await db.execute(`SELECT count(*) AS n FROM ${keyspace}.${table}`);
  return Number(result.rows[0]!.n);
}

/** Waits until every query has consumed everything in the topic, then returns the table counts. */
async function drain(submitted: RunningJob): Promise<{ users: number; quarantine: number }> {
  for (const query of submitted.queries) await query.processAllAvailable();
  return { users: await count(pipeline.cassandra.names.table), quarantine: await count(pipeline.cassandra.names.quarantineTable) };
}

beforeAll(async () => {
  db = cassandraClient(pipeline.cassandra);
  await db.connect();
});

afterAll(() => releasePipeline(isolated, db, job));

describe('pipeline end to end', () => {
  const N = 400;
  const K = 150;

  it('puts exactly the valid records in the users table and exactly the poison in quarantine', async () => {
    const sent = await produceSynthetic(N, 'e2e-first');
    expect(sent.sent).toBe(N);
    await sendRaw(
      topic,
      POISON.map((p) => ({ key: p.key, value: p.value })),
    );

    job = await new Pipeline(pipeline, session, { log: print }).submit({ startupCheckMs: 60_000 });
    expect(await drain(job)).toEqual({ users: N, quarantine: POISON.length });
    for (const query of job.queries) expect(await query.isActive()).toBe(true);

    const reasons = (await db.execute(`SELECT kafka_key, reason, raw_value FROM ${keyspace}.${pipeline.cassandra.names.quarantineTable}`)).rows;
    const byKey = Object.fromEntries(reasons.map((r) => [r.kafka_key as string, r.reason as string]));
    expect(byKey).toEqual({
      'invalid-json': 'not a JSON object',
      'no-id': 'id missing',
      'bad-uuid': 'id is not a UUID',
      empty: 'empty value',
      'wrong-types': 'first_name missing',
      'not-utf8': 'value is not valid UTF-8',
      array: 'not a JSON object',
      'null-id': 'id is null',
    });
    // The raw bytes are kept as they came, even when they are not text.
    const raw = reasons.find((r) => r.kafka_key === 'not-utf8')!.raw_value as Buffer;
    expect([...raw]).toEqual([0xc3, 0x28, 0x7b, 0xff]);

    // Typed columns: post codes always text, coordinates numbers, timestamps parsed, ingestion stamped.
    const rows = (await db.execute(`SELECT * FROM ${keyspace}.${pipeline.cassandra.names.table} LIMIT 50`)).rows;
    for (const row of rows) {
      expect(typeof row.post_code).toBe('string');
      expect(typeof row.latitude).toBe('number');
      expect(row.produced_at).toBeInstanceOf(Date);
      expect(row.ingested_at.getTime()).toBeGreaterThanOrEqual(row.produced_at.getTime());
      expect(row.first_name).toBeTruthy();
    }
  });

  it('recovers from a stop: records produced while stopped arrive once, none lost or duplicated', async () => {
    await job!.stop();
    job!.spark.close();
    job = undefined;

    const more = await produceSynthetic(K, 'e2e-second');
    expect(more.sent).toBe(K);

    job = await new Pipeline(pipeline, session, { log: print }).submit({ startupCheckMs: 60_000 });
    expect(await drain(job)).toEqual({ users: N + K, quarantine: POISON.length });

    const ids = new Set((await db.execute(`SELECT id FROM ${keyspace}.${pipeline.cassandra.names.table}`)).rows.map((r) => r.id.toString() as string));
    const produced = new Set((await readTopic(topic)).map((m) => m.key ?? '').filter((k) => !POISON.some((p) => p.key === k)));
    expect(produced.size).toBe(N + K);
    expect(ids).toEqual(produced);
  });

  it('upserts re-sent users instead of duplicating them', async () => {
    const again = await produceSynthetic(N, 'e2e-first');
    expect(again.sent).toBe(N);
    expect(await drain(job!)).toEqual({ users: N + K, quarantine: POISON.length });
  });
});
