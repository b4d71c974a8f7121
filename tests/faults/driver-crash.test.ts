// Driver crash: the Spark Connect server (the driver of every query) is killed with SIGKILL while the
// job streams and a producer keeps sending. After `up()` restarts it, resubmitting with the same
// checkpoint must deliver every record exactly once: the users table holds exactly the topic's keys.
import type cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProducerTotals } from '@streamline/producer';
import type { RunningJob } from '@streamline/spark-job';
import { readTopic } from '../support/kafka.js';
import { cassandraFor, cleanUp, countRows, drain, faultRun, produceSynthetic, recordingLogger, release, submit, userIds } from './support/pipeline.js';
import { executorPids, killService, restoreStack } from './support/stack.js';
import { secondsSince, waitUntil, withTimeout } from '../support/wait.js';

const run = faultRun('crash');
let db: cassandra.Client;
let job: RunningJob | undefined;

const COUNT = 5_000;
const RATE = 250; // ~20 s of producing

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

describe('driver crash (kill -9 of the Spark Connect server)', () => {
  it('loses and duplicates nothing once the server is back and the job is resubmitted on its checkpoint', async () => {
    const t0 = Date.now();
    job = await submit(run);
    const log = recordingLogger('producer');
    const producing: Promise<ProducerTotals> = produceSynthetic(
      run,
      ['--count', String(COUNT), '--results', '100', '--rate', String(RATE), '--seed', `crash-${run.keyspace}`],
      { log },
    );

    // Mid-stream: some rows are in Cassandra, the producer is still going.
    const before = await waitUntil(
      'the job has written some rows',
      async () => ((await countRows(db, run, 'users')) > 500 ? countRows(db, run, 'users') : false),
      {
        timeoutMs: 90_000,
      },
    );
    const executorsBefore = executorPids();
    const tKill = Date.now();
    const pid = await killService('spark-connect');
    console.log(
      `[crash] killed spark-connect (pid ${pid}) ${secondsSince(t0)} after submit, with ${before} rows written; executors before: ${executorsBefore.join(',')}`,
    );

    // The old session now fails fast and clearly.
    const error = await withTimeout(
      'a call on the dead driver fails',
      job.queries[0]!.isActive().then(
        () => undefined,
        (e: unknown) => e as Error,
      ),
      60_000,
    );
    expect(error, 'a call to the dead server must fail').toBeInstanceOf(Error);
    console.log(`[crash] call on the dead driver: ${error!.name}: ${error!.message.split('\n')[0]}`);
    expect(error!.message).toMatch(/Spark Connect server|ECONNREFUSED|UNAVAILABLE/i);
    job.spark.close();
    job = undefined;

    const tUp = Date.now();
    const restored = await restoreStack();
    expect(restored.started).toContain('spark-connect');
    console.log(`[crash] up() restarted ${restored.started.join(', ')} in ${secondsSince(tUp)} (${secondsSince(tKill)} after the kill)`);

    // The dead driver's executor must not linger (it would hold the worker's cores and memory).
    const orphans = executorsBefore.filter((p) => executorPids().includes(p));
    if (orphans.length > 0) {
      await waitUntil(`the dead driver's executor(s) ${orphans.join(',')} exit`, () => orphans.every((p) => !executorPids().includes(p)), {
        timeoutMs: 90_000,
      });
    }
    console.log(`[crash] the dead driver's executor(s) ${executorsBefore.join(',')} gone ${secondsSince(tKill)} after the kill`);

    const tResubmit = Date.now();
    job = await submit(run);
    console.log(`[crash] resubmitted on the same checkpoint in ${secondsSince(tResubmit)}`);

    const totals = await withTimeout('the producer finishes', producing, 180_000);
    expect(totals.sent).toBe(COUNT);
    const tDrain = Date.now();
    await drain(job);
    console.log(`[crash] drained in ${secondsSince(tDrain)}`);

    const keys = (await readTopic(run.topic)).map((m) => m.key!);
    expect(keys).toHaveLength(COUNT);
    expect(new Set(keys).size).toBe(COUNT);
    expect(await countRows(db, run, 'users')).toBe(COUNT);
    expect(await countRows(db, run, 'quarantine')).toBe(0);
    expect(new Set(await userIds(db, run))).toEqual(new Set(keys));
    for (const query of job.queries) expect(await query.isActive()).toBe(true);
    console.log(`[crash] total ${secondsSince(t0)}: ${COUNT} produced, ${COUNT} rows, ids == topic keys`);
  });
});
