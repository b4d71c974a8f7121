// The partition of a keyed record, as Kafka's Java client and kafkajs' DefaultPartitioner choose it:
// toPositive(murmur2(key bytes)) % partitions. kafkajs computes murmur2 with a 64-bit Long object per
// step and filters the partition list per message; the sink partitions every record itself (one send
// per partition, see kafka.ts), so this is the same function in 32-bit integer arithmetic (Math.imul
// wraps like Java's int multiply). murmur2.test.ts checks it against kafkajs' own partitioner.

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 of the bytes (org.apache.kafka.common.utils.Utils.murmur2), as a signed 32-bit int. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last 1-3 bytes (Java mixes them by falling through a switch).
  const tail = length & ~3;
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data[tail + 2]! << 16;
    if (rest >= 2) h ^= data[tail + 1]! << 8;
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner gives a keyed record. */
export function partitionOfKey(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
