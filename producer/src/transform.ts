// randomuser result -> the flat record every later stage agrees on. The record itself (fields, types,
// ranges, formats) and its validator live in @streamline/record, the one definition that the Spark
// job, the CQL, the Schema Registry schema and the README are rendered from.
import { recordFieldProblem, recordProblem, toIsoTimestamp, type RecordFieldName, type UserRecord } from '@streamline/record';

export { RECORD_FIELDS, isUuid, recordProblem, toIsoTimestamp, type FieldKind, type RecordFieldName, type UserRecord } from '@streamline/record';

export type TransformResult = { ok: true; record: UserRecord } | { ok: false; reason: string };

/** Each path's keys, split once (toUserRecord reads 17 paths of every user). */
const PATHS = new Map<string, readonly string[]>();
const keysOf = (path: string): readonly string[] => {
  let keys = PATHS.get(path);
  if (keys === undefined) PATHS.set(path, (keys = path.split('.')));
  return keys;
};

/** The form toIsoTimestamp gives; a value already in it needs no normalising (recordProblem still checks it). */
const CANONICAL_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\d\dZ$/;

/** A value the contract still has to judge: where it came from, and its place among the problems. */
interface Deferred {
  readonly at: number;
  readonly field: RecordFieldName;
  readonly path: string;
  readonly value: unknown;
}

/**
 * Reads randomuser's shape: collects per-path problems of presence and type (so one log line says
 * everything that is missing), and normalises values to the record's form. Whether the values meet
 * the record's contract (UUID, ISO-8601 instant, coordinate range) is left to recordProblem, which
 * checks each record once. A diagnosing reader also remembers in `deferred` where those values came
 * from, for the reason; only refused users are read that way (see toUserRecord).
 */
class Reader {
  readonly problems: string[] = [];
  readonly deferred: Deferred[] | undefined;
  constructor(
    private readonly root: unknown,
    diagnose: boolean,
  ) {
    this.deferred = diagnose ? [] : undefined;
  }

  get(path: string): unknown {
    let cur: unknown = this.root;
    for (const key of keysOf(path)) {
      if (typeof cur !== 'object' || cur === null) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
  }

  str(path: string, { allowEmpty = false } = {}): string {
    const v = this.get(path);
    if (typeof v === 'string' && (allowEmpty || v.trim() !== '')) return v;
    this.problems.push(`${path} ${v === undefined ? 'missing' : `not a ${allowEmpty ? '' : 'non-empty '}string`}`);
    return '';
  }

  /** Strings or finite numbers, as a string (street numbers, post codes). */
  text(path: string): string {
    const v = this.get(path);
    if (typeof v === 'string') return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    this.problems.push(`${path} ${v === undefined ? 'missing' : 'not a string or number'}`);
    return '';
  }

  /** A present value for a contract-checked field, remembered with its path and its place in the reason. */
  private present(field: RecordFieldName, path: string): unknown {
    const v = this.get(path);
    if (v === undefined) this.problems.push(`${path} missing`);
    else this.deferred?.push({ at: this.problems.length, field, path, value: v });
    return v;
  }

  /** randomuser sends coordinates as strings; accept numbers too (NaN for anything else: recordProblem names it). */
  coordinate(field: RecordFieldName, path: string): number {
    const v = this.present(field, path);
    return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  }

  /** Normalised to UTC with milliseconds when it parses; otherwise passed on as it is, for recordProblem to refuse. */
  timestamp(field: RecordFieldName, path: string): unknown {
    const v = this.present(field, path);
    if (typeof v !== 'string' || CANONICAL_TIMESTAMP.test(v)) return v;
    return toIsoTimestamp(v) ?? v;
  }

  /** Stored lower-case (the Kafka key and primary key). */
  uuid(field: RecordFieldName, path: string): unknown {
    const v = this.present(field, path);
    return typeof v === 'string' ? v.toLowerCase() : v;
  }

  /**
   * Every problem in reading order, the contract's ones (e.g. "id is not a UUID") with the randomuser
   * path and value they came from ("login.uuid not a UUID: ..."). Only for users already refused.
   */
  reason(candidate: Record<RecordFieldName, unknown>, problem: string | undefined): string {
    const out: string[] = [];
    let next = 0;
    for (const d of this.deferred ?? []) {
      out.push(...this.problems.slice(next, d.at));
      next = d.at;
      const why = recordFieldProblem(d.field, candidate[d.field]);
      if (why !== undefined) out.push(`${d.path} ${why.slice(d.field.length + 1).replace(/^is /, '')}: ${JSON.stringify(d.value)}`);
    }
    out.push(...this.problems.slice(next));
    return out.length > 0 ? out.join('; ') : (problem ?? 'not a valid record');
  }
}

/**
 * Maps one randomuser result to a UserRecord. Takes `unknown` on purpose: the API's documented
 * shape is not a guarantee (postcode types vary, id.value is null, coordinates are strings).
 * `producedAt` is passed in so a whole batch shares one timestamp and tests are deterministic; the
 * producer passes it as ISO text, formatted once per batch.
 */
export function toUserRecord(result: unknown, producedAt: Date | string): TransformResult {
  const at = typeof producedAt === 'string' ? producedAt : producedAt.toISOString();
  const reader = new Reader(result, false);
  const candidate = readCandidate(reader, at);
  // The one check of the record's contract (@streamline/record), the same the Spark job applies.
  if (reader.problems.length === 0 && recordProblem(candidate) === undefined) return { ok: true, record: candidate as UserRecord };
  // Refused: read it again remembering where every value came from, so the reason can name the paths.
  // Only refused users pay for that bookkeeping: with the contract's fast path for canonical
  // timestamps, toUserRecord went from 4.2 to 3.65 µs per synthetic user (50k users × 4, one process each).
  const diagnosing = new Reader(result, true);
  const again = readCandidate(diagnosing, at);
  return { ok: false, reason: diagnosing.reason(again, diagnosing.problems.length > 0 ? undefined : recordProblem(again)) };
}

/** The record's fields read from one randomuser result, not yet checked against the contract. */
function readCandidate(r: Reader, producedAt: string): Record<RecordFieldName, unknown> {
  return {
    id: r.uuid('id', 'login.uuid'),
    first_name: r.str('name.first'),
    last_name: r.str('name.last'),
    gender: r.str('gender', { allowEmpty: true }),
    address: [
      `${r.text('location.street.number')} ${r.str('location.street.name')}`.trim(),
      r.str('location.city'),
      r.str('location.state', { allowEmpty: true }),
      r.str('location.country'),
    ].join(', '),
    post_code: r.text('location.postcode'),
    email: r.str('email'),
    username: r.str('login.username'),
    dob: r.timestamp('dob', 'dob.date'),
    registered_date: r.timestamp('registered_date', 'registered.date'),
    phone: r.str('phone', { allowEmpty: true }),
    picture: r.str('picture.medium'),
    latitude: r.coordinate('latitude', 'location.coordinates.latitude'),
    longitude: r.coordinate('longitude', 'location.coordinates.longitude'),
    nationality: r.str('nat'),
    produced_at: producedAt,
  };
}
