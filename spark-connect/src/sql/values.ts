// Value types for what a JS Date or number cannot hold exactly: microsecond timestamps, dates
// without a time, timestamps without a time zone, exact decimals and Spark's three interval kinds.
// They are what `collect()` returns and what `lit()` / `createDataFrame` accept, so a value read
// from Spark can be sent back with its Spark type intact.
//
// The three date-time types extend Date so code written for Dates (comparisons, getUTC*,
// toISOString, `toEqual(new Date(...))`) keeps working; the extra precision lives beside it.

const MICROS_PER_MS = 1000n;
const MS_PER_DAY = 86_400_000;

/** An error in a value given to this client (out of range, malformed); the message says which. */
export class SparkValueError extends RangeError {
  override readonly name = 'SparkValueError';
}

/** Milliseconds (floor) and the microseconds within that millisecond (0–999) of an epoch-µs count. */
function splitMicros(micros: bigint): [number, number] {
  let ms = micros / MICROS_PER_MS;
  let sub = micros % MICROS_PER_MS;
  if (sub < 0n) {
    sub += MICROS_PER_MS;
    ms -= 1n;
  }
  return [Number(ms), Number(sub)];
}

const ISO = /^([+-]?\d{4,6}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO-8601 date-time with up to 9 fractional digits into epoch µs (fraction beyond µs refused). */
function parseMicros(text: string, zoned: boolean): bigint {
  const m = ISO.exec(text.trim());
  if (!m) throw new SparkValueError(`not an ISO-8601 date-time: ${JSON.stringify(text)}`);
  const [, date, time, fraction = '', zone] = m;
  if (!zoned && zone) throw new SparkValueError(`a LocalDateTime has no time zone, got ${JSON.stringify(text)}`);
  if (/[1-9]/.test(fraction.slice(6))) throw new SparkValueError(`Spark keeps microseconds; ${JSON.stringify(text)} has nanoseconds`);
  const ms = Date.parse(`${date}T${time}${zoned ? (zone ?? 'Z') : 'Z'}`);
  if (Number.isNaN(ms)) throw new SparkValueError(`not a valid date-time: ${JSON.stringify(text)}`);
  return BigInt(ms) * MICROS_PER_MS + BigInt(fraction.slice(0, 6).padEnd(6, '0'));
}

/** `2024-01-02T03:04:05.123456` (six fractional digits) of epoch µs read in UTC. */
function isoMicros(d: Date, sub: number): string {
  const iso = d.toISOString(); // ...ss.mmmZ
  return `${iso.slice(0, -1)}${String(sub).padStart(3, '0')}`;
}

/**
 * A Spark TIMESTAMP: an instant with microsecond precision. The Date part holds the milliseconds;
 * `epochMicros` the exact value (PySpark's `datetime` keeps the same microseconds).
 */
export class Timestamp extends Date {
  /** Microseconds within the millisecond (0–999), which a Date cannot hold. */
  readonly #subMillisMicros: number;

  constructor(epochMicros: bigint) {
    const [ms, sub] = splitMicros(epochMicros);
    super(ms);
    this.#subMillisMicros = sub;
  }

  /** A Date as a Timestamp (microseconds 0 within its millisecond). */
  static fromDate(d: Date): Timestamp {
    return new Timestamp(BigInt(d.getTime()) * MICROS_PER_MS);
  }

  /** Parses `2024-01-02T03:04:05.123456Z` (zone optional, UTC when absent). */
  static fromISO(text: string): Timestamp {
    return new Timestamp(parseMicros(text, true));
  }

  /** Microseconds since 1970-01-01T00:00:00Z, exact. */
  get epochMicros(): bigint {
    return BigInt(this.getTime()) * MICROS_PER_MS + BigInt(this.#subMillisMicros);
  }

  /** Microseconds within the second (0–999999), as Python's `datetime.microsecond`. */
  get microsecond(): number {
    return this.getUTCMilliseconds() * 1000 + this.#subMillisMicros;
  }

  /** ISO-8601 in UTC with six fractional digits (`toISOString()` keeps Date's three). */
  toISOStringMicros(): string {
    return `${isoMicros(this, this.#subMillisMicros)}Z`;
  }
}

/**
 * A Spark TIMESTAMP_NTZ: a wall-clock date-time without a time zone (Java's LocalDateTime). The
 * Date part's UTC fields (`getUTCHours()`...) are the wall-clock fields; `epochMicros` counts
 * microseconds as if that wall clock were UTC, as Spark stores it.
 */
export class LocalDateTime extends Date {
  readonly #subMillisMicros: number;

  constructor(epochMicros: bigint) {
    const [ms, sub] = splitMicros(epochMicros);
    super(ms);
    this.#subMillisMicros = sub;
  }

  /** Parses `2024-01-02T03:04:05.123456` (no zone). */
  static fromISO(text: string): LocalDateTime {
    return new LocalDateTime(parseMicros(text, false));
  }

  get epochMicros(): bigint {
    return BigInt(this.getTime()) * MICROS_PER_MS + BigInt(this.#subMillisMicros);
  }

  get microsecond(): number {
    return this.getUTCMilliseconds() * 1000 + this.#subMillisMicros;
  }

  /** `2024-01-02T03:04:05.123456` (no zone designator). */
  toISOStringMicros(): string {
    return isoMicros(this, this.#subMillisMicros);
  }
}

/** A Spark DATE: a calendar day without a time (Java's LocalDate), as a Date at 00:00 UTC. */
export class LocalDate extends Date {
  constructor(epochDays: number) {
    if (!Number.isInteger(epochDays)) throw new SparkValueError(`a LocalDate needs a whole number of days, got ${epochDays}`);
    super(epochDays * MS_PER_DAY);
  }

  /** The UTC calendar day of a Date (its time of day is dropped). */
  static fromDate(d: Date): LocalDate {
    return new LocalDate(Math.floor(d.getTime() / MS_PER_DAY));
  }

  /** Parses `2024-02-29`. */
  static fromISO(text: string): LocalDate {
    const m = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/.exec(text.trim());
    const ms = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(ms)) throw new SparkValueError(`not an ISO-8601 date (YYYY-MM-DD): ${JSON.stringify(text)}`);
    return new LocalDate(ms / MS_PER_DAY);
  }

  /** Days since 1970-01-01. */
  get epochDays(): number {
    return Math.floor(this.getTime() / MS_PER_DAY);
  }

  /** `2024-02-29`. */
  toISODateString(): string {
    return this.toISOString().slice(0, -14);
  }
}

/** An exact decimal number, for `lit()` and `createDataFrame` (collect() returns DECIMAL as a string). */
export class Decimal {
  /** The canonical digits, e.g. `-12.50` (scale kept, as Python's Decimal keeps it). */
  readonly value: string;
  /** Digits in total and after the point, as Spark's DecimalType counts them (precision >= scale, >= 1). */
  readonly precision: number;
  readonly scale: number;

  constructor(value: string | bigint | number) {
    const text = typeof value === 'number' ? numberText(value) : String(value).trim();
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new SparkValueError(`not a decimal number: ${JSON.stringify(String(value))}`);
    const sign = m[1] === '-' ? '-' : '';
    const int = (m[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
    const frac = m[3] ?? '';
    this.value = `${sign}${int}${frac ? `.${frac}` : ''}`;
    this.scale = frac.length;
    const digits = (int === '0' ? '' : int) + frac;
    this.precision = Math.max(digits.replace(/^0+(?=\d)/, '').length, this.scale, 1);
  }

  /** The unscaled value (`12.50` -> 1250n). */
  get unscaled(): bigint {
    return BigInt(this.value.replace('.', ''));
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new SparkValueError(`a decimal must be finite, got ${n}`);
  // Shortest round-trip digits, without exponent notation (1e21 -> 1000000000000000000000).
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** Spark's INTERVAL YEAR TO MONTH: a number of months. */
export class YearMonthInterval {
  constructor(readonly months: number) {
    if (!Number.isInteger(months) || months < -(2 ** 31) || months > 2 ** 31 - 1) {
      throw new SparkValueError(`an INTERVAL YEAR TO MONTH is a 32-bit number of months, got ${months}`);
    }
  }
}

/** Spark's INTERVAL DAY TO SECOND: exact microseconds (PySpark returns a `timedelta`). */
export class DayTimeInterval {
  constructor(readonly micros: bigint) {}

  /** The interval in milliseconds, rounded toward zero (a JS-friendly view; `micros` is exact). */
  toMillis(): number {
    return Number(this.micros / MICROS_PER_MS);
  }
}

/** Spark's legacy CalendarInterval (`INTERVAL 1 month 2 days 3 microseconds`): months, days, µs. */
export class CalendarInterval {
  constructor(
    readonly months: number,
    readonly days: number,
    readonly microseconds: bigint,
  ) {}
}
