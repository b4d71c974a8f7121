import { describe, expect, it } from 'vitest';
import { generateUsers } from './source/synthetic-users.js';
import { RECORD_FIELDS, recordProblem, toIsoTimestamp, toUserRecord, type UserRecord } from './transform.js';

const AT = new Date('2026-01-02T03:04:05.678Z');

/** A user exactly as randomuser.me 1.4 returns it (GB: string postcode, string coordinates, null id.value). */
function apiUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    gender: 'female',
    name: { title: 'Ms', first: 'Ada', last: 'Lovelace' },
    location: {
      street: { number: 12, name: 'High Street' },
      city: 'London',
      state: 'Greater London',
      country: 'United Kingdom',
      postcode: 'SW1A 1AA',
      coordinates: { latitude: '-69.8246', longitude: '134.8719' },
      timezone: { offset: '0:00', description: 'London' },
    },
    email: 'ada.lovelace@example.com',
    login: { uuid: '7A0EB1A2-5b0a-4d8c-9a7e-3f1c2b4d5e6f', username: 'bluefox42', password: 'x' },
    dob: { date: '1993-07-20T09:44:18.674Z', age: 32 },
    registered: { date: '2013-03-06T02:13:24.000Z', age: 12 },
    phone: '017684 12345',
    cell: '07700 900123',
    id: { name: 'NINO', value: null },
    picture: { large: 'https://randomuser.me/api/portraits/women/1.jpg', medium: 'https://randomuser.me/api/portraits/med/women/1.jpg', thumbnail: 't' },
    nat: 'GB',
    ...overrides,
  };
}

function ok(user: unknown): UserRecord {
  const r = toUserRecord(user, AT);
  if (!r.ok) throw new Error(`expected valid, got: ${r.reason}`);
  return r.record;
}

function reason(user: unknown): string {
  const r = toUserRecord(user, AT);
  if (r.ok) throw new Error('expected invalid');
  return r.reason;
}

function withLocation(patch: Record<string, unknown>): Record<string, unknown> {
  const u = apiUser();
  return { ...u, location: { ...(u.location as Record<string, unknown>), ...patch } };
}

describe('toUserRecord', () => {
  it('maps a GB user to the flat record (string postcode, string coordinates, null id.value)', () => {
    expect(ok(apiUser())).toEqual({
      id: '7a0eb1a2-5b0a-4d8c-9a7e-3f1c2b4d5e6f',
      first_name: 'Ada',
      last_name: 'Lovelace',
      gender: 'female',
      address: '12 High Street, London, Greater London, United Kingdom',
      post_code: 'SW1A 1AA',
      email: 'ada.lovelace@example.com',
      username: 'bluefox42',
      dob: '1993-07-20T09:44:18.674Z',
      registered_date: '2013-03-06T02:13:24.000Z',
      phone: '017684 12345',
      picture: 'https://randomuser.me/api/portraits/med/women/1.jpg',
      latitude: -69.8246,
      longitude: 134.8719,
      nationality: 'GB',
      produced_at: '2026-01-02T03:04:05.678Z',
    });
  });

  it('emits fields in RECORD_FIELDS order (the JSON the consumers see)', () => {
    expect(Object.keys(ok(apiUser()))).toEqual(RECORD_FIELDS.map((f) => f.name));
  });

  it('turns numeric postcodes into strings (the Python tutorial crashed on int() of GB ones)', () => {
    expect(ok(withLocation({ postcode: 75001 })).post_code).toBe('75001');
    expect(ok(withLocation({ postcode: 'K1A 0B1' })).post_code).toBe('K1A 0B1');
  });

  it('accepts numeric coordinates as well as strings', () => {
    const r = ok(withLocation({ coordinates: { latitude: 45.5, longitude: '-73.56' } }));
    expect([r.latitude, r.longitude]).toEqual([45.5, -73.56]);
  });

  it('rejects non-numeric or out-of-range coordinates', () => {
    expect(reason(withLocation({ coordinates: { latitude: 'north', longitude: '1' } }))).toMatch(/latitude/);
    expect(reason(withLocation({ coordinates: { latitude: '91', longitude: '1' } }))).toMatch(/latitude/);
    expect(reason(withLocation({ coordinates: { latitude: '1', longitude: '' } }))).toMatch(/longitude/);
  });

  it('normalises timestamps with offsets to UTC ISO with milliseconds', () => {
    const r = ok({ ...apiUser(), dob: { date: '1990-01-01T01:00:00+01:00', age: 1 } });
    expect(r.dob).toBe('1990-01-01T00:00:00.000Z');
  });

  it('rejects dates that Date.parse would accept but are not ISO date-times', () => {
    expect(reason({ ...apiUser(), dob: { date: 'March 7, 1990', age: 1 } })).toMatch(/dob\.date not an ISO-8601/);
    expect(reason({ ...apiUser(), registered: { date: '2020-13-45T00:00:00Z', age: 1 } })).toMatch(/registered\.date/);
  });

  it('rejects a missing or malformed uuid (it is the Kafka key and primary key)', () => {
    expect(reason({ ...apiUser(), login: { username: 'x' } })).toMatch(/login\.uuid missing/);
    expect(reason({ ...apiUser(), login: { uuid: 'not-a-uuid', username: 'x' } })).toMatch(/login\.uuid not a UUID/);
  });

  it('lists every missing field in one reason', () => {
    const u = apiUser();
    delete u.email;
    delete u.name;
    const why = reason(u);
    expect(why).toMatch(/email missing/);
    expect(why).toMatch(/name\.first missing/);
    expect(why).toMatch(/name\.last missing/);
  });

  it('rejects wrong types and non-objects without throwing', () => {
    expect(reason({ ...apiUser(), email: 42 })).toMatch(/email not a non-empty string/);
    expect(reason(null)).toMatch(/missing/);
    expect(reason('user')).toMatch(/missing/);
    expect(reason([])).toMatch(/missing/);
  });

  it('accepts an empty state (some countries have none) but not an empty city', () => {
    expect(ok(withLocation({ state: '' })).address).toBe('12 High Street, London, , United Kingdom');
    expect(reason(withLocation({ city: '' }))).toMatch(/location\.city/);
  });

  it('accepts every synthetic user (they mimic the API, quirks included)', () => {
    const users = generateUsers('transform-test', 1, 500);
    for (const u of users) ok(u);
  });
});

