// Decodes the Arrow IPC streams of ExecutePlanResponse.arrow_batch into rows, value for value what
// PySpark's collect() returns (see the "Result fidelity" section of spark-connect/README.md).
//
// Mapping (Spark type -> JS): BOOLEAN -> boolean; TINYINT/SMALLINT/INT/FLOAT/DOUBLE -> number
// (NaN, ±Infinity and -0 kept); BIGINT -> number when it is a safe integer (|n| <= 2^53-1), else
// bigint — never a silent loss of precision; with `{ longs: 'bigint' }` always bigint. STRING ->
// string; BINARY -> Uint8Array (a copy); DECIMAL -> string with exactly `scale` fractional digits;
// DATE -> LocalDate; TIMESTAMP -> Timestamp (µs); TIMESTAMP_NTZ -> LocalDateTime (µs); INTERVAL
// YEAR TO MONTH -> YearMonthInterval; INTERVAL DAY TO SECOND -> DayTimeInterval (µs);
// CalendarInterval -> CalendarInterval; ARRAY -> array; MAP -> Map (keys and values decoded with
// their types); STRUCT and each row -> Row (positional, names may repeat); NULL -> null.
//
// Values are read from the Arrow buffers directly: apache-arrow's `get()` turns µs timestamps into
// fractional milliseconds (a double, which cannot hold every µs) and map entries into untyped rows.
import { type Data, IntervalUnit, makeVector, TimeUnit, Type, tableFromIPC, type Vector } from 'apache-arrow';
import { isRow, Row, rowFactory } from './row.js';
import type { DataType, StructType } from './types.js';
import { CalendarInterval, DayTimeInterval, type Decimal, LocalDate, LocalDateTime, Timestamp, YearMonthInterval } from './values.js';

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Date
  | Uint8Array
  | Decimal
  | YearMonthInterval
  | DayTimeInterval
  | CalendarInterval
  | Value[]
  | Map<Value, Value>
  | Row
  | { readonly [field: string]: Value };
export { Row, isRow };

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

/**
 * Decodes Arrow IPC stream bytes (one or more) into rows, in order. `schema` is the Spark schema
 * ExecutePlanResponse carries: its names win over the Arrow field names, which Spark makes unique
 * inside structs (`named_struct('a', 1, 'a', 2)` arrives as `a_0`, `a_1`; PySpark shows `a`, `a`).
 */
export function decodeArrowBatches(batches: readonly Uint8Array[], options: CollectOptions = {}, schema?: StructType): Row[] {
  const rows: Row[] = [];
  for (const bytes of batches) {
    const table = tableFromIPC(bytes);
    const spark = schema && schema.fields.length === table.schema.fields.length ? schema.fields : undefined;
    const makeRow = rowFactory(table.schema.fields.map((f, j) => spark?.[j]?.name ?? f.name));
    const columns = table.schema.fields.map((_, j) => convertVector(table.getChildAt(j)!, options, spark?.[j]?.dataType));
    for (let i = 0; i < table.numRows; i++) rows.push(makeRow(columns.map((c) => c[i] ?? null)));
  }
  return rows;
}

