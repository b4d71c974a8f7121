// Ratios that can be trusted on a shared machine: A and B measured in alternating pairs (A B, B A,
// A B, …, so that a drift of the machine's load weighs on both sides alike), one ratio per pair, the
// median and spread of those ratios, and the load the machine had meanwhile. A run is called noisy
// when the ratios of its pairs disagree by more than NOISY_SPREAD or the load exceeded the cores.
import { cpus, loadavg } from 'node:os';
import { median } from './stats.js';

/** Pair ratios further apart than this (max / min − 1) make a figure "noisy". */
export const NOISY_SPREAD = 0.15;

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: [...values] };
}

export interface MachineLoad {
  cores: number;
  /** 1-minute load average before the first and after the last measurement. */
  loadBefore: number;
  loadAfter: number;
}

export interface PairedRatio {
  pairs: number;
  /** Per-pair b / a. */
  ratio: Spread;
  /** max / min − 1 of the pair ratios. */
  spread: number;
  noisy: boolean;
  load: MachineLoad;
}

/** The ratio b / a over pairs of measurements, with its spread and the machine's load. */
export function pairedRatio(a: readonly number[], b: readonly number[], load: MachineLoad): PairedRatio {
  if (a.length !== b.length || a.length === 0) throw new Error(`pairedRatio: ${a.length} and ${b.length} measurements do not make pairs`);
  const ratios = a.map((x, i) => b[i]! / x);
  const r = spreadOf(ratios);
  const spread = r.max / r.min - 1;
  return { pairs: a.length, ratio: r, spread, noisy: spread > NOISY_SPREAD || Math.max(load.loadBefore, load.loadAfter) > load.cores, load };
}

/**
 * Runs `pairs` pairs of a and b, alternating which goes first (A B, B A, …); returns every result of
 * each side in pair order, and the machine's load around the whole.
 */
export async function alternatingPairs<A, B = A>(pairs: number, a: () => Promise<A>, b: () => Promise<B>): Promise<{ a: A[]; b: B[]; load: MachineLoad }> {
  const out: { a: A[]; b: B[] } = { a: [], b: [] };
  const loadBefore = loadavg()[0]!;
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      out.a.push(await a());
      out.b.push(await b());
    } else {
      out.b.push(await b());
      out.a.push(await a());
    }
  }
  return { ...out, load: { cores: cpus().length, loadBefore, loadAfter: loadavg()[0]! } };
}

const f2 = (n: number): string => n.toFixed(2);

/** One line: "0.83× (median of 5 pairs, spread 0.79–0.88, 11 %; load 1.9/2 cores)" and "NOISY" if so. */
export function describeRatio(r: PairedRatio): string {
  const load = `load ${f2(r.load.loadBefore)}→${f2(r.load.loadAfter)} on ${r.load.cores} cores`;
  return `${f2(r.ratio.median)}× (median of ${r.pairs} pairs, spread ${f2(r.ratio.min)}–${f2(r.ratio.max)}, ${Math.round(r.spread * 100)} %; ${load})${r.noisy ? ' NOISY' : ''}`;
}
