// 5. Footprint: resident memory of every stack process (services and Spark executors) and of this
// process (producer + Spark Connect client), peak and mean per benchmark phase, plus the machine's
// load while it ran (other users of the machine show up here, not in our figures).
import { cpus, loadavg, totalmem } from 'node:os';
import type { RssPeak, RssSampler } from './support/rss.js';

export interface FootprintResult {
  overall: RssPeak[];
  byPhase: Record<string, RssPeak[]>;
  /** Sum of the per-process peaks (an upper bound of the stack's peak total). */
  totalPeakMiB: number;
  /** Most executor (or other unnamed stack) processes alive at once (normally 1: the Connect server's executor). */
  maxExecutors: number;
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  loadAverage1mAtStart: number;
  loadAverage1mAtEnd?: number;
}

export function machineInfo(): MachineInfo {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverage1mAtStart: loadavg()[0]!,
  };
}

export function footprint(sampler: RssSampler): FootprintResult {
  const { overall, byPhase } = sampler.report();
  const sorted = [...overall].sort((a, b) => b.peakMiB - a.peakMiB);
  return { overall: sorted, byPhase, totalPeakMiB: sorted.reduce((s, p) => s + p.peakMiB, 0), maxExecutors: sampler.maxExecutors };
}
