// The same typed SQL cases on the optional Spark 4.0 server decode to the same values as on 3.5 (the
// server PySpark 3.5 is compared with in parity.test.ts): the decoding does not depend on the server
// line. Spark 4 also sends CalendarInterval results, which 3.5 refuses to send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarInterval, SparkSession } from '../../../spark-connect/src/index.js';
import { canonicalRows, errorClass, type CanonicalResult } from './parity/canonical.js';
import { CASES } from './parity/cases.js';
import { REMOTE } from './remote.js';
import { ensureSpark4 } from './servers.js';

const SQL_CASES = CASES.filter((c): c is Extract<(typeof CASES)[number], { sql: string }> => 'sql' in c && !c.id.includes('calendar'));

async function results(spark: SparkSession): Promise<Map<string, CanonicalResult>> {
  const out = new Map<string, CanonicalResult>();
  for (const c of SQL_CASES) {
    try {
      const df = spark.sql(c.sql);
      const [rows, schema] = await Promise.all([df.collect(), df.schema()]);
      out.set(c.id, canonicalRows(rows, schema));
    } catch (e) {
      out.set(c.id, { error: errorClass(e) });
    }
  }
  return out;
}

describe('collect() on Spark 4.0 equals collect() on Spark 3.5', () => {
  let spark4: SparkSession;
  let on35 = new Map<string, CanonicalResult>();
  let on40 = new Map<string, CanonicalResult>();
  const spark35 = SparkSession.builder().remote(REMOTE).create();

  beforeAll(async () => {
    spark4 = SparkSession.builder()
      .remote(await ensureSpark4())
      .create();
    expect(await spark4.version()).toMatch(/^4\.0\./);
    [on35, on40] = await Promise.all([results(spark35), results(spark4)]);
  });
  afterAll(() => {
    spark35.stop();
    spark4?.stop();
  });

  it.each(SQL_CASES.map((c) => [c.id] as const))('%s', (id) => {
    const [a, b] = [on35.get(id)!, on40.get(id)!];
    // Values and schema; nullability is the servers' own analysis (4.0 proves more columns non-null).
    expect({ schema: b.schema, rows: b.rows, error: b.error }).toEqual({ schema: a.schema, rows: a.rows, error: a.error });
  });

  it('decodes the CalendarInterval results Spark 4 sends (months, days, microseconds)', async () => {
    const [row] = await spark4.sql('SELECT make_interval(1, 2, 3, 4, 5, 6, 7.000008) ci, make_interval(0, 0, 0, -1, 0, 0, -0.000001) neg').collect();
    // 1 year 2 months; 3 weeks 4 days; 5 h 6 min 7.000008 s.
    expect(row!['ci']).toEqual(new CalendarInterval(12 + 2, 3 * 7 + 4, ((5n * 60n + 6n) * 60n + 7n) * 1_000_000n + 8n));
    expect(row!['neg']).toEqual(new CalendarInterval(0, -1, -1n));
  });
});
