import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { Expression_LiteralSchema } from '../gen/spark/connect/expressions_pb.js';
import { fromLiteral, literal } from './literal.js';
import type { Row } from './row.js';
import { IntegerType, StringType, StructType, toProtoDataType } from './types.js';
import { CalendarInterval, DayTimeInterval, Decimal, LocalDate, LocalDateTime, SparkValueError, Timestamp, YearMonthInterval } from './values.js';

const typed = (v: Parameters<typeof literal>[0]) => {
  const t = literal(v).literalType;
  return [t.case, t.value];
};

describe('literal() types values as PySpark lit() does', () => {
  it('integers: INT within 32 bits, else BIGINT; bigint is BIGINT; other numbers DOUBLE', () => {
    expect(typed(2 ** 31 - 1)).toEqual(['integer', 2 ** 31 - 1]);
    expect(typed(-(2 ** 31))).toEqual(['integer', -(2 ** 31)]);
    expect(typed(2 ** 31)).toEqual(['long', 2n ** 31n]);
    expect(typed(Number.MAX_SAFE_INTEGER)).toEqual(['long', BigInt(Number.MAX_SAFE_INTEGER)]);
    expect(typed(5n)).toEqual(['long', 5n]);
    expect(typed(1.5)).toEqual(['double', 1.5]);
    expect(typed(2 ** 60)).toEqual(['double', 2 ** 60]);
    expect(typed(-0)[0]).toBe('double');
    expect(Object.is(typed(-0)[1], -0)).toBe(true);
    expect(typed(Number.NaN)[0]).toBe('double');
  });

  it('refuses a bigint beyond BIGINT instead of wrapping it', () => {
    expect(() => literal(2n ** 63n)).toThrow(SparkValueError);
    expect(() => literal(-(2n ** 63n) - 1n)).toThrow(/out of BIGINT range/);
    expect(typed(-(2n ** 63n))).toEqual(['long', -(2n ** 63n)]);
  });

  it('dates and times: Date -> TIMESTAMP (µs), LocalDate -> DATE, LocalDateTime -> TIMESTAMP_NTZ', () => {
    expect(typed(new Date('2024-01-02T03:04:05.123Z'))).toEqual(['timestamp', 1704164645123000n]);
    expect(typed(Timestamp.fromISO('2024-01-02T03:04:05.123456Z'))).toEqual(['timestamp', 1704164645123456n]);
    expect(typed(LocalDate.fromISO('2024-02-29'))).toEqual(['date', 19782]);
    expect(typed(LocalDateTime.fromISO('2024-01-02T03:04:05.000001'))).toEqual(['timestampNtz', 1704164645000001n]);
    expect(() => literal(new Date('nope'))).toThrow(/invalid/);
  });

  it('decimals keep their digits (sent with PySpark DecimalType() defaults); intervals their types', () => {
    const d = literal(new Decimal('12345678901234567890.50')).literalType;
    expect(d.case).toBe('decimal');
    expect(d.case === 'decimal' && [d.value.value, d.value.precision, d.value.scale]).toEqual(['12345678901234567890.50', 10, 0]);
    expect(() => literal(new Decimal(`1${'0'.repeat(38)}`))).toThrow(/at most 38/);
    expect(typed(new YearMonthInterval(27))).toEqual(['yearMonthInterval', 27]);
    expect(typed(new DayTimeInterval(-5n))).toEqual(['dayTimeInterval', -5n]);
    const c = literal(new CalendarInterval(1, 2, 3n)).literalType;
    expect(c.case === 'calendarInterval' && [c.value.months, c.value.days, c.value.microseconds]).toEqual([1, 2, 3n]);
  });

  it('strings, booleans, bytes, null', () => {
    expect(typed('x')).toEqual(['string', 'x']);
    expect(typed(false)).toEqual(['boolean', false]);
    expect(typed(new Uint8Array([1]))).toEqual(['binary', new Uint8Array([1])]);
    expect(typed(null)[0]).toBe('null');
    expect(() => literal({} as never)).toThrow(/unsupported value of type Object/);
  });
});

describe('fromLiteral() decodes literals the server sends as collect() decodes the type', () => {
  it('scalars, big longs, temporal values and intervals', () => {
    expect(fromLiteral(literal(5))).toBe(5);
    expect(fromLiteral(literal(5n))).toBe(5);
    expect(fromLiteral(literal(2n ** 60n))).toBe(2n ** 60n);
    expect(fromLiteral(literal('s'))).toBe('s');
    expect(fromLiteral(literal(null))).toBeNull();
    expect(fromLiteral(literal(true))).toBe(true);
    expect(fromLiteral(literal(1.5))).toBe(1.5);
    const d = fromLiteral(literal(LocalDate.fromISO('2024-02-29')));
    expect(d).toBeInstanceOf(LocalDate);
    expect((d as LocalDate).toISODateString()).toBe('2024-02-29');
    const ts = fromLiteral(literal(Timestamp.fromISO('2024-01-02T03:04:05.123456Z')));
    expect((ts as Timestamp).toISOStringMicros()).toBe('2024-01-02T03:04:05.123456Z');
    expect(fromLiteral(literal(new YearMonthInterval(14)))).toEqual(new YearMonthInterval(14));
    expect(fromLiteral(literal(new DayTimeInterval(7n)))).toEqual(new DayTimeInterval(7n));
    expect(fromLiteral(create(Expression_LiteralSchema, { literalType: { case: 'decimal', value: { value: '12.50', precision: 4, scale: 2 } } }))).toBe(
      '12.50',
    );
  });

  it('arrays, maps and structs (a Row with the struct type names)', () => {
    const arr = create(Expression_LiteralSchema, { literalType: { case: 'array', value: { elements: [literal(1), literal(2)] } } });
    expect(fromLiteral(arr)).toEqual([1, 2]);
    const map = create(Expression_LiteralSchema, { literalType: { case: 'map', value: { keys: [literal('a')], values: [literal(1)] } } });
    expect(fromLiteral(map)).toEqual(new Map([['a', 1]]));
    const struct = create(Expression_LiteralSchema, {
      literalType: {
        case: 'struct',
        value: {
          structType: toProtoDataType(new StructType().add('x', IntegerType()).add('y', StringType())),
          elements: [literal(1), literal('b')],
        },
      },
    });
    const row = fromLiteral(struct) as Row;
    expect(row.asDict()).toEqual({ x: 1, y: 'b' });
  });
});
