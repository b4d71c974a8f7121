import { describe, expect, it } from 'vitest';
import { parseProgress } from './progress.js';

// Shape of a real StreamingQueryProgress.json from a rate -> memory query (Spark 3.5); Kafka offsets
// arrive as JSON strings and are decoded.
const json = JSON.stringify({
  id: 'a1c4b2e0-0000-4000-8000-000000000001',
  runId: 'a1c4b2e0-0000-4000-8000-000000000002',
  name: 'rate_to_memory',
  timestamp: '2026-11-22T02:00:00.000Z',
  batchId: 3,
  batchDuration: 120,
  numInputRows: 10,
  inputRowsPerSecond: 9.5,
  processedRowsPerSecond: 83.3,
  durationMs: { addBatch: 80, getBatch: 0, latestOffset: 1, queryPlanning: 5, triggerExecution: 120, walCommit: 20 },
  stateOperators: [],
  sources: [
    {
      description: 'KafkaV2[Subscribe[users_created]]',
      startOffset: '{"users_created":{"0":5}}',
      endOffset: { users_created: { '0': 15 } },
      latestOffset: null,
      numInputRows: 10,
      inputRowsPerSecond: 9.5,
      processedRowsPerSecond: 83.3,
      metrics: { avgOffsetsBehindLatest: '0.0' },
    },
  ],
  sink: { description: 'MemorySink', numOutputRows: 10 },
});

describe('parseProgress', () => {
  it('types the numbers and decodes offsets', () => {
    const p = parseProgress(json);
    expect(p.batchId).toBe(3);
    expect(p.numInputRows).toBe(10);
    expect(p.inputRowsPerSecond).toBe(9.5);
    expect(p.processedRowsPerSecond).toBe(83.3);
    expect(p.durationMs.triggerExecution).toBe(120);
    expect(p.name).toBe('rate_to_memory');
    expect(p.sources[0]?.startOffset).toEqual({ users_created: { '0': 5 } });
    expect(p.sources[0]?.endOffset).toEqual({ users_created: { '0': 15 } });
    expect(p.sources[0]?.latestOffset).toBeNull();
    expect(p.sources[0]?.metrics).toEqual({ avgOffsetsBehindLatest: '0.0' });
    expect(p.sink).toEqual({ description: 'MemorySink', numOutputRows: 10, metrics: {} });
  });

  it('reports rates Spark omits (NaN) as 0 and a missing name as null', () => {
    const p = parseProgress(JSON.stringify({ id: 'x', runId: 'y', name: null, batchId: 0, numInputRows: 0, sources: [], sink: {} }));
    expect(p.inputRowsPerSecond).toBe(0);
    expect(p.processedRowsPerSecond).toBe(0);
    expect(p.name).toBeNull();
    expect(p.sink.numOutputRows).toBe(-1);
  });
});

describe('parseProgress totals', () => {
  it('derives query totals from sources when the JSON omits them', () => {
    const p = parseProgress(
      JSON.stringify({
        id: 'x',
        runId: 'y',
        batchId: 2,
        sources: [
          { description: 'a', numInputRows: 5, inputRowsPerSecond: 5, processedRowsPerSecond: 15.5 },
          { description: 'b', numInputRows: 2, inputRowsPerSecond: 1 },
        ],
        sink: { description: 'MemorySink', numOutputRows: 7 },
      }),
    );
    expect(p.numInputRows).toBe(7);
    expect(p.inputRowsPerSecond).toBe(6);
    expect(p.processedRowsPerSecond).toBe(15.5);
  });
});

describe('parseProgress observedMetrics', () => {
  it('pairs the {values, schema} rows Spark writes with their field names; keeps a row already an object', () => {
    const p = parseProgress(
      JSON.stringify({
        id: 'x',
        runId: 'y',
        batchId: 1,
        observedMetrics: {
          m: {
            values: [3, null],
            schema: {
              type: 'struct',
              fields: [
                { name: 'rows', type: 'long', nullable: false, metadata: {} },
                { name: 'top', type: 'integer', nullable: true, metadata: {} },
              ],
            },
          },
          plain: { rows: 1 },
        },
      }),
    );
    expect(p.observedMetrics).toEqual({ m: { rows: 3, top: null }, plain: { rows: 1 } });
  });
});