/** Converts a whole column (every chunk of it), nested types included. */
export function convertVector(vec: Vector, options: CollectOptions = {}, spark?: DataType): Value[] {
  if (vec.data.length === 1) return convertData(vec.data[0]!, options, spark);
  return vec.data.flatMap((d) => convertData(d, options, spark));
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
function convertLong(v: bigint, options: CollectOptions): number | bigint {
  if (options.longs === 'bigint') return v;
  return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

/** Epoch microseconds of a raw 64-bit time value in the given unit (µs is Spark's own unit). */
function toMicros(v: bigint, unit: TimeUnit): bigint {
  switch (unit) {
    case TimeUnit.SECOND:
      return v * 1_000_000n;
    case TimeUnit.MILLISECOND:
      return v * 1000n;
    case TimeUnit.NANOSECOND:
      // Floor, so a negative instant stays before the next microsecond.
      return v >= 0n ? v / 1000n : -((-v + 999n) / 1000n);
    default:
      return v;
  }
}

function convertData(data: Data, options: CollectOptions, spark?: DataType): Value[] {
  const n = data.length;
  const out = new Array<Value>(n);
  const nulls = data.nullCount > 0;
  const valid = (i: number): boolean => !nulls || data.getValid(i);
  // `values` / `valueOffsets` of a (sliced) Data start at its first element; validity goes through getValid.
  const type = data.type as Data['type'] & {
    unit?: number;
    timezone?: string | null;
    scale?: number;
    bitWidth?: number;
    listSize?: number;
    precision?: number;
  };
  switch (data.typeId) {
    case Type.Null:
      return out.fill(null);
    case Type.Bool:
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View: {
      const vec = vectorOf(data);
      for (let i = 0; i < n; i++) out[i] = valid(i) ? (vec.get(i) as Value) : null;
      return out;
    }
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
    case Type.BinaryView: {
      const vec = vectorOf(data);
      // A copy: the view would pin (and alias) the whole IPC message.
      for (let i = 0; i < n; i++) out[i] = valid(i) ? (vec.get(i) as Uint8Array).slice() : null;
      return out;
    }
    case Type.Int: {
      const arr = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < n; i++) {
        const v = arr[i]!;
        out[i] = valid(i) ? (typeof v === 'bigint' ? convertLong(v, options) : v) : null;
      }
      return out;
    }
    case Type.Float: {
      if (type.precision === 0) {
        // Half floats are stored as raw uint16 (Spark never sends them): apache-arrow decodes them.
        const vec = vectorOf(data);
        for (let i = 0; i < n; i++) out[i] = valid(i) ? (vec.get(i) as number) : null;
        return out;
      }
      const arr = data.values as Float32Array | Float64Array;
      for (let i = 0; i < n; i++) out[i] = valid(i) ? arr[i]! : null;
      return out;
    }
    case Type.Decimal:
      return decodeDecimals(data, valid);
    case Type.Date: {
      const arr = data.values as Int32Array | BigInt64Array;
      const days = type.unit === 0; // DateUnit.DAY
      for (let i = 0; i < n; i++) {
        if (!valid(i)) out[i] = null;
        else if (days) out[i] = new LocalDate(Number(arr[i]!));
        else out[i] = LocalDate.fromDate(new Date(Number(arr[i]!)));
      }
      return out;
    }
    case Type.Timestamp: {
      const arr = data.values as unknown as BigInt64Array;
      // Spark sends TIMESTAMP with the session time zone and TIMESTAMP_NTZ without one.
      const zoned = type.timezone !== null && type.timezone !== undefined && type.timezone !== '';
      const unit = type.unit as TimeUnit;
      for (let i = 0; i < n; i++) {
        if (!valid(i)) out[i] = null;
        else {
          const us = toMicros(BigInt(arr[i]!), unit);
          out[i] = zoned ? new Timestamp(us) : new LocalDateTime(us);
        }
      }
      return out;
    }
    case Type.Duration: {
      const arr = data.values as unknown as BigInt64Array;
      const unit = type.unit as TimeUnit;
      for (let i = 0; i < n; i++) out[i] = valid(i) ? new DayTimeInterval(toMicros(BigInt(arr[i]!), unit)) : null;
      return out;
    }
    case Type.Interval:
      return decodeIntervals(data, type.unit as IntervalUnit, valid);
    case Type.Struct: {
      const st = data.type as { children: { name: string }[] };
      const sf = spark?.kind === 'struct' && spark.fields.length === st.children.length ? spark.fields : undefined;
      const makeRow = rowFactory(st.children.map((f, j) => sf?.[j]?.name ?? f.name));
      const kids = data.children.map((c, j) => convertData(c, options, sf?.[j]?.dataType));
      for (let i = 0; i < n; i++) out[i] = valid(i) ? makeRow(kids.map((k) => k[i] ?? null)) : null;
      return out;
    }
    case Type.List:
    case Type.LargeList: {
      const offsets = data.valueOffsets as ArrayLike<number | bigint>;
      const items = convertData(data.children[0]!, options, spark?.kind === 'array' ? spark.elementType : undefined);
      for (let i = 0; i < n; i++) out[i] = valid(i) ? items.slice(Number(offsets[i]!), Number(offsets[i + 1]!)) : null;
      return out;
    }
    case Type.FixedSizeList: {
      const size = type.listSize ?? 0;
      const items = convertData(data.children[0]!, options, spark?.kind === 'array' ? spark.elementType : undefined);
      for (let i = 0; i < n; i++) out[i] = valid(i) ? items.slice(i * size, (i + 1) * size) : null;
      return out;
    }
    case Type.Map: {
      // A map is a list of struct<key, value> entries; both sides decode with their own types.
      const offsets = data.valueOffsets as ArrayLike<number>;
      const entries = data.children[0]!;
      const keys = convertData(entries.children[0]!, options, spark?.kind === 'map' ? spark.keyType : undefined);
      const vals = convertData(entries.children[1]!, options, spark?.kind === 'map' ? spark.valueType : undefined);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          out[i] = null;
          continue;
        }
        const m = new Map<Value, Value>();
        for (let k = offsets[i]!; k < offsets[i + 1]!; k++) m.set(keys[k] ?? null, vals[k] ?? null);
        out[i] = m;
      }
      return out;
    }
    default: {
      const vec = vectorOf(data);
      for (let i = 0; i < n; i++) out[i] = valid(i) ? fallback(vec.get(i)) : null;
      return out;
    }
  }
}

