// The live progress display: one line per query, built from the queries' progress reports.
import type { StreamingQueryProgress } from 'spark-connect';
import { ROUTE_METRICS } from './plan.js';

export interface QueryTotals {
  /** Rows written to the users table, summed over every batch seen (by batch id, so never twice). */
  rowsWritten: number;
  /** Messages written to the quarantine, when the query reports its routes. */
  quarantined: number | undefined;
  batches: Set<number>;
}

export function newTotals(): QueryTotals {
  return { rowsWritten: 0, quarantined: undefined, batches: new Set() };
}

/** The job's route counts of a batch (ROUTE_METRICS), when the report has them. */
export function routeCounts(report: StreamingQueryProgress): { accepted: number; quarantined: number } | undefined {
  const routes = report.observedMetrics[ROUTE_METRICS];
  if (routes === null || typeof routes !== 'object' || Array.isArray(routes)) return undefined;
  const accepted = Number(routes['accepted']);
  const quarantined = Number(routes['quarantined']);
  return Number.isFinite(accepted) && Number.isFinite(quarantined) ? { accepted, quarantined } : undefined;
}

/** Folds progress reports into running totals; idempotent for a batch seen twice. */
export function accumulate(totals: QueryTotals, reports: readonly StreamingQueryProgress[]): QueryTotals {
  for (const report of reports) {
    if (totals.batches.has(report.batchId)) continue;
    totals.batches.add(report.batchId);
    const routes = routeCounts(report);
    if (routes !== undefined) {
      totals.rowsWritten += routes.accepted;
      totals.quarantined = (totals.quarantined ?? 0) + routes.quarantined;
      continue;
    }
    // Sinks that do not count their rows report -1; every processed input row is then written.
    totals.rowsWritten += report.sink.numOutputRows >= 0 ? report.sink.numOutputRows : inputRows(report);
  }
  return totals;
}

export function inputRows(report: StreamingQueryProgress): number {
  return report.sources.reduce((sum, s) => sum + s.numInputRows, 0);
}

/** Records behind the latest Kafka offsets, when the source reports it. */
export function backlog(report: StreamingQueryProgress): number | undefined {
  const values = report.sources.map((s) => Number(s.metrics.maxOffsetsBehindLatest)).filter((n) => Number.isFinite(n));
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatProgressLine(name: string, report: StreamingQueryProgress | null, totals: QueryTotals, width = 26): string {
  if (!report) return `${name.padEnd(width)} waiting for the first batch`;
  const rate = (n: number): string => `${integer.format(n)}/s`;
  const behind = backlog(report);
  return [
    name.padEnd(width),
    `batch ${report.batchId}`.padEnd(11),
    `in ${rate(report.inputRowsPerSecond)}`.padEnd(13),
    `processed ${rate(report.processedRowsPerSecond)}`.padEnd(20),
    `batch ${integer.format(report.durationMs.triggerExecution ?? report.batchDuration)} ms`.padEnd(15),
    `written ${integer.format(totals.rowsWritten)}`,
    ...(totals.quarantined !== undefined ? [` quarantined ${integer.format(totals.quarantined)}`] : []),
    ...(behind !== undefined ? [` behind ${integer.format(behind)}`] : []),
  ].join(' ');
}
