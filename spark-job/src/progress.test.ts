import { parseProgress } from 'spark-connect';
import { describe, expect, it } from 'vitest';
import { accumulate, backlog, formatProgressLine, newTotals } from './progress.js';

function report(batchId: number, rows: number, sinkRows = rows, routes?: [accepted: number, quarantined: number]) {
  return parseProgress(
    JSON.stringify({
      id: 'q',
      runId: 'r',
      name: 'created_users',
      timestamp: '2026-01-01T00:00:00.000Z',
      batchId,
      batchDuration: 850,
      numInputRows: rows,
      inputRowsPerSecond: 1234.4,
      processedRowsPerSecond: 1200,
      durationMs: { triggerExecution: 850 },
      sources: [
        {
          description: 'KafkaV2',
          startOffset: null,
          endOffset: null,
          latestOffset: null,
          numInputRows: rows,
          inputRowsPerSecond: 1234.4,
          processedRowsPerSecond: 1200,
          metrics: { maxOffsetsBehindLatest: '42' },
        },
      ],
      sink: { description: 'cassandra', numOutputRows: sinkRows },
      // How Spark writes an observed metrics row (the job's ROUTE_METRICS).
      ...(routes
        ? { observedMetrics: { routes: { values: routes, schema: { type: 'struct', fields: [{ name: 'accepted' }, { name: 'quarantined' }] } } } }
        : {}),
    }),
  );
}

describe('progress display', () => {
  it('sums rows written once per batch', () => {
    const totals = newTotals();
    accumulate(totals, [report(0, 10), report(1, 20)]);
    accumulate(totals, [report(1, 20), report(2, 5)]);
    expect(totals.rowsWritten).toBe(35);
  });

  it('falls back to input rows when the sink does not count', () => {
    expect(accumulate(newTotals(), [report(0, 7, -1)]).rowsWritten).toBe(7);
  });

  it("counts the users table's rows and the quarantined ones from the job's route metrics", () => {
    const totals = accumulate(newTotals(), [report(0, 12, -1, [10, 2]), report(1, 5, -1, [5, 0]), report(1, 5, -1, [5, 0])]);
    expect(totals).toMatchObject({ rowsWritten: 15, quarantined: 2 });
    expect(formatProgressLine('created_users', report(1, 5, -1, [5, 0]), totals)).toMatch(/written 15\s+quarantined 2\s+behind 42$/);
    expect(accumulate(newTotals(), [report(0, 7, -1)]).quarantined).toBeUndefined();
  });

  it('formats one line with rates, batch duration, rows and backlog', () => {
    const line = formatProgressLine('created_users', report(3, 100), accumulate(newTotals(), [report(3, 100)]));
    expect(line).toMatch(/^created_users\s+batch 3\s+in 1,234\/s\s+processed 1,200\/s\s+batch 850 ms\s+written 100\s+behind 42$/);
    expect(backlog(report(0, 1))).toBe(42);
    expect(formatProgressLine('q', null, newTotals())).toContain('waiting for the first batch');
  });
});
