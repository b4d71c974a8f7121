// Local rows -> Arrow IPC stream, for spark.createDataFrame (Relation.local_relation). The StructType
// decides the Arrow types; the same schema is sent as JSON so the server applies names, types and
// nullability exactly.
//
// The column buffers are written here rather than by apache-arrow's builders: those wrap
// out-of-range integers silently (128 as TINYINT becomes -128) and take timestamps as milliseconds
// (dropping microseconds). PySpark refuses out-of-range values; so does this encoder, naming the
// value's path (`st.xs[2]`) and the type.
import {
  Binary,
  Bool,
  type Data,
  DateDay,
  Decimal as ArrowDecimal,
  DurationMicrosecond,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  IntervalYearMonth,
  List,
  makeData,
  Map_,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  Utf8,
  tableToIPC,
  type DataType as ArrowType,
} from 'apache-arrow';
import type { Value } from './arrow.js';
import { isRow } from './row.js';
import type { DataType, StructType } from './types.js';
import { DayTimeInterval, Decimal, LocalDate, LocalDateTime, SparkValueError, Timestamp, YearMonthInterval } from './values.js';

/** A value createDataFrame cannot encode for its column's type; the message names the path and the type. */
export class LocalDataError extends SparkValueError {}

function arrowType(t: DataType, path: string): ArrowType {
  switch (t.kind) {
    case 'string':
      return new Utf8();
    case 'boolean':
      return new Bool();
    case 'byte':
      return new Int8();
    case 'short':
      return new Int16();
    case 'integer':
      return new Int32();
    case 'long':
      return new Int64();
    case 'float':
      return new Float32();
    case 'double':
      return new Float64();
    case 'binary':
      return new Binary();
    case 'decimal':
      return new ArrowDecimal(t.scale, t.precision, 128);
    case 'date':
      return new DateDay();
    case 'timestamp':
    case 'timestamp_ntz':
      // Spark reads Arrow timestamps as microseconds since the epoch; a zone marks TIMESTAMP.
      return new TimestampMicrosecond(t.kind === 'timestamp' ? 'UTC' : null);
    case 'day_time_interval':
      return new DurationMicrosecond();
    case 'year_month_interval':
      return new IntervalYearMonth();
    case 'array':
      return new List(new Field('element', arrowType(t.elementType, `${path}[]`), t.containsNull));
    case 'map':
      return new Map_(
        new Field(
          'entries',
          new Struct([
            new Field('key', arrowType(t.keyType, `${path}.key`), false),
            new Field('value', arrowType(t.valueType, `${path}.value`), t.valueContainsNull),
          ]),
          false,
        ) as never,
      );
    case 'struct':
      // Nullability must match the schema: the server rejects a nullable Arrow field for a NOT NULL one.
      return new Struct(t.fields.map((f) => new Field(f.name, arrowType(f.dataType, `${path}.${f.name}`), f.nullable)));
    default:
      throw new LocalDataError(
        `createDataFrame: column ${path} has type ${t.kind}, which local data does not support; send it as a string and cast it in Spark`,
      );
  }
}

const INTEGRAL_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  byte: [-(2n ** 7n), 2n ** 7n - 1n],
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** An integral value checked against its Spark type's range. */
function integral(v: unknown, kind: string, path: string): bigint {
  const n = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
  if (n === undefined) throw new LocalDataError(`createDataFrame: ${path} must be an integer for type ${kind}, got ${show(v)}`);
  const [lo, hi] = INTEGRAL_RANGE[kind]!;
  if (n < lo || n > hi) throw new LocalDataError(`createDataFrame: ${path} = ${show(v)} is out of range for type ${kind} [${lo}, ${hi}]`);
  return n;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  return String(v);
}

