// This client's collect() results in the canonical JSON form pyspark_canonical.py gives PySpark's,
// so the two can be compared with one deep equality. Strict on purpose: a timestamp must carry its
// microseconds, a decimal every fractional digit, a long every digit, a float its exact bits.
import { isRow, Row, type DataType, type StructType, type Value } from '../../../../spark-connect/src/index.js';
import { CalendarInterval, DayTimeInterval, LocalDate, LocalDateTime, Timestamp, YearMonthInterval } from '../../../../spark-connect/src/index.js';

export type Canonical = null | boolean | string | Canonical[];

export interface CanonicalResult {
  schema?: string;
  nullable?: boolean[];
  rows?: Canonical[][];
  error?: string;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function float64Hex(n: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  return hex(new Uint8Array(view.buffer));
}

/** A value whose JS representation is not what this type should decode to. */
const wrong = (t: DataType, v: unknown): string => `unexpected ${describe(v)} for ${t.kind}`;

function describe(v: unknown): string {
  return `${(v as { constructor?: { name?: string } })?.constructor?.name ?? typeof v}(${String(v)})`;
}

export function canonical(v: Value | undefined, t: DataType): Canonical {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' ? String(v) : wrong(t, v);
    case 'float':
    case 'double':
      if (typeof v !== 'number') return wrong(t, v);
      return Number.isNaN(v) ? 'NaN' : float64Hex(v);
    case 'decimal':
      return typeof v === 'string' ? v : wrong(t, v);
    case 'string':
      return typeof v === 'string' ? v : wrong(t, v);
    case 'boolean':
      return typeof v === 'boolean' ? v : wrong(t, v);
    case 'binary':
      return v instanceof Uint8Array ? hex(v) : wrong(t, v);
    case 'date':
      if (v instanceof LocalDate) return String(v.epochDays);
      return v instanceof Date ? String(Math.floor(v.getTime() / 86_400_000)) : wrong(t, v);
    case 'timestamp':
    case 'timestamp_ntz':
      if (v instanceof Timestamp || v instanceof LocalDateTime) return String(v.epochMicros);
      return v instanceof Date ? String(BigInt(v.getTime()) * 1000n) : wrong(t, v);
    case 'day_time_interval':
      return v instanceof DayTimeInterval ? String(v.micros) : wrong(t, v);
    case 'year_month_interval':
      return v instanceof YearMonthInterval ? String(v.months) : wrong(t, v);
    case 'calendar_interval':
      return v instanceof CalendarInterval ? [String(v.months), String(v.days), String(v.microseconds)] : wrong(t, v);
    case 'array':
      return Array.isArray(v) ? v.map((x) => canonical(x, t.elementType)) : wrong(t, v);
    case 'map':
      return v instanceof Map ? [...v].map(([k, x]) => [canonical(k, t.keyType), canonical(x, t.valueType)]) : wrong(t, v);
    case 'struct':
      return isRow(v) ? fields(v, t) : wrong(t, v);
    case 'null':
      return wrong(t, v);
    default:
      return `unsupported type ${t.kind}: ${describe(v)}`;
  }
}

/** A row or struct as [name, value] pairs in position order (repeated names kept), as PySpark's Row. */
function fields(row: Row, t: StructType): Canonical[] {
  const names = Row.fieldNamesOf(row);
  const values = Row.valuesOf(row);
  if (names.length !== t.fields.length) return [`row has ${names.length} fields, schema ${t.fields.length}`];
  return t.fields.map((f, j) => [names[j]!, canonical(values[j], f.dataType)]);
}

export function canonicalRows(rows: readonly Row[], schema: StructType): CanonicalResult {
  return { schema: schema.simpleString(), nullable: schema.fields.map((f) => f.nullable), rows: rows.map((r) => fields(r, schema)) };
}

/** Spark's error class (`UNSUPPORTED_DATATYPE`), from the error or its `[CLASS]` message prefix. */
export function errorClass(e: unknown): string {
  const err = e as { errorClass?: string; message?: string; name?: string };
  return err.errorClass ?? /^\[([A-Z_.]+)\]/.exec(err.message ?? '')?.[1] ?? err.name ?? String(e);
}
