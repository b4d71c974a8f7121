// The project's CLIs as child processes, the way a user runs them: exit code, stdout, stderr, time.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '@streamline/stack';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export const CLI = {
  producer: path.join(REPO_ROOT, 'producer/src/cli.ts'),
  job: path.join(REPO_ROOT, 'spark-job/src/cli.ts'),
  stack: path.join(REPO_ROOT, 'stack/src/cli.ts'),
} as const;

/** Runs `node --import tsx <script> ...args`; SIGKILLs it after timeoutMs (and says so in stderr). */
export function runCli(
  script: string,
  args: string[],
  { env = {}, timeoutMs = 120_000 }: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[faults] killed after ${timeoutMs / 1000}s\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** Non-empty lines of a stream's output. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}
