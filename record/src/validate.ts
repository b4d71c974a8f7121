// The producer's side of the contract: the same rules, in the same order, as the Spark job's record
// function (jars/spark-extensions, given the contract by record/src/spark.ts), on a decoded JSON value.
import { ISO_8601_PATTERN, RECORD_FIELDS, UUID_PATTERN, type FieldSpec, type RecordFieldName, type UserRecord } from './fields.js';
import { MESSAGE_REASONS, fieldReasons } from './reasons.js';

const UUID_RE = new RegExp(UUID_PATTERN);
const ISO_RE = new RegExp(ISO_8601_PATTERN);

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}

/** The decimal number in v[from, from + n): the fields the pattern already proved to be digits. */
function digitsAt(v: string, from: number, n: number): number {
  let out = 0;
  for (let i = from; i < from + n; i++) out = out * 10 + v.charCodeAt(i) - 48;
  return out;
}

const DAY_MS = 86_400_000;

/**
 * Whether a string is an ISO-8601 date-time that is a real instant: the pattern, then Date.parse, then
 * the day of month (Date.parse rolls 2021-02-30 over to March; Spark refuses it, so refuse it here
 * too). The month's length comes from Date.UTC, as the calendar check always did (with Date.UTC's own
 * reading of years 0-99), without building Date objects or strings: every record has three timestamps.
 */
function isIsoInstant(v: string): boolean {
  const canonical = canonicalInstant(v);
  if (canonical !== undefined) return canonical;
  if (!ISO_RE.test(v) || !Number.isFinite(Date.parse(v))) return false;
  return dayExists(digitsAt(v, 0, 4), digitsAt(v, 5, 2), digitsAt(v, 8, 2));
}

function dayExists(year: number, month: number, day: number): boolean {
  return day <= (Date.UTC(year, month, 1) - Date.UTC(year, month - 1, 1)) / DAY_MS;
}

const ZERO = '0'.charCodeAt(0);
const NINE = '9'.charCodeAt(0);
/** The canonical form's separators (their positions and character codes) and the positions of its digits. */
const CANONICAL_SEPARATOR_AT = [4, 7, 10, 13, 16, 19, 23];
const CANONICAL_SEPARATOR = [...'--T::.Z'].map((c) => c.charCodeAt(0));
const CANONICAL_DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];

/**
 * Whether v, when it has the form toIsoTimestamp gives (YYYY-MM-DDTHH:MM:SS.mmmZ, which every record
 * this producer sends carries three times), is a real instant: the same answer as the pattern,
 * Date.parse and the day check, from character codes alone (those three took 4 % of the whole
 * producer's CPU in a profile of 600k synthetic records). undefined for any other form, which takes
 * the general path.
 */
function canonicalInstant(v: string): boolean | undefined {
  if (v.length !== 24) return undefined;
  for (let i = 0; i < CANONICAL_SEPARATOR_AT.length; i++) if (v.charCodeAt(CANONICAL_SEPARATOR_AT[i]!) !== CANONICAL_SEPARATOR[i]) return undefined;
  for (const at of CANONICAL_DIGIT_AT) {
    const c = v.charCodeAt(at);
    if (c < ZERO || c > NINE) return undefined;
  }
  const month = digitsAt(v, 5, 2);
  const day = digitsAt(v, 8, 2);
  if (month < 1 || month > 12 || day < 1 || digitsAt(v, 11, 2) > 23 || digitsAt(v, 14, 2) > 59 || digitsAt(v, 17, 2) > 59) return false;
  return dayExists(digitsAt(v, 0, 4), month, day);
}

/** Normalises an ISO-8601 date-time to UTC with milliseconds, or undefined when it is not one. */
export function toIsoTimestamp(v: unknown): string | undefined {
  if (typeof v !== 'string' || !isIsoInstant(v)) return undefined;
  return new Date(Date.parse(v)).toISOString();
}

function fieldProblem(field: FieldSpec, rec: Record<string, unknown>): string | undefined {
  const { name } = field;
  if (!Object.hasOwn(rec, name)) return fieldReasons.missing(name);
  const v = rec[name];
  if (v === null) return fieldReasons.null(name);
  switch (field.kind) {
    case 'uuid':
      return isUuid(v) ? undefined : fieldReasons.notUuid(name);
    case 'string':
      return typeof v === 'string' ? undefined : fieldReasons.notString(name);
    case 'timestamp':
      return typeof v === 'string' && isIsoInstant(v) ? undefined : fieldReasons.notIso(name);
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return fieldReasons.notNumber(name);
      return Math.abs(v) <= (field.limit ?? Number.POSITIVE_INFINITY) ? undefined : fieldReasons.outOfRange(name);
  }
}

/**
 * Why a decoded JSON value is not a conforming record (the reason the quarantine would give), or
 * undefined when it is one. Unknown extra fields are allowed. A key given twice in the text has its
 * last value here (JSON.parse), as in the record function.
 */
export function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return MESSAGE_REASONS.notObject;
  const rec = value as Record<string, unknown>;
  for (const field of RECORD_FIELDS) {
    const problem = fieldProblem(field, rec);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const FIELDS_BY_NAME = new Map<string, FieldSpec>(RECORD_FIELDS.map((f) => [f.name, f]));

/** Why one field's value breaks the contract (the reason recordProblem gives for it), or undefined: for diagnostics. */
export function recordFieldProblem(name: RecordFieldName, value: unknown): string | undefined {
  const field = FIELDS_BY_NAME.get(name);
  if (field === undefined) throw new Error(`no record field ${name}`);
  return fieldProblem(field, { [name]: value });
}

export function isUserRecord(value: unknown): value is UserRecord {
  return recordProblem(value) === undefined;
}
