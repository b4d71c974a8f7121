// Signals and pipes, as users send them: Ctrl-C (SIGINT to the terminal's process group), `kill`
// (SIGTERM to make, which forwards it) and a closed terminal (SIGHUP to the group) stop `make demo` and
// `make submit` the same clean way. The demo runs on a PRIVATE stack (its own run directory and ports),
// which it starts and must stop: afterwards no JVM of that stack may be left. The submit runs on the
// shared stack; afterwards none of its queries may be active.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@streamline/core';
import { Pipeline } from '@streamline/spark-job';
import { down, findOurProcesses, loadStackConfig } from '@streamline/stack';
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';

type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Every port of the private stack, 300 above the shared stack's, so both can run at once. */
const PRIVATE_PORTS: Record<string, number> = {
  KAFKA_PORT: 9392,
  KAFKA_CONTROLLER_PORT: 9393,
  CASSANDRA_PORT: 9342,
  CASSANDRA_STORAGE_PORT: 7300,
  SPARK_MASTER_PORT: 7377,
  SPARK_MASTER_UI_PORT: 8380,
  SPARK_WORKER_UI_PORT: 8381,
  SPARK_CONNECT_PORT: 15302,
  SPARK_DRIVER_UI_PORT: 4340,
  AIRFLOW_PORT: 8388,
  POSTGRES_PORT: 5733,
};

const scratch = mkdtempSync(path.join(tmpdir(), 'streamline-signals-'));
const demoRunDir = path.join(scratch, 'demo-run');
const demoEnv: Record<string, string> = {
  ...Object.fromEntries(Object.entries(PRIVATE_PORTS).map(([k, v]) => [k, String(v)])),
  STREAMLINE_RUN_DIR: demoRunDir,
  KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${PRIVATE_PORTS.KAFKA_PORT}`,
  CASSANDRA_CONTACT_POINTS: `127.0.0.1:${PRIVATE_PORTS.CASSANDRA_PORT}`,
  SPARK_REMOTE: `sc://localhost:${PRIVATE_PORTS.SPARK_CONNECT_PORT}`,
  // Nothing listens there: the demo says so and streams synthetic users at once.
  RANDOMUSER_URL: 'http://127.0.0.1:9',
  // Two stacks share 2 cores here: keep the private one small.
  CASSANDRA_HEAP: '768m',
  SPARK_WORKER_MEMORY: '1g',
  SPARK_EXECUTOR_MEMORY: '768m',
  SPARK_DRIVER_MEMORY: '768m',
};

