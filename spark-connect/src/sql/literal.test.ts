import { describe, expect, it } from 'vitest';
import { literal } from './literal.js';
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
