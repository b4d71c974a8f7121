// JavaScript values -> Connect literals, typed the way PySpark's `lit()` types Python values
// (pyspark/sql/connect/expressions.py, LiteralExpression._infer_type), so the same expression has
// the same Spark type from either client.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Expression_LiteralSchema, type Expression_Literal } from '../gen/spark/connect/expressions_pb.js';
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
