// Cassandra outage: the database is stopped for ~30 s while the job streams and the producer keeps
// sending. The job must either ride it out or fail loudly with a clear error (never silently drop);
// once Cassandra is back and the job is resubmitted on its checkpoint, no record may be missing.
//
// The Cassandra connector caches its sessions inside the long-lived Spark Connect server. With the
// connector's defaults (unused sessions kept an hour, reconnection up to a minute apart) a resubmit
// after the outage met a session that still had Cassandra down ("Control channel not available",
// "No connection was available"). The job now sets keepAliveMS and reconnectionDelayMS.max
// (spark-job/src/plan.ts), so a resubmit on the SAME server works once the driver's next reconnection
// attempt (at most 10 s) has happened: the second test checks that. The third one (restart
// spark-connect) runs only if the second failed, as the workaround.
import type cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProducerTotals } from '@streamline/producer';
import type { RunningJob } from '@streamline/spark-job';
import { readTopic, topicMessageCount } from '../support/kafka.js';
import { cassandraFor, cleanUp, countRows, drain, faultRun, produceSynthetic, recordingLogger, release, submit, userIds } from './support/pipeline.js';
import { restoreStack, stopService } from './support/stack.js';
import { secondsSince, sleep, waitUntil, withTimeout } from '../support/wait.js';

// The run's names must not contain "cassandra": the error check below looks for the driver's words.
const run = faultRun('dbdown');
let db: cassandra.Client | undefined;
let job: RunningJob | undefined;
let totals: ProducerTotals | undefined;
/** Whether the Connect server has been restarted since Cassandra was (its connector session is stale until then). */
let connectRestarted = false;
let resubmittedWithoutRestart = false;

const OUTAGE_MS = 30_000;
const RATE = 100;
/**
 * What the Cassandra Java driver says when no node answers: the exception's name, or its message as the
 * job's writer quotes it after its own ("streamline-cassandra: writing to <table> failed:
 * AllNodesFailedException: All 1 node(s) tried for the query failed", "No node was available to
 * execute the query", or "Lost connection to remote peer" when the node goes in the middle of a write;
 * the connector's writer puts it on the line after "Failed to write statements to <table>"), or its
 * control connection's when the table is looked up on the driver (the job's sink does so at each batch).
 */
const ROOT_CAUSE =
  /AllNodesFailedException[^\n]{0,200}|All \d+ node\(s\) tried for the query failed[^\n]{0,200}|Control channel not available[^\n]{0,200}|NoNodeAvailableException[^\n]{0,200}|No node was available to execute the query|Lost connection to remote peer|Could not reach any contact point[^\n]{0,200}|Connection refused[^\n]{0,100}/;

async function connect(): Promise<cassandra.Client> {
  const client = cassandraFor(run);
  await client.connect();
  return client;
}

async function restartSparkConnect(): Promise<void> {
  const t = Date.now();
  await stopService('spark-connect');
  await restoreStack();
  connectRestarted = true;
  console.log(`[dbdown] spark-connect restarted in ${secondsSince(t)}`);
}

beforeAll(async () => {
  db = await connect();
});

afterAll(async () => {
  await restoreStack();
  // Leave a Connect server that can really write to Cassandra, not just one that answers gRPC: the
  // same-server resubmit proved it can; otherwise restart it.
  if (!resubmittedWithoutRestart && !connectRestarted) await restartSparkConnect();
  else await release(job);
  db ??= await connect().catch(() => undefined);
  await cleanUp(run, db);
  await db?.shutdown();
});

interface QueryState {
  name: string;
  active: boolean;
  /** The exception's first line: what `make status` and a failing `make submit` print. */
  error?: string;
  /** The whole exception message (the root cause is usually further down). */
  fullError?: string;
}

async function queryStates(j: RunningJob): Promise<QueryState[]> {
  return Promise.all(
    j.queries.map(async (q) => {
      const active = await q.isActive();
      const exception = active ? null : await q.exception();
      return { name: q.name ?? q.id, active, ...(exception ? { error: exception.message.split('\n')[0]!, fullError: exception.message } : {}) };
    }),
  );
}

/** Every record the producer sent is in the users table once; nothing in quarantine. */
async function expectEverythingOnce(j: RunningJob): Promise<void> {
  const tDrain = Date.now();
  await drain(j);
  console.log(`[dbdown] drained in ${secondsSince(tDrain)}`);
  const keys = (await readTopic(run.topic)).map((m) => m.key!);
  expect(keys).toHaveLength(totals!.sent);
  expect(new Set(keys).size).toBe(totals!.sent);
  expect(await countRows(db!, run, 'users')).toBe(totals!.sent);
  expect(await countRows(db!, run, 'quarantine')).toBe(0);
  expect(new Set(await userIds(db!, run))).toEqual(new Set(keys));
  for (const state of await queryStates(j)) expect(state.active, `${state.name} active`).toBe(true);
  console.log(`[dbdown] ${totals!.sent} produced, ${totals!.sent} rows, ids == topic keys`);
}

