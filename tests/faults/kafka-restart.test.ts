// Broker restart during produce: Kafka is stopped (SIGTERM, then again with SIGKILL) and started again
// while the producer streams. The producer must ride it out by itself (kafkajs retries with the
// idempotent producer), report the outage and the recovery in its log, and the topic must end with
// exactly the records it reported sent: no loss, and no duplicate from a retried request.
import { afterAll, describe, expect, it } from 'vitest';
import type { ProducerTotals } from '@streamline/producer';
import { deleteTopics, readTopic, topicMessageCount } from '../support/kafka.js';
import { faultRun, produceSynthetic, recordingLogger, type FaultRun } from './support/pipeline.js';
import { killService, restoreStack, servicePid, stopService } from './support/stack.js';
import { secondsSince, waitUntil, withTimeout } from '../support/wait.js';

const runs: FaultRun[] = [];

const COUNT = 6_000;
const RATE = 250; // ~24 s of producing; the broker is down for part of it

afterAll(async () => {
  await restoreStack();
  await deleteTopics(runs.map((r) => r.topic));
});

async function restartDuringProduce(how: 'stop' | 'kill'): Promise<void> {
  const run = faultRun(`kafka${how}`);
  runs.push(run);
  const log = recordingLogger('producer');
  const t0 = Date.now();
  const producing: Promise<ProducerTotals> = produceSynthetic(
    run,
    ['--count', String(COUNT), '--results', '50', '--rate', String(RATE), '--batch-size', '100', '--seed', `kafka-${run.keyspace}`],
    { log },
  );
  // Take the broker away once the producer is well under way (a sixth of the records in the topic).
  await waitUntil('the producer has sent a sixth of its records', async () => (await topicMessageCount(run.topic).catch(() => 0)) >= COUNT / 6, {
    timeoutMs: 60_000,
  });
  const pidBefore = servicePid('kafka');
  const tDown = Date.now();
  if (how === 'stop') await stopService('kafka');
  else await killService('kafka');
  console.log(
    `[kafka] broker (pid ${pidBefore}) ${how === 'stop' ? 'stopped (SIGTERM)' : 'killed (SIGKILL)'} in ${secondsSince(tDown)}, ${secondsSince(t0)} into the run`,
  );
  const restored = await restoreStack();
  expect(restored.started).toEqual(['kafka']);
  console.log(`[kafka] broker back after ${secondsSince(tDown)} (up() took ${restored.seconds.toFixed(1)}s)`);

  const totals = await withTimeout('the producer finishes', producing, 240_000);
  console.log(`[kafka] producer: sent=${totals.sent} retries=${totals.retries} errors=${totals.errors} in ${(totals.elapsedMs / 1000).toFixed(1)}s`);
  expect(totals.sent).toBe(COUNT);

  // What the broker holds: exactly what the producer reported, each key once.
  expect(await topicMessageCount(run.topic)).toBe(totals.sent);
  const keys = (await readTopic(run.topic)).map((m) => m.key);
  expect(keys).toHaveLength(totals.sent);
  expect(new Set(keys).size).toBe(totals.sent);

  // The log tells the story: the outage (disconnect / retries) and the recovery, no manual action.
  const warnings = log.lines.filter((l) => / WARN /.test(l));
  expect(
    warnings.some((l) => /\[kafka\].*(disconnected|retry|ECONNREFUSED)/i.test(l)),
    'the outage is logged',
  ).toBe(true);
  expect(
    log.lines.some((l) => /sends recovered after \d+ retr/.test(l)),
    'the recovery is logged',
  ).toBe(true);
  expect(totals.retries).toBeGreaterThan(0);
  console.log(`[kafka] ${warnings.length} warning line(s) logged; total ${secondsSince(t0)}`);
}

describe('Kafka broker restart while the producer runs', () => {
  it('after a clean stop/start: the topic holds exactly what the producer reported sent, and it recovered by itself', () => restartDuringProduce('stop'));
  it('after kill -9 and a restart: the same, with no loss and no duplicate', () => restartDuringProduce('kill'));
});
