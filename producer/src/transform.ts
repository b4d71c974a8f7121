// randomuser result -> the flat record every later stage (Kafka message, Spark schema, Cassandra
// table) agrees on. RECORD_FIELDS is the single description of that record: the TypeScript type
// below is derived from it, and the Spark job / CQL table are cross-checked against it in tests.

export type FieldType = 'uuid' | 'string' | 'double' | 'timestamp';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
}

/** Record fields in message order. `id` (= login.uuid) is the Kafka key and the Cassandra primary key. */
export const RECORD_FIELDS = [
  { name: 'id', type: 'uuid' },
  { name: 'first_name', type: 'string' },
  { name: 'last_name', type: 'string' },
  { name: 'gender', type: 'string' },
  { name: 'address', type: 'string' },
  { name: 'post_code', type: 'string' },
  { name: 'email', type: 'string' },
  { name: 'username', type: 'string' },
  { name: 'dob', type: 'timestamp' },
  { name: 'registered_date', type: 'timestamp' },
  { name: 'phone', type: 'string' },
  { name: 'picture', type: 'string' },
  { name: 'latitude', type: 'double' },
  { name: 'longitude', type: 'double' },
  { name: 'nationality', type: 'string' },
  { name: 'produced_at', type: 'timestamp' },
] as const satisfies readonly FieldSpec[];

export type RecordFieldName = (typeof RECORD_FIELDS)[number]['name'];

/** JSON representation per field type: uuids and timestamps travel as strings (ISO-8601 for timestamps). */
type JsonOf<T extends FieldType> = T extends 'double' ? number : string;

export type UserRecord = {
  [F in (typeof RECORD_FIELDS)[number] as F['name']]: JsonOf<F['type']>;
};

export type TransformResult = { ok: true; record: UserRecord } | { ok: false; reason: string };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Full ISO-8601 date-time with zone; Date.parse alone accepts far too much ("1", "March 7").
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}

/** Normalises an ISO-8601 date-time to UTC with milliseconds, or undefined when it is not one. */
export function toIsoTimestamp(v: unknown): string | undefined {
  if (typeof v !== 'string' || !ISO_RE.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

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

/**
 * Validates a record right before it is sent (also usable by consumers/tests on decoded JSON):
 * every field present with the right JSON type, uuid format, finite numbers, ISO timestamps.
 */
export function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const rec = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const { name, type } of RECORD_FIELDS) {
    const v = rec[name];
    switch (type) {
      case 'uuid':
        if (!isUuid(v)) problems.push(`${name} not a UUID`);
        break;
      case 'double':
        if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${name} not a finite number`);
        break;
      case 'timestamp':
        if (toIsoTimestamp(v) === undefined) problems.push(`${name} not an ISO-8601 timestamp`);
        break;
      case 'string':
        if (typeof v !== 'string') problems.push(`${name} not a string`);
        break;
    }
  }
  const extra = Object.keys(rec).filter((k) => !RECORD_FIELDS.some((f) => f.name === k));
  if (extra.length > 0) problems.push(`unexpected field(s) ${extra.join(', ')}`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}
