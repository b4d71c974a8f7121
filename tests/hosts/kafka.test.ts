// Kafka across three hosts (network namespaces on a private bridge): 3 brokers in KRaft, each broker
// and controller, a quorum of 3, replication factor 3 and min.insync.replicas=2. The project's own
// producer streams synthetic users to all three addresses while one broker host dies (SIGKILL of
// everything on it) or loses its link for 30 s; the topic must end with exactly what the producer
// reported sent (no loss, no duplicate), and the broker must come back into the ISR.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Logger, ProducerTotals } from '../../producer/src/index.js';
import { rssMiB } from '../../stack/src/index.js';
import {
  HostNetwork,
  KAFKA_CLUSTER_DEFAULTS,
  KafkaCluster,
  describePartitions,
  hostsUnsupportedReason,
  waitInIsr,
  waitIsrMembership,
} from '../../stack/src/hosts/index.js';
import { produceSynthetic, within } from './produce.js';
import { createTopic, readKeys, topicMessageCount } from './topic.js';

const unsupported = hostsUnsupportedReason();
if (unsupported !== undefined) console.log(`[hosts] Kafka across hosts SKIPPED: ${unsupported}`);

const HOSTS = ['k1', 'k2', 'k3'];
const RUN_DIR = process.env.STREAMLINE_HOSTS_RUN_DIR || path.join(tmpdir(), 'streamline-hosts');
const PARTITIONS = 3;

// The faults run on 3 partitions, so that one send of the producer covers partitions led by several
// brokers. They found a defect of kafkajs 2.2.4 (tulios/kafkajs#1303): when the request to one leader
// failed in flight and its partitions moved to a broker that had already answered, the retry skipped
// that broker and the moved partitions' records were reported sent but never written (15 of 6,000 and
// 15-18 of 12,000 missing, no error). The producer now sends each partition on its own
// (producer/src/sink/kafka.ts), and these tests hold it to that.
const FAULT_PARTITIONS = PARTITIONS;

function secondsSince(t: number): string {
  return `${((Date.now() - t) / 1000).toFixed(1)}s`;
}

/** Prints what the producer says; keeps its warnings and when its sends recovered (for the recovery time). */
function quietLogger(prefix: string): Logger & { warnings: string[]; recoveredAt: number[] } {
  const warnings: string[] = [];
  const logger: Logger & { warnings: string[]; recoveredAt: number[] } = {
    warnings,
    recoveredAt: [],
    debug: () => undefined,
    info: (m) => console.log(`[${prefix}] ${m}`),
    warn: (m) => keep('WARN')(m),
    error: (m) => keep('ERROR')(m),
  };
  const keep = (level: string) => (msg: string) => {
    const line = `${new Date().toISOString()} ${level} ${msg}`;
    warnings.push(line);
    if (/sends recovered/.test(msg)) logger.recoveredAt.push(Date.now());
    console.log(`[${prefix}] ${line}`);
  };
  return logger;
}

function produce(bootstrap: readonly string[], topic: string, count: number, rate: number, log: Logger): Promise<ProducerTotals> {
  return produceSynthetic({ bootstrap, topic, count, rate, seed: topic, reportSeconds: 5 }, log);
}

/** What the brokers hold against what the producer reported: count and distinct keys. */
async function checkTopic(cluster: KafkaCluster, topic: string, totals: ProducerTotals, label: string): Promise<void> {
  const inTopic = await topicMessageCount(cluster.bootstrap, topic);
  const keys = await readKeys(cluster.bootstrap, topic, inTopic);
  const distinct = new Set(keys).size;
  console.log(
    `[hosts] ${label}: produced=${totals.sent} in topic=${inTopic} read back=${keys.length} distinct keys=${distinct} duplicates=${keys.length - distinct} ` +
      `producer retries=${totals.retries} errors=${totals.errors} elapsed=${(totals.elapsedMs / 1000).toFixed(1)}s`,
  );
  expect(inTopic).toBe(totals.sent);
  expect(keys).toHaveLength(totals.sent);
  expect(distinct).toBe(totals.sent);
}