/** A one-chunk Vector, for the types whose `get()` already decodes exactly (strings, booleans, bytes). */
function vectorOf(data: Data): Vector {
  return makeVector(data);
}

/** DECIMAL(p, s): 128- (or 256-) bit little-endian two's complement, rendered with `s` fractional digits. */
function decodeDecimals(data: Data, valid: (i: number) => boolean): Value[] {
  const type = data.type as unknown as { scale: number; bitWidth?: number };
  const words = (type.bitWidth ?? 128) / 32;
  const arr = data.values as Uint32Array;
  const out = new Array<Value>(data.length);
  const bits = BigInt(words * 32);
  for (let i = 0; i < data.length; i++) {
    if (!valid(i)) {
      out[i] = null;
      continue;
    }
    let u = 0n;
    for (let w = words - 1; w >= 0; w--) u = (u << 32n) | BigInt(arr[i * words + w]!);
    const signed = u >> (bits - 1n) ? u - (1n << bits) : u;
    out[i] = decimalString(signed, type.scale);
  }
  return out;
}

/** `-1250n`, scale 2 -> `'-12.50'` (the digits Python's Decimal prints with `format(d, 'f')`). */
export function decimalString(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString();
  if (scale <= 0) return `${neg ? '-' : ''}${digits}${'0'.repeat(-scale)}`;
  const d = digits.padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${d.slice(0, d.length - scale)}.${d.slice(d.length - scale)}`;
}

function decodeIntervals(data: Data, unit: IntervalUnit, valid: (i: number) => boolean): Value[] {
  const out = new Array<Value>(data.length);
  const arr = data.values as Int32Array;
  for (let i = 0; i < data.length; i++) {
    if (!valid(i)) {
      out[i] = null;
      continue;
    }
    switch (unit) {
      case IntervalUnit.YEAR_MONTH:
        out[i] = new YearMonthInterval(arr[i]!);
        break;
      case IntervalUnit.DAY_TIME:
        // Days and milliseconds (Spark does not send this unit; decoded for completeness).
        out[i] = new DayTimeInterval((BigInt(arr[2 * i]!) * 86_400_000n + BigInt(arr[2 * i + 1]!)) * 1000n);
        break;
      default: {
        // MONTH_DAY_NANO: int32 months, int32 days, int64 nanoseconds (little-endian) per value.
        const view = new DataView(arr.buffer, arr.byteOffset + i * 16, 16);
        out[i] = new CalendarInterval(view.getInt32(0, true), view.getInt32(4, true), view.getBigInt64(8, true) / 1000n);
      }
    }
  }
  return out;
}

/** Untyped fallback for Arrow types Spark does not send. */
function fallback(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof Date || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(fallback);
  if (typeof v === 'object' && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') return fallback((v as { toJSON(): unknown }).toJSON());
  return String(v);
}
