// Airflow for real: PostgreSQL and Airflow 3 (API server, scheduler, DAG processor, triggerer) started
// by the stack, the DAG in dags/ loaded by Airflow's own DagBag, a run triggered through the REST API
// that streams users into Kafka and, through the Spark job, into Cassandra; and a failing run (Kafka
// unreachable) marked failed with the producer's reason.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIRFLOW_DAG_ID, REPO_ROOT, airflowEnv, airflowUrl, down, loadStackConfig, setDagPaused, stackPaths, up } from '@streamline/stack';
import { topicMessageCount } from '../../support/kafka.js';

// Runs of this test only when asked for: no run every minute while the test drives the DAG.
process.env.STREAMLINE_PRODUCER_SCHEDULE ??= 'none';

const config = loadStackConfig();
const ctx = { config, paths: stackPaths(config) };
const base = airflowUrl(ctx);
const run = randomUUID().replace(/-/g, '').slice(0, 10);
const topic = `airflow-${run}`;
const keyspace = `airflow_${run}`;
const scratch = mkdtempSync(path.join(tmpdir(), 'streamline-airflow-'));
let startedHere = false;
let token = '';

async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

interface DagRun {
  dag_run_id: string;
  state: string;
}

async function triggerAndWait(conf: Record<string, unknown>, timeoutMs: number): Promise<DagRun> {
  const started = await api<DagRun>('POST', `/api/v2/dags/${AIRFLOW_DAG_ID}/dagRuns`, { logical_date: null, conf });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const current = await api<DagRun>('GET', `/api/v2/dags/${AIRFLOW_DAG_ID}/dagRuns/${encodeURIComponent(started.dag_run_id)}`);
    if (current.state === 'success' || current.state === 'failed') return current;
    await sleep(2_000);
  }
  throw new Error(`DAG run ${started.dag_run_id} did not finish within ${timeoutMs / 1000}s`);
}

function jobCli(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('node', ['--import', 'tsx', 'spark-job/src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 240_000,
    env: {
      ...process.env,
      STREAMLINE_RUN_DIR: scratch,
      KAFKA_TOPIC: topic,
      CASSANDRA_KEYSPACE: keyspace,
      CHECKPOINT_LOCATION: path.join(scratch, 'checkpoints'),
    },
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
  const result = await up(config, (line) => console.log(`[airflow] ${line}`), { group: 'airflow' });
  startedHere = result.started.length > 0;
  const res = await fetch(`${base}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: config.airflow.username, password: config.airflow.password }),
  });
  expect(res.status, 'admin login with AIRFLOW_ADMIN_USERNAME / AIRFLOW_ADMIN_PASSWORD').toBe(201);
  token = ((await res.json()) as { access_token: string }).access_token;
  // Manual runs of a paused DAG stay queued: switch it on, as a user does in the UI (once it is parsed).
  await setDagPaused(config, AIRFLOW_DAG_ID, false, token);
}, 600_000);

afterAll(async () => {
  if (token) await setDagPaused(config, AIRFLOW_DAG_ID, true, token).catch(() => undefined);
  jobCli(['stop']);
  if (startedHere && process.env.STREAMLINE_KEEP_STACK !== '1') await down(config, console.log, { group: 'airflow' });
  rmSync(scratch, { recursive: true, force: true });
}, 300_000);

describe('Airflow schedules the producer', () => {
  it("Airflow's DagBag imports dags/ with no errors", () => {
    const script =
      'import json; from airflow.models.dagbag import DagBag; b = DagBag(); print(json.dumps({"errors": b.import_errors, "dags": sorted(b.dag_ids)}))';
    const r = spawnSync(path.join(ctx.paths.venvBin, 'python'), ['-c', script], {
      encoding: 'utf8',
      env: { ...process.env, ...airflowEnv(ctx) },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const bag = JSON.parse(r.stdout.trim().split('\n').pop()!) as { errors: Record<string, string>; dags: string[] };
    expect(bag).toEqual({ errors: {}, dags: [AIRFLOW_DAG_ID] });
  });

  it('a triggered run streams users to Kafka, returns the producer summary, and the rows reach Cassandra', async () => {
    const submitted = jobCli(['submit', '--detach']);
    expect(submitted.status, submitted.out).toBe(0);

    const dagRun = await triggerAndWait({ source: 'synthetic', rate: 100, duration: 5, topic, seed: run }, 240_000);
    expect(dagRun.state).toBe('success');
    const xcom = await api<{ value: { sent: number; errors: number; invalid: number } }>(
      'GET',
      `/api/v2/dags/${AIRFLOW_DAG_ID}/dagRuns/${encodeURIComponent(dagRun.dag_run_id)}/taskInstances/produce/xcomEntries/return_value`,
    );
    const summary = typeof xcom.value === 'string' ? (JSON.parse(xcom.value) as typeof xcom.value) : xcom.value;
    expect(summary.sent).toBeGreaterThan(100);
    expect(summary.errors).toBe(0);
    expect(await topicMessageCount(topic)).toBe(summary.sent);

    const db = new cassandra.Client({
      contactPoints: [`${config.host}:${config.ports.cassandra}`],
      localDataCenter: 'datacenter1',
      credentials: { username: config.cassandra.username, password: config.cassandra.password },
    });
    try {
      const deadline = Date.now() + 120_000;
      let rows = 0;
      while (Date.now() < deadline) {
        rows = Number((await db.execute(`SELECT count(*) AS n FROM ${keyspace}.created_users`)).first().get('n'));
        if (rows >= summary.sent) break;
        await sleep(2_000);
      }
      expect(rows).toBe(summary.sent);
    } finally {
      await db.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => undefined);
      await db.shutdown();
    }
  });

  it("a run whose Kafka is unreachable fails, with the producer's reason in the task log", async () => {
    const dagRun = await triggerAndWait({ source: 'synthetic', rate: 10, duration: 2, topic, bootstrap_servers: '127.0.0.1:1' }, 240_000);
    expect(dagRun.state).toBe('failed');
    const log = await api<{ content: unknown }>(
      'GET',
      `/api/v2/dags/${AIRFLOW_DAG_ID}/dagRuns/${encodeURIComponent(dagRun.dag_run_id)}/taskInstances/produce/logs/1`,
    );
    expect(JSON.stringify(log.content)).toMatch(/producer exited with 4 \(Kafka is unreachable\)/);
  });
});