/** A DECIMAL(p, s) value as its unscaled integer, refusing more digits than p or more decimals than s. */
function unscaledDecimal(v: unknown, p: number, s: number, path: string): bigint {
  let d: Decimal;
  try {
    d = v instanceof Decimal ? v : new Decimal(v as string | number | bigint);
  } catch {
    throw new LocalDataError(`createDataFrame: ${path} must be a decimal number (string, Decimal, number or bigint) for DECIMAL(${p},${s}), got ${show(v)}`);
  }
  if (d.scale > s && /[1-9]/.test(d.value.slice(d.value.length - (d.scale - s)))) {
    throw new LocalDataError(`createDataFrame: ${path} = ${d.value} has more than ${s} decimal place(s) for DECIMAL(${p},${s}); round it first`);
  }
  // Rescale to exactly s decimals, then count the integer digits against p - s.
  const u = d.scale >= s ? d.unscaled / 10n ** BigInt(d.scale - s) : d.unscaled * 10n ** BigInt(s - d.scale);
  const digits = (u < 0n ? -u : u).toString().length;
  if (u !== 0n && digits > p)
    throw new LocalDataError(`createDataFrame: ${path} = ${d.value} does not fit DECIMAL(${p},${s}) (at most ${p - s} integer digit(s))`);
  return u;
}

/** Epoch µs of a timestamp value: Timestamp/LocalDateTime exactly, a Date by its ms, an ISO string (µs kept), or epoch ms. */
function micros(v: unknown, kind: 'timestamp' | 'timestamp_ntz', path: string): bigint {
  if (v instanceof Timestamp || v instanceof LocalDateTime) return v.epochMicros;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new LocalDataError(`createDataFrame: ${path} is an invalid Date`);
    return BigInt(v.getTime()) * 1000n;
  }
  if (typeof v === 'string') {
    try {
      return kind === 'timestamp' ? Timestamp.fromISO(v).epochMicros : LocalDateTime.fromISO(v).epochMicros;
    } catch (e) {
      throw new LocalDataError(`createDataFrame: ${path}: ${(e as Error).message}`);
    }
  }
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.round(v * 1000)); // epoch ms, as a Date takes them
  if (typeof v === 'bigint') return v * 1000n;
  throw new LocalDataError(`createDataFrame: ${path} must be a Date, an ISO-8601 string or epoch milliseconds for type ${kind}, got ${show(v)}`);
}

function epochDays(v: unknown, path: string): number {
  if (v instanceof LocalDate) return v.epochDays;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new LocalDataError(`createDataFrame: ${path} is an invalid Date`);
    return LocalDate.fromDate(v).epochDays; // the UTC calendar day, as a Date at 00:00 UTC reads
  }
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw new LocalDataError(`createDataFrame: ${path} = ${show(v)} is not a date`);
    return Math.floor(ms / 86_400_000);
  }
  if (typeof v === 'number' && Number.isFinite(v)) return Math.floor(v / 86_400_000);
  throw new LocalDataError(`createDataFrame: ${path} must be a LocalDate, Date or ISO date string for type date, got ${show(v)}`);
}

/** Validity bitmap of n values (Arrow: bit set = present) and the null count. */
function validity(values: readonly unknown[]): [Uint8Array, number] {
  const bitmap = new Uint8Array(((values.length + 63) & ~63) >> 3);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return [bitmap, nulls];
}

const utf8 = new TextEncoder();

function variableWidth(chunks: (Uint8Array | null)[]): { valueOffsets: Int32Array; data: Uint8Array } {
  const valueOffsets = new Int32Array(chunks.length + 1);
  let total = 0;
  chunks.forEach((c, i) => {
    total += c ? c.length : 0;
    valueOffsets[i + 1] = total;
  });
  const data = new Uint8Array(total);
  chunks.forEach((c, i) => {
    if (c) data.set(c, valueOffsets[i]!);
  });
  return { valueOffsets, data };
}

