// The contract's unit tests: property-based (fast-check) breakage of a valid record, checked against
// the validator the producer runs; and the README's lists equal to the rendering.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { README_FIELDS_MARKERS, README_REASONS_MARKERS, between, readmeFieldList, readmeReasonList } from './readme.js';
import { allReasons } from './reasons.js';
import {
  ISO_8601_PATTERN,
  RECORD_FIELDS,
  RECORD_RESULT_FIELDS,
  UUID_PATTERN,
  recordContractJson,
  recordJsonSchema,
  recordProblem,
  toIsoTimestamp,
} from './index.js';
import { breakages, validRecordArb } from './testing.js';

describe('recordProblem', () => {
  it('accepts every generated valid record, with extra fields and an upper-case id', () => {
    fc.assert(
      fc.property(validRecordArb(), (rec) => {
        expect(recordProblem(rec)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('names the broken field for every way the contract forbids, whatever the valid record', () => {
    fc.assert(
      fc.property(validRecordArb(), fc.constantFrom(...breakages()), (rec, b) => {
        const broken = b.apply(rec);
        if (broken.kind !== 'object') return; // message-level breakages are Spark's (tests/integration/spark-job)
        expect(recordProblem(broken.value)).toBe(b.reason);
      }),
      { numRuns: 2000 },
    );
  });

  it('reports the FIRST offending field in record order', () => {
    fc.assert(
      fc.property(validRecordArb(), fc.uniqueArray(fc.integer({ min: 0, max: RECORD_FIELDS.length - 1 }), { minLength: 2, maxLength: 4 }), (rec, idx) => {
        const broken: Record<string, unknown> = { ...rec };
        for (const i of idx) delete broken[RECORD_FIELDS[i]!.name];
        expect(recordProblem(broken)).toBe(`${RECORD_FIELDS[Math.min(...idx)]!.name} missing`);
      }),
    );
  });

  it('refuses non-objects', () => {
    for (const v of [null, [], 'x', 1, true]) expect(recordProblem(v)).toBe('not a JSON object');
  });

  it('every breakage reason is in the vocabulary, and every field reason is produced by some breakage', () => {
    const produced = new Set(breakages().map((b) => b.reason));
    for (const r of produced) expect(allReasons()).toContain(r);
    for (const r of allReasons()) expect(produced).toContain(r);
  });
});

describe('toIsoTimestamp', () => {
  /** The calendar check as first written (a Date probe per call): the allocation-free one must agree with it. */
  function probeDefinition(v: string): string | undefined {
    if (!new RegExp(ISO_8601_PATTERN).test(v)) return undefined;
    const ms = Date.parse(v);
    if (!Number.isFinite(ms)) return undefined;
    const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return undefined;
    return new Date(ms).toISOString();
  }

  it('agrees with the Date-probe definition on every day 01-31 of every month of edge years, and on arbitrary strings', () => {
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    const inputs: string[] = [];
    for (const year of [0, 4, 99, 100, 400, 1900, 1945, 2000, 2023, 2024, 2100, 9999])
      for (let month = 1; month <= 12; month++)
        for (let day = 1; day <= 31; day++)
          for (const time of [
            'T00:00:00Z',
            'T23:59:59.999999999+17:59',
            'T12:30:00-0500',
            'T00:00:00.000Z',
            'T23:59:59.999Z',
            'T24:00:00.000Z',
            'T23:60:00.000Z',
            'T23:59:60.000Z',
          ])
            inputs.push(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${time}`);
    expect(inputs.map(toIsoTimestamp)).toEqual(inputs.map(probeDefinition));
    fc.assert(
      fc.property(fc.string(), (v) => {
        expect(toIsoTimestamp(v)).toBe(probeDefinition(v));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with it on the canonical form (YYYY-MM-DDTHH:MM:SS.mmmZ, checked from character codes) whatever its digits', () => {
    // Each field just around its valid range (so every bound is met and crossed), or any digits.
    const field = (width: number, max: number) =>
      fc.oneof(
        fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0')),
        fc.stringMatching(new RegExp(`^[0-9]{${width}}$`)),
      );
    fc.assert(
      fc.property(field(4, 9999), field(2, 13), field(2, 32), field(2, 24), field(2, 60), field(2, 60), field(3, 999), (y, mo, d, h, mi, s, ms) => {
        const v = `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
        expect(toIsoTimestamp(v)).toBe(probeDefinition(v));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('renderings', () => {
  it('the JSON Schema requires exactly the record fields, in order', () => {
    const s = recordJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    expect(s.required).toEqual(RECORD_FIELDS.map((f) => f.name));
    expect(Object.keys(s.properties)).toEqual(s.required);
  });

  it("README.md's field and reason lists are the rendering (between the record:* markers)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(between(readme, README_FIELDS_MARKERS)).toBe(readmeFieldList().trim());
    expect(between(readme, README_REASONS_MARKERS)).toBe(readmeReasonList());
  });
});

describe("the contract handed to the Spark job's record function", () => {
  const contract = JSON.parse(recordContractJson()) as {
    fields: { name: string; kind: string; limit?: number }[];
    patterns: Record<string, string>;
    reasons: Record<string, string>;
  };

  it('lists every field in record order, with its kind and limit, and the two patterns', () => {
    expect(contract.fields).toEqual(RECORD_FIELDS.map((f) => ({ name: f.name, kind: f.kind, ...('limit' in f ? { limit: f.limit } : {}) })));
    expect(contract.patterns).toEqual({ uuid: UUID_PATTERN, timestamp: ISO_8601_PATTERN });
  });

  it('renders, field by field, exactly the reasons the README lists (the function fills {field} in)', () => {
    const rendered = [
      ...['empty', 'notUtf8', 'notObject', 'trailing'].map((k) => contract.reasons[k]),
      ...RECORD_FIELDS.flatMap((f) => {
        const kind = { uuid: ['notUuid'], string: ['notString'], timestamp: ['notIso'], number: ['notNumber', 'outOfRange'] }[f.kind];
        return ['missing', 'null', ...kind].map((k) => contract.reasons[k]!.replaceAll('{field}', f.name));
      }),
    ];
    expect(rendered).toEqual(allReasons());
  });

  it('types the result: the reason, then each field as Spark stores it', () => {
    expect(RECORD_RESULT_FIELDS[0]).toEqual(['reason', 'STRING']);
    expect(Object.fromEntries(RECORD_RESULT_FIELDS.slice(1))).toMatchObject({ id: 'STRING', dob: 'TIMESTAMP', latitude: 'DOUBLE', phone: 'STRING' });
    expect(RECORD_RESULT_FIELDS.slice(1).map(([name]) => name)).toEqual(RECORD_FIELDS.map((f) => f.name));
  });
});
