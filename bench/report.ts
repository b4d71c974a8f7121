// results.json, summary.md (every figure in one Markdown table) and chart.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AnchorComparison } from './anchor/anchor-drain.js';
import type { CeilingResult, CeilingRun } from './cassandra-ceiling.js';
import type { ClassificationResult } from './classification.js';
import type { DrainRun, SweepResult } from './drain.js';
import type { WarmUp } from './support/warm-up.js';
import type { FootprintResult, MachineInfo } from './footprint.js';
import type { LatencyResult } from './latency.js';
import type { ProducerThroughputResult } from './producer-throughput.js';
import type { SubmitLatencyResult } from './submit-latency.js';
import { buildSvg, ratesFromCumulative, renderPng } from './support/chart.js';
import { describeRatio, type PairedRatio, type Spread } from './support/pairs.js';
import { round } from './support/stats.js';

export interface BenchResults {
  startedAt: string;
  totalSeconds: number;
  machine: MachineInfo;
  loadAverageByPhase: Record<string, number>;
  /** phase → process → CPU seconds (/proc utime + stime) spent during the phase. */
  cpuSecondsByPhase: Record<string, Record<string, number>>;
  sizes: Record<string, number>;
  jobDefaults: {
    maxOffsetsPerTrigger: number | null;
    topicPartitions: number;
    trigger: string;
    sinkOptions: Record<string, string>;
    /** Absent in results from before the job had a writer of its own (the connector's). */
    writer?: string;
  };
  beforeTuning: { maxOffsetsPerTrigger: number; sinkOptions: string[]; topicPartitions: number; writer?: string };
  producer: ProducerThroughputResult;
  drain: {
    before: DrainRun;
    after: DrainRun;
    ceiling: CeilingResult;
    /** Job-defaults drain / the ceiling's reference run, over alternating pairs (the first: `after`, `ceiling.reference`). */
    ratio: PairedRatio;
    pairs: { drains: DrainRun[]; references: CeilingRun[] };
    ratioBefore: number;
    /** The job's defaults drained until steady before anything is measured (absent in older results). */
    warmUp?: WarmUp & { rows: number };
    /** The job's defaults against the same with the Cassandra connector's writer (absent in older results). */
    writer?: { ratio: PairedRatio; connector: DrainRun[]; defaults: DrainRun[] };
  };
  anchor: AnchorComparison;
  sweep: SweepResult;
  latency: LatencyResult;
  submit: SubmitLatencyResult;
  classification: ClassificationResult;
  footprint: FootprintResult;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const x = (n: number): string => `${n.toFixed(2)}×`;
const s = (n: number): string => `${n.toFixed(2)} s`;

/** "cassandra 95, spark executors 120, …; all 236 µs", largest first (old results have no figures). */
function cpuPerRow(perProcess: Record<string, number> | undefined): string {
  if (!perProcess || Object.keys(perProcess).length === 0) return 'not measured';
  const entries = Object.entries(perProcess).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((sum, [, micros]) => sum + micros, 0);
  return `${entries.map(([name, micros]) => `${name} ${int(micros)}`).join(', ')}; all ${int(total)} µs per row`;
}

function summary(r: BenchResults): string {
  const rows: [string, string, string][] = [];
  const add = (group: string, what: string, value: string): void => void rows.push([group, what, value]);
  const p = r.producer;
  for (const run of p.runs)
    add(
      '1 producer',
      `${run.round !== undefined ? `round ${run.round}: ` : ''}${run.name}${run.name.startsWith('naive') ? '' : `, ${run.compression}`}`,
      `${int(run.recordsPerSecond)} records/s (${int(run.records)} records, ${run.inTopic === run.records ? 'all' : int(run.inTopic)} in topic; CPU ${run.cpu.producer.toFixed(1)} s producer, ${run.cpu.broker.toFixed(1)} s broker)`,
    );
  for (const [compression, pair] of Object.entries(p.paired)) {
    add('1 producer', `**ratio our sink on the same payloads / ProducerPerformance (${compression})**`, `**${describeRatio(pair.sink)}**`);
    add('1 producer', `**ratio our whole producer / ProducerPerformance (${compression})**`, `**${describeRatio(pair.whole)}**`);
  }
  add('1 producer', 'ratio ours (whole, gzip) / naive loop', x(p.overNaive));
  add(
    '1 producer',
    "our producers' node flags (producer/src/runtime.ts)",
    p.nodeFlags.missing.length === 0 ? p.nodeFlags.present.join(' ') : `**missing ${p.nodeFlags.missing.join(' ')}: not the producer as launched**`,
  );
  const d = r.drain;
  if (d.warmUp) {
    add(
      '2 drain',
      `warm-up: job defaults on ${int(d.warmUp.rows)} records until two drains in a row do not beat the best by 5 %`,
      `${d.warmUp.rowsPerSecond.map(int).join(' → ')} rows/s${d.warmUp.steady ? '' : ' (still rising when the bound ended it)'}`,
    );
  }
  add(
    '2 drain',
    `backlog ${int(d.after.rows)} records, ${d.after.partitions} partitions: job defaults`,
    `${int(d.after.rowsPerSecond)} rows/s overall (${s(d.after.drainSeconds)} from query start, ${s(d.after.wallSeconds)} from submit); steady state ${int(d.after.steadyRowsPerSecond)} rows/s`,
  );
  add(
    '2 drain',
    `same records, settings before tuning (${d.before.partitions} partitions, the connector's writer and its defaults)`,
    `${int(d.before.rowsPerSecond)} rows/s overall (${s(d.before.drainSeconds)}); steady state ${int(d.before.steadyRowsPerSecond)} rows/s`,
  );
  for (const c of d.ceiling.runs)
    add(
      '2 drain',
      `Cassandra alone: ${c.mode}${c.rowsPerStatement > 1 ? ` of ${c.rowsPerStatement} rows` : ''}, concurrency ${c.concurrencyLevel}`,
      `${int(c.rowsPerSecond)} rows/s`,
    );
  add(
    '2 drain',
    'Cassandra: best of the sweeps',
    `${int(d.ceiling.best.rowsPerSecond)} rows/s; saturated: ${Object.entries(d.ceiling.saturated)
      .map(([mode, yes]) => `${mode} ${yes ? 'yes' : 'NO (highest concurrency reached)'}`)
      .join(', ')}`,
  );
  const ceiling = d.ceiling.reference;
  const retried = (c: CeilingRun): string => (c.retries > 0 ? `; ${int(c.retries)} statements timed out and were sent again` : '');
  for (const c of d.ceiling.sustained ?? [])
    add('2 drain', `Cassandra alone on ${int(c.rows)} rows: ${c.mode}, concurrency ${c.concurrencyLevel}`, `${int(c.rowsPerSecond)} rows/s${retried(c)}`);
  add(
    '2 drain',
    d.ceiling.sustained
      ? `Cassandra ceiling: the best way (${ceiling.mode}) at its best concurrency on ${int(ceiling.rows)} rows (${ceiling.concurrencyLevel}; swept from ${d.ceiling.chosen.concurrencyLevel}, where its short sweep saturates), flushes and compactions included`
      : `Cassandra ceiling: the best way (${ceiling.mode}, concurrency ${ceiling.concurrencyLevel}, where its sweep saturates) on ${int(ceiling.rows)} rows, flushes and compactions included`,
    `${int(ceiling.rowsPerSecond)} rows/s${retried(ceiling)}`,
  );
  for (const [i, drain] of d.pairs.drains.entries()) {
    const reference = d.pairs.references[i]!;
    add(
      '2 drain',
      `pair ${i + 1}: job defaults / Cassandra ceiling (${int(drain.rows)} rows each)`,
      `${int(drain.rowsPerSecond)} / ${int(reference.rowsPerSecond)} rows/s; CPU per row, ours: ${cpuPerRow(drain.cpuMicrosPerRow)}`,
    );
  }
  add('2 drain', '**ratio job defaults / Cassandra ceiling**', `**${describeRatio(d.ratio)}**`);
  add('2 drain', 'ratio before tuning / Cassandra ceiling', x(d.ratioBefore));
  add('2 drain', 'speed-up from tuning (job defaults / before)', x(d.after.rowsPerSecond / d.before.rowsPerSecond));
  if (d.writer) {
    for (const [i, connector] of d.writer.connector.entries()) {
      const ours = d.writer.defaults[i]!;
      add(
        '2 drain',
        `pair ${i + 1}: job defaults / the same with the Cassandra connector's writer (${int(ours.rows)} rows each)`,
        `${int(ours.rowsPerSecond)} / ${int(connector.rowsPerSecond)} rows/s; CPU per row, ours: ${cpuPerRow(ours.cpuMicrosPerRow)}; the connector's: ${cpuPerRow(connector.cpuMicrosPerRow)}`,
      );
    }
    add('2 drain', "ratio job defaults / the connector's writer", describeRatio(d.writer.ratio));
  }
  // Where the gap to the ceiling goes: the stack shares the machine's cores, so Spark's CPU per row
  // (which the ceiling's client does not spend) bounds the job as much as Cassandra's does.
  add('2 drain', 'CPU per row, job defaults (queries started → last row)', cpuPerRow(d.after.cpuMicrosPerRow));
  add('2 drain', 'CPU per row, Cassandra ceiling (the client is the bench process)', cpuPerRow(ceiling.cpuMicrosPerRow));
  const a = r.anchor;
  for (const [i, run] of a.anchor.entries()) {
    add(
      '2 drain vs PySpark',
      `pair ${i + 1}: ours / the tutorials' PySpark job (${int(a.rows)} rows)`,
      `${int(a.ours[i]!.rowsPerSecond)} / ${int(run.rowsPerSecond)} rows/s; started in ${s(a.ours[i]!.startSeconds)} / ${s(run.startSeconds)}`,
    );
  }
  for (const [i, run] of a.anchor.entries()) {
    add('2 drain vs PySpark', `pair ${i + 1}: CPU per row, ours`, cpuPerRow(a.ours[i]!.cpuMicrosPerRow));
    add('2 drain vs PySpark', `pair ${i + 1}: CPU per row, PySpark job (its driver, outside the stack, not counted)`, cpuPerRow(run.cpuMicrosPerRow));
  }
  add('2 drain vs PySpark', '**drain ratio ours / PySpark job**', `**${describeRatio(a.drain)}**`);
  add('2 drain vs PySpark', 'start ratio PySpark job / ours (how many times faster ours is running)', describeRatio(a.start));
  const base = r.sweep.variants.find((v) => v.label === 'job defaults');
  for (const v of r.sweep.variants) {
    const rounds = v.perRound.map((n) => int(n)).join(', ');
    add(
      '2 drain sweep',
      `${int(r.sweep.rows)} rows, ${v.label}`,
      `${int(v.rowsPerSecond)} rows/s${base ? ` = ${x(v.rowsPerSecond / base.rowsPerSecond)} job defaults` : ''} (rounds: ${rounds})`,
    );
  }
  const l = r.latency;
  add(
    '3 latency',
    `steady rate (target ${int(l.targetRate)}/s, trigger ${l.trigger})`,
    `${int(l.achievedRate)} records/s for ${s(l.seconds)}, ${int(l.rows)} rows`,
  );
  for (const [name, dist] of [
    ['ingested_at − produced_at', l.ingestedMinusProduced],
    ['visible in Cassandra − produced_at', l.visibleMinusProduced],
  ] as const) {
    add('3 latency', `**${name}: p50 / p95 / p99 / max**`, `**${int(dist.p50)} / ${int(dist.p95)} / ${int(dist.p99)} / ${int(dist.max)} ms**`);
  }
  const b = l.batchMs;
  add(
    '3 latency',
    `micro-batches of the query with rows (${int(b.count)}): duration p50 / p95 / p99 / max`,
    `${int(b.p50)} / ${int(b.p95)} / ${int(b.p99)} / ${int(b.max)} ms (trigger ${l.trigger})`,
  );
  const sub = r.submit;
  add(
    '4 submit',
    `submit → queries active (median of ${sub.runs.length})`,
    `${s(sub.median.toActiveSeconds)} (runs: ${sub.runs.map((v) => v.toActiveSeconds.toFixed(2)).join(', ')})`,
  );
  add(
    '4 submit',
    `submit → first row in Cassandra (backlog ${int(sub.backlog)}, trigger ${sub.trigger})`,
    `${s(sub.median.toFirstRowSeconds)} (runs: ${sub.runs.map((v) => v.toFirstRowSeconds.toFixed(2)).join(', ')})`,
  );
  add('4 submit', 'submit → whole backlog in Cassandra', s(sub.median.toAllRowsSeconds));
  const c = r.classification;
  const usRuns = (v: Spread): string => `${v.median.toFixed(2)} µs (runs: ${v.runs.map((n) => n.toFixed(2)).join(', ')})`;
  const sideText = (v: ClassificationResult['before']): string =>
    `task CPU ${usRuns(v.taskCpuUsPerMessage)}; process CPU ${usRuns(v.cpuUsPerMessage)}; wall ${usRuns(v.wallUsPerMessage)}`;
  add('4b classification', `Spark time per message, before issue 9 (${int(c.rows)} messages, ${c.rounds} alternating pairs)`, sideText(c.before));
  add('4b classification', 'Spark time per message, the record contract enforced', sideText(c.after));
  add('4b classification', '**ratio after / before (task CPU)**', `**${describeRatio(c.taskCpuRatio)}**`);
  add('4b classification', 'ratio after / before (executor + Connect server process CPU)', describeRatio(c.cpuRatio));
  add('4b classification', 'ratio after / before (wall)', describeRatio(c.wallRatio));
  for (const proc of r.footprint.overall) add('5 footprint', `RSS ${proc.process}`, `peak ${int(proc.peakMiB)} MiB, mean ${int(proc.meanMiB)} MiB`);
  add('5 footprint', 'sum of peaks', `${int(r.footprint.totalPeakMiB)} MiB (executor/other stack JVMs at once: at most ${r.footprint.maxExecutors})`);
  for (const [phaseName, byProcess] of Object.entries(r.cpuSecondsByPhase))
    add(
      '5 footprint',
      `CPU seconds during "${phaseName}"`,
      Object.entries(byProcess)
        .sort((a, b) => b[1] - a[1])
        .map(([proc, sec]) => `${proc} ${sec.toFixed(1)}`)
        .join(', '),
    );
  const drainPeaks = r.footprint.byPhase['drain'];
  if (drainPeaks) add('5 footprint', 'peaks during the drain', drainPeaks.map((p) => `${p.process} ${int(p.peakMiB)}`).join(', ') + ' MiB');

  const m = r.machine;
  const j = r.jobDefaults;
  return [
    `# streamline benchmark, ${r.startedAt}`,
    '',
    `Machine: **${m.cores} cores** (${m.cpuModel}), **${m.memoryGiB} GiB** memory, Node ${m.node}. ` +
      `Load average (1 min) at the start of each phase: ${Object.entries(r.loadAverageByPhase)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')}; ` +
      `a load above the core count means other processes shared the machine. Total run time ${int(r.totalSeconds)} s.`,
    '',
    `Job defaults measured: maxOffsetsPerTrigger ${j.maxOffsetsPerTrigger ?? 'unlimited'}, ${j.topicPartitions} topic partitions, trigger ${j.trigger}, ` +
      `sink ${
        Object.entries(j.sinkOptions)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ') || '(connector defaults)'
      }, ${j.writer === undefined ? "the connector's writer" : `writer ${j.writer}`}.`,
    '',
    '| # | measurement | figure |',
    '|---|---|---|',
    ...rows.map(([g, w, v]) => `| ${g} | ${w} | ${v} |`),
    '',
    'Notes: every ratio compares two measurements of the same run on the same stack. `ingested_at` is the micro-batch timestamp ' +
      "(Spark stamps `current_timestamp()` when the batch starts), so `ingested_at − produced_at` excludes the batch's own processing; " +
      '"visible in Cassandra" includes it (Cassandra\'s write counter sampled every 100 ms, rows matched in production order).',
    '',
    '![chart](chart.png)',
    '',
  ].join('\n');
}

function chart(r: BenchResults): string {
  const d = r.drain;
  const ceiling = d.ceiling.reference;
  const sweepBars = r.sweep.variants.map((v) => ({
    label: v.label,
    value: v.rowsPerSecond,
    color: v.label.startsWith('job defaults') ? '#1f77b4' : v.label.startsWith('before') ? '#d62728' : '#9bb7d4',
    note: v.perRound.length > 1 ? `(${v.perRound.map((n) => int(n)).join(' / ')})` : '',
  }));
  return buildSvg({
    title: 'streamline: Kafka → Spark (over Spark Connect) → Cassandra on the local stack',
    subtitle: `${r.startedAt} · ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB · record ${int(r.producer.recordBytes)} bytes · every ratio against a reference measured in the same run`,
    drain: {
      series: [
        { label: `job defaults: ${int(d.after.rowsPerSecond)} rows/s overall`, color: '#1f77b4', points: ratesFromCumulative(d.after.series) },
        {
          label: `before tuning (sink, partitions): ${int(d.before.rowsPerSecond)} rows/s overall`,
          color: '#d62728',
          points: ratesFromCumulative(d.before.series),
        },
        {
          label: `Cassandra alone (${ceiling.mode}, concurrency ${ceiling.concurrencyLevel}): ${int(ceiling.rowsPerSecond)} rows/s`,
          color: '#7f7f7f',
          dashed: true,
          points: ratesFromCumulative(ceiling.series),
        },
      ],
      ceilingRate: ceiling.rowsPerSecond,
    },
    latency: {
      series: [
        { label: `ingested_at − produced_at (${int(r.latency.rows)} rows)`, color: '#2ca02c', values: r.latency.samples.ingested },
        { label: 'visible in Cassandra − produced_at', color: '#9467bd', values: r.latency.samples.visible },
      ],
    },
    bars: sweepBars,
    barsReference: { label: 'Cassandra ceiling', value: ceiling.rowsPerSecond },
    ratios: [
      { label: 'producer vs Kafka ProducerPerformance (gzip)', value: x(r.producer.ratios.gzip!) },
      { label: 'drain (job defaults) vs Cassandra ceiling', value: x(d.ratio.ratio.median) },
      { label: 'drain speed-up from tuning', value: x(d.after.rowsPerSecond / d.before.rowsPerSecond) },
      {
        label: `latency p50 / p99 (ingested_at, ${r.latency.trigger} trigger)`,
        value: `${int(r.latency.ingestedMinusProduced.p50)} / ${int(r.latency.ingestedMinusProduced.p99)} ms`,
      },
      {
        label: 'latency p50 / p99 (visible in Cassandra)',
        value: `${int(r.latency.visibleMinusProduced.p50)} / ${int(r.latency.visibleMinusProduced.p99)} ms`,
      },
      { label: 'submit → first row in Cassandra (median)', value: s(r.submit.median.toFirstRowSeconds) },
      { label: 'stack RSS, sum of peaks', value: `${int(r.footprint.totalPeakMiB)} MiB` },
    ],
  });
}

export function writeReport(dir: string, results: BenchResults): void {
  // Raw latency samples feed the chart; results.json keeps their distributions only.
  const { samples: _samples, ...latency } = results.latency;
  writeFileSync(
    path.join(dir, 'results.json'),
    `${JSON.stringify({ ...results, latency }, (_k, v: unknown) => (typeof v === 'number' ? round(v, 3) : v), 2)}\n`,
  );
  writeFileSync(path.join(dir, 'summary.md'), summary(results));
  const svg = chart(results);
  writeFileSync(path.join(dir, 'chart.svg'), svg);
  renderPng(svg, path.join(dir, 'chart.png'));
}
