// Deadlines and AbortSignals on actions, against the real servers (Spark 3.5 and 4.0): the call ends
// when asked, and the session stays usable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession } from '../../../spark-connect/src/index.js';
import { SERVERS } from './servers.js';

describe.each(SERVERS)('action deadlines on $label', (server) => {
  let spark: SparkSession;
  beforeAll(async () => {
    spark = SparkSession.builder()
      .remote(await server.remote())
      .create();
    expect(await spark.version()).toMatch(new RegExp(`^${server.version.replace('.', '\\.')}\\.`));
  });
  afterAll(() => spark?.stop());

  const slow = () => spark.sql("SELECT reflect('java.lang.Thread', 'sleep', 30000L) AS r");

  it('collect({ timeoutMs }) gives up on a 30 s query within seconds', async () => {
    const t0 = Date.now();
    await expect(slow().collect({ timeoutMs: 1_000 })).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await spark.sql('SELECT 1 AS one').collect()).toEqual([{ one: 1 }]);
  });

  it('count, schema and explain take an AbortSignal', async () => {
    const aborted = AbortSignal.abort();
    await expect(slow().count({ signal: aborted })).rejects.toThrow();
    await expect(spark.range(3).schema({ signal: aborted })).rejects.toThrow();
    await expect(spark.range(3).explain('simple', { signal: aborted })).rejects.toThrow();
    expect((await spark.range(3).schema({ timeoutMs: 30_000 })).fieldNames()).toEqual(['id']);
  });

  it('streaming calls take an AbortSignal too', async () => {
    const q = await spark.readStream.format('rate').load().writeStream.format('noop').queryName(`deadline_${process.pid}`).start();
    try {
      await expect(q.status({ signal: AbortSignal.abort() })).rejects.toThrow();
      await expect(spark.streams.active({ signal: AbortSignal.abort() })).rejects.toThrow();
      expect(await q.isActive({ timeoutMs: 30_000 })).toBe(true);
    } finally {
      await q.stop({ timeoutMs: 60_000 });
    }
    expect(await q.isActive()).toBe(false);
  });
});
