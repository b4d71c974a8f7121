import { randomBytes, randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionOfKey } from './murmur2.js';

// kafkajs' own partitioner (Long arithmetic), the reference: keys must land where they always did.
const kafkajs = Partitioners.DefaultPartitioner();
const metadata = (n: number) => Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));

describe('murmur2', () => {
  it("matches Kafka's test vectors (Java Utils.murmur2)", () => {
    // From Kafka's UtilsTest.testMurmur2.
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it("puts every key on kafkajs' partition: UUIDs, random bytes of every tail length, 1 to 12 partitions", () => {
    const keys = [...Array.from({ length: 5_000 }, () => Buffer.from(randomUUID())), ...Array.from({ length: 1_000 }, (_, i) => randomBytes(i % 67))];
    for (const n of [1, 2, 3, 5, 12]) {
      const partitionMetadata = metadata(n);
      const ours = keys.map((key) => partitionOfKey(key, n));
      expect(ours).toEqual(keys.map((key) => kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } })));
    }
  });
});
