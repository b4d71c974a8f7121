// Builder confs: applied before the next action, also when getOrCreate reuses a session; a conf the
// server rejects fails one action, not every later one. The client is a fake (pure logic).
import { describe, expect, it } from 'vitest';
import type { SparkConnectClient } from '../client/client.js';
import { SparkSession } from './session.js';

type ConfigArg = Parameters<SparkConnectClient['config']>[0];

function fakeClient(rejectKey?: string) {
  const sets: Record<string, string>[] = [];
  const client = {
    connection: { host: 'fake', port: 15002, useSsl: false, metadata: {} },
    sessionId: '6f9619ff-8b86-4d01-b42d-00cf4fc96400',
    userContext: { userId: '' },
    isClosed: false,
    close() {},
    async config(op: ConfigArg) {
      if (op?.case === 'set') {
        const pairs = Object.fromEntries(op.value.pairs!.map((p) => [p.key!, p.value!]));
        sets.push(pairs);
        if (rejectKey !== undefined && rejectKey in pairs) throw new Error(`[CANNOT_MODIFY_CONFIG] ${rejectKey}`);
      }
      return {};
    },
    async analyze() {
      return { case: 'sparkVersion', value: { version: '3.5.7' } };
    },
  };
  return { client: client as unknown as SparkConnectClient, sets };
}

describe('builder confs', () => {
  it('a rejected conf fails the next action once; later actions run', async () => {
    const { client, sets } = fakeClient('spark.sql.warehouse.dir');
    const spark = new SparkSession(client, { 'spark.sql.warehouse.dir': '/x', 'spark.sql.shuffle.partitions': '4' });
    await expect(spark.version()).rejects.toThrow(/CANNOT_MODIFY_CONFIG/);
    await expect(spark.version()).resolves.toBe('3.5.7');
    expect(sets).toHaveLength(1);
  });

  it('confs queued on a reused session are sent before its next action', async () => {
    const { client, sets } = fakeClient();
    const spark = new SparkSession(client);
    await spark.version();
    expect(sets).toHaveLength(0);
    spark.queueConf({ 'spark.sql.shuffle.partitions': '7' });
    await spark.version();
    expect(sets).toEqual([{ 'spark.sql.shuffle.partitions': '7' }]);
  });
});
