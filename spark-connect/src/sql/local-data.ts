// Local rows -> Arrow IPC stream, for spark.createDataFrame (Relation.local_relation). The StructType
// decides the Arrow types; the same schema is sent as JSON so the server applies names, types and
// nullability exactly.
import {
  Binary,
  Bool,
  DateDay,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  Utf8,
  tableToIPC,
  vectorFromArray,
  makeData,
  type DataType as ArrowType,
  type Vector,
} from 'apache-arrow';
import type { Value } from './arrow.js';
import type { DataType, StructType } from './types.js';

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
    case 'date':
      return new DateDay();
    case 'timestamp':
    case 'timestamp_ntz':
      // Spark reads Arrow timestamps as microseconds since the epoch, UTC.
      return new TimestampMicrosecond(t.kind === 'timestamp' ? 'UTC' : null);
    case 'array':
      return new List(new Field('element', arrowType(t.elementType, `${path}[]`), t.containsNull));
    case 'struct':
      // Nullability must match the schema: the server rejects a nullable Arrow field for a NOT NULL one.
      return new Struct(t.fields.map((f) => new Field(f.name, arrowType(f.dataType, `${path}.${f.name}`), f.nullable)));
    default:
      throw new TypeError(
        `createDataFrame: column ${path} has type ${t.kind}, which local data does not support yet; ` + 'send it as a string and cast it in Spark',
      );
  }
}

const INTEGRAL_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  byte: [-(2n ** 7n), 2n ** 7n - 1n],
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};

/**
 * An integral value checked against its Spark type's range. Arrow's builders would wrap an
 * out-of-range value silently (128 as TINYINT becomes -128); PySpark refuses it, so do we.
 */
function integral(v: Value, kind: string, path: string): bigint {
  const n = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
  if (n === undefined) throw new TypeError(`createDataFrame: ${path} must be an integer for type ${kind}, got ${String(v)}`);
  const [lo, hi] = INTEGRAL_RANGE[kind]!;
  if (n < lo || n > hi) throw new RangeError(`createDataFrame: ${path} = ${String(v)} is out of range for type ${kind} [${lo}, ${hi}]`);
  return n;
}

/** Normalises JS values to what apache-arrow's builders expect for the given Spark type. */
function normalise(v: Value | undefined, t: DataType, path: string): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'long':
      return integral(v, t.kind, path);
    case 'byte':
    case 'short':
    case 'integer':
      return Number(integral(v, t.kind, path));
    case 'timestamp':
    case 'timestamp_ntz':
      // apache-arrow's timestamp builders take epoch milliseconds and scale to the type's unit.
      return v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : v;
    case 'date':
      return v instanceof Date ? v : new Date(v as string | number);
    case 'array':
      if (!Array.isArray(v)) throw new TypeError(`createDataFrame: ${path} must be an array`);
      return v.map((x, i) => normalise(x, t.elementType, `${path}[${i}]`));
    case 'struct': {
      const o = v as { [k: string]: Value };
      return Object.fromEntries(t.fields.map((f) => [f.name, normalise(o[f.name], f.dataType, `${path}.${f.name}`)]));
    }
    default:
      return v;
  }
}

/** Encodes rows (objects keyed by field name) as one Arrow IPC stream. */
export function encodeLocalRows(rows: readonly Readonly<Record<string, Value>>[], schema: StructType): Uint8Array {
  const fields = schema.fields.map((f) => new Field(f.name, arrowType(f.dataType, f.name), f.nullable));
  const children = schema.fields.map((f, j) => {
    const v = vectorFromArray(
      rows.map((r) => normalise(r[f.name], f.dataType, f.name)),
      fields[j]!.type,
    ) as Vector;
    // Builders flush in chunks only past their high-water mark; local data stays well below it.
    if (v.data.length !== 1) throw new RangeError('createDataFrame: too much local data for one Arrow batch');
    return v.data[0]!;
  });
  const data = makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children });
  return tableToIPC(new Table([new RecordBatch(new Schema(fields), data)]), 'stream');
}
