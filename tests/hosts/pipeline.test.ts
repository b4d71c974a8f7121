// The real job end to end across hosts: 3 Kafka brokers, a Cassandra ring of 2, a Spark master, 2
// workers and the Spark Connect server (the driver), each on its own host (network namespace). The
// job is the project's own CLI (`spark-job submit`) with the variables a user sets on a cluster
// (KAFKA_BOOTSTRAP_SERVERS = the 3 brokers, CASSANDRA_CONTACT_POINTS = the 2 nodes, SPARK_REMOTE =
// the Connect server); it runs on the driver's host, since the Connect server only accepts local
// clients (jars/connect-guard). Checkpoints live on the driver's host. The producer runs in the root
// namespace and reaches the brokers through the bridge. Faults: a worker host killed (-9) mid-stream,
// a worker host's link cut for 30 s, a Kafka broker host killed while the producer sends and the job
// drains, a Cassandra node host killed while the job writes (at the connector's default LOCAL_QUORUM,
// which a keyspace of RF 2 cannot meet with one node: the job must fail loudly, then a resubmit after
// the node's return must write everything); each time every produced row must be in Cassandra, none
// twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger, ProducerTotals } from '../../producer/src/index.js';
import {
  CassandraRing,
  HostNetwork,
  KAFKA_CLUSTER_DEFAULTS,
  KafkaCluster,
  SPARK_CLUSTER_DEFAULTS,
  SparkCluster,
  hostsUnsupportedReason,
} from '../../stack/src/hosts/index.js';
import { describePartitions, waitInIsr } from '../../stack/src/hosts/kafka-cluster.js';
import { produceSynthetic, within } from './produce.js';
import { createTopic, readKeys, topicMessageCount } from './topic.js';

const unsupported = hostsUnsupportedReason();
if (unsupported !== undefined) console.log(`[hosts] pipeline across hosts SKIPPED: ${unsupported}`);

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
// Its own /24, bridge and host names: it can run beside the Kafka and Cassandra files.
const NETWORK = { bridge: 'slh-br1', subnet: '10.231.1' };
const KAFKA_HOSTS = ['pk1', 'pk2', 'pk3'];
const CASSANDRA_HOSTS = ['pc1', 'pc2'];
const MASTER = 'psm';
const WORKERS = ['pw1', 'pw2'];
const CONNECT = 'psc';
const RUN_DIR = path.join(process.env.STREAMLINE_HOSTS_RUN_DIR || path.join(tmpdir(), 'streamline-hosts'), 'pipeline');
const TOPIC = 'hosts-pipeline';
const KEYSPACE = 'hosts_pipeline';
const TABLE = 'created_users';
const PARTITIONS = 2;
/**
 * The job's own login. The built-in superuser's role is read at QUORUM, and system_auth has RF 1: with
 * a node down, the job could not log in at all. So system_auth gets the ring's RF and the job a role
 * created after that (written to both nodes), as a real 2-node ring must do (docs/multi-host.md).
 */
const JOB_ROLE = { username: 'hosts_job', password: 'hosts_job' };

const log: Logger = {
  debug: () => undefined,
  info: (m) => console.log(`[producer] ${m}`),
  warn: (m) => console.log(`[producer] WARN ${m}`),
  error: (m) => console.log(`[producer] ERROR ${m}`),
};

function produce(bootstrap: readonly string[], count: number, rate: number, seed: string): Promise<ProducerTotals> {
  return produceSynthetic({ bootstrap, topic: TOPIC, count, rate, seed, reportSeconds: 10 }, log);
}

/** Every id in the table (paged). */
async function tableIds(db: cassandra.Client): Promise<string[]> {
  const ids: string[] = [];
  await new Promise<void>((resolve, reject) => {
    db.eachRow(
      `SELECT id FROM ${KEYSPACE}.${TABLE}`,
      [],
      { prepare: true, autoPage: true, fetchSize: 1000, consistency: cassandra.types.consistencies.all },
      (_n, row) => ids.push(String(row.get('id'))),
      (err) => (err ? reject(err) : resolve()),
    );
  });
  return ids;
}

