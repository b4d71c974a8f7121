// The classification (the record function of jars/spark-extensions with the contract rendered by
// record/src/spark.ts, applied by spark-job's `classify`) on the real Spark Connect server, over literal
// rows: golden cases from golden/classification.cases (adding a case is adding a line), plus every
// generated breakage of generated valid records, all in one batch each.
import { setting } from '@streamline/core';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { SparkSession } from 'spark-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_REASONS, recordProblem } from '@streamline/record';
import { breakages, brokenBytes, validRecordArb } from '@streamline/record/testing';
import {
  BATCH_TIMESTAMP_SQL,
  buildPipelinePlan,
  classify,
  pipelineDefaults,
  registerRecordFunction,
  toPipelineConfig,
  userColumnsSql,
} from '@streamline/spark-job';
import { RECORD_FUNCTION } from '@streamline/record';

const spark = SparkSession.builder().remote(setting(process.env, 'SPARK_REMOTE')).create();
beforeAll(() => registerRecordFunction(spark));
afterAll(() => spark.close());

/** Microseconds since the epoch of an ISO_8601_PATTERN timestamp, computed here (proleptic Gregorian, fraction truncated to µs as Spark does). */
function epochMicros(ts: string): bigint {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):?(\d{2}))$/.exec(ts);
  if (!m) throw new Error(`not a timestamp: ${ts}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // Days from 0000-03-01-based eras (H. Hinnant's days_from_civil).
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  const offset = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10]) * 60);
  const fraction = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  return BigInt(days * 86400 + h * 3600 + mi * 60 + s - offset) * 1_000_000n + fraction;
}

const RECORD = {
  id: '7a0eb1a2-5b0a-4d8c-9a7e-3f1c2b4d5e6f',
  first_name: 'Ada',
  last_name: 'Lovelace',
  gender: 'female',
  address: '12 High Street, London, Greater London, United Kingdom',
  post_code: 'SW1A 1AA',
  email: 'ada@example.com',
  username: 'bluefox42',
  dob: '1993-07-20T09:44:18.674Z',
  registered_date: '2013-03-06T02:13:24.000Z',
  phone: '017684 12345',
  picture: 'https://randomuser.me/api/portraits/med/women/1.jpg',
  latitude: -69.8246,
  longitude: 134.8719,
  nationality: 'GB',
  produced_at: '2026-01-02T03:04:05.678Z',
};

/** {R}, {R:f=json} (JSON text spliced in as is, so NaN/1e400 stay literal), {R:-f}. */
function expand(text: string): Buffer | null {
  if (text === 'null') return null;
  if (text.startsWith('hex:')) return Buffer.from(text.slice(4), 'hex');
  const body = text
    .replaceAll('\\n', '\n')
    .replace(/\{R(?::(-?)([a-z_]+)(?:=(.*))?)?\}(?=\s*(?:$|[\]}, x{]))/, (_m, minus: string, field?: string, json?: string) => {
      if (field === undefined) return JSON.stringify(RECORD);
      const rest = Object.entries(RECORD)
        .filter(([k]) => k !== field)
        .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
      if (minus !== '-') rest.push(`${JSON.stringify(field)}:${json}`);
      return `{${rest.join(',')}}`;
    });
  return Buffer.from(body, 'utf8');
}

interface Case {
  key: string;
  value: Buffer | null;
  expected: string | null;
  /** A golden case given as text (not hex, not null). */
  text?: boolean;
}

function goldenCases(): Case[] {
  return readFileSync(new URL('golden/classification.cases', import.meta.url), 'utf8')
    .split('\n')
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim() !== '' && !line.startsWith('#'))
    .map(({ line, i }) => {
      const sep = line.indexOf(' | ');
      const reason = line.slice(0, sep).trim();
      const text = line.slice(sep + 3);
      return {
        key: `line ${i + 1}`,
        value: expand(text),
        expected: reason === 'VALID' ? null : reason,
        text: text !== 'null' && !text.startsWith('hex:'),
      };
    });
}

/** One batch: the cases as literal rows, classified; returns key -> [reason, typed columns]. */
async function classifyAll(cases: Case[]): Promise<Map<string, { reason: string | null; id: unknown; dob: unknown }>> {
  const values = cases.map((c, n) => `(${n}, ${c.value === null ? 'CAST(NULL AS STRING)' : `'${c.value.toString('hex')}'`})`).join(', ');
  const df = classify(spark.sql(`SELECT n, unhex(h) AS value FROM VALUES ${values} AS t(n, h)`));
  const cols = userColumnsSql().filter((c) => / AS (id|dob)$/.test(c));
  const rows = await df.selectExpr('n', 'rejection_reason', ...cols).collect();
  expect(rows).toHaveLength(cases.length);
  return new Map(rows.map((r) => [cases[Number(r.n)]!.key, { reason: (r.rejection_reason as string | null) ?? null, id: r.id, dob: r.dob }]));
}

describe('the record function on the Connect server', () => {
  it('gives every golden case its expected reason (or none)', async () => {
    const cases = goldenCases();
    const got = await classifyAll(cases);
    const mismatches = cases.filter((c) => got.get(c.key)?.reason !== c.expected).map((c) => `${c.key}: expected ${c.expected}, got ${got.get(c.key)?.reason}`);
    expect(mismatches).toEqual([]);
    // Typed columns of a valid row: id lower-case, timestamps parsed with their offset.
    const upper = cases.find((c) => c.value?.toString().includes('7A0EB1A2'))!;
    expect(got.get(upper.key)?.id).toBe('7a0eb1a2-5b0a-4d8c-9a7e-3f1c2b4d5e6f');
  });

  it("agrees with the producer's validator on the golden cases JSON.parse reads (a key given twice: the last)", () => {
    const messageLevel: string[] = [MESSAGE_REASONS.empty, MESSAGE_REASONS.notUtf8, MESSAGE_REASONS.notObject, MESSAGE_REASONS.trailing];
    const disagreements = goldenCases()
      .filter((c) => c.text)
      .flatMap((c) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(c.value!.toString('utf8'));
        } catch {
          return messageLevel.includes(c.expected ?? '') ? [] : [`${c.key}: JSON.parse refuses it, expected ${c.expected}`];
        }
        const validator = recordProblem(parsed) ?? null;
        return validator === c.expected ? [] : [`${c.key}: validator ${validator}, golden ${c.expected}`];
      });
    expect(disagreements).toEqual([]);
  });

  it('agrees with the contract on every breakage of generated valid records (one batch)', async () => {
    const records = fc.sample(validRecordArb(), { numRuns: 40, seed: 9 });
    const cases: Case[] = [];
    records.forEach((rec, i) => {
      cases.push({ key: `valid ${i}`, value: Buffer.from(JSON.stringify(rec)), expected: null });
      const all = breakages();
      for (const b of all) cases.push({ key: `${i} ${b.name}`, value: brokenBytes(b.apply(rec)), expected: b.reason });
    });
    const got = await classifyAll(cases);
    const mismatches = cases
      .filter((c) => got.get(c.key)?.reason !== c.expected)
      .map((c) => `${c.key}: expected ${c.expected}, got ${got.get(c.key)?.reason} for ${c.value?.toString().slice(0, 300)}`);
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('types every timestamp as the instant it names, whatever the session time zone', async () => {
    // The function reads the instant from the text, whatever the session's zone (DST gaps and overlaps
    // of that zone, negative epochs with fractions, 1 to 9 fraction digits cut to microseconds, offsets
    // with and without a colon).
    const values = [
      '1993-07-20T09:44:18.674Z',
      '2013-03-06T02:13:24Z',
      '2024-02-29T23:59:59.999999999Z',
      '2023-03-12T02:30:00.5Z',
      '2023-11-05T01:30:00Z',
      '2023-10-01T02:15:00Z',
      '1969-12-31T23:59:59.999999Z',
      '1900-01-01T00:00:00.123456Z',
      '0000-01-01T00:00:00.1Z',
      '9999-12-31T23:59:59.9999999Z',
      '2026-01-02T03:04:05.678+05:30',
      '2023-03-12T02:30:00-0500',
      '2020-12-31T23:59:59.999999999-17:59',
      '1990-01-01T01:00:00.123456+0130',
    ];
    const typed = userColumnsSql().filter((c) => / AS (dob|registered_date|produced_at)$/.test(c));
    const rows = values.map((v, n) => `(${n}, '${Buffer.from(JSON.stringify({ ...RECORD, dob: v, registered_date: v, produced_at: v })).toString('hex')}')`);
    const expected = values.map((v) => [v, String(epochMicros(v))]);
    for (const timeZone of ['UTC', 'Etc/UTC', 'America/New_York', 'Australia/Lord_Howe']) {
      const session = SparkSession.builder().remote(setting(process.env, 'SPARK_REMOTE')).create();
      try {
        await session.conf.set('spark.sql.session.timeZone', timeZone);
        await registerRecordFunction(session);
        const got = await classify(session.sql(`SELECT n, unhex(h) AS value FROM VALUES ${rows.join(', ')} AS t(n, h)`))
          .where('rejection_reason IS NULL')
          .selectExpr('n', ...typed)
          .selectExpr(
            'n',
            'CAST(unix_micros(dob) AS STRING) AS dob',
            'CAST(unix_micros(registered_date) AS STRING) AS r',
            'CAST(unix_micros(produced_at) AS STRING) AS p',
          )
          .collect();
        const byN = new Map(got.map((r) => [Number(r.n), [r.dob, r.r, r.p]]));
        expect(
          values.map((v, n) => [v, ...(byN.get(n) ?? ['missing'])]),
          timeZone,
        ).toEqual(expected.map(([v, us]) => [v, us, us, us]));
      } finally {
        session.close();
      }
    }
  });

  it('checks the day of the month of every timestamp against the calendar (months, leap years, extremes)', async () => {
    // A timestamp matching the pattern is an instant exactly when its date is a day of the (proleptic
    // Gregorian) calendar, whatever its time and zone.
    const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const daysIn = (y: number, m: number): number => (m === 2 ? (leap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
    const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
    const cases: Case[] = [];
    const tails = ['Z', '.5Z', '.123456789+17:59', '-1759', '+00:00'];
    for (const y of [0, 1900, 2000, 2021, 2024, 9999])
      for (let m = 1; m <= 12; m++)
        for (const d of [1, 27, 28, 29, 30, 31]) {
          const ts = `${pad(y, 4)}-${pad(m)}-${pad(d)}T23:59:59${tails[(y + m + d) % tails.length]}`;
          const rec = { ...RECORD, dob: ts };
          cases.push({ key: ts, value: Buffer.from(JSON.stringify(rec)), expected: d <= daysIn(y, m) ? null : 'dob is not an ISO-8601 string' });
        }
    const got = await classifyAll(cases);
    const mismatches = cases.filter((c) => got.get(c.key)?.reason !== c.expected).map((c) => `${c.key}: expected ${c.expected}, got ${got.get(c.key)?.reason}`);
    expect(mismatches).toEqual([]);
  });
});

describe("the job's plans on the Connect server", () => {
  it('classify each message once, in one projection, which every routed column reads', async () => {
    // The routed columns read the function's struct ~20 times and its reason ~10 times: were the
    // optimizer to inline the call into them, it would show here as more calls.
    const plan = buildPipelinePlan(spark, toPipelineConfig({ ...pipelineDefaults(process.env), checkpointLocation: '/tmp/streamline-plan-check' }));
    const parts = (await plan.dataFrame.explain('formatted')).split(/\n\(\d+\) /).slice(1);
    const call = `${RECORD_FUNCTION.name}(`;
    const copies = parts.filter((p) => p.includes(call)).map((p) => `${p.split(/[\s[]/)[0]} ×${p.split(call).length - 1}`);
    expect(copies).toEqual(['Project ×1']);
    expect(parts.filter((p) => p.startsWith('Filter'))).toEqual([]);
  });

  it("stamp rows with the query's own timestamp, to the microsecond, whatever the session time zone", async () => {
    for (const timeZone of ['UTC', 'America/New_York', 'Australia/Lord_Howe']) {
      const session = SparkSession.builder().remote(setting(process.env, 'SPARK_REMOTE')).create();
      try {
        await session.conf.set('spark.sql.session.timeZone', timeZone);
        const [row] = await session
          .range(3)
          .selectExpr(`${BATCH_TIMESTAMP_SQL} AS stamp`, 'current_timestamp() AS now')
          .selectExpr('CAST(count(DISTINCT stamp) AS INT) AS stamps', 'CAST(max(unix_micros(stamp) - unix_micros(now)) AS STRING) AS diff')
          .collect();
        expect({ timeZone, ...row }).toEqual({ timeZone, stamps: 1, diff: '0' });
      } finally {
        session.close();
      }
    }
  });

  it('give the stamp to the generated code by reference, so that a new timestamp (every micro-batch) is not new code to compile', async () => {
    // Spark writes a timestamp literal into the generated Java; each micro-batch has its own
    // timestamp, so a bare current_timestamp() made every batch's code new (compiled again by every
    // executor). Two queries a few milliseconds apart must generate the very same code.
    const code = async (expr: string): Promise<string> => {
      const text = await spark.range(1).selectExpr('id', `${expr} AS stamp`).explain('codegen');
      return text.slice(text.indexOf('Generated code:'));
    };
    const first = await code(BATCH_TIMESTAMP_SQL);
    expect(first).toContain('Generated code:');
    expect(await code(BATCH_TIMESTAMP_SQL)).toBe(first);
    // The check can fail: the bare function's code differs from one query to the next (each explain
    // is a round trip to the server, milliseconds apart).
    const bare = await code('current_timestamp()');
    expect(await code('current_timestamp()')).not.toBe(bare);
  });
});
