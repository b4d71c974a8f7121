// spark.udf against the real servers: a Java UDF registered by class name and called from SQL and
// selectExpr, with the return type given; a class the server lacks fails the registration with the
// server's words. The UDF class is streamline's record function (jars/spark-extensions), which only the
// local stack's 3.5 server carries: the 4.0 server checks the refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession, StringType, StructType, TimestampType } from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

const CLASS = 'dev.streamline.record.RecordFunction';
/** A contract of one field, in the function's format (record/src/spark.ts renders the pipeline's). */
const CONTRACT = JSON.stringify({
  fields: [
    { name: 'id', kind: 'uuid' },
    { name: 'at', kind: 'timestamp' },
  ],
  patterns: { uuid: '^[0-9a-fA-F-]{36}$', timestamp: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' },
  reasons: {
    empty: 'empty',
    notUtf8: 'not utf-8',
    notObject: 'not an object',
    trailing: 'trailing',
    missing: '{field} missing',
    null: '{field} null',
    notUuid: '{field} not a uuid',
    notString: '{field} not a string',
    notIso: '{field} not a timestamp',
    notNumber: '{field} not a number',
    outOfRange: '{field} out of range',
  },
});
const RESULT = new StructType().add('reason', StringType()).add('id', StringType()).add('at', TimestampType());

describe.each(SERVERS)('spark.udf on $label', (server) => {
  let spark: SparkSession;

  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
  });
  afterAll(() => spark?.stop());

  it.runIf(server.version === '3.5')('registers a Java UDF with its return type, callable from SQL and selectExpr', async () => {
    await spark.udf.registerJavaFunction('classify_it', CLASS, RESULT);
    const contract = CONTRACT.replaceAll("'", "\\'");
    const rows = await spark
      .sql(
        `SELECT classify_it(CAST(v AS BINARY), '${contract}') AS r FROM VALUES ` +
          `('{"id":"7A0EB1A2-5B0A-4D8C-9A7E-3F1C2B4D5E6F","at":"2026-01-02T03:04:05Z"}'), ('{"id":1}') AS t(v)`,
      )
      .selectExpr('r.reason', 'r.id', 'CAST(unix_seconds(r.at) AS STRING) AS at')
      .collect();
    expect(rows).toEqual([
      { reason: null, id: '7a0eb1a2-5b0a-4d8c-9a7e-3f1c2b4d5e6f', at: '1767323045' },
      { reason: 'id not a uuid', id: null, at: null },
    ]);
    // The function belongs to this session: another one does not know it.
    const other = SparkSession.builder()
      .remote(await server.remote())
      .create();
    try {
      await expect(other.sql("SELECT classify_it(CAST('{}' AS BINARY), '{}')").collect()).rejects.toThrow(/classify_it/);
    } finally {
      other.stop();
    }
  });

  it('refuses a class the server cannot load, naming it', async () => {
    await expect(spark.udf.registerJavaFunction('nope_it', 'dev.streamline.NoSuchFunction', StringType())).rejects.toThrow(/dev\.streamline\.NoSuchFunction/);
  });

  it('refuses an empty name or class before calling the server', async () => {
    await expect(spark.udf.registerJavaFunction(' ', CLASS)).rejects.toThrow('a function needs a name');
    await expect(spark.udf.registerJavaUDAF('f', '')).rejects.toThrow('function f: the Java class name is empty');
  });
});