async function rowCount(db: cassandra.Client): Promise<number> {
  try {
    const rs = await db.execute(`SELECT count(*) FROM ${KEYSPACE}.${TABLE}`, [], { consistency: cassandra.types.consistencies.one });
    return Number(rs.first()?.get(0) ?? -1);
  } catch {
    return -1;
  }
}

/** Waits (bounded) until the table holds `expected` rows; resolves to the time it took. */
async function waitRows(db: cassandra.Client, expected: number, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  let last = -1;
  while (Date.now() - t0 < timeoutMs) {
    last = await rowCount(db);
    if (last >= expected) return Date.now() - t0;
    await sleep(1_000);
  }
  throw new Error(`${KEYSPACE}.${TABLE}: ${last} rows after ${timeoutMs / 1000}s, expected ${expected}`);
}

describe.skipIf(unsupported !== undefined)('the pipeline on 9 hosts (3 brokers, 2 Cassandra nodes, Spark master + 2 workers + Connect)', () => {
  const network = new HostNetwork([...KAFKA_HOSTS, ...CASSANDRA_HOSTS, MASTER, ...WORKERS, CONNECT], NETWORK);
  let kafka: KafkaCluster;
  let ring: CassandraRing;
  let spark: SparkCluster;
  let db: cassandra.Client | undefined;
  let job: ChildProcess | undefined;
  let jobOutput = '';
  let produced = 0;
  const workerAddresses = WORKERS.map((w) => network.host(w).address);

  /** What the brokers hold against what the Cassandra table holds: every key once, all of them. */
  async function check(label: string, extra: string): Promise<void> {
    const inTopic = await topicMessageCount(kafka.bootstrap, TOPIC);
    const keys = new Set(await readKeys(kafka.bootstrap, TOPIC, inTopic));
    const ids = await tableIds(db!);
    const distinct = new Set(ids);
    const missing = [...keys].filter((k) => !distinct.has(k)).length;
    console.log(
      `[hosts] ${label}: produced=${produced} in topic=${inTopic} distinct keys=${keys.size} written=${ids.length} distinct rows=${distinct.size} duplicates=${ids.length - distinct.size} missing=${missing} ${extra}`,
    );
    expect(inTopic).toBe(produced);
    expect(keys.size).toBe(produced);
    expect(ids.length).toBe(produced);
    expect(distinct.size).toBe(produced);
    expect(missing).toBe(0);
  }

  /**
   * The job, as a user runs it on the driver's host: the CLI and its environment variables. Resolves
   * once the query streams; the same checkpoint makes a second start resume where the first ended.
   */
  async function startJob(): Promise<void> {
    const env = {
      ...process.env,
      STREAMLINE_RUN_DIR: path.join(RUN_DIR, 'job'),
      KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrap.join(','),
      KAFKA_TOPIC: TOPIC,
      KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
      KAFKA_TOPIC_REPLICATION_FACTOR: '3',
      CASSANDRA_CONTACT_POINTS: ring.contactPoints.join(','),
      CASSANDRA_USERNAME: JOB_ROLE.username,
      CASSANDRA_PASSWORD: JOB_ROLE.password,
      CASSANDRA_KEYSPACE: KEYSPACE,
      CASSANDRA_TABLE: TABLE,
      CASSANDRA_REPLICATION: '2',
      SPARK_REMOTE: `sc://127.0.0.1:${spark.connectPort}`,
      CHECKPOINT_LOCATION: spark.checkpointDir,
      TRIGGER_INTERVAL: '1 second',
    };
    jobOutput = '';
    const started = spawn('ip', ['netns', 'exec', network.host(CONNECT).netns, process.execPath, '--import', 'tsx', 'spark-job/src/cli.ts', 'submit'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    job = started;
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      jobOutput += text;
      for (const line of text.split('\n').filter(Boolean)) console.log(`[job] ${line}`);
    };
    started.stdout?.on('data', onData);
    started.stderr?.on('data', onData);
    const deadline = Date.now() + 240_000;
    while (!jobOutput.includes('streaming; Ctrl-C stops the query')) {
      if (started.exitCode !== null) throw new Error(`the job exited with ${started.exitCode}:\n${jobOutput.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`the job not streaming after 240s:\n${jobOutput.slice(-3000)}`);
      await sleep(500);
    }
  }

  /**
   * Mid-stream: waits (bounded, 60 s) until the job wrote the first rows of the run now producing, so
   * a fault lands while rows flow; resolves to the rows written by then.
   */
  async function firstRowsOfRun(): Promise<number> {
    const deadline = Date.now() + 60_000;
    let rows = await rowCount(db!);
    while (rows <= produced && Date.now() < deadline) {
      await sleep(250);
      rows = await rowCount(db!);
    }
    return rows;
  }

  beforeAll(async () => {
    const t0 = Date.now();
    rmSync(RUN_DIR, { recursive: true, force: true });
    network.create();
    kafka = new KafkaCluster(network, KAFKA_HOSTS, { ...KAFKA_CLUSTER_DEFAULTS, runDir: path.join(RUN_DIR, 'kafka') });
    ring = new CassandraRing(network, CASSANDRA_HOSTS, { runDir: path.join(RUN_DIR, 'cassandra'), heap: '512m', startTimeoutSeconds: 240 });
    spark = new SparkCluster(network, {
      ...SPARK_CLUSTER_DEFAULTS,
      runDir: path.join(RUN_DIR, 'spark'),
      master: MASTER,
      workers: WORKERS,
      connect: CONNECT,
      cassandraHosts: ring.nodes.map((n) => n.address).join(','),
    });
    await Promise.all([kafka.start(), ring.start()]);
    console.log(`[hosts] Kafka ${kafka.bootstrap.join(',')} and Cassandra ${ring.contactPoints.join(',')} up after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    await spark.start();
    console.log(
      `[hosts] Spark master ${spark.masterUrl}, workers ${workerAddresses.join(',')}, Connect on ${spark.connect.address} up after ${((Date.now() - t0) / 1000).toFixed(1)}s`,
    );
    await createTopic(kafka.bootstrap, TOPIC, PARTITIONS, 3);

    const admin = new cassandra.Client({
      contactPoints: ring.contactPoints,
      localDataCenter: 'datacenter1',
      authProvider: new cassandra.auth.PlainTextAuthProvider(ring.nodes[0]!.config.cassandra.username, ring.nodes[0]!.config.cassandra.password),
      socketOptions: { connectTimeout: 3_000, readTimeout: 30_000 },
    });
    await admin.connect();
    try {
      await admin.execute("ALTER KEYSPACE system_auth WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
      await admin.execute(`CREATE ROLE IF NOT EXISTS ${JOB_ROLE.username} WITH PASSWORD = '${JOB_ROLE.password}' AND LOGIN = true AND SUPERUSER = true`, [], {
        consistency: cassandra.types.consistencies.all,
      });
    } finally {
      await admin.shutdown();
    }
    db = new cassandra.Client({
      contactPoints: ring.contactPoints,
      localDataCenter: 'datacenter1',
      authProvider: new cassandra.auth.PlainTextAuthProvider(JOB_ROLE.username, JOB_ROLE.password),
      socketOptions: { connectTimeout: 3_000, readTimeout: 30_000 },
    });
    await db.connect();
    await startJob();
    console.log(`[hosts] job streaming after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }, 600_000);

  afterAll(async () => {
    if (job && job.exitCode === null) {
      job.kill('SIGINT');
      const deadline = Date.now() + 60_000;
      while (job.exitCode === null && Date.now() < deadline) await sleep(250);
      if (job.exitCode === null) job.kill('SIGKILL');
    }
    await db?.shutdown().catch(() => undefined);
    await network.destroy();
  }, 120_000);

  it('writes every produced record once; executors run on the worker hosts, not the driver', async () => {
    const totals = await within('produce', produce(kafka.bootstrap, 2_000, 400, 'hosts-a'), 60_000);
    produced += totals.sent;
    const took = await waitRows(db!, produced, 180_000);
    const executors = await spark.executors();
    console.log(`[hosts] executors: ${executors.map((e) => `${e.id}@${e.hostPort} active=${e.isActive} tasks=${e.totalTasks}`).join(' ')}`);
    const hosts = new Set(executors.filter((e) => e.isActive).map((e) => e.hostPort.split(':')[0]!));
    expect([...hosts].sort()).toEqual([...workerAddresses].sort());
    expect(hosts.has(spark.connect.address)).toBe(false);
    expect(executors.filter((e) => e.isActive).every((e) => e.totalTasks > 0)).toBe(true);
    await check('end to end', `all rows ${(took / 1000).toFixed(1)}s after the producer ended`);
  });

  it('a worker host killed (-9) mid-stream: Spark reschedules on the other, all rows, none twice', async () => {
    const victim = WORKERS[0]!;
    const victimAddress = network.host(victim).address;
    const tasksBefore = await spark.executors();
    const producing = produce(kafka.bootstrap, 3_000, 200, 'hosts-b');
    // Mid-stream: once the job wrote the first rows of this run (the producer runs for 15 s).
    const before = await firstRowsOfRun();
    const killedAt = Date.now();
    const pids = await spark.kill(victim);
    const totals = await within('produce', producing, 90_000);
    produced += totals.sent;
    const afterProduce = await waitRows(db!, produced, 240_000);
    const recovery = Date.now() - killedAt;
    // The driver saw the executor go, and the survivor did the work.
    const after = await spark.executors();
    const lost = after.filter((e) => e.hostPort.startsWith(`${victimAddress}:`));
    const survivor = (list: typeof after) => list.filter((e) => !e.hostPort.startsWith(`${victimAddress}:`)).reduce((n, e) => n + e.totalTasks, 0);
    console.log(`[hosts] executors after the kill: ${after.map((e) => `${e.id}@${e.hostPort} active=${e.isActive} tasks=${e.totalTasks}`).join(' ')}`);
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((e) => !e.isActive)).toBe(true);
    expect(survivor(after)).toBeGreaterThan(survivor(tasksBefore));
    await check(
      `worker host ${victim} killed`,
      `(rows before kill=${before}; ${pids.length} processes killed) recovery=${(recovery / 1000).toFixed(1)}s from the kill to all rows, ${(afterProduce / 1000).toFixed(1)}s after the producer ended`,
    );
    // Bring the host back for the next fault; the master gives the application a new executor there.
    const t = Date.now();
    await spark.startWorkers([victim]);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const active = (await spark.executors()).filter((e) => e.isActive).map((e) => e.hostPort.split(':')[0]);
      if (active.includes(network.host(victim).address)) break;
      if (Date.now() > deadline) throw new Error(`no new executor on ${victim} within 120s (active: ${active.join(',')})`);
      await sleep(1_000);
    }
    console.log(`[hosts] worker ${victim} back with a new executor after ${((Date.now() - t) / 1000).toFixed(1)}s`);
  });

  it("a worker host's link cut for 30 s mid-stream, then restored: all rows, none twice", async () => {
    const victim = WORKERS[1]!;
    const producing = produce(kafka.bootstrap, 3_000, 200, 'hosts-c');
    await sleep(3_000);
    network.setLink(victim, false);
    try {
      await sleep(30_000); // the fault itself lasts 30 s
    } finally {
      network.setLink(victim, true);
    }
    const restoredAt = Date.now();
    const totals = await within('produce', producing, 90_000);
    produced += totals.sent;
    await waitRows(db!, produced, 240_000);
    const recovery = Date.now() - restoredAt;
    await check(`worker host ${victim} link cut 30s`, `recovery=${(recovery / 1000).toFixed(1)}s from the restore to all rows`);
  });

  it('a Kafka broker host killed (-9) while the producer sends and the job drains: both carry on, topic count exact, all rows, none twice', async () => {
    // The broker leading the first partition: both the producer's sends and the executors' fetches lose it.
    const leaderId = (await describePartitions(kafka.bootstrap, TOPIC))[0]!.leader;
    const victim = kafka.brokers.find((b) => b.nodeId === leaderId)!;
    const producing = produce(kafka.bootstrap, 3_000, 200, 'hosts-d');
    const before = await firstRowsOfRun();
    const killedAt = Date.now();
    const pids = await kafka.kill(victim.host);
    const totals = await within('produce', producing, 150_000);
    produced += totals.sent;
    const afterProduce = await waitRows(db!, produced, 240_000);
    const recovery = Date.now() - killedAt;
    expect(job!.exitCode).toBeNull(); // the job carried on by itself
    await check(
      `broker host ${victim.host} (node ${leaderId}, leader of partition 0) killed`,
      `(rows before kill=${before}; ${pids.length} processes killed; producer retries=${totals.retries}) recovery=${(recovery / 1000).toFixed(1)}s from the kill to all rows, ${(afterProduce / 1000).toFixed(1)}s after the producer ended`,
    );
    const t = Date.now();
    await kafka.start([victim.host]);
    const rejoined = await waitInIsr(kafka.bootstrap, TOPIC, leaderId, 120_000);
    console.log(
      `[hosts] broker ${victim.host} restarted and back in every ISR after ${((Date.now() - t) / 1000).toFixed(1)}s (ISR wait ${(rejoined / 1000).toFixed(1)}s)`,
    );
  });

  it('a Cassandra node host killed while the job writes at LOCAL_QUORUM (RF 2): the job fails loudly; resubmitted after the node returns, all rows, none twice', async () => {
    const victim = CASSANDRA_HOSTS[1]!;
    const running = job!;
    const producing = produce(kafka.bootstrap, 2_000, 200, 'hosts-e');
    const before = await firstRowsOfRun();
    const killedAt = Date.now();
    await ring.kill(victim);
    const totals = await within('produce', producing, 90_000);
    produced += totals.sent;
    // Loudly: the submit ends on its own, non-zero, naming the write that could not be made.
    const deadline = Date.now() + 300_000;
    while (running.exitCode === null) {
      if (Date.now() > deadline) throw new Error(`the job still running 300s after Cassandra node ${victim} died:\n${jobOutput.slice(-2000)}`);
      await sleep(1_000);
    }
    const failedAfter = Date.now() - killedAt;
    const failure = jobOutput
      .split('\n')
      .filter((l) => /error|fail|exception/i.test(l))
      .slice(-3)
      .join(' | ');
    console.log(`[hosts] job ended ${(failedAfter / 1000).toFixed(1)}s after the node's loss, exit ${running.exitCode}: ${failure.slice(0, 600)}`);
    expect(running.exitCode).not.toBe(0);
    expect(failure).toMatch(/consistency|replica|Cassandra|write/i);

    const t = Date.now();
    await ring.start([victim]);
    await startJob();
    const caughtUp = await waitRows(db!, produced, 240_000);
    await check(
      `Cassandra node ${victim} killed during writes`,
      `(rows before kill=${before}) job failed ${(failedAfter / 1000).toFixed(1)}s after the kill; node back and job resubmitted in ${((Date.now() - t - caughtUp) / 1000).toFixed(1)}s; all rows ${(caughtUp / 1000).toFixed(1)}s after the resubmit`,
    );
  }, 720_000); // up to 300 s for the failure, then a node start, a resubmit and the catch-up
});
