// One isolated pipeline per fault test: its own topic, keyspace, checkpoints and Spark Connect session
// file, so counts are exact and nothing leaks into the default pipeline or another test.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type cassandra from 'cassandra-driver';
import { parseProducerArgs, runProducer, type Logger, type ProducerTotals } from '@streamline/producer';
import {
  Pipeline,
  cassandraClient,
  pipelineDefaults,
  sessionDefaults,
  toPipelineConfig,
  type PipelineConfig,
  type RunningJob,
  type SessionConfig,
} from '@streamline/spark-job';
import { BOOTSTRAP, deleteTopics } from '../../support/kafka.js';
import { withTimeout } from '../../support/wait.js';

export interface FaultRun {
  name: string;
  topic: string;
  keyspace: string;
  scratch: string;
  pipeline: PipelineConfig;
  session: SessionConfig;
}

export function faultRun(name: string): FaultRun {
  const run = `${name}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const scratch = mkdtempSync(path.join(tmpdir(), `streamline-faults-${name}-`));
  const pipeline = toPipelineConfig({
    ...pipelineDefaults(process.env),
    kafkaBootstrapServers: BOOTSTRAP,
    topic: `faults-${run.replaceAll('_', '-')}`,
    keyspace: `faults_${run}`,
    checkpointLocation: path.join(scratch, 'checkpoints'),
    trigger: '1 second',
    queryNamePrefix: `faults_${run}_`,
  });
  const session: SessionConfig = { ...sessionDefaults(process.env), stateFile: path.join(scratch, 'session.json') };
  return { name, topic: pipeline.kafka.topic, keyspace: pipeline.cassandra.names.keyspace, scratch, pipeline, session };
}

export const jobLog = (line: string): void => console.log(`[job] ${line}`);

/** Starts the job (schema and topic created first) and returns once its query made progress. */
export function submit(run: FaultRun): Promise<RunningJob> {
  return withTimeout('submit the job', new Pipeline(run.pipeline, run.session, { log: jobLog }).submit({ startupCheckMs: 60_000 }), 240_000);
}

/** Waits until the query consumed everything in the topic so far. */
export async function drain(job: RunningJob, timeoutMs = 180_000): Promise<void> {
  await withTimeout('the query processes all available data', Promise.all(job.queries.map((q) => q.processAllAvailable())), timeoutMs);
}

/** Stops the queries and closes the session, ignoring errors (the server may be gone). */
export async function release(job: RunningJob | undefined): Promise<void> {
  if (!job) return;
  await withTimeout('stop the queries', job.stop(), 60_000).catch((e: unknown) => jobLog(`stop: ${(e as Error).message.split('\n')[0]}`));
  job.spark.close();
}

export function cassandraFor(run: FaultRun): cassandra.Client {
  return cassandraClient(run.pipeline.cassandra);
}

export async function countRows(db: cassandra.Client, run: FaultRun, table: 'users' | 'quarantine'): Promise<number> {
  const name = table === 'users' ? run.pipeline.cassandra.names.table : run.pipeline.cassandra.names.quarantineTable;
  const result = await db.execute(`SELECT count(*) AS n FROM ${run.keyspace}.${name}`);
  return Number(result.rows[0]!.n);
}

/** Every id in the users table (paged, so large tables are read completely). */
export async function userIds(db: cassandra.Client, run: FaultRun): Promise<string[]> {
  const ids: string[] = [];
  await new Promise<void>((resolve, reject) => {
    db.eachRow(
      `SELECT id FROM ${run.keyspace}.${run.pipeline.cassandra.names.table}`,
      [],
      { prepare: true, autoPage: true, fetchSize: 5000 },
      (_n, row) => ids.push(String(row.id)),
      (err) => (err ? reject(err) : resolve()),
    );
  });
  return ids;
}

export async function keyspaces(db: cassandra.Client): Promise<string[]> {
  return (await db.execute('SELECT keyspace_name FROM system_schema.keyspaces')).rows.map((r) => r.keyspace_name as string).sort();
}

/** The synthetic producer, in process (the programmatic API the demo uses), into this run's topic. */
export async function produceSynthetic(run: FaultRun, args: string[], options: { signal?: AbortSignal; log?: Logger } = {}): Promise<ProducerTotals> {
  const parsed = await parseProducerArgs(['--source', 'synthetic', '--topic', run.topic, '--partitions', '3', '--report-interval', '2', ...args], {
    KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP,
  });
  if (parsed.kind !== 'config') throw new Error('unexpected --help');
  return runProducer(parsed.config, options);
}

/** A Logger that prints with a prefix and keeps every line (to assert on what the producer said). */
export function recordingLogger(prefix: string): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (msg: string) => {
    const line = `${new Date().toISOString()} ${level} ${msg}`;
    lines.push(line);
    console.log(`[${prefix}] ${line}`);
  };
  return { lines, debug: () => undefined, info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}

/** Drops the keyspace, deletes the topic, removes the scratch directory: best effort. */
export async function cleanUp(run: FaultRun, db: cassandra.Client | undefined): Promise<void> {
  if (db) await db.execute(`DROP KEYSPACE IF EXISTS ${run.keyspace}`).catch(() => undefined);
  await deleteTopics([run.topic]);
  rmSync(run.scratch, { recursive: true, force: true });
}
