// The split sink with streamline's Cassandra writer on both routes (the pipeline's case), on the real
// Connect server and Cassandra: each micro-batch is written in one pass (one Spark job, each row handed
// to its route's writer as it is computed, nothing kept), every row reaches exactly one table, the
// observed counts add up once, a stop is a stop, and a failure names its route. The generic path
// (formats written with save(), the batch kept between them) is split-sink.test.ts.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import cassandra from 'cassandra-driver';
import { CASSANDRA_WRITER_FORMATS, SPLIT_SINK_FORMAT } from '@streamline/spark-job';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession, expr, type StreamingQuery } from 'spark-connect';
import { loadStackConfig } from '../../../stack/src/index.js';
import { waitUntil } from '../../support/wait.js';
import { expectCleanStopMidBatch } from './split-stop.js';

const config = loadStackConfig();
const keyspace = `onepass_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const cql = new cassandra.Client({
  contactPoints: [`${config.host}:${config.ports.cassandra}`],
  localDataCenter: 'datacenter1',
  credentials: { username: config.cassandra.username, password: config.cassandra.password },
});
const spark = SparkSession.builder().remote(`sc://${config.host}:${config.ports.sparkConnect}`).create();
const ui = `http://${config.host}:${config.ports.sparkDriverUi}/api/v1/applications`;
// The local stack's Connect server runs on this machine: its paths are ours.
const dir = mkdtempSync(path.join(tmpdir(), 'streamline-one-pass-'));
const input = path.join(dir, 'input');
const ROWS = 600;
const FILES = 3;
/** Rows with n % 7 = 0 carry a reason. */
const REJECTED = Array.from({ length: ROWS }, (_, n) => n).filter((n) => n % 7 === 0);

function routes(accepted: string, rejected: string): Record<string, string> {
  const format = CASSANDRA_WRITER_FORMATS.streamline;
  return {
    'split.column': 'reason',
    keyspace,
    'accepted.format': format,
    'accepted.table': accepted,
    'accepted.columns': 'n AS id, label',
    'rejected.format': format,
    'rejected.table': rejected,
    'rejected.columns': 'n, reason AS why',
  };
}

beforeAll(async () => {
  await spark
    .range(ROWS)
    .selectExpr('id AS n', "concat('row ', id) AS label", "IF(id % 7 = 0, concat('bad ', id), NULL) AS reason")
    .repartition(FILES)
    .write.mode('overwrite')
    .json(input);
  await cql.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  for (const name of ['users', 'stop_users', 'failing_users']) await cql.execute(`CREATE TABLE ${keyspace}.${name} (id bigint PRIMARY KEY, label text)`);
  for (const name of ['poison', 'stop_poison']) await cql.execute(`CREATE TABLE ${keyspace}.${name} (n bigint PRIMARY KEY, why text)`);
  // A quarantine keyed by the reason: a row without one cannot be written to it.
  await cql.execute(`CREATE TABLE ${keyspace}.by_reason (why text PRIMARY KEY, n bigint)`);
});

afterAll(async () => {
  await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cql.shutdown();
  spark.close();
  rmSync(dir, { recursive: true, force: true });
});

function stream() {
  return spark.readStream.schema('n BIGINT, label STRING, reason STRING').option('maxFilesPerTrigger', 1).json(input);
}

async function startFromFiles(options: Record<string, string>, name: string, select?: string[]): Promise<StreamingQuery> {
  const rows = select === undefined ? stream() : stream().selectExpr(...select);
  return rows
    .observe('routes', expr('count_if(reason IS NULL)').alias('accepted'), expr('count(reason)').alias('quarantined'))
    .writeStream.format(SPLIT_SINK_FORMAT)
    .options({ checkpointLocation: path.join(dir, `checkpoint-${name}`), ...options })
    .trigger({ availableNow: true })
    .start();
}

