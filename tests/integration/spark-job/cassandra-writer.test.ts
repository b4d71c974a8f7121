// streamline's Cassandra writer (jars/spark-extensions, format `streamline-cassandra`) on the real
// Connect server and Cassandra, on its own: every column type it writes, read back with the Node
// driver and compared value by value; nulls written and left unset; the connector's batch settings;
// Cassandra's warnings on its batches, logged once instead of once per batch;
// and the one-line errors of a bad target, bad rows and settings it refuses. The pipeline's use of it
// is tests/e2e.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import cassandra from 'cassandra-driver';
import { CASSANDRA_WRITER_FORMATS } from '@streamline/spark-job';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession, expr, type DataFrame, type SaveMode } from '../../../spark-connect/src/index.js';
import { loadStackConfig } from '../../../stack/src/index.js';
import { waitUntil } from '../../support/wait.js';

const config = loadStackConfig();
const FORMAT = CASSANDRA_WRITER_FORMATS.streamline;
const keyspace = `writer_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const ROWS = 300;

const cql = new cassandra.Client({
  contactPoints: [`${config.host}:${config.ports.cassandra}`],
  localDataCenter: 'datacenter1',
  credentials: { username: config.cassandra.username, password: config.cassandra.password },
});
const spark = SparkSession.builder().remote(`sc://${config.host}:${config.ports.sparkConnect}`).create();

/** A partition key of two columns and a clustering column, and one column of every other type the writer writes. */
const EVERY_TYPE = `(
  bucket text, n int, id uuid,
  tid timeuuid, name text, code ascii, at timestamp, day date, d double, f float,
  big bigint, small smallint, tiny tinyint, flag boolean, payload blob, note text,
  PRIMARY KEY ((bucket, n), id))`;

/** Rows 0..ROWS-1 of every type; row 0 has a timestamp and a date before 1970, every 5th a null note. */
function everyType(): DataFrame {
  return spark
    .range(ROWS)
    .selectExpr(
      "concat('b', CAST(id % 3 AS STRING)) AS bucket",
      'CAST(id AS INT) AS n',
      "concat('00000000-0000-4000-8000-', lpad(CAST(id AS STRING), 12, '0')) AS id",
      "'50554d6e-29bb-11e5-b345-feff819cdc9f' AS tid",
      "concat('name ', CAST(id AS STRING), ' ✓') AS name",
      "'plain' AS code",
      'IF(id = 0, timestamp_micros(-1500), timestamp_micros(1765100000123456 + id * 1000001)) AS at',
      "date_add(DATE'1969-12-30', CAST(id AS INT)) AS day",
      'CAST(id AS DOUBLE) / 3 AS d',
      'CAST(id / 2 AS FLOAT) AS f',
      'id * 10000000000 AS big',
      'CAST(id AS SMALLINT) AS small',
      'CAST(id % 100 AS TINYINT) AS tiny',
      'id % 2 = 0 AS flag',
      "CAST(concat('p', CAST(id AS STRING)) AS BINARY) AS payload",
      "IF(id % 5 = 0, NULL, concat('note ', CAST(id AS STRING))) AS note",
    );
}

function write(df: DataFrame, table: string, options: Record<string, string> = {}, mode: SaveMode = 'append'): Promise<void> {
  return df.write
    .format(FORMAT)
    .mode(mode)
    .options({ keyspace, table, ...options })
    .save();
}

async function row(table: string, n: number): Promise<cassandra.types.Row> {
  const rs = await cql.execute(`SELECT * FROM ${keyspace}.${table} WHERE bucket = ? AND n = ?`, [`b${n % 3}`, n], { prepare: true });
  expect(rs.rows.length, `row ${n}`).toBe(1);
  return rs.first();
}

/** The Spark driver UI's REST API of the Connect server, and its one application's id. */
const DRIVER_API = `http://${config.host}:${config.ports.sparkDriverUi}/api/v1/applications`;
async function connectAppId(): Promise<string> {
  const [app] = (await (await fetch(DRIVER_API)).json()) as { id: string }[];
  if (app === undefined) throw new Error('the Connect server lists no application');
  return app.id;
}

/** The lines of the Connect server's executors' logs (the worker keeps them under its application's id) that name `text`. */
async function executorLogLines(text: string): Promise<string[]> {
  const dir = path.join(config.runDir, 'spark', 'work', await connectAppId());
  return readdirSync(dir)
    .map((executor) => path.join(dir, executor, 'stderr'))
    .filter((f) => existsSync(f))
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l.includes(text)),
    );
}