describe.skipIf(unsupported !== undefined)('Kafka on 3 hosts (KRaft quorum of 3, RF 3, min.insync.replicas=2)', () => {
  const network = new HostNetwork(HOSTS);
  let cluster: KafkaCluster;

  beforeAll(async () => {
    const t0 = Date.now();
    rmSync(RUN_DIR, { recursive: true, force: true });
    network.create();
    cluster = new KafkaCluster(network, HOSTS, { ...KAFKA_CLUSTER_DEFAULTS, runDir: RUN_DIR });
    await cluster.start();
    console.log(`[hosts] 3 brokers healthy on ${cluster.bootstrap.join(',')} after ${secondsSince(t0)} (heap ${KAFKA_CLUSTER_DEFAULTS.heap} each)`);
  });

  // Each test starts from the whole cluster, even after a test failed half-way through its fault.
  afterEach(async () => {
    for (const h of HOSTS) network.setLink(h, true);
    await cluster.startStopped();
  });

  afterAll(async () => {
    await network.destroy();
    rmSync(RUN_DIR, { recursive: true, force: true });
  });

  it('a topic is created with RF 3 and every partition has 3 in-sync replicas on distinct hosts', async () => {
    await createTopic(cluster.bootstrap, 'hosts_rf3', PARTITIONS, 3);
    const partitions = await describePartitions(cluster.bootstrap, 'hosts_rf3');
    expect(partitions).toHaveLength(PARTITIONS);
    for (const p of partitions) {
      expect(p.replicas).toEqual([1, 2, 3]);
      expect(p.isr).toEqual([1, 2, 3]);
    }
  });

  it('a broker host killed (SIGKILL) mid-produce: topic count exact, no duplicate; the broker rejoins the ISR after restart', async () => {
    const topic = 'hosts_kill';
    await createTopic(cluster.bootstrap, topic, FAULT_PARTITIONS, 3);
    // The host leading partition 0: its death forces a leader election under the producer.
    const victimId = (await describePartitions(cluster.bootstrap, topic))[0]!.leader;
    const victim = cluster.brokers.find((b) => b.nodeId === victimId)!;
    const log = quietLogger('producer');
    const t0 = Date.now();
    const producing = produce(cluster.bootstrap, topic, 6_000, 250, log);
    await sleep(5_000);
    const pids = await cluster.kill(victim.host);
    const tKill = Date.now();
    console.log(`[hosts] killed host ${victim.host} (broker ${victim.nodeId}, pids ${pids.join(',')}) ${secondsSince(t0)} into the run`);

    const totals = await within('the producer', producing, 240_000);
    // A send that failed for good would have thrown here: every record was acknowledged (acks=all).
    expect(totals.sent).toBe(6_000);
    await checkTopic(cluster, topic, totals, 'broker kill');
    const after = log.recoveredAt.filter((t) => t >= tKill).map((t) => `${((t - tKill) / 1000).toFixed(1)}s`);
    const recovered =
      after.length === 0 ? 'without a failed request' : `${after.join(', ')} after the kill (${after.length} recover${after.length === 1 ? 'y' : 'ies'})`;
    console.log(`[hosts] broker kill: the producer's sends recovered ${recovered}`);

    // The kill took effect: the others shrank the ISR without the dead broker.
    const others = cluster.brokers.filter((b) => b !== victim).map((b) => b.bootstrap);
    await waitIsrMembership(others, topic, victim.nodeId, false, 30_000);
    const tRestart = Date.now();
    await cluster.start([victim.host]);
    const healthyAfter = secondsSince(tRestart);
    const isrMs = await waitInIsr(cluster.bootstrap, topic, victim.nodeId, 120_000);
    console.log(`[hosts] broker RSS after the run: ${[...cluster.pids()].map(([host, pid]) => `${host} ${rssMiB(pid)?.toFixed(0) ?? '?'} MiB`).join(', ')}`);
    console.log(
      `[hosts] broker kill: host ${victim.host} down for ${((tRestart - tKill) / 1000).toFixed(1)}s; restarted and healthy in ${healthyAfter}, back in the ISR of every partition ${(isrMs / 1000).toFixed(1)}s later`,
    );
  });

  it('a broker host cut off for 30 s (link down) during produce: the producer carries on, count exact; the broker rejoins the ISR', async () => {
    const topic = 'hosts_linkcut';
    await createTopic(cluster.bootstrap, topic, FAULT_PARTITIONS, 3);
    const victimId = (await describePartitions(cluster.bootstrap, topic))[FAULT_PARTITIONS - 1]!.leader;
    const victim = cluster.brokers.find((b) => b.nodeId === victimId)!;
    const log = quietLogger('producer');
    const t0 = Date.now();
    const producing = produce(cluster.bootstrap, topic, 12_000, 200, log);
    await sleep(8_000);
    network.setLink(victim.host, false);
    const tCut = Date.now();
    console.log(`[hosts] link of host ${victim.host} (broker ${victim.nodeId}) cut ${secondsSince(t0)} into the run`);
    const others = cluster.brokers.filter((b) => b !== victim).map((b) => b.bootstrap);
    try {
      // The cut took effect: the controller fenced the silent broker and the others shrank the ISR.
      const outMs = await waitIsrMembership(others, topic, victim.nodeId, false, 28_000);
      console.log(`[hosts] link cut: broker ${victim.nodeId} out of the ISR ${(outMs / 1000).toFixed(1)}s after the cut`);
      await sleep(Math.max(0, tCut + 30_000 - Date.now()));
    } finally {
      network.setLink(victim.host, true);
    }
    const tRestored = Date.now();
    // Measured while the producer runs on, from the moment the link is back.
    const rejoined = waitInIsr(cluster.bootstrap, topic, victim.nodeId, 120_000);
    rejoined.catch(() => undefined);
    console.log(`[hosts] link of host ${victim.host} restored after ${((tRestored - tCut) / 1000).toFixed(1)}s`);

    const totals = await within('the producer', producing, 240_000);
    expect(totals.sent).toBe(12_000);
    await checkTopic(cluster, topic, totals, 'link cut');
    const after = log.recoveredAt.filter((t) => t >= tCut).map((t) => `${((t - tCut) / 1000).toFixed(1)}s`);
    console.log(`[hosts] link cut: the producer's sends recovered ${after.length === 0 ? 'without a failed request' : `${after.join(', ')} after the cut`}`);

    const isrMs = await rejoined;
    console.log(`[hosts] link cut: broker ${victim.nodeId} back in the ISR of every partition ${(isrMs / 1000).toFixed(1)}s after the link came back`);
  });
});