/** The Spark jobs of one run of a query, by micro-batch (a streaming job's description names its run and batch). */
async function jobsByBatch(runId: string): Promise<Map<number, number>> {
  const [app] = (await (await fetch(ui)).json()) as { id: string }[];
  const jobs = (await (await fetch(`${ui}/${app!.id}/jobs`)).json()) as { description?: string }[];
  const out = new Map<number, number>();
  for (const job of jobs) {
    const batch = job.description?.includes(`runId = ${runId}`) ? /batch = (\d+)/.exec(job.description)?.[1] : undefined;
    if (batch !== undefined) out.set(Number(batch), (out.get(Number(batch)) ?? 0) + 1);
  }
  return out;
}

async function column(table: string, name: string): Promise<number[]> {
  const rs = await cql.execute(`SELECT ${name} FROM ${keyspace}.${table}`);
  return rs.rows.map((r) => Number(r.get(name))).sort((a, b) => a - b);
}

describe("the split sink with streamline's Cassandra writer on both routes", () => {
  it('writes each micro-batch in one Spark job, each row to exactly one table, the observed counts once', async () => {
    const query = await startFromFiles(routes('users', 'poison'), 'routes');
    await query.awaitTermination(120_000);
    expect(await query.exception()).toBeNull();

    expect(await column('users', 'id')).toEqual(Array.from({ length: ROWS }, (_, n) => n).filter((n) => n % 7 !== 0));
    expect(await column('poison', 'n')).toEqual(REJECTED);
    const why = await cql.execute(`SELECT why FROM ${keyspace}.poison WHERE n = 14`);
    expect(why.first().get('why')).toBe('bad 14');

    const progress = (await query.recentProgress()).filter((p) => p.numInputRows > 0);
    expect(progress.length).toBe(FILES);
    const sum = (metric: string): number =>
      progress.reduce((s, p) => s + Number((p.observedMetrics.routes as Record<string, unknown> | undefined)?.[metric] ?? 0), 0);
    expect({ accepted: sum('accepted'), quarantined: sum('quarantined') }).toEqual({ accepted: ROWS - REJECTED.length, quarantined: REJECTED.length });

    // Every batch has rows of both routes: the generic path would run two jobs for each (one per route).
    const runId = progress[0]!.runId;
    const jobs = await waitUntil(
      "the batches' jobs in the UI",
      async () => {
        const byBatch = await jobsByBatch(runId);
        return byBatch.size >= FILES ? byBatch : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect([...jobs.values()]).toEqual(Array.from({ length: FILES }, () => 1));
  });

  it('stops cleanly in the middle of a batch: a stop is not reported as a failed write', async () => {
    await expectCleanStopMidBatch(spark, { ...routes('stop_users', 'stop_poison'), checkpointLocation: path.join(dir, 'checkpoint-stop') });
  });

  it('fails the query naming the route whose write failed, and its target', async () => {
    // The rejected rows go to a table keyed by the reason; the accepted ones carry none, so the
    // accepted route's writer refuses its first row.
    const options = { ...routes('by_reason', 'poison'), 'accepted.columns': 'reason AS why, n' };
    const query = await startFromFiles(options, 'failing');
    await query.awaitTermination(120_000).catch(() => undefined);
    const message = (await query.exception())?.message ?? '';
    expect(message.split('\n')[0]).toMatch(
      new RegExp(
        `streamline-split sink: batch \\d+: writing the accepted rows to streamline-cassandra by_reason failed: .*a row of ${keyspace}\\.by_reason has no value for why, a partition key column`,
      ),
    );
  });

  it('fails the query naming neither route when the rows themselves cannot be computed', async () => {
    const query = await startFromFiles(routes('failing_users', 'poison'), 'computing', [
      'n',
      // The message is made at run time: the query's plan, which the exception quotes, must not hold it.
      "IF(n = 42, CAST(raise_error(concat('row ', n, ' is bad')) AS STRING), label) AS label",
      'reason',
    ]);
    await query.awaitTermination(120_000).catch(() => undefined);
    const message = (await query.exception())?.message ?? '';
    expect(message.split('\n')[0]).toMatch(
      /streamline-split sink: batch \d+: computing the rows for streamline-cassandra failing_users and streamline-cassandra poison failed: /,
    );
    expect(message).toMatch(/row 42 is bad/);
  });
});
