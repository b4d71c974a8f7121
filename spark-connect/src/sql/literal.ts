// JavaScript values -> Connect literals, typed the way PySpark's `lit()` types Python values
// (pyspark/sql/connect/expressions.py, LiteralExpression._infer_type), so the same expression has
// the same Spark type from either client; and back (`fromLiteral`), for the values a server sends as
// literals (observed metrics), decoded as collect() decodes the same types.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Expression_LiteralSchema, type Expression_Literal } from '../gen/spark/connect/expressions_pb.js';
import type { Value } from './arrow.js';
import { rowFactory } from './row.js';
import { toProtoDataType } from './types.js';
import { CalendarInterval, DayTimeInterval, Decimal, LocalDate, LocalDateTime, SparkValueError, Timestamp, YearMonthInterval } from './values.js';

/**
 * JavaScript values `lit()` accepts: integers in int32 range become INT, other safe integers and
 * bigints BIGINT, other numbers DOUBLE, Date TIMESTAMP (LocalDate DATE, LocalDateTime TIMESTAMP_NTZ),
 * Decimal DECIMAL, the interval classes their INTERVAL types, Uint8Array BINARY.
 */
export type LiteralValue = null | boolean | number | bigint | string | Date | Uint8Array | Decimal | YearMonthInterval | DayTimeInterval | CalendarInterval;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const MICROS_PER_MS = 1000n;

type LiteralType = MessageInitShape<typeof Expression_LiteralSchema>['literalType'];

/** Builds a Connect literal message from a JavaScript value (typed as PySpark types it). */
export function literal(value: LiteralValue): Expression_Literal {
  return create(Expression_LiteralSchema, { literalType: literalType(value) });
}

function literalType(value: LiteralValue): LiteralType {
  if (value === null) return { case: 'null', value: toProtoDataType({ kind: 'null' }) };
  switch (typeof value) {
    case 'boolean':
      return { case: 'boolean', value };
    case 'string':
      return { case: 'string', value };
    case 'bigint':
      if (value < LONG_MIN || value > LONG_MAX) throw new SparkValueError(`lit(): ${value} is out of BIGINT range [${LONG_MIN}, ${LONG_MAX}]`);
      return { case: 'long', value };
    case 'number':
      // -0 is a double in Python too (`-0.0`); an integer literal would lose its sign.
      if (Number.isInteger(value) && !Object.is(value, -0)) {
        if (value >= INT32_MIN && value <= INT32_MAX) return { case: 'integer', value };
        // Beyond 2^53 a JS number is a double already (not every integer exists): pass a bigint for BIGINT.
        if (Number.isSafeInteger(value)) return { case: 'long', value: BigInt(value) };
      }
      return { case: 'double', value };
    default:
      break;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new SparkValueError('lit(): the Date is invalid (NaN time)');
    if (value instanceof LocalDate) return { case: 'date', value: value.epochDays };
    if (value instanceof LocalDateTime) return { case: 'timestampNtz', value: value.epochMicros };
    if (value instanceof Timestamp) return { case: 'timestamp', value: value.epochMicros };
    // Spark timestamps are microseconds since the epoch (UTC); a plain Date is an instant, as Python's datetime.
    return { case: 'timestamp', value: BigInt(value.getTime()) * MICROS_PER_MS };
  }
  if (value instanceof Uint8Array) return { case: 'binary', value };
  if (value instanceof Decimal) {
    // PySpark sends DecimalType()'s (10, 0); the server widens to the value's own precision and
    // scale, so the literal's type is DECIMAL(max(p, 10), s) from both clients.
    if (value.precision > 38) throw new SparkValueError(`lit(): ${value.value} has ${value.precision} digits; Spark's DECIMAL holds at most 38`);
    return { case: 'decimal', value: { value: value.value, precision: 10, scale: 0 } };
  }
  if (value instanceof YearMonthInterval) return { case: 'yearMonthInterval', value: value.months };
  if (value instanceof DayTimeInterval) {
    if (value.micros < LONG_MIN || value.micros > LONG_MAX) throw new SparkValueError('lit(): the DayTimeInterval is out of range (64-bit microseconds)');
    return { case: 'dayTimeInterval', value: value.micros };
  }
  if (value instanceof CalendarInterval) {
    return { case: 'calendarInterval', value: { months: value.months, days: value.days, microseconds: value.microseconds } };
  }
  throw new TypeError(`lit(): unsupported value ${describe(value)}; pass a Column, or a value of a type listed in LiteralValue`);
}

function describe(v: unknown): string {
  const name = (v as { constructor?: { name?: string } })?.constructor?.name;
  return name ? `of type ${name}` : String(v);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The JavaScript value of a literal the server sent, as collect() returns that type: BIGINT a number
 * while safe (else a bigint), DECIMAL its digits as a string, DATE a LocalDate, TIMESTAMP a Timestamp,
 * arrays, Maps, and structs as Rows.
 */
export function fromLiteral(lit: Expression_Literal): Value {
  const t = lit.literalType;
  switch (t.case) {
    case undefined:
    case 'null':
      return null;
    case 'boolean':
    case 'byte':
    case 'short':
    case 'integer':
    case 'float':
    case 'double':
    case 'string':
      return t.value;
    case 'binary':
      return Uint8Array.from(t.value);
    case 'long':
      return t.value >= -MAX_SAFE && t.value <= MAX_SAFE ? Number(t.value) : t.value;
    case 'decimal':
      return t.value.value;
    case 'date':
      return new LocalDate(t.value);
    case 'timestamp':
      return new Timestamp(t.value);
    case 'timestampNtz':
      return new LocalDateTime(t.value);
    case 'calendarInterval':
      return new CalendarInterval(t.value.months, t.value.days, t.value.microseconds);
    case 'yearMonthInterval':
      return new YearMonthInterval(t.value);
    case 'dayTimeInterval':
      return new DayTimeInterval(t.value);
    case 'array':
      return t.value.elements.map(fromLiteral);
    case 'map':
      return new Map(t.value.keys.map((k, i) => [fromLiteral(k), t.value.values[i] ? fromLiteral(t.value.values[i]) : null]));
    case 'struct': {
      const st = t.value.structType?.kind;
      const names = st?.case === 'struct' ? st.value.fields.map((f) => f.name) : t.value.elements.map((_, i) => `col${i + 1}`);
      return rowFactory(names)(t.value.elements.map(fromLiteral));
    }
    case 'specializedArray': {
      const a = t.value.valueType;
      if (a.case === 'longs') return a.value.values.map((v) => (v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v));
      return a.case === undefined ? [] : [...a.value.values];
    }
    default:
      return null;
  }
}
