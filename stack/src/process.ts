// Starting and stopping the stack's JVMs as detached background processes.
//
// Every JVM we start carries `-Dstreamline.stack=<runDir>` on its command line. Stopping checks that
// marker in /proc before signalling, so a stale pid file can never make us kill someone else's process,
// and `down` can find orphans (e.g. executors whose worker died) that no pid file names.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function stackMarker(runDir: string): string {
  return `-Dstreamline.stack=${runDir}`;
}

export function readCmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a.length > 0);
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it is not running.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return true;
  }
}

/**
 * The marker for processes that rewrite their command line (Airflow's setproctitle): an environment
 * variable, which their children (task processes, the producer a task runs) inherit too.
 */
export const MARKER_ENV = 'STREAMLINE_STACK_MARKER';

export function markerEnv(runDir: string): Record<string, string> {
  return { [MARKER_ENV]: stackMarker(runDir) };
}

function readEnviron(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

/**
 * True if a process carries the marker: as an argument of its own (JVMs), as the value of a setting
 * (`-c streamline.marker=<marker>` for PostgreSQL, which takes no free-form option), or in its
 * environment (MARKER_ENV).
 */
export function carriesMarker(pid: number, cmdline: readonly string[], runDir: string): boolean {
  const marker = stackMarker(runDir);
  if (cmdline.some((arg) => arg === marker || arg.endsWith(`=${marker}`))) return true;
  return readEnviron(pid)?.includes(`${MARKER_ENV}=${marker}`) ?? false;
}

function workingDirectory(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/**
 * True if pid (read from one of our pid files) is alive and ours: it carries the marker, or — for
 * processes whose setproctitle overwrites both command line and environment, like Airflow's API
 * server — its working directory, which the kernel keeps, is the one we started it in under runDir.
 */
export function isOurs(pid: number, runDir: string, startedIn?: string): boolean {
  if (!isAlive(pid)) return false;
  const cmdline = readCmdline(pid);
  if (cmdline !== undefined && carriesMarker(pid, cmdline, runDir)) return true;
  return startedIn?.startsWith(runDir) === true && workingDirectory(pid) === startedIn;
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export interface SpawnSpec {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd: string;
  logFile: string;
  pidFile: string;
  /**
   * A Linux network namespace to run in (the multi-host stack, stack/src/hosts): the command runs as
   * `ip netns exec <netns> <command>`, which execs it, so the pid written is still the service's own.
   */
  netns?: string;
}

/**
 * Variables meant for Spark Connect CLIENTS (the job reads SPARK_REMOTE, as PySpark does). Spark's own
 * launcher reads them too: a Connect server started with SPARK_REMOTE set refuses to start ("Remote
 * cannot be specified with master and/or deploy mode"). Services never inherit them.
 */
const CLIENT_ONLY_ENV = ['SPARK_REMOTE', 'SPARK_CONNECT_MODE_ENABLED'] as const;

/** The environment a service process runs with: ours, minus the clients' variables, plus the service's own. */
export function serviceEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CLIENT_ONLY_ENV) delete env[name];
  return { ...env, ...extra };
}

/** Starts a detached process writing stdout+stderr to its log file; returns its pid. */
export function spawnDetached(spec: SpawnSpec): number {
  mkdirSync(path.dirname(spec.logFile), { recursive: true });
  mkdirSync(path.dirname(spec.pidFile), { recursive: true });
  mkdirSync(spec.cwd, { recursive: true });
  const log = openSync(spec.logFile, 'a');
  try {
    const [command, args] = spec.netns === undefined ? [spec.command, spec.args] : ['ip', ['netns', 'exec', spec.netns, spec.command, ...spec.args]];
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env: serviceEnv(spec.env),
      detached: true,
      stdio: ['ignore', log, log],
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}: is it installed and on PATH?`);
    // A failure to exec (e.g. java missing) arrives asynchronously; the health wait sees the process gone.
    child.on('error', () => undefined);
    child.unref();
    writeFileSync(spec.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** SIGTERM, then SIGKILL after the grace period. Resolves once the process is gone. */
export async function terminate(pid: number, graceMs = 20_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<'terminated' | 'killed' | 'gone'> {
  if (!isAlive(pid)) return 'gone';
  try {
    process.kill(pid, signal);
  } catch {
    return 'gone';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'terminated';
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'terminated';
  }
  while (isAlive(pid)) await sleep(100);
  return 'killed';
}

/** Every live process carrying our marker: the services, and anything they spawned (executors). */
export function findOurProcesses(runDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const cmdline = readCmdline(pid);
    if (cmdline && carriesMarker(pid, cmdline, runDir) && isAlive(pid)) pids.push(pid);
  }
  return pids;
}

/**
 * Live processes started in `dir` whose command line (as rewritten by setproctitle) begins with
 * `titlePrefix`: Airflow's task workers and log server, which carry neither marker nor pid file.
 */
export function findProcessesStartedIn(dir: string, titlePrefix: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || workingDirectory(pid) !== dir) continue;
    if (readCmdline(pid)?.[0]?.startsWith(titlePrefix) && isAlive(pid)) pids.push(pid);
  }
  return pids;
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

/** The last lines of a log, for error messages. */
export function tailFile(file: string, lines = 25): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch {
    return '(no log yet)';
  }
}