describe('recordProblem', () => {
  it('accepts a transformed record, also after a JSON round trip', () => {
    const rec = ok(apiUser());
    expect(recordProblem(rec)).toBeUndefined();
    expect(recordProblem(JSON.parse(JSON.stringify(rec)))).toBeUndefined();
  });

  it('names the first offending field; extra fields are allowed', () => {
    const rec = ok(apiUser()) as unknown as Record<string, unknown>;
    expect(recordProblem({ ...rec, latitude: '1.5' })).toBe('latitude is not a number');
    expect(recordProblem({ ...rec, longitude: Number.NaN })).toBe('longitude is not a number');
    expect(recordProblem({ ...rec, produced_at: 'yesterday' })).toBe('produced_at is not an ISO-8601 string');
    expect(recordProblem({ ...rec, full_name: 'x' })).toBeUndefined();
    const { email: _e, ...noEmail } = rec;
    expect(recordProblem(noEmail)).toBe('email missing');
    expect(recordProblem([])).toBe('not a JSON object');
  });
});

describe('RECORD_FIELDS', () => {
  it('describes the record of DESIGN.md', () => {
    expect(Object.fromEntries(RECORD_FIELDS.map((f) => [f.name, f.kind]))).toEqual({
      id: 'uuid',
      first_name: 'string',
      last_name: 'string',
      gender: 'string',
      address: 'string',
      post_code: 'string',
      email: 'string',
      username: 'string',
      dob: 'timestamp',
      registered_date: 'timestamp',
      phone: 'string',
      picture: 'string',
      latitude: 'number',
      longitude: 'number',
      nationality: 'string',
      produced_at: 'timestamp',
    });
  });
});

describe('toIsoTimestamp', () => {
  it.each([
    ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z'],
    ['2020-01-01T00:00:00.123456Z', '2020-01-01T00:00:00.123Z'],
    ['2020-01-01T05:30:00+0530', '2020-01-01T00:00:00.000Z'],
  ])('%s -> %s', (input, out) => expect(toIsoTimestamp(input)).toBe(out));
  it.each(['2020-01-01', '2020-01-01T00:00:00', '2020-01-01T00:00Z', '2021-02-30T00:00:00Z', '2020-01-01T24:00:00Z', '1577836800000', '', 'nope'])(
    'rejects %j',
    (input) => expect(toIsoTimestamp(input)).toBeUndefined(),
  );
  it('rejects non-strings', () => expect(toIsoTimestamp(1577836800000)).toBeUndefined());
});
