// CPU seconds of processes, read from /proc/<pid>/stat (utime + stime). On a machine shared with other
// work, wall time moves with everyone's load; the CPU a process burnt for a measurement moves far less,
// so every phase reports both.
import { readdirSync, readFileSync } from 'node:fs';
import { every } from './timing.js';
import { findOurProcesses, loadStackConfig, runningServices, type StackConfig } from '../../stack/src/index.js';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on every Linux the stack runs on. */
const TICKS_PER_SECOND = 100;

/** Fields 3… of /proc/<pid>/stat (fields[0] is the state), or undefined if the process is gone (or not Linux). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime of one process in seconds, or undefined if it is gone (or not Linux). */
export function cpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  if (fields === undefined) return undefined;
  // utime and stime are fields 14 and 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_SECOND : undefined;
}

/** This process (the bench: producer, Spark Connect client), from Node itself (µs resolution). */
export const selfCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export const SELF_PROCESS = 'bench process';
export const EXECUTOR_PROCESSES = 'spark executors';
/** Marked JVMs that are no service and no executor of our worker (e.g. another session's tools). */
export const OTHER_PROCESSES = 'other stack processes';

function childrenOf(parent: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && parentPid(Number(entry)) === parent) out.push(Number(entry));
  }
  return out;
}

function parentPid(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[1]);
}

/**
 * The stack's processes by name: each service; the executors our Spark worker launched, summed (they
 * come and go); any other marked process apart, so that it never counts as Spark time of ours.
 */
export async function stackProcesses(config: StackConfig = loadStackConfig()): Promise<Map<string, number[]>> {
  const byName = new Map<string, number[]>();
  const known = new Set<number>();
  // Sampled every second during every phase: pid files only, never the services' health probes.
  for (const s of runningServices(config)) {
    known.add(s.pid);
    byName.set(s.name, [s.pid]);
  }
  const worker = byName.get('spark-worker')?.[0];
  const unknown = findOurProcesses(config.runDir).filter((pid) => !known.has(pid));
  // Every executor our worker launched, marked or not: another application's executors (the PySpark
  // job of the anchor) do not carry the stack's marker.
  const executors = worker === undefined ? [] : childrenOf(worker);
  const others = unknown.filter((pid) => !executors.includes(pid));
  if (executors.length > 0) byName.set(EXECUTOR_PROCESSES, executors);
  if (others.length > 0) byName.set(OTHER_PROCESSES, others);
  return byName;
}

export type CpuSnapshot = Map<string, number>;

/** CPU seconds so far of every named process (pids of one name summed), plus this process. */
export function cpuSnapshot(processes: Map<string, number[]>): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  for (const [name, pids] of processes) {
    let sum = 0;
    let seen = false;
    for (const pid of pids) {
      const s = cpuSeconds(pid);
      if (s !== undefined) {
        sum += s;
        seen = true;
      }
    }
    if (seen) out.set(name, sum);
  }
  out.set(SELF_PROCESS, selfCpuSeconds());
  return out;
}

/** CPU seconds each process used between two snapshots (a process missing from either is left out). */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, end] of after) {
    const start = before.get(name);
    if (start !== undefined) out[name] = Math.max(0, end - start);
  }
  return out;
}

/**
 * CPU seconds per process name over the phases of a long run, counting the processes that start or
 * exit during a phase: the anchor phase stops and restarts the Connect server, and executors come and
 * go with every application, so a list of pids taken once at the start loses them. The stack's
 * processes are looked up again at every sample (call it every second or so), each pid's CPU is kept
 * as last seen, and a pid first seen after a phase began counts from zero: it was born in that phase.
 * A process that exits loses at most its last sampling interval.
 */
export class CpuTracker {
  private readonly names = new Map<number, string>();
  private readonly last = new Map<number, number>();
  private readonly baseline = new Map<number, number>();
  private selfBaseline = selfCpuSeconds();

  constructor(private readonly lookup: () => Promise<Map<string, number[]>> = () => stackProcesses()) {}

  async sample(): Promise<void> {
    for (const [name, pids] of await this.lookup()) {
      for (const pid of pids) {
        const seconds = cpuSeconds(pid);
        if (seconds === undefined) continue;
        if (!this.names.has(pid)) this.names.set(pid, name);
        this.last.set(pid, seconds);
      }
    }
  }

  /** Starts a phase: from now on each process counts from the CPU it has used so far. */
  async begin(): Promise<void> {
    await this.sample();
    this.baseline.clear();
    for (const [pid, seconds] of this.last) this.baseline.set(pid, seconds);
    this.selfBaseline = selfCpuSeconds();
  }

  /** CPU seconds per process name since begin() (pids of one name summed), and this process. */
  async end(): Promise<Record<string, number>> {
    await this.sample();
    const out: Record<string, number> = {};
    for (const [pid, seconds] of this.last) {
      const used = seconds - (this.baseline.get(pid) ?? 0);
      const name = this.names.get(pid)!;
      if (used > 0) out[name] = (out[name] ?? 0) + used;
    }
    out[SELF_PROCESS] = selfCpuSeconds() - this.selfBaseline;
    return out;
  }
}

/** Runs fn, returning its value, its wall time (ms) and the CPU seconds each process spent meanwhile. */
export async function withCpu<T>(processes: Map<string, number[]>, fn: () => Promise<T>): Promise<{ value: T; ms: number; cpu: Record<string, number> }> {
  const before = cpuSnapshot(processes);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  return { value, ms, cpu: cpuDelta(before, cpuSnapshot(processes)) };
}

/**
 * CPU seconds per process from now until the first stop(): for one run inside a phase (a drain, a
 * ceiling run), sampled every second so that executors and drivers that start meanwhile are counted.
 * stop() can be called again (from a finally block): it returns the first figures.
 */
export async function trackCpu(): Promise<{ stop: () => Promise<Record<string, number>> }> {
  const tracker = new CpuTracker();
  await tracker.begin();
  const sampler = every(1_000, () => tracker.sample());
  let result: Promise<Record<string, number>> | undefined;
  return { stop: () => (result ??= sampler.stop().then(() => tracker.end())) };
}

/** CPU µs per row, per process (processes under 0.5 µs/row left out), from a run's CPU seconds. */
export function cpuMicrosPerRow(cpu: Record<string, number>, rows: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(cpu)) {
    const micros = (seconds * 1e6) / rows;
    if (micros >= 0.5) out[name] = micros;
  }
  return out;
}
