// Decodes the Arrow IPC streams of ExecutePlanResponse.arrow_batch into plain JavaScript rows.
//
// Mapping (Spark type -> JS): BOOLEAN -> boolean; TINYINT/SMALLINT/INT/FLOAT/DOUBLE -> number;
// BIGINT -> number when it is a safe integer (|n| <= 2^53-1), else bigint — never a silent loss of
// precision; with `{ longs: 'bigint' }` always bigint. STRING -> string; BINARY -> Uint8Array;
// DECIMAL -> string (exact); DATE / TIMESTAMP / TIMESTAMP_NTZ -> Date; ARRAY -> array; MAP -> Map;
// STRUCT -> plain object; NULL -> null.
import { tableFromIPC, Type, util, type Vector } from 'apache-arrow';

export type Value = null | boolean | number | bigint | string | Date | Uint8Array | Value[] | Map<Value, Value> | { [field: string]: Value };
export type Row = Record<string, Value>;

/** Cancellation of an action: an AbortSignal, a timeout, or both (whichever comes first). */
export interface ActionOptions {
  signal?: AbortSignal;
  /** Deadline of the action in ms; the call is cancelled (and its server operation released). */
  timeoutMs?: number;
}

/** The signal an action passes to its RPCs. */
export function actionSignal(o: ActionOptions = {}): AbortSignal | undefined {
  if (o.timeoutMs === undefined) return o.signal;
  const t = AbortSignal.timeout(o.timeoutMs);
  return o.signal ? AbortSignal.any([o.signal, t]) : t;
}

export interface CollectOptions extends ActionOptions {
  /** How BIGINT values are returned: `'number'` (default; bigint only beyond 2^53) or `'bigint'`. */
  longs?: 'number' | 'bigint';
}

/** Decodes Arrow IPC stream bytes (one or more) into rows, in order. */
export function decodeArrowBatches(batches: readonly Uint8Array[], options: CollectOptions = {}): Row[] {
  const rows: Row[] = [];
  for (const bytes of batches) {
    const table = tableFromIPC(bytes);
    const names = table.schema.fields.map((f) => f.name);
    const columns = names.map((_, j) => convertVector(table.getChildAt(j)!, options));
    for (let i = 0; i < table.numRows; i++) {
      const row: Row = {};
      for (let j = 0; j < names.length; j++) row[names[j]!] = columns[j]![i] ?? null;
      rows.push(row);
    }
  }
  return rows;
}

function convertLong(v: bigint | number, options: CollectOptions): number | bigint {
  if (typeof v === 'number') return options.longs === 'bigint' ? BigInt(v) : v;
  if (options.longs === 'bigint') return v;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Converts a whole column; nested types recurse on child vectors. */
export function convertVector(vec: Vector, options: CollectOptions): Value[] {
  const n = vec.length;
  const out: Value[] = new Array<Value>(n);
  const t = vec.type;
  switch (t.typeId) {
    case Type.Struct: {
      const fields = (t.children as { name: string }[]).map((f) => f.name);
      const kids = fields.map((_: string, j: number) => convertVector(vec.getChildAt(j)!, options));
      for (let i = 0; i < n; i++) {
        if (!vec.isValid(i)) {
          out[i] = null;
          continue;
        }
        const o: { [field: string]: Value } = {};
        for (let j = 0; j < fields.length; j++) o[fields[j]!] = kids[j]![i] ?? null;
        out[i] = o;
      }
      return out;
    }
    case Type.List:
    case Type.FixedSizeList: {
      for (let i = 0; i < n; i++) {
        const sub = vec.isValid(i) ? (vec.get(i) as Vector | null) : null;
        out[i] = sub ? convertVector(sub, options) : null;
      }
      return out;
    }
    case Type.Map: {
      for (let i = 0; i < n; i++) {
        const m = vec.isValid(i) ? (vec.get(i) as { [Symbol.iterator](): Iterator<[unknown, unknown]> } | null) : null;
        out[i] = m ? new Map([...m].map(([k, v]) => [scalar(k, options), scalar(v, options)] as [Value, Value])) : null;
      }
      return out;
    }
    case Type.Int:
    case Type.Float: {
      // Half floats are stored as raw uint16 (Spark never sends them): use the generic path.
      if (t.typeId === Type.Float && (t as { precision: number }).precision === 0) {
        for (let i = 0; i < n; i++) out[i] = vec.isValid(i) ? scalar(vec.get(i), options) : null;
        return out;
      }
      // Fast path: read the typed array once instead of calling get(i) per value.
      const arr = vec.toArray() as ArrayLike<number | bigint>;
      const nulls = vec.nullCount > 0;
      for (let i = 0; i < n; i++) {
        if (nulls && !vec.isValid(i)) {
          out[i] = null;
          continue;
        }
        const v = arr[i]!;
        out[i] = typeof v === 'bigint' ? convertLong(v, options) : v;
      }
      return out;
    }
    default:
      for (let i = 0; i < n; i++) out[i] = vec.isValid(i) ? typedScalar(vec.get(i), t.typeId, vec, options) : null;
      return out;
  }
}

function typedScalar(v: unknown, typeId: Type, vec: Vector, options: CollectOptions): Value {
  if (v === null || v === undefined) return null;
  switch (typeId) {
    case Type.Int:
      return typeof v === 'bigint' ? convertLong(v, options) : (v as number);
    case Type.Timestamp:
    case Type.Date:
      // apache-arrow returns epoch milliseconds for both (as number; bigint in some versions).
      return new Date(Number(v));
    case Type.Decimal: {
      const scale = (vec.type as { scale: number }).scale;
      const digits = util.bigNumToString(v as Parameters<typeof util.bigNumToString>[0]);
      return scale > 0 ? insertDecimalPoint(digits, scale) : digits;
    }
    default:
      return scalar(v, options);
  }
}

function insertDecimalPoint(digits: string, scale: number): string {
  const neg = digits.startsWith('-');
  const d = (neg ? digits.slice(1) : digits).padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${d.slice(0, d.length - scale)}.${d.slice(d.length - scale)}`;
}

/** Untyped fallback for values inside maps and unusual types. */
function scalar(v: unknown, options: CollectOptions): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return convertLong(v, options);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date || v instanceof Uint8Array) return v;
  if (typeof v === 'object' && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') {
    return scalar((v as { toJSON(): unknown }).toJSON(), options);
  }
  if (Array.isArray(v)) return v.map((x) => scalar(x, options));
  if (typeof v === 'object') {
    const o: { [field: string]: Value } = {};
    for (const [k, x] of Object.entries(v)) o[k] = scalar(x, options);
    return o;
  }
  return String(v);
}
