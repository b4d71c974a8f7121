// randomuser result -> the flat record every later stage agrees on. The record itself (fields, types,
// ranges, formats) and its validator live in @streamline/record, the one definition that the Spark
// job, the CQL, the Schema Registry schema and the README are rendered from.
import { isUuid, recordProblem, toIsoTimestamp, type UserRecord } from '@streamline/record';

export { RECORD_FIELDS, isUuid, recordProblem, toIsoTimestamp, type FieldKind, type RecordFieldName, type UserRecord } from '@streamline/record';

export type TransformResult = { ok: true; record: UserRecord } | { ok: false; reason: string };

/** Collects per-field problems so one log line says everything that is wrong with a user. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly root: unknown) {}

  get(path: string): unknown {
    let cur: unknown = this.root;
    for (const key of path.split('.')) {
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

  /** randomuser sends coordinates as strings; accept numbers too. */
  coordinate(path: string, limit: number): number {
    const v = this.get(path);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (Number.isFinite(n) && Math.abs(n) <= limit) return n;
    this.problems.push(`${path} ${v === undefined ? 'missing' : `not a number within ±${limit}: ${JSON.stringify(v)}`}`);
    return 0;
  }

  timestamp(path: string): string {
    const v = this.get(path);
    const iso = toIsoTimestamp(v);
    if (iso !== undefined) return iso;
    this.problems.push(`${path} ${v === undefined ? 'missing' : `not an ISO-8601 date-time: ${JSON.stringify(v)}`}`);
    return '';
  }

  uuid(path: string): string {
    const v = this.get(path);
    if (isUuid(v)) return v.toLowerCase();
    this.problems.push(`${path} ${v === undefined ? 'missing' : `not a UUID: ${JSON.stringify(v)}`}`);
    return '';
  }
}

/**
 * Maps one randomuser result to a UserRecord. Takes `unknown` on purpose: the API's documented
 * shape is not a guarantee (postcode types vary, id.value is null, coordinates are strings).
 * `producedAt` is passed in so a whole batch shares one timestamp and tests are deterministic.
 */
export function toUserRecord(result: unknown, producedAt: Date): TransformResult {
  const r = new Reader(result);
  const record: UserRecord = {
    id: r.uuid('login.uuid'),
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
    dob: r.timestamp('dob.date'),
    registered_date: r.timestamp('registered.date'),
    phone: r.str('phone', { allowEmpty: true }),
    picture: r.str('picture.medium'),
    latitude: r.coordinate('location.coordinates.latitude', 90),
    longitude: r.coordinate('location.coordinates.longitude', 180),
    nationality: r.str('nat'),
    produced_at: producedAt.toISOString(),
  };
  if (r.problems.length > 0) return { ok: false, reason: r.problems.join('; ') };
  const problem = recordProblem(record);
  return problem === undefined ? { ok: true, record } : { ok: false, reason: problem };
}
