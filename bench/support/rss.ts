// Resident memory of every process of the stack (services, Spark executors) and of this process (the
// producer and the Spark Connect driver client both run in it), sampled in the background and
// attributed to the benchmark phase that was running.
import { findOurProcesses, loadStackConfig, rssMiB, runningServices, type StackConfig } from '../../stack/src/index.js';
import { every } from './timing.js';

export interface RssPeak {
  /** Service name, the executors (summed), or this process. */
  process: string;
  peakMiB: number;
  meanMiB: number;
  samples: number;
}

export const SELF = 'bench process (producer + Spark Connect client)';
export const EXECUTORS = 'Spark executors + other stack JVMs (summed)';

export class RssSampler {
  private phase = 'startup';
  /** Most executor processes seen at once. */
  maxExecutors = 0;
  /** phase → process → samples (MiB). */
  private readonly data = new Map<string, Map<string, number[]>>();
  private sampler: { stop: () => Promise<void> } | undefined;
  private readonly config: StackConfig;

  constructor(config: StackConfig = loadStackConfig()) {
    this.config = config;
  }

  setPhase(phase: string): void {
    this.phase = phase;
  }

  start(intervalMs = 1_000): void {
    this.sampler = every(intervalMs, () => this.sample());
  }

  async stop(): Promise<void> {
    await this.sampler?.stop();
  }

  async sample(): Promise<void> {
    // Every second during every phase: pid files only, never the services' health probes.
    const known = new Set<number>();
    const row = new Map<string, number>();
    for (const s of runningServices(this.config)) {
      known.add(s.pid);
      const mib = rssMiB(s.pid);
      if (mib !== undefined) row.set(s.name, mib);
    }
    // Executors come and go (one per application, replaced when the Connect server restarts): summed.
    let executors = 0;
    let executorMiB = 0;
    for (const pid of findOurProcesses(this.config.runDir)) {
      if (known.has(pid)) continue;
      const mib = rssMiB(pid);
      if (mib !== undefined) {
        executors++;
        executorMiB += mib;
      }
    }
    if (executors > 0) row.set(EXECUTORS, executorMiB);
    this.maxExecutors = Math.max(this.maxExecutors, executors);
    row.set(SELF, process.memoryUsage().rss / 2 ** 20);
    let byProcess = this.data.get(this.phase);
    if (!byProcess) this.data.set(this.phase, (byProcess = new Map()));
    for (const [name, mib] of row) {
      const list = byProcess.get(name) ?? [];
      list.push(mib);
      byProcess.set(name, list);
    }
  }

  private static peaks(byProcess: Map<string, number[]>): RssPeak[] {
    return [...byProcess].map(([name, samples]) => ({
      process: name,
      peakMiB: Math.max(...samples),
      meanMiB: samples.reduce((a, b) => a + b, 0) / samples.length,
      samples: samples.length,
    }));
  }

  /** Peak and mean per process per phase, and over the whole run. */
  report(): { byPhase: Record<string, RssPeak[]>; overall: RssPeak[] } {
    const byPhase: Record<string, RssPeak[]> = {};
    const all = new Map<string, number[]>();
    for (const [phase, byProcess] of this.data) {
      byPhase[phase] = RssSampler.peaks(byProcess);
      for (const [name, samples] of byProcess) all.set(name, [...(all.get(name) ?? []), ...samples]);
    }
    return { byPhase, overall: RssSampler.peaks(all) };
  }
}
