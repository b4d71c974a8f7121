// The CLI as a user runs it (a real process), against the real local Kafka: exit codes, output
// lines, and the graceful SIGTERM path (everything reported as sent is really in Kafka).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP, consumeAll, deleteTopics, freshTopic, messageCount } from './kafka-helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(ROOT, 'producer/src/cli.ts');

const topics: string[] = [];
afterAll(() => deleteTopics(topics));
const topic = (p: string): string => {
  const t = freshTopic(p);
  topics.push(t);
  return t;
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { onStdout?: (all: string, kill: (s: NodeJS.Signals) => void) => void; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      opts.onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('streamline-produce CLI', () => {
  it('--count: sends exactly N synthetic records and prints the summary', async () => {
    const t = topic('cli_count');
    const r = await cli(['--source', 'synthetic', '--count', '300', '--interval', '0', '--topic', t, '--seed', 'cli']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\[synthetic\] done \(count\): sent=300 /);
    expect(await consumeAll(t, 300)).toHaveLength(300);
  });

  it('SIGTERM: flushes, disconnects, exits 0, and what it reports as sent is in Kafka', async () => {
    const t = topic('cli_sigterm');
    let signalled = false;
    const r = await cli(['--source', 'synthetic', '--rate', '300', '--results', '50', '--topic', t, '--report-interval', '0.5', '--linger-ms', '2000'], {
      onStdout: (out, kill) => {
        if (!signalled && /\[synthetic\] sent=[1-9]\d* rate=/.test(out)) {
          signalled = true;
          kill('SIGTERM');
        }
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/SIGTERM received: flushing/);
    const sent = Number(/done \(signal\): sent=(\d+)/.exec(r.stdout)?.[1]);
    expect(sent).toBeGreaterThan(0);
    // --linger-ms 2000 means records were still buffered at SIGTERM: they must have been flushed.
    expect(await messageCount(t)).toBe(sent);
  });

  it('unreachable Kafka: exit code 4 and a message naming the servers', async () => {
    const r = await cli(['--source', 'synthetic', '--once', '--bootstrap-servers', '127.0.0.1:1']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot reach Kafka bootstrap servers 127\.0\.0\.1:1/);
  });

  it('usage errors: exit code 2 before touching anything', async () => {
    const r = await cli(['--once', '--duration', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--once cannot be combined with --duration/);
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/--bootstrap-servers/);
  });
});
