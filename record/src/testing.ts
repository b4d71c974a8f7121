// Test support: valid records (fast-check) and every way of breaking one that the contract forbids,
// each with the reason the quarantine must give. Used by the unit tests (against the producer's
// validator), the golden SQL tests and the end-to-end contract test (against the real pipeline).
import fc from 'fast-check';
import { RECORD_FIELDS, type FieldSpec, type UserRecord } from './fields.js';
import { MESSAGE_REASONS, fieldReasons } from './reasons.js';

const mixedCase = (s: string, flips: boolean[]): string => [...s].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('');

/** Strings that also look like JSON literals, so the classification's type probes are exercised. */
const text = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer({ min: 0, max: 99999 }).map(String),
    fc.constantFrom('{not json}', '[x]', 'true', 'false', '-1', '"q"', 'é ü 漢字'),
  );

const timestamp = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), fc.boolean())
    .map(([d, offset]) => (offset ? d.toISOString().replace(/\.\d{3}Z$/, '+05:30') : d.toISOString()));

function fieldArb(f: FieldSpec): fc.Arbitrary<unknown> {
  switch (f.kind) {
    case 'uuid':
      return fc.tuple(fc.uuid(), fc.array(fc.boolean(), { minLength: 1, maxLength: 4 })).map(([u, flips]) => mixedCase(u, flips));
    case 'string':
      return text();
    case 'timestamp':
      return timestamp();
    case 'number':
      return fc.double({ min: -(f.limit ?? 1e9), max: f.limit ?? 1e9, noNaN: true, noDefaultInfinity: true });
  }
}

/** A conforming record; sometimes with unknown extra fields (allowed). */
export function validRecordArb(): fc.Arbitrary<UserRecord & Record<string, unknown>> {
  const fields = Object.fromEntries(RECORD_FIELDS.map((f) => [f.name, fieldArb(f)])) as Record<string, fc.Arbitrary<unknown>>;
  return fc
    .tuple(fc.record(fields), fc.option(fc.constantFrom({ extra: 1 }, { nested: { id: 5, first_name: 7 } }, { tags: ['a', 'b'] }), { nil: undefined }))
    .map(([rec, extra]) => ({ ...rec, ...(extra ?? {}) }) as UserRecord & Record<string, unknown>);
}

export type Broken = { kind: 'object'; value: unknown } | { kind: 'bytes'; value: Buffer };

export interface Breakage {
  /** Short name, usable as a Kafka key prefix. */
  readonly name: string;
  readonly reason: string;
  apply(record: Record<string, unknown>): Broken;
}

const set =
  (f: string, v: unknown) =>
  (rec: Record<string, unknown>): Broken => ({ kind: 'object', value: { ...rec, [f]: v } });
const bytes =
  (b: (json: string) => Buffer | string) =>
  (rec: Record<string, unknown>): Broken => {
    const out = b(JSON.stringify(rec));
    return { kind: 'bytes', value: typeof out === 'string' ? Buffer.from(out, 'utf8') : out };
  };

function wrongValues(f: FieldSpec): [string, unknown, string][] {
  const n = f.name;
  switch (f.kind) {
    case 'uuid':
      return [
        ['number', 1, fieldReasons.notUuid(n)],
        ['object', { a: 1 }, fieldReasons.notUuid(n)],
        ['bad', 'not-a-uuid', fieldReasons.notUuid(n)],
        ['bool', true, fieldReasons.notUuid(n)],
      ];
    case 'string':
      return [
        ['number', 12, fieldReasons.notString(n)],
        ['object', { a: 1 }, fieldReasons.notString(n)],
        ['array', [1], fieldReasons.notString(n)],
        ['bool', true, fieldReasons.notString(n)],
      ];
    case 'timestamp':
      return [
        ['number', 0, fieldReasons.notIso(n)],
        ['words', 'yesterday', fieldReasons.notIso(n)],
        ['feb30', '2021-02-30T00:00:00Z', fieldReasons.notIso(n)],
        ['date-only', '2020-01-01', fieldReasons.notIso(n)],
        ['object', { a: 1 }, fieldReasons.notIso(n)],
      ];
    case 'number':
      return [
        ['string', '12.5', fieldReasons.notNumber(n)],
        ['object', { a: 1 }, fieldReasons.notNumber(n)],
        ['bool', true, fieldReasons.notNumber(n)],
        ['too-big', (f.limit ?? 0) + 1, fieldReasons.outOfRange(n)],
        ['too-small', -(f.limit ?? 0) - 0.5, fieldReasons.outOfRange(n)],
      ];
  }
}

/** Every breakage: per field (missing, null, each wrong type/format/range), then message-level ones. */
export function breakages(): Breakage[] {
  const perField = RECORD_FIELDS.flatMap((f): Breakage[] => [
    {
      name: `${f.name}-missing`,
      reason: fieldReasons.missing(f.name),
      apply: (rec) => {
        const { [f.name]: _dropped, ...rest } = rec;
        return { kind: 'object', value: rest };
      },
    },
    { name: `${f.name}-null`, reason: fieldReasons.null(f.name), apply: set(f.name, null) },
    ...wrongValues(f).map(([what, v, reason]): Breakage => ({ name: `${f.name}-${what}`, reason, apply: set(f.name, v) })),
  ]);
  return [
    ...perField,
    { name: 'trailing-junk', reason: MESSAGE_REASONS.trailing, apply: bytes((j) => `${j} x`) },
    { name: 'trailing-object', reason: MESSAGE_REASONS.trailing, apply: bytes((j) => `${j}{"a":1}`) },
    { name: 'trailing-bracket', reason: MESSAGE_REASONS.trailing, apply: bytes((j) => `${j}]{"a":1}`) },
    { name: 'trailing-comma', reason: MESSAGE_REASONS.trailing, apply: bytes((j) => `${j}, 1`) },
    { name: 'trailing-brace', reason: MESSAGE_REASONS.trailing, apply: bytes((j) => `${j} }`) },
    { name: 'empty', reason: MESSAGE_REASONS.empty, apply: bytes(() => '') },
    {
      name: 'not-utf8',
      reason: MESSAGE_REASONS.notUtf8,
      apply: bytes((j) => Buffer.concat([Buffer.from(j.slice(0, -1)), Buffer.from(',"x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])),
    },
    { name: 'array', reason: MESSAGE_REASONS.notObject, apply: bytes((j) => `[${j}]`) },
    { name: 'truncated', reason: MESSAGE_REASONS.notObject, apply: bytes((j) => j.slice(0, Math.floor(j.length / 2))) },
    { name: 'string', reason: MESSAGE_REASONS.notObject, apply: bytes(() => '"user"') },
  ];
}

/** The bytes of a broken record as a Kafka value. */
export function brokenBytes(b: Broken): Buffer {
  return b.kind === 'bytes' ? b.value : Buffer.from(JSON.stringify(b.value), 'utf8');
}
