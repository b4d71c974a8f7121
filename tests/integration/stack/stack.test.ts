// The local stack's services, used for real through the same client libraries the pipeline uses.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import cassandra from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { grpcAnswers, loadStackConfig, masterStatus, runningServices, status } from '../../../stack/src/index.js';

const config = loadStackConfig();
const bootstrap = `${config.host}:${config.ports.kafka}`;

describe('local stack', () => {
  it('reports every service running and healthy', async () => {
    const services = await status(config);
    expect(services.map((s) => [s.name, s.healthy])).toEqual([
      ['kafka', true],
      ['cassandra', true],
      ['spark-master', true],
      ['spark-worker', true],
      ['spark-connect', true],
    ]);
  });

  it('lists the same running processes without probing the services (what the benchmark samples every second)', async () => {
    const probed = (await status(config)).map((s) => ({ name: s.name, pid: s.pid }));
    expect(probed.every((s) => s.pid !== undefined)).toBe(true);
    expect(runningServices(config)).toEqual(probed);
  });

  it('round-trips messages through Kafka on a fresh topic', async () => {
    const kafka = new Kafka({ clientId: 'stack-test', brokers: [bootstrap], logLevel: logLevel.WARN });
    const topic = `stack-test-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const sent = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ i }) }));
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `g-${topic}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; value: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.length}/20 messages came back`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key!.toString(), value: message.value!.toString() });
          if (received.length === sent.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(received.sort((a, b) => a.key.localeCompare(b.key))).toEqual([...sent].sort((a, b) => a.key.localeCompare(b.key)));
  });

  it('round-trips rows through Cassandra with password authentication', async () => {
    const connect = (password: string) =>
      new cassandra.Client({
        contactPoints: [`${config.host}:${config.ports.cassandra}`],
        localDataCenter: 'datacenter1',
        authProvider: new cassandra.auth.PlainTextAuthProvider(config.cassandra.username, password),
      });

    // Authentication is really on: a wrong password is refused.
    const intruder = connect('not-the-password');
    await expect(intruder.connect()).rejects.toThrow(/auth|credentials|password/i);
    await intruder.shutdown();

    const client = connect(config.cassandra.password);
    await client.connect();
    const keyspace = `stack_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await client.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
    try {
      await client.execute(`CREATE TABLE ${keyspace}.t (id uuid PRIMARY KEY, name text, n int)`);
      const id = cassandra.types.Uuid.random();
      await client.execute(`INSERT INTO ${keyspace}.t (id, name, n) VALUES (?, ?, ?)`, [id, 'ada', 36], { prepare: true });
      const rows = (await client.execute(`SELECT id, name, n FROM ${keyspace}.t WHERE id = ?`, [id], { prepare: true })).rows;
      expect(rows.map((r) => [r.id.toString(), r.name, r.n])).toEqual([[id.toString(), 'ada', 36]]);
    } finally {
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
      await client.shutdown();
    }
  });

  it('drops a keyspace without keeping a snapshot of its data (tests and benchmarks drop them by the hundred)', async () => {
    const client = new cassandra.Client({
      contactPoints: [`${config.host}:${config.ports.cassandra}`],
      localDataCenter: 'datacenter1',
      credentials: { username: config.cassandra.username, password: config.cassandra.password },
    });
    const keyspace = `stack_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    try {
      await client.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
      await client.execute(`CREATE TABLE ${keyspace}.t (id int PRIMARY KEY, name text)`);
      for (let i = 0; i < 20; i++) await client.execute(`INSERT INTO ${keyspace}.t (id, name) VALUES (?, ?)`, [i, 'x'], { prepare: true });
      await client.execute(`DROP KEYSPACE ${keyspace}`);
    } finally {
      await client.shutdown();
    }
    // Cassandra's default snapshots a dropped keyspace into <data>/<keyspace>/<table>/snapshots and never frees it.
    const dir = path.join(config.runDir, 'cassandra', 'data', keyspace);
    const snapshots = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => path.basename(p) === 'snapshots') : [];
    expect(snapshots).toEqual([]);
  });

  it('has a standalone master with exactly one ALIVE worker', async () => {
    const master = await masterStatus(config.host, config.ports.sparkMasterUi);
    expect(master?.status).toBe('ALIVE');
    expect(master?.workers.filter((w) => w.state === 'ALIVE')).toHaveLength(1);
    expect(master?.workers[0]?.cores).toBe(config.sparkWorkerCores);
  });

  it('has a Spark Connect server answering gRPC', async () => {
    expect(await grpcAnswers(config.host, config.ports.sparkConnect)).toBe(true);
    // And nothing answers gRPC on a port where no server listens: the probe is not vacuous.
    expect(await grpcAnswers(config.host, 1, 1_000)).toBe(false);
  });
});
