// Result fidelity against the reference client: every case of parity/cases.ts runs through this
// client AND through PySpark Connect (pyspark from PyPI, in the project virtualenv) against the same
// Spark Connect server; both results are put in one canonical JSON form (parity/canonical.ts,
// parity/pyspark_canonical.py) and must be equal, value for value, including the schema.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lit, SparkSession, type DataFrame } from '../../../spark-connect/src/index.js';
import { CASES, type ParityCase } from './parity/cases.js';
import { canonical, canonicalRows, errorClass, type CanonicalResult } from './parity/canonical.js';
import { REMOTE } from './remote.js';

const here = dirname(fileURLToPath(import.meta.url));
const python = resolve(here, '..', '..', '..', '.venv', 'bin', 'python');

const spark = SparkSession.builder().remote(REMOTE).create();
afterAll(() => spark.stop());

function frame(c: ParityCase): DataFrame {
  if ('sql' in c) return spark.sql(c.sql);
  if ('lits' in c) return spark.range(1).select(...c.lits.map(([name, v]) => lit(v).alias(name)));
  if ('query' in c) return spark.sql(c.query, Object.fromEntries(c.args.map(([name, v]) => [name, v])));
  return spark.createDataFrame(c.rows, c.schema);
}

async function ours(c: ParityCase): Promise<CanonicalResult> {
  try {
    const df = frame(c);
    const [rows, schema] = await Promise.all([df.collect(), df.schema()]);
    return canonicalRows(rows, schema);
  } catch (e) {
    return { error: errorClass(e) };
  }
}

/** What PySpark is asked: SQL (or its stand-in), Python literal expressions, or Python rows with a DDL schema. */
function forPython(c: ParityCase): Record<string, unknown> {
  if ('sql' in c) return { id: c.id, sql: c.pysparkSql ?? c.sql };
  if ('lits' in c) return { id: c.id, lits: c.lits.map(([name, , py]) => [name, py]) };
  if ('query' in c) return { id: c.id, query: c.query, args: c.args.map(([name, , py]) => [name, py]) };
  return { id: c.id, rows: c.pythonRows, ddl: c.schema.toDDL() };
}

function pyspark(cases: readonly ParityCase[]): Record<string, CanonicalResult> {
  // One Python process for every case: PySpark's start-up costs more than all the queries.
  const r = spawnSync(python, [join(here, 'parity', 'pyspark_canonical.py')], {
    input: JSON.stringify({ remote: REMOTE, cases: cases.map(forPython) }),
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
    // PySpark turns TIMESTAMP values into naive datetimes of the local zone: make that zone UTC.
    env: { ...process.env, TZ: 'UTC', PYTHONIOENCODING: 'utf-8' },
  });
  if (r.status !== 0) throw new Error(`PySpark parity script failed (status ${r.status}, ${r.error?.message ?? 'no spawn error'}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as Record<string, CanonicalResult>;
}

describe('collect() parity with PySpark Connect', () => {
  let theirs: Record<string, CanonicalResult> = {};
  const mine = new Map<string, CanonicalResult>();

  beforeAll(async () => {
    expect(existsSync(python), `${python} is missing: run make install (it creates the virtualenv with pyspark[connect])`).toBe(true);
    for (const c of CASES) mine.set(c.id, await ours(c));
    theirs = pyspark(CASES);
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const a = mine.get(c.id)!;
    const b = theirs[c.id];
    expect(b, `PySpark returned nothing for ${c.id}`).toBeDefined();
    if ('sql' in c && c.pysparkSql) {
      // PySpark ran a stand-in query (it cannot decode this type): compare the values only.
      expect(a.rows).toEqual(b!.rows);
      return;
    }
    expect(a).toEqual(b);
  });

  it('covers every value kind, and a failing query is compared too (the same error class)', () => {
    const kinds = new Set<string>();
    // Type names in the schemas compared (decimal(38,9) -> decimal), to show what the cases cover.
    for (const r of mine.values()) for (const k of (r.schema ?? '').split(/[<>,:()]/)) kinds.add(k.replace(/\d+/g, ''));
    for (const k of ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'decimal', 'string', 'binary', 'boolean', 'date', 'timestamp', 'timestamp_ntz'])
      expect(kinds, k).toContain(k);
    for (const k of ['array', 'map', 'struct', 'interval day to second', 'interval year to month', 'void']) expect([...kinds].join('|')).toContain(k);
    expect(mine.get('calendar interval (server error)')?.error).toBe('UNSUPPORTED_DATATYPE');
  });

  it('the canonical form is strict: a millisecond Date for a µs timestamp, or a number for a decimal, differs', () => {
    const ts = { kind: 'timestamp' } as const;
    expect(canonical(new Date('2024-01-02T03:04:05.123Z'), ts)).not.toEqual(theirsValue(theirs, 'timestamps (µs)', 'ts'));
    expect(canonical(1.5, { kind: 'decimal', precision: 5, scale: 2 })).not.toBe('-1.50');
    expect(canonical(9007199254740992, { kind: 'long' })).not.toEqual(theirsValue(theirs, 'integers', 'beyond53'));
  });
});

function theirsValue(all: Record<string, CanonicalResult>, id: string, column: string): unknown {
  const pair = all[id]?.rows?.[0]?.find((p) => Array.isArray(p) && p[0] === column);
  return Array.isArray(pair) ? pair[1] : undefined;
}