async function count(table: string): Promise<number> {
  return Number((await cql.execute(`SELECT count(*) AS c FROM ${keyspace}.${table}`)).first().get('c'));
}

beforeAll(async () => {
  await cql.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  for (const table of ['every_type', 'nulls', 'batch_none', 'batch_partition', 'batch_rows_1', 'refused', 'warned']) {
    await cql.execute(`CREATE TABLE ${keyspace}.${table} ${EVERY_TYPE}`);
  }
  await cql.execute(`CREATE TABLE ${keyspace}.with_list (n int PRIMARY KEY, tags list<text>)`);
});

afterAll(async () => {
  await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cql.shutdown();
  await spark.stop();
});

describe("streamline's Cassandra writer", () => {
  it('writes every supported type as the Cassandra connector maps it, value for value', async () => {
    await write(everyType(), 'every_type');
    expect(await count('every_type')).toBe(ROWS);

    const first = await row('every_type', 0);
    // Microseconds to milliseconds rounds towards the past, before 1970 too (-1.5 ms -> -2 ms).
    expect(first.get('at').getTime()).toBe(-2);
    expect(first.get('day').toString()).toBe('1969-12-30');
    expect(first.get('note')).toBeNull();

    const r = await row('every_type', 7);
    expect({
      bucket: r.get('bucket'),
      n: r.get('n'),
      id: r.get('id').toString(),
      tid: r.get('tid').toString(),
      name: r.get('name'),
      code: r.get('code'),
      at: r.get('at').toISOString(),
      day: r.get('day').toString(),
      d: r.get('d'),
      f: r.get('f'),
      big: r.get('big').toString(),
      small: r.get('small'),
      tiny: r.get('tiny'),
      flag: r.get('flag'),
      payload: r.get('payload').toString('utf8'),
      note: r.get('note'),
    }).toEqual({
      bucket: 'b1',
      n: 7,
      id: '00000000-0000-4000-8000-000000000007',
      tid: '50554d6e-29bb-11e5-b345-feff819cdc9f',
      name: 'name 7 ✓',
      code: 'plain',
      // 1765100000123456 + 7 * 1000001 µs = 1765100007123463 µs: .123463 s keeps .123 as milliseconds.
      at: new Date(1765100007123).toISOString(),
      day: '1970-01-06',
      d: 7 / 3,
      f: 3.5,
      big: '70000000000',
      small: 7,
      tiny: 7,
      flag: false,
      payload: 'p7',
      note: 'note 7',
    });
  });

  it('writes a null as a deletion by default, and leaves the column as it was with ignoreNulls', async () => {
    await write(everyType(), 'nulls');
    const nullNotes = everyType().withColumn('note', expr('CAST(NULL AS STRING)'));
    await write(nullNotes, 'nulls', { 'spark.cassandra.output.ignoreNulls': 'true' });
    expect((await row('nulls', 7)).get('note')).toBe('note 7');
    await write(nullNotes, 'nulls');
    expect((await row('nulls', 7)).get('note')).toBeNull();
  });

  it.each([
    ['batch_none', { 'spark.cassandra.output.batch.grouping.key': 'none', 'spark.cassandra.output.batch.size.bytes': '512' }],
    ['batch_partition', { 'spark.cassandra.output.batch.grouping.key': 'partition', 'spark.cassandra.output.concurrent.writes': '1' }],
    ['batch_rows_1', { 'spark.cassandra.output.batch.size.rows': '1', 'spark.cassandra.output.consistency.level': 'ONE' }],
  ])('writes every row with the connector setting %s', async (table, options) => {
    await write(everyType().repartition(3), table, options);
    expect(await count(table)).toBe(ROWS);
    expect((await row(table, ROWS - 1)).get('name')).toBe(`name ${ROWS - 1} ✓`);
  });

  it.each([
    ['a missing table', () => write(everyType(), 'nope'), new RegExp(`streamline-cassandra: Cassandra has no table ${keyspace}\\.nope`)],
    [
      'a column the table lacks',
      () => write(everyType().selectExpr('*', "'x' AS extra"), 'refused'),
      new RegExp(`streamline-cassandra: ${keyspace}\\.refused has no column extra; its columns: `),
    ],
    [
      'a type the column cannot take',
      () => write(everyType().withColumn('name', expr('n')), 'refused'),
      new RegExp(`streamline-cassandra: column name of ${keyspace}\\.refused is text; a int cannot be written to it \\(cast it to string\\)`),
    ],
    [
      'a primary key column missing',
      () => write(everyType().drop('id'), 'refused'),
      new RegExp(`streamline-cassandra: the rows lack id, a primary key column of ${keyspace}\\.refused`),
    ],
    [
      'a column type it does not write',
      () => write(spark.range(3).selectExpr('CAST(id AS INT) AS n', "array('a') AS tags"), 'with_list'),
      new RegExp(
        `streamline-cassandra: column tags of ${keyspace}\\.with_list is list<text>; a array<string> cannot be written to it by this writer; the Cassandra connector's own format \\(org\\.apache\\.spark\\.sql\\.cassandra\\) writes it`,
      ),
    ],
    ['a save mode other than append', () => write(everyType(), 'refused', {}, 'overwrite'), /streamline-cassandra: save mode Overwrite is not supported/],
    [
      'a connector setting it does not implement',
      () => write(everyType(), 'refused', { 'spark.cassandra.output.ttl': '60' }),
      /streamline-cassandra: spark\.cassandra\.output\.ttl is not supported; write through the Cassandra connector's own format/,
    ],
    [
      'a value that is not a UUID',
      () => write(everyType().withColumn('id', expr("IF(n = 5, 'nope', id)")), 'refused'),
      new RegExp(`streamline-cassandra: column id of ${keyspace}\\.refused: not a UUID: "nope"`),
    ],
    [
      'a null partition key',
      () => write(everyType().withColumn('bucket', expr('IF(n = 5, NULL, bucket)')), 'refused'),
      new RegExp(`streamline-cassandra: a row of ${keyspace}\\.refused has no value for bucket, a partition key column`),
    ],
  ])('refuses %s with a message naming it', async (_what, act, message) => {
    await expect(act()).rejects.toThrow(message);
  });

  it("logs Cassandra's warning about its batches once per table and executor, not once per batch", async () => {
    // Rows of 300 partitions in batches of up to 16 KiB, as the job writes them: every batch covers
    // more partitions than Cassandra's warning threshold (10), so every answer carries the warning.
    const options = { 'spark.cassandra.output.batch.grouping.key': 'replica_set', 'spark.cassandra.output.batch.size.bytes': '16384' };
    await write(everyType(), 'warned', options);
    await write(everyType(), 'warned', options);
    expect(await count('warned')).toBe(ROWS);
    const lines = await executorLogLines(`${keyspace}.warned`);
    const ours = lines.filter((l) => l.includes('Cassandra answered a write with a warning'));
    expect(ours.length, lines.join('\n')).toBeGreaterThanOrEqual(1);
    expect(ours.length).toBeLessThanOrEqual(2); // one per executor JVM; the stack runs one, a restart makes two
    expect(ours[0]).toMatch(/Unlogged batch covering \d+ partitions/);
    // The driver's own log of the same warning: a line per answer, with the request in it.
    expect(lines.filter((l) => l.includes('generated server side warning'))).toEqual([]);
  });

  it("counts the rows and bytes it writes as the tasks' output (the Spark UI's Output column)", async () => {
    const output = async (): Promise<{ records: number; bytes: number }> => {
      const stages = (await (await fetch(`${DRIVER_API}/${await connectAppId()}/stages?status=complete`)).json()) as {
        outputRecords: number;
        outputBytes: number;
      }[];
      return stages.reduce((sum, s) => ({ records: sum.records + s.outputRecords, bytes: sum.bytes + s.outputBytes }), { records: 0, bytes: 0 });
    };
    const before = await output();
    await write(everyType().limit(77), 'every_type');
    // The UI's store is updated from Spark's listener bus, a moment after the write returns.
    const after = await waitUntil('the write stage in the UI', async () => ((await output()).records >= before.records + 77 ? output() : undefined), {
      timeoutMs: 20_000,
    });
    expect(after.records - before.records).toBe(77);
    // At least the 16 bytes of each row's UUID and 8 of each timestamp, double and bigint.
    expect(after.bytes - before.bytes).toBeGreaterThan(77 * 40);
  });

  it("reads as the table's schema only, and says where to read rows", async () => {
    const table = spark.read.format(FORMAT).options({ keyspace, table: 'every_type' }).load();
    expect(await table.columns()).toEqual(expect.arrayContaining(['bucket', 'n', 'id', 'at', 'payload', 'note']));
    await expect(table.collect()).rejects.toThrow(
      /streamline-cassandra writes .*every_type; read it with the Cassandra connector's format, org\.apache\.spark\.sql\.cassandra/,
    );
  });
});
