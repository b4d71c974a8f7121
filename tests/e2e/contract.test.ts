import type cassandra from 'cassandra-driver';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakages, brokenBytes, validRecordArb } from '@streamline/record/testing';
import { sendRaw } from '../support/kafka.js';
import { Pipeline, cassandraClient, type RunningJob } from '@streamline/spark-job';
import { isolatedPipeline, releasePipeline } from './support/isolated-pipeline.js';

const isolated = isolatedPipeline('contract');
const { run, topic, keyspace, pipeline, session } = isolated;
const print = (line: string): void => console.log(`[job] ${line}`);

let db: cassandra.Client;
let job: RunningJob | undefined;

beforeAll(async () => {
  db = cassandraClient(pipeline.cassandra);
  await db.connect();
});

afterAll(() => releasePipeline(isolated, db, job));

describe('record contract end to end', () => {
  it('conforming records reach created_users only, every breakage the quarantine only, with its reason', async () => {
    const seed = Number.parseInt(run.slice(0, 6), 16);
    console.log(`[contract] fast-check seed ${seed}`);
    const records = fc.sample(validRecordArb(), { numRuns: 60, seed });
    const valid = new Map<string, Buffer>();
    for (const rec of records) valid.set(rec.id.toLowerCase(), Buffer.from(JSON.stringify(rec)));
    const broken = new Map<string, { value: Buffer; reason: string }>();
    for (const [i, rec] of records.slice(0, 3).entries()) {
      for (const b of breakages()) broken.set(`${i} ${b.name}`, { value: brokenBytes(b.apply(rec)), reason: b.reason });
    }
    await sendRaw(topic, [
      ...[...valid].map(([id, value]) => ({ key: id, value })),
      ...[...broken].map(([key, { value }]) => ({ key, value: value.length === 0 ? null : value })),
    ]);

    job = await new Pipeline(pipeline, session, { log: print }).submit({ startupCheckMs: 60_000 });
    for (const query of job.queries) await query.processAllAvailable();

    const users = (await db.execute(`SELECT id FROM ${keyspace}.${pipeline.cassandra.names.table}`)).rows.map((r) => r.id.toString() as string);
    expect(users.sort()).toEqual([...valid.keys()].sort());
    const quarantined = (await db.execute(`SELECT kafka_key, reason FROM ${keyspace}.${pipeline.cassandra.names.quarantineTable}`)).rows;
    const got = Object.fromEntries(quarantined.map((r) => [r.kafka_key as string, r.reason as string]));
    expect(got).toEqual(Object.fromEntries([...broken].map(([key, { reason }]) => [key, reason])));
  });
});
