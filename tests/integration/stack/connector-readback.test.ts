// The Cassandra connector's READ path on the image's classpath (the Spark distribution + the connector
// set): batch write, then read back through the connector with a pushed-down filter and a count. Only
// the write path used to be exercised, and reads failed for want of the distribution's Guava.
import { randomUUID } from 'node:crypto';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession } from '../../../spark-connect/src/index.js';
import { loadStackConfig } from '../../../stack/src/index.js';
import { waitUntil } from '../../support/wait.js';

const config = loadStackConfig();
const keyspace = `readback_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const table = 'people';
const ROWS = 500;
const CASSANDRA = 'org.apache.spark.sql.cassandra';

const cql = new cassandra.Client({
  contactPoints: [`${config.host}:${config.ports.cassandra}`],
  localDataCenter: 'datacenter1',
  credentials: { username: config.cassandra.username, password: config.cassandra.password },
});
const spark = SparkSession.builder().remote(`sc://${config.host}:${config.ports.sparkConnect}`).create();

beforeAll(async () => {
  await cql.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  await cql.execute(`CREATE TABLE ${keyspace}.${table} (n bigint PRIMARY KEY, bucket int, name text)`);
  // The Connect server keeps the connector's Cassandra sessions between writes (an earlier test file
  // may have opened the one this test gets); such a session learns of a new table from Cassandra's
  // schema events, a moment after the table exists, and the connector does not look again by itself.
  await waitUntil(
    "the Connect server's Cassandra session knows the new table",
    async () => (await spark.read.format(CASSANDRA).options({ keyspace, table }).load().columns()).includes('name'),
    { timeoutMs: 30_000 },
  );
});

afterAll(async () => {
  await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cql.shutdown();
  await spark.stop();
});

describe('Cassandra connector on the image classpath', () => {
  it('writes a batch through the connector', async () => {
    await spark
      .range(ROWS)
      .selectExpr('id AS n', 'CAST(id % 7 AS INT) AS bucket', "concat('user-', CAST(id AS STRING)) AS name")
      .write.format(CASSANDRA)
      .mode('append')
      .options({ keyspace, table })
      .save();
    const rs = await cql.execute(`SELECT count(*) AS c FROM ${keyspace}.${table}`);
    expect(Number(rs.first().get('c'))).toBe(ROWS);
  });

  it('reads the table back: full count, a filtered count and the rows themselves', async () => {
    const people = spark.read.format(CASSANDRA).options({ keyspace, table }).load();
    expect(await people.count()).toBe(ROWS);

    const bucket3 = Array.from({ length: ROWS }, (_, n) => n).filter((n) => n % 7 === 3);
    expect(await people.where('bucket = 3').count()).toBe(bucket3.length);

    // A primary-key predicate the connector pushes down to Cassandra.
    const rows = await people.where('n IN (3, 10, 499)').select('n', 'bucket', 'name').orderBy('n').collect();
    expect(rows.map((r) => [Number(r.n), r.bucket, r.name])).toEqual([
      [3, 3, 'user-3'],
      [10, 3, 'user-10'],
      [499, 2, 'user-499'],
    ]);
  });
});