/** Encodes one column (or nested child) of values as Arrow Data of `t`'s Arrow type. */
function encode(values: readonly unknown[], t: DataType, type: ArrowType, path: (i: number) => string): Data {
  const length = values.length;
  const [nullBitmap, nullCount] = validity(values);
  const base = { type, length, nullCount, nullBitmap };
  const present = (f: (v: unknown, i: number) => void): void =>
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) f(v, i);
    });
  switch (t.kind) {
    case 'string': {
      const chunks = values.map((v, i) => {
        if (v === null || v === undefined) return null;
        if (typeof v !== 'string') throw new LocalDataError(`createDataFrame: ${path(i)} must be a string, got ${show(v)}`);
        return utf8.encode(v);
      });
      return makeData({ ...base, type: type as Utf8, ...variableWidth(chunks) });
    }
    case 'binary': {
      const chunks = values.map((v, i) => {
        if (v === null || v === undefined) return null;
        if (!(v instanceof Uint8Array)) throw new LocalDataError(`createDataFrame: ${path(i)} must be a Uint8Array, got ${show(v)}`);
        return v;
      });
      return makeData({ ...base, type: type as Binary, ...variableWidth(chunks) });
    }
    case 'boolean': {
      const data = new Uint8Array(nullBitmap.length);
      present((v, i) => {
        if (typeof v !== 'boolean') throw new LocalDataError(`createDataFrame: ${path(i)} must be a boolean, got ${show(v)}`);
        if (v) data[i >> 3]! |= 1 << (i & 7);
      });
      return makeData({ ...base, type: type as Bool, data });
    }
    case 'byte':
    case 'short':
    case 'integer': {
      const data = t.kind === 'byte' ? new Int8Array(length) : t.kind === 'short' ? new Int16Array(length) : new Int32Array(length);
      present((v, i) => {
        data[i] = Number(integral(v, t.kind, path(i)));
      });
      return makeData({ ...base, type: type as Int32, data: data as Int32Array });
    }
    case 'long': {
      const data = new BigInt64Array(length);
      present((v, i) => {
        data[i] = integral(v, t.kind, path(i));
      });
      return makeData({ ...base, type: type as Int64, data });
    }
    case 'float':
    case 'double': {
      const data = t.kind === 'float' ? new Float32Array(length) : new Float64Array(length);
      present((v, i) => {
        if (typeof v !== 'number') throw new LocalDataError(`createDataFrame: ${path(i)} must be a number for type ${t.kind}, got ${show(v)}`);
        // Like PySpark, a finite double beyond FLOAT's range is refused rather than becoming Infinity.
        if (t.kind === 'float' && Number.isFinite(v) && !Number.isFinite(Math.fround(v))) {
          throw new LocalDataError(`createDataFrame: ${path(i)} = ${v} is out of range for type float (±3.4028235e38)`);
        }
        data[i] = v;
      });
      return makeData({ ...base, type: type as Float64, data: data as Float64Array });
    }
    case 'decimal': {
      const data = new Uint32Array(length * 4);
      present((v, i) => {
        let u = BigInt.asUintN(128, unscaledDecimal(v, t.precision, t.scale, path(i)));
        for (let w = 0; w < 4; w++, u >>= 32n) data[i * 4 + w] = Number(u & 0xffffffffn);
      });
      return makeData({ ...base, type: type as ArrowDecimal, data });
    }
    case 'date': {
      const data = new Int32Array(length);
      present((v, i) => {
        data[i] = epochDays(v, path(i));
      });
      return makeData({ ...base, type: type as DateDay, data });
    }
    case 'timestamp':
    case 'timestamp_ntz': {
      const data = new BigInt64Array(length);
      present((v, i) => {
        data[i] = micros(v, t.kind as 'timestamp' | 'timestamp_ntz', path(i));
      });
      return makeData({ ...base, type: type as TimestampMicrosecond, data: data as unknown as Int32Array });
    }
    case 'day_time_interval': {
      const data = new BigInt64Array(length);
      present((v, i) => {
        if (!(v instanceof DayTimeInterval)) throw new LocalDataError(`createDataFrame: ${path(i)} must be a DayTimeInterval, got ${show(v)}`);
        data[i] = v.micros;
      });
      return makeData({ ...base, type: type as DurationMicrosecond, data });
    }
    case 'year_month_interval': {
      const data = new Int32Array(length);
      present((v, i) => {
        if (!(v instanceof YearMonthInterval)) throw new LocalDataError(`createDataFrame: ${path(i)} must be a YearMonthInterval, got ${show(v)}`);
        data[i] = v.months;
      });
      return makeData({ ...base, type: type as IntervalYearMonth, data });
    }
    case 'array': {
      const items: unknown[] = [];
      const itemPaths: string[] = [];
      const valueOffsets = new Int32Array(length + 1);
      values.forEach((v, i) => {
        if (v !== null && v !== undefined) {
          if (!Array.isArray(v)) throw new LocalDataError(`createDataFrame: ${path(i)} must be an array, got ${show(v)}`);
          v.forEach((x, k) => {
            if ((x === null || x === undefined) && !t.containsNull)
              throw new LocalDataError(`createDataFrame: ${path(i)}[${k}] is null but the array's elements are NOT NULL`);
            items.push(x);
            itemPaths.push(`${path(i)}[${k}]`);
          });
        }
        valueOffsets[i + 1] = items.length;
      });
      const child = encode(items, t.elementType, (type as List).children[0]!.type, (k) => itemPaths[k]!);
      return makeData({ ...base, type: type as List, valueOffsets, child });
    }
    case 'map': {
      const keys: unknown[] = [];
      const vals: unknown[] = [];
      const keyPaths: string[] = [];
      const valueOffsets = new Int32Array(length + 1);
      values.forEach((v, i) => {
        if (v !== null && v !== undefined) {
          const entries = v instanceof Map ? [...v.entries()] : typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as object) : undefined;
          if (!entries) throw new LocalDataError(`createDataFrame: ${path(i)} must be a Map or a plain object, got ${show(v)}`);
          for (const [k, x] of entries) {
            if (k === null || k === undefined) throw new LocalDataError(`createDataFrame: ${path(i)} has a null key; Spark map keys cannot be null`);
            if ((x === null || x === undefined) && !t.valueContainsNull)
              throw new LocalDataError(`createDataFrame: ${path(i)}[${show(k)}] is null but the map's values are NOT NULL`);
            keys.push(k);
            vals.push(x);
            keyPaths.push(`${path(i)}[${show(k)}]`);
          }
        }
        valueOffsets[i + 1] = keys.length;
      });
      const entriesType = (type as Map_).children[0]!.type as Struct;
      const [kf, vf] = entriesType.children as [Field, Field];
      const entries = makeData({
        type: entriesType,
        length: keys.length,
        nullCount: 0,
        children: [encode(keys, t.keyType, kf.type, (k) => `${keyPaths[k]!} (key)`), encode(vals, t.valueType, vf.type, (k) => keyPaths[k]!)],
      });
      return makeData({ ...base, type: type as Map_, valueOffsets, child: entries });
    }
    case 'struct': {
      const st = type as Struct;
      const children = t.fields.map((f, j) => {
        const column = values.map((v, i) => {
          if (v === null || v === undefined) return null;
          // A Row is read by position (its names may repeat); a plain object by field name.
          const x = isRow(v) ? v.values()[j] : typeof v === 'object' ? (v as Record<string, unknown>)[f.name] : undefined;
          if (typeof v !== 'object') throw new LocalDataError(`createDataFrame: ${path(i)} must be an object for a struct, got ${show(v)}`);
          if ((x === null || x === undefined) && !f.nullable)
            throw new LocalDataError(`createDataFrame: ${path(i)}.${f.name} is null but the field is NOT NULL`);
          return x ?? null;
        });
        return encode(column, f.dataType, st.children[j]!.type, (i) => `${path(i)}.${f.name}`);
      });
      return makeData({ ...base, type: st, children });
    }
    default:
      throw new LocalDataError(`createDataFrame: ${path(0)} has type ${t.kind}, which local data does not support`);
  }
}

/** Encodes rows (objects keyed by field name, or Rows read by position) as one Arrow IPC stream. */
export function encodeLocalRows(rows: readonly Readonly<Record<string, Value>>[], schema: StructType): Uint8Array {
  const fields = schema.fields.map((f) => new Field(f.name, arrowType(f.dataType, f.name), f.nullable));
  const children = schema.fields.map((f, j) =>
    encode(
      rows.map((r) => {
        const v = isRow(r) ? r.values()[j] : r[f.name];
        return v ?? null;
      }),
      f.dataType,
      fields[j]!.type,
      () => f.name,
    ),
  );
  schema.fields.forEach((f, j) => {
    if (!f.nullable && children[j]!.nullCount > 0) throw new LocalDataError(`createDataFrame: column ${f.name} is NOT NULL but a row has no value for it`);
  });
  const data = makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children });
  return tableToIPC(new Table([new RecordBatch(new Schema(fields), data)]), 'stream');
}