describe('Cassandra outage during a run', () => {
  it('fails loudly while Cassandra is down, naming the cause', async () => {
    const t0 = Date.now();
    job = await submit(run);
    const stopProducer = new AbortController();
    const log = recordingLogger('producer');
    const producing = produceSynthetic(run, ['--results', '50', '--rate', String(RATE), '--seed', `dbdown-${run.keyspace}`], {
      signal: stopProducer.signal,
      log,
    });

    await waitUntil('the job has written some rows', async () => (await countRows(db!, run, 'users')) >= 200, { timeoutMs: 90_000 });
    await db!.shutdown();
    db = undefined;

    const tDown = Date.now();
    await stopService('cassandra');
    console.log(`[dbdown] Cassandra stopped in ${secondsSince(tDown)}, ${secondsSince(t0)} after submit`);

    const seen = new Map<string, QueryState>();
    while (Date.now() - tDown < OUTAGE_MS) {
      for (const state of await queryStates(job)) {
        if (!state.active && !seen.has(state.name)) {
          seen.set(state.name, state);
          console.log(
            `[dbdown] query ${state.name} terminated ${secondsSince(tDown)} into the outage; first line (${state.error?.length ?? 0} chars): ` +
              `${state.error?.slice(0, 250) ?? '(no exception)'}...; root cause: ${ROOT_CAUSE.exec(state.fullError ?? '')?.[0] ?? 'NOT FOUND'}`,
          );
        }
      }
      await sleep(2_000);
    }

    const tUp = Date.now();
    const restored = await restoreStack();
    expect(restored.started).toEqual(['cassandra']);
    console.log(`[dbdown] Cassandra back: up() took ${secondsSince(tUp)}; down ${secondsSince(tDown)} in total`);
    db = await connect();

    // Keep producing while the database is back (RATE × 5 more records in the topic), then stop the producer.
    const inTopicAtRecovery = await topicMessageCount(run.topic);
    await waitUntil('the producer carried on after the recovery', async () => (await topicMessageCount(run.topic)) >= inTopicAtRecovery + RATE * 5, {
      timeoutMs: 60_000,
    });
    stopProducer.abort();
    totals = await withTimeout('the producer stops', producing, 60_000);
    console.log(`[dbdown] producer sent ${totals.sent} records in ${(totals.elapsedMs / 1000).toFixed(1)}s`);
    expect(totals.sent).toBeGreaterThan(RATE * 20);

    // Each query either survived or ended with an exception naming the unreachable database.
    const after = await queryStates(job);
    for (const state of after) {
      if (!state.active) {
        expect(seen.get(state.name)?.fullError ?? state.fullError, `${state.name} exception`).toMatch(ROOT_CAUSE);
        // Its first line (what `make status` prints) says which write failed, to which table.
        expect(seen.get(state.name)?.error ?? state.error).toMatch(
          /streamline-split sink: batch \d+: writing the accepted rows to streamline-cassandra created_users failed: /,
        );
      }
    }
    console.log(
      `[dbdown] after the outage: active [${after
        .filter((s) => s.active)
        .map((s) => s.name)
        .join(', ')}], failed [${after
        .filter((s) => !s.active)
        .map((s) => s.name)
        .join(', ')}]`,
    );
  });

  it('resumes when resubmitted on the same Spark Connect server after Cassandra is back', async () => {
    expect(totals, 'the outage test ran').toBeDefined();
    await release(job);
    job = undefined;
    // The connector's driver retries a node it saw die at most every 10 s (reconnectionDelayMS.max):
    // until it has, a submit may fail; each attempt that fails stops what it started.
    const t = Date.now();
    job = await waitUntil(
      'a resubmit on the same Connect server succeeds',
      async () => {
        try {
          return await withTimeout('resubmit on the same Connect server', submit(run), 90_000);
        } catch (error) {
          console.log(`[dbdown] resubmit attempt failed after ${secondsSince(t)}: ${(error as Error).message.split('\n')[0]!.slice(0, 300)}`);
          throw error;
        }
      },
      { timeoutMs: 150_000, intervalMs: 5_000 },
    );
    console.log(`[dbdown] resubmitted ${secondsSince(t)} after the release`);
    // submit returned once each query completed a batch (its sink wrote): both must be active now, and
    // still active after the drain (expectEverythingOnce checks that too).
    const states = await queryStates(job);
    const dead = states.filter((s) => !s.active);
    if (dead.length > 0) console.log(`[dbdown] resubmitted queries died: ${dead.map((s) => `${s.name}: ${s.error?.slice(0, 200)}`).join('; ')}`);
    expect(dead).toEqual([]);
    await expectEverythingOnce(job);
    resubmittedWithoutRestart = true;
  }, 200_000);
});
