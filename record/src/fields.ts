// The record: every field of one Kafka message value, defined once. The producer's validator, the
// contract the Spark job's record function enforces, the CQL columns, the Schema Registry JSON Schema
// and the README's field list are all rendered from this list (record/src/*.ts), so they cannot drift
// apart.

/** How a field travels in JSON and what it must satisfy. */
export type FieldKind =
  | 'uuid' // a JSON string matching UUID_PATTERN (any case; stored lower-case)
  | 'string' // a JSON string
  | 'timestamp' // a JSON string matching ISO_8601_PATTERN that is a real instant
  | 'number'; // a finite JSON number within ±limit

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** For numbers: the absolute value may not exceed this. */
  readonly limit?: number;
  /** One line for the README. */
  readonly doc: string;
}

/** Record fields in message order; the first offending field in this order is the one a reason names. */
export const RECORD_FIELDS = [
  { name: 'id', kind: 'uuid', doc: "randomuser's `login.uuid`, the Kafka key and primary key: a re-sent user is an upsert" },
  { name: 'first_name', kind: 'string', doc: 'given name' },
  { name: 'last_name', kind: 'string', doc: 'family name' },
  { name: 'gender', kind: 'string', doc: 'as randomuser gives it (may be empty)' },
  { name: 'address', kind: 'string', doc: '"number street, city, state, country"' },
  { name: 'post_code', kind: 'string', doc: 'always text: GB/CA postcodes are strings, most others numbers' },
  { name: 'email', kind: 'string', doc: 'e-mail address' },
  { name: 'username', kind: 'string', doc: 'login name' },
  { name: 'dob', kind: 'timestamp', doc: 'date of birth' },
  { name: 'registered_date', kind: 'timestamp', doc: 'registration time' },
  { name: 'phone', kind: 'string', doc: 'phone number as written (may be empty)' },
  { name: 'picture', kind: 'string', doc: 'URL of the medium picture' },
  { name: 'latitude', kind: 'number', limit: 90, doc: 'degrees' },
  { name: 'longitude', kind: 'number', limit: 180, doc: 'degrees' },
  { name: 'nationality', kind: 'string', doc: 'randomuser `nat` code' },
  { name: 'produced_at', kind: 'timestamp', doc: 'when the producer sent it (ms precision, for latency)' },
] as const satisfies readonly FieldSpec[];

export type RecordField = (typeof RECORD_FIELDS)[number];
export type RecordFieldName = RecordField['name'];

type JsonOf<K extends FieldKind> = K extends 'number' ? number : string;

/** A conforming record as JSON values. */
export type UserRecord = { [F in RecordField as F['name']]: JsonOf<F['kind']> };

/**
 * Both patterns are written in the common subset of JavaScript and Java regular expressions: the
 * producer and the Spark job's record function (java.util.regex) test the very same text.
 */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * A full ISO-8601 date-time with a zone. Field ranges are in the pattern (month 01-12, hour 00-23,
 * offset below ±18:00) so that the producer (Date) and the record function (java.time) agree on what
 * is an instant; only day-of-month overflow (Feb 30) is left to the calendar check on each side.
 */
export const ISO_8601_PATTERN =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-7]):?[0-5][0-9])$';
