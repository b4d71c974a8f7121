import { describe, expect, it } from 'vitest';
import { preparePage, serializeRecord } from './prepare.js';
import { generateUsers } from './source/synthetic-users.js';
import { recordProblem, toUserRecord, type UserRecord } from './transform.js';

const AT = '2026-01-02T03:04:05.678Z';

describe('preparePage', () => {
  it('keeps the valid users as their id and JSON, in source order, and says why each other one was refused', () => {
    const users: unknown[] = generateUsers('prepare', 1, 4);
    users.splice(1, 0, { login: { uuid: 'not-a-uuid' } });
    users.push(null);
    const page = preparePage(users, AT);
    expect(page.fetched).toBe(6);
    expect(page.invalid).toHaveLength(2);
    expect(page.invalid[0]).toMatch(/login\.uuid not a UUID/);
    expect(page.records).toHaveLength(4);
    const expected = users.flatMap((u) => {
      const r = toUserRecord(u, AT);
      return r.ok ? [r.record] : [];
    });
    expect(page.records.map((r) => JSON.parse(r.json) as UserRecord)).toEqual(expected);
    for (const r of page.records) {
      const record = JSON.parse(r.json) as UserRecord;
      expect(recordProblem(record)).toBeUndefined();
      expect(r.id).toBe(record.id);
      expect(record.produced_at).toBe(AT);
    }
  });

  it('serializes a record as JSON.parse reads it back, fields in the record order', () => {
    const r = toUserRecord(generateUsers('serialize', 1, 1)[0], AT);
    if (!r.ok) throw new Error(r.reason);
    const serialized = serializeRecord(r.record);
    expect(serialized.id).toBe(r.record.id);
    expect(Object.keys(JSON.parse(serialized.json) as object)).toEqual(Object.keys(r.record));
    expect(JSON.parse(serialized.json)).toEqual(r.record);
  });
});
