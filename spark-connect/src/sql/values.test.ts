import { describe, expect, it } from 'vitest';
import { Decimal, LocalDate, LocalDateTime, SparkValueError, Timestamp } from './values.js';

describe('Timestamp', () => {
  it('keeps microseconds beside the Date milliseconds', () => {
    const t = Timestamp.fromISO('2024-01-02T03:04:05.123456Z');
    expect(t.epochMicros).toBe(1704164645123456n);
    expect(t.getTime()).toBe(1704164645123);
    expect(t.microsecond).toBe(123456);
    expect(t.toISOStringMicros()).toBe('2024-01-02T03:04:05.123456Z');
    expect(t).toBeInstanceOf(Date);
  });

  it('floors before the epoch (one µs before 1970 is 1969-12-31T23:59:59.999999)', () => {
    const t = new Timestamp(-1n);
    expect(t.getTime()).toBe(-1);
    expect(t.epochMicros).toBe(-1n);
    expect(t.toISOStringMicros()).toBe('1969-12-31T23:59:59.999999Z');
  });

  it('reads zone offsets and refuses nanoseconds it would drop', () => {
    expect(Timestamp.fromISO('2024-01-02T04:04:05.000001+01:00').epochMicros).toBe(1704164645000001n);
    expect(Timestamp.fromISO('2024-01-02 03:04:05.123456000').microsecond).toBe(123456);
    expect(() => Timestamp.fromISO('2024-01-02T03:04:05.1234567Z')).toThrow(SparkValueError);
    expect(() => Timestamp.fromISO('yesterday')).toThrow(/ISO-8601/);
  });
});

describe('LocalDateTime and LocalDate', () => {
  it('LocalDateTime is a wall clock read through the UTC fields, without a zone', () => {
    const t = LocalDateTime.fromISO('2024-01-02T03:04:05.000007');
    expect(t.getUTCHours()).toBe(3);
    expect(t.epochMicros).toBe(1704164645000007n);
    expect(t.toISOStringMicros()).toBe('2024-01-02T03:04:05.000007');
    expect(() => LocalDateTime.fromISO('2024-01-02T03:04:05Z')).toThrow(/no time zone/);
  });

  it('LocalDate counts days since the epoch', () => {
    expect(LocalDate.fromISO('2024-02-29').epochDays).toBe(19782);
    expect(new LocalDate(-1).toISODateString()).toBe('1969-12-31');
    expect(LocalDate.fromDate(new Date('2024-02-29T23:59:59Z')).toISODateString()).toBe('2024-02-29');
    expect(() => LocalDate.fromISO('2024-02-30x')).toThrow(SparkValueError);
    expect(() => new LocalDate(1.5)).toThrow(/whole number/);
  });
});

describe('Decimal', () => {
  it('keeps the digits and counts precision and scale as Spark does', () => {
    expect(new Decimal('12.50')).toMatchObject({ value: '12.50', precision: 4, scale: 2 });
    expect(new Decimal('-0.05')).toMatchObject({ value: '-0.05', precision: 2, scale: 2 });
    expect(new Decimal('007')).toMatchObject({ value: '7', precision: 1, scale: 0 });
    expect(new Decimal(12345678901234567890n).precision).toBe(20);
    expect(new Decimal(1.5).value).toBe('1.5');
    expect(new Decimal('-12.50').unscaled).toBe(-1250n);
    expect(() => new Decimal('1e5')).toThrow(SparkValueError);
    expect(() => new Decimal(Number.NaN)).toThrow(/finite/);
  });
});
