// Streaming query progress, parsed from the JSON the server sends (StreamingQueryProgress.json).
// Spark omits NaN/Infinity rates from the JSON; they are reported here as 0 so consumers always get
// numbers. `raw` keeps the full parsed object for anything not modelled.
import { parseJsonLenient, type JsonValue } from '../json.js';

export interface SourceProgress {
  description: string;
  /** Offsets as the source reports them (Kafka: `{topic: {partition: offset}}`; rate: a number). */
  startOffset: JsonValue;
  endOffset: JsonValue;
  latestOffset: JsonValue;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  metrics: Record<string, string>;
}

export interface SinkProgress {
  description: string;
  /** -1 when the sink does not report it. */
  numOutputRows: number;
  metrics: Record<string, string>;
}

export interface StateOperatorProgress {
  operatorName: string;
  numRowsTotal: number;
  numRowsUpdated: number;
  numRowsRemoved: number;
  memoryUsedBytes: number;
  raw: { [key: string]: JsonValue };
}

export interface StreamingQueryProgress {
  id: string;
  runId: string;
  name: string | null;
  /** ISO-8601 trigger timestamp. */
  timestamp: string;
  batchId: number;
  batchDuration: number;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  /** Phase durations in ms; `triggerExecution` is the whole trigger. */
  durationMs: { triggerExecution?: number; [phase: string]: number | undefined };
  eventTime: Record<string, string>;
  stateOperators: StateOperatorProgress[];
  sources: SourceProgress[];
  sink: SinkProgress;
  /** `df.observe(name, ...)` metrics of the trigger: name -> { metric: value }. */
  observedMetrics: { [name: string]: JsonValue };
  raw: { [key: string]: JsonValue };
}

type Obj = { [key: string]: JsonValue };

const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: JsonValue | undefined, dflt = 0): number =>
  typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : dflt;
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
const strMap = (v: JsonValue | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) out[k] = str(x);
  return out;
};
/** Offsets arrive either as JSON values or as JSON-encoded strings; decode the latter. */
const offset = (v: JsonValue | undefined): JsonValue => (typeof v === 'string' ? parseJsonLenient(v) : (v ?? null));

/**
 * Observed metrics by name, each as { metric: value }. Spark (3.5 and 4.0 over Connect) writes each
 * metric row as `{ values: [...], schema: { fields: [{ name }, ...] } }`; the fields are paired with
 * the values. A row already written as an object is kept.
 */
function observed(metrics: Obj): Obj {
  const out: Obj = {};
  for (const [name, row] of Object.entries(metrics)) {
    const schema = isObj(row) ? row['schema'] : undefined;
    const fields = isObj(schema) && Array.isArray(schema['fields']) ? schema['fields'] : undefined;
    const values = isObj(row) ? row['values'] : undefined;
    if (fields && Array.isArray(values)) {
      const r: Obj = {};
      fields.forEach((f, i) => {
        if (isObj(f) && typeof f['name'] === 'string') r[f['name']] = values[i] ?? null;
      });
      out[name] = r;
    } else {
      out[name] = row ?? null;
    }
  }
  return out;
}

export function parseProgress(json: string): StreamingQueryProgress {
  const parsed = JSON.parse(json) as JsonValue;
  if (!isObj(parsed)) throw new Error('streaming progress is not a JSON object');
  const p = parsed;
  const durationMs: StreamingQueryProgress['durationMs'] = {};
  if (isObj(p['durationMs'])) for (const [k, v] of Object.entries(p['durationMs'])) durationMs[k] = num(v);
  const sink = isObj(p['sink']) ? p['sink'] : {};
  const sources = (Array.isArray(p['sources']) ? p['sources'] : []).filter(isObj).map((s) => ({
    description: str(s['description']),
    startOffset: offset(s['startOffset']),
    endOffset: offset(s['endOffset']),
    latestOffset: offset(s['latestOffset']),
    numInputRows: num(s['numInputRows']),
    inputRowsPerSecond: num(s['inputRowsPerSecond']),
    processedRowsPerSecond: num(s['processedRowsPerSecond']),
    metrics: strMap(s['metrics']),
  }));
  // Spark defines the query totals as sums over sources; some servers (3.5 over Connect) omit them
  // from the JSON, so derive them when absent.
  const total = (k: 'numInputRows' | 'inputRowsPerSecond' | 'processedRowsPerSecond'): number =>
    typeof p[k] === 'number' ? (p[k] as number) : sources.reduce((acc, s) => acc + s[k], 0);
  return {
    id: str(p['id']),
    runId: str(p['runId']),
    name: typeof p['name'] === 'string' ? p['name'] : null,
    timestamp: str(p['timestamp']),
    batchId: num(p['batchId']),
    batchDuration: num(p['batchDuration']),
    numInputRows: total('numInputRows'),
    inputRowsPerSecond: total('inputRowsPerSecond'),
    processedRowsPerSecond: total('processedRowsPerSecond'),
    durationMs,
    eventTime: strMap(p['eventTime']),
    stateOperators: (Array.isArray(p['stateOperators']) ? p['stateOperators'] : []).filter(isObj).map((s) => ({
      operatorName: str(s['operatorName']),
      numRowsTotal: num(s['numRowsTotal']),
      numRowsUpdated: num(s['numRowsUpdated']),
      numRowsRemoved: num(s['numRowsRemoved']),
      memoryUsedBytes: num(s['memoryUsedBytes']),
      raw: s,
    })),
    sources,
    sink: { description: str(sink['description']), numOutputRows: num(sink['numOutputRows'], -1), metrics: strMap(sink['metrics']) },
    observedMetrics: isObj(p['observedMetrics']) ? observed(p['observedMetrics']) : {},
    raw: p,
  };
}
