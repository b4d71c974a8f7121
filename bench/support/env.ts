// What every measurement shares: the local stack's addresses, unique names per run, Kafka/Cassandra
// helpers and the job configuration built exactly as the e2e test builds it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setting } from '@streamline/core';
import cassandra from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import {
  cassandraClient,
  pipelineDefaults,
  sessionDefaults,
  toPipelineConfig,
  type CassandraWriter,
  type PipelineConfig,
  type RawPipelineOptions,
  type SessionConfig,
} from '@streamline/spark-job';

// The stack the environment describes (the local stack's defaults when nothing is set).
export const BOOTSTRAP = setting(process.env, 'KAFKA_BOOTSTRAP_SERVERS');

export interface BenchContext {
  /** Short random id: every topic, keyspace, checkpoint and query name of this run carries it. */
  run: string;
  scratch: string;
  kafka: Kafka;
  db: cassandra.Client;
  log: (line: string) => void;
  /** Everything created, for cleanup. */
  topics: Set<string>;
  keyspaces: Set<string>;
}

/**
 * `cassandra: false` for a phase that needs only Kafka (the producer's): the client is then made but
 * not connected, so that phase runs on `make stack-up SERVICES=kafka` without Cassandra's CPU.
 */
export async function openContext(log: (line: string) => void, options: { cassandra?: boolean } = {}): Promise<BenchContext> {
  const run = randomUUID().replaceAll('-', '').slice(0, 8);
  const defaults = toPipelineConfig(pipelineDefaults(process.env));
  const db = cassandraClient(defaults.cassandra);
  if (options.cassandra ?? true) await db.connect();
  return {
    run,
    scratch: mkdtempSync(path.join(tmpdir(), 'streamline-bench-')),
    kafka: new Kafka({ clientId: `bench-${run}`, brokers: [BOOTSTRAP], logLevel: logLevel.ERROR }),
    db,
    log,
    topics: new Set(),
    keyspaces: new Set(),
  };
}

/** Drops what the run created (topics, keyspaces, checkpoints); the stack itself is left running. */
export async function closeContext(ctx: BenchContext): Promise<void> {
  const admin = ctx.kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const ours = [...ctx.topics].filter((t) => existing.has(t));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours, timeout: 30_000 });
  } catch (error) {
    ctx.log(`cleanup: could not delete topics ${[...ctx.topics].join(', ')}: ${(error as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  for (const keyspace of ctx.keyspaces) {
    await ctx.db.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch((error: Error) => ctx.log(`cleanup: drop ${keyspace}: ${error.message}`));
  }
  await ctx.db.shutdown().catch(() => undefined);
  rmSync(ctx.scratch, { recursive: true, force: true });
}

/** A fresh, unique name for one measurement's topic/keyspace (Kafka and CQL both accept it). */
export function uniqueName(ctx: BenchContext, label: string): string {
  return `bench_${ctx.run}_${label}_${randomUUID().replaceAll('-', '').slice(0, 4)}`;
}

export async function createTopic(ctx: BenchContext, topic: string, partitions: number): Promise<void> {
  const admin = ctx.kafka.admin();
  await admin.connect();
  try {
    ctx.topics.add(topic);
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}

export async function topicSize(ctx: BenchContext, topic: string): Promise<number> {
  const admin = ctx.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export interface JobKnobs {
  maxOffsetsPerTrigger?: number | undefined;
  trigger?: string;
  sinkOptions?: string[];
  /** Who writes the rows (the job's --cassandra-writer). */
  writer?: CassandraWriter;
}

/** The job's configuration for one measurement: the job's defaults, plus the knobs under test. */
export function jobConfig(ctx: BenchContext, topic: string, keyspace: string, knobs: JobKnobs = {}): { pipeline: PipelineConfig; session: SessionConfig } {
  const defaults = pipelineDefaults(process.env);
  ctx.keyspaces.add(keyspace);
  const raw: RawPipelineOptions = {
    ...defaults,
    topic,
    keyspace,
    checkpointLocation: path.join(ctx.scratch, 'checkpoints', keyspace),
    queryNamePrefix: `${keyspace}_`,
    ...(knobs.trigger !== undefined ? { trigger: knobs.trigger } : {}),
    ...('maxOffsetsPerTrigger' in knobs ? { maxOffsetsPerTrigger: knobs.maxOffsetsPerTrigger } : {}),
    sinkOption: [...defaults.sinkOption, ...(knobs.sinkOptions ?? [])],
    ...(knobs.writer !== undefined ? { cassandraWriter: knobs.writer } : {}),
  };
  return {
    pipeline: toPipelineConfig(raw),
    session: { ...sessionDefaults(process.env), stateFile: path.join(ctx.scratch, 'sessions', `${keyspace}.json`) },
  };
}

/** Rows the Cassandra node has written locally to a table since it started (a cheap virtual-table read). */
export async function localWrites(db: cassandra.Client, keyspace: string, table: string): Promise<number> {
  const result = await db.execute('SELECT count FROM system_views.local_write_latency WHERE keyspace_name = ? AND table_name = ?', [keyspace, table], {
    prepare: true,
  });
  return result.rows.length > 0 ? Number(result.rows[0]!.count) : 0;
}

/**
 * Exact row count of a table. One `SELECT count(*)` over 500k rows is a single range read that the node
 * gives up on after its range_request_timeout (10 s) on a busy 2-core machine, so the Murmur3 token ring
 * is counted in slices, each a short range read.
 */
export async function countRows(db: cassandra.Client, keyspace: string, table: string, slices = 64): Promise<number> {
  const meta = await db.metadata.getTable(keyspace, table);
  if (!meta) throw new Error(`table ${keyspace}.${table} not found`);
  const key = meta.partitionKeys.map((c) => `"${c.name}"`).join(', ');
  const query = `SELECT count(*) AS n FROM ${keyspace}.${table} WHERE token(${key}) >= ? AND token(${key}) <= ?`;
  const min = -(2n ** 63n);
  const width = 2n ** 64n / BigInt(slices);
  let total = 0;
  for (let i = 0; i < slices; i++) {
    const low = min + width * BigInt(i);
    const high = i === slices - 1 ? 2n ** 63n - 1n : low + width - 1n;
    const params = [cassandra.types.Long.fromString(low.toString()), cassandra.types.Long.fromString(high.toString())];
    const result = await db.execute(query, params, { prepare: true, readTimeout: 60_000 });
    total += Number(result.rows[0]!.n);
  }
  return total;
}
