// The producer's side of the contract: the same rules, in the same order, as the Spark
// classification (record/src/spark.ts), on a decoded JSON value.
import { ISO_8601_PATTERN, RECORD_FIELDS, UUID_PATTERN, type FieldSpec, type UserRecord } from './fields.js';
import { MESSAGE_REASONS, fieldReasons } from './reasons.js';

const UUID_RE = new RegExp(UUID_PATTERN);
const ISO_RE = new RegExp(ISO_8601_PATTERN);

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}

/** Normalises an ISO-8601 date-time to UTC with milliseconds, or undefined when it is not one. */
export function toIsoTimestamp(v: unknown): string | undefined {
  if (typeof v !== 'string' || !ISO_RE.test(v)) return undefined;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) return undefined;
  // Date.parse rolls 2021-02-30 over to March; Spark refuses it. Refuse it here too.
  const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return undefined;
  return new Date(ms).toISOString();
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
      return toIsoTimestamp(v) === undefined ? fieldReasons.notIso(name) : undefined;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return fieldReasons.notNumber(name);
      return Math.abs(v) <= (field.limit ?? Number.POSITIVE_INFINITY) ? undefined : fieldReasons.outOfRange(name);
  }
}

/**
 * Why a decoded JSON value is not a conforming record (the reason the quarantine would give), or
 * undefined when it is one. Unknown extra fields are allowed. A key given twice in the text has its
 * last value here (JSON.parse), as in Spark's parse; Spark is stricter only where the two values have
 * different JSON types (record/src/spark.ts; the golden cases marked "!" in tests/integration/spark-job).
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

export function isUserRecord(value: unknown): value is UserRecord {
  return recordProblem(value) === undefined;
}