afterAll(async () => {
  // Whatever a failed test left behind: the private stack goes, the shared one stays.
  if (findOurProcesses(demoRunDir).length > 0) await down(loadStackConfig({ ...process.env, ...demoEnv }), () => undefined);
  rmSync(scratch, { recursive: true, force: true });
}, 120_000);

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a command in its own process group (a terminal's foreground job), collecting its output. */
function start(command: string, args: string[], env: Record<string, string>): Running {
  const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // Reading stops when the test closes the pipe: later writes of the child then fail with EPIPE.
  child.stdout!.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Sends the signal the way the user's action does: to the process group (terminal) or to the process alone (kill). */
function send(running: Running, signal: Signal): void {
  if (signal === 'SIGTERM') running.child.kill('SIGTERM');
  else process.kill(-running.child.pid!, signal);
}

async function exitWithin(running: Running, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timer = setTimeout(() => process.kill(-running.child.pid!, 'SIGKILL'), ms);
  try {
    return await running.exited;
  } finally {
    clearTimeout(timer);
  }
}

describe.each<[Signal, { closeStdout: boolean }]>([
  // `make demo | tee log`, then Ctrl-C: tee dies with the group, so our stdout is closed when the shutdown runs.
  ['SIGINT', { closeStdout: true }],
  ['SIGTERM', { closeStdout: false }],
  ['SIGHUP', { closeStdout: false }],
])('make demo, stopped by %s', (signal, { closeStdout }) => {
  it('stops the producer, the job and the stack it started: no JVM of ours is left', async () => {
    expect(findOurProcesses(demoRunDir)).toEqual([]);
    const demo = start('make', ['-s', 'demo', 'ARGS=--rate 100'], demoEnv);
    try {
      await waitUntil('the demo is watching rows arrive', () => demo.output().includes('[demo] watching ') || demo.child.exitCode !== null, {
        timeoutMs: 300_000,
        intervalMs: 500,
      });
      expect(demo.child.exitCode, `the demo ended before streaming:\n${demo.output().slice(-3000)}`).toBeNull();
      expect(findOurProcesses(demoRunDir).length).toBeGreaterThanOrEqual(5);
      if (closeStdout) demo.child.stdout!.destroy();
      send(demo, signal);
      const exit = await exitWithin(demo, 180_000);
      // make exits by the signal it re-raises (SIGINT, SIGHUP) or with the demo's own code (SIGTERM).
      expect([0, null], `demo exit ${JSON.stringify(exit)}:\n${demo.output().slice(-3000)}`).toContain(exit.code);
    } finally {
      if (demo.child.exitCode === null && demo.child.signalCode === null) process.kill(-demo.child.pid!, 'SIGKILL');
    }
    // The demo printed its steps in order, up to the end (when its stdout was still read).
    if (!closeStdout) {
      const out = demo.output();
      expect(out).toMatch(/stopping: producer, then the job, then the stack/);
      expect(out.indexOf('producer: sent')).toBeGreaterThan(-1);
      expect(out.indexOf('producer: sent')).toBeLessThan(out.indexOf('job: stopped'));
      expect(out).toMatch(/stopped cleanly/);
      expect(out).not.toMatch(/forced/);
    }
    expect(findOurProcesses(demoRunDir)).toEqual([]);
  });
});

describe.each<Signal>(['SIGINT', 'SIGTERM', 'SIGHUP'])('make submit, stopped by %s', (signal) => {
  it('stops the query (checkpoint kept) and exits 0', async () => {
    const name = `signals_${signal.toLowerCase()}_${process.pid}`;
    const runDir = path.join(scratch, name);
    // The CLI itself (what `make submit` runs), so that its own exit code can be checked: make re-raises
    // a fatal signal on itself once its child has exited.
    const submit = start(
      process.execPath,
      [
        '--import',
        'tsx',
        'spark-job/src/cli.ts',
        'submit',
        ...[
          '--topic',
          name,
          '--keyspace',
          name,
          '--query-name-prefix',
          `${name}_`,
          '--checkpoint-location',
          path.join(runDir, 'checkpoints'),
          '--progress-interval',
          '1',
        ],
      ],
      { STREAMLINE_RUN_DIR: runDir },
    );
    let exit: { code: number | null; signal: NodeJS.Signals | null };
    try {
      await waitUntil('the job is streaming', () => submit.output().includes('streaming; Ctrl-C stops the query'), { timeoutMs: 180_000, intervalMs: 250 });
      send(submit, signal);
      exit = await exitWithin(submit, 120_000);
    } finally {
      if (submit.child.exitCode === null && submit.child.signalCode === null) process.kill(-submit.child.pid!, 'SIGKILL');
    }
    const out = submit.output();
    // One query writes both tables (the split sink): it is the one to stop.
    expect(out).toContain(`stopped ${name}_created_users (`);
    expect(exit!).toEqual({ code: 0, signal: null });
    // The server agrees: no query of this job is active in its session.
    const saved = JSON.parse(readFileSync(path.join(runDir, 'spark-job', 'session.json'), 'utf8')) as { sessionId: string };
    const status = await Pipeline.fromEnv({ STREAMLINE_RUN_DIR: runDir }, { session: { sessionId: saved.sessionId } }).status();
    expect(status?.active.filter((q) => q.name.startsWith(name))).toEqual([]);
  });
});
