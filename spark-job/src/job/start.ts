// Starting the job: reach Spark and Cassandra, provision the topic and the schema, start the query and
// confirm it runs.
import { ensureTopic, withAdmin } from '@streamline/core';
import type { StreamingQuery } from 'spark-connect';
import { applySchema, assertCassandraReachable } from '../apply-schema.js';
import type { PipelineConfig, SessionConfig } from '../config.js';
import { buildPipelinePlan, checkpointSessionConf } from '../plan.js';
import { registerRecordFunction } from '../record-function.js';
import { openSession } from '../spark-session.js';
import { loadSession, saveSession } from '../session-store.js';
import { JobAlreadyRunningError } from './errors.js';
import { RunningJob, STOP_TIMEOUT_MS, stopWithin, type LineSink } from './running-job.js';

export interface StartOptions {
  /** How long to watch freshly started queries for an immediate failure (0: do not wait). */
  startupCheckMs: number;
}

export async function startJob(pipeline: PipelineConfig, session: SessionConfig, options: StartOptions, log: LineSink): Promise<RunningJob> {
  const saved = loadSession(session.stateFile);
  const spark = openSession(session, saved?.remote === session.remote ? saved : undefined);

  // Reach Spark and Cassandra before creating anything: a wrong address fails the submit with nothing
  // half-created. (Kafka is reached by the topic provisioning, the first step that creates something.)
  log(`spark: Spark ${await spark.version()} at ${session.remote}`);
  await assertCassandraReachable(pipeline.cassandra);
  const { kafka } = pipeline;
  const topic = await withAdmin(
    { brokers: kafka.adminBootstrapServers.split(','), clientId: 'streamline-job', setting: '--kafka-admin-bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS' },
    (admin) => ensureTopic(admin, { topic: kafka.topic, partitions: kafka.topicPartitions, replicationFactor: kafka.topicReplicationFactor }),
  );
  if (topic.created) log(`topic: created ${kafka.topic} with ${topic.partitions} partitions`);
  const schema = await applySchema(pipeline.cassandra);
  log(`schema: ${schema.statements} statements applied to keyspace ${schema.keyspace} (idempotent)`);

  const plan = buildPipelinePlan(spark, pipeline);
  const running = (await spark.streams.active()).filter((q) => q.name === plan.name);
  if (running.length > 0) {
    throw new JobAlreadyRunningError(
      `the job is already running in session ${spark.sessionId}: ${running.map((q) => `${q.name} (${q.id})`).join(', ')}; stop it before submitting again`,
    );
  }

  for (const [key, value] of Object.entries(checkpointSessionConf(pipeline))) await spark.conf.set(key, value);
  await registerRecordFunction(spark);
  const query = await startWhenSchemaVisible(() => plan.writer.start(), log);
  log(`started ${plan.name}: id ${query.id}, run ${query.runId}`);
  const queries = [query];
  try {
    await confirmRunning(queries, options.startupCheckMs);
  } catch (error) {
    // A submit that reports a failure leaves nothing running (a query can fail its first batch and still be stopping).
    await stopWithin(query, STOP_TIMEOUT_MS, log);
    throw error;
  }
  saveSession(session.stateFile, {
    remote: session.remote,
    sessionId: spark.sessionId,
    userId: spark.userId,
    queries: queries.map((q) => ({ name: q.name ?? '', id: q.id })),
    submittedAt: new Date().toISOString(),
  });
  log(`session ${spark.sessionId} (saved to ${session.stateFile}; status and stop join it)`);
  return new RunningJob(spark, queries, log);
}

const SCHEMA_NOT_VISIBLE = /Couldn't find .* (keyspace|table)|NoSuchNamespaceException|NoSuchTableException/;

/**
 * The Cassandra connector inside the Spark driver keeps its sessions (and their schema metadata) open
 * between queries, and refreshes that metadata from schema-change events with a debounce of about a
 * second. Right after submit created the keyspace, the sink may therefore not see it yet: retry for a
 * few seconds instead of failing a correct submit.
 */
async function startWhenSchemaVisible(start: () => Promise<StreamingQuery>, log: LineSink, attempts = 15): Promise<StreamingQuery> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !SCHEMA_NOT_VISIBLE.test((error as Error).message)) throw error;
      if (attempt === 1) log("waiting for Spark's Cassandra connector to see the new schema...");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/**
 * A query that cannot start (unreachable Kafka, missing table...) fails within its first trigger. Wait
 * for each query's first progress report (or the check period) so that a detached submit never
 * reports success for a job that is already dead.
 */
async function confirmRunning(queries: readonly StreamingQuery[], checkMs: number): Promise<void> {
  const deadline = Date.now() + checkMs;
  const pending = new Set(queries);
  while (pending.size > 0 && Date.now() < deadline) {
    for (const query of [...pending]) {
      if (!(await query.isActive())) {
        const exception = await query.exception();
        throw exception ?? new Error(`query ${query.name} stopped right after it started`);
      }
      if ((await query.lastProgress()) !== null) pending.delete(query);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
