// The ceiling of the drain: how fast this Cassandra node takes the same rows when a client does
// nothing but insert them (cassandra-driver executeConcurrent, prepared statement, same table schema).
import cassandra from 'cassandra-driver';
import { USER_COLUMNS, applySchema } from '@streamline/spark-job';
import type { UserRecord } from '../producer/src/transform.js';
import { jobConfig, localWrites, countRows, uniqueName, type BenchContext } from './support/env.js';
import { syntheticRecords } from './support/records.js';
import { every, nowMs } from './support/timing.js';

export interface CeilingRun {
  concurrencyLevel: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Rows written so far, sampled during the run (seconds since start, rows). */
  series: { t: number; rows: number }[];
}

export interface CeilingResult {
  runs: CeilingRun[];
  best: CeilingRun;
}

function toParams(record: UserRecord, index: number, partitions: number): unknown[] {
  const r = record as unknown as Record<string, unknown>;
  return USER_COLUMNS.map(([name, type]) => {
    if (name === 'ingested_at') return new Date();
    if (name === 'kafka_partition') return index % partitions;
    if (name === 'kafka_offset') return cassandra.types.Long.fromNumber(Math.floor(index / partitions));
    const value = r[name];
    if (value === undefined || value === null) return null;
    if (type === 'timestamp') return new Date(value as string);
    if (type === 'uuid') return cassandra.types.Uuid.fromString(value as string);
    return value;
  });
}

async function insertAll(ctx: BenchContext, rows: number, concurrencyLevel: number): Promise<CeilingRun> {
  const keyspace = uniqueName(ctx, `ceiling_c${concurrencyLevel}`);
  const { pipeline } = jobConfig(ctx, 'unused', keyspace);
  await applySchema(pipeline.cassandra);
  const table = pipeline.cassandra.names.table;
  const params = syntheticRecords(rows, `ceiling-${ctx.run}`).map((r, i) => toParams(r, i, 3));
  const cql = `INSERT INTO ${keyspace}.${table} (${USER_COLUMNS.map(([n]) => n).join(', ')}) VALUES (${USER_COLUMNS.map(() => '?').join(', ')})`;
  await ctx.db.execute(cql, params[0], { prepare: true }); // prepare once, outside the clock
  const base = await localWrites(ctx.db, keyspace, table);
  const series: { t: number; rows: number }[] = [];
  const t0 = nowMs();
  const sampler = every(250, async () => {
    series.push({ t: (nowMs() - t0) / 1000, rows: (await localWrites(ctx.db, keyspace, table)) - base });
  });
  try {
    await cassandra.concurrent.executeConcurrent(ctx.db, cql, params, { concurrencyLevel, raiseOnFirstError: true });
  } finally {
    await sampler.stop();
  }
  const seconds = (nowMs() - t0) / 1000;
  series.push({ t: seconds, rows });
  const counted = await countRows(ctx.db, keyspace, table);
  if (counted !== rows) throw new Error(`ceiling: ${counted} rows in ${keyspace}.${table}, expected ${rows}`);
  await ctx.db.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  ctx.keyspaces.delete(keyspace);
  return { concurrencyLevel, rows, seconds, rowsPerSecond: rows / seconds, series };
}

export async function cassandraCeiling(ctx: BenchContext, options: { rows: number; concurrencyLevels: number[] }): Promise<CeilingResult> {
  const runs: CeilingRun[] = [];
  for (const level of options.concurrencyLevels) {
    runs.push(await insertAll(ctx, options.rows, level));
    ctx.log(`ceiling: executeConcurrent(concurrency ${level}) ${Math.round(runs.at(-1)!.rowsPerSecond)} rows/s`);
  }
  const best = runs.reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
  return { runs, best };
}
