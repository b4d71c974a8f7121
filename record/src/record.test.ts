// The contract's unit tests: property-based (fast-check) breakage of a valid record, checked against
// the validator the producer runs; and the README's lists equal to the rendering.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { README_FIELDS_MARKERS, README_REASONS_MARKERS, between, readmeFieldList, readmeReasonList } from './readme.js';
import { allReasons } from './reasons.js';
import { RECORD_FIELDS, recordJsonSchema, recordProblem } from './index.js';
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
