// The real record, as our producer builds it: synthetic randomuser-format users through the
// producer's own transform (serialized by its serializeRecord, as the producer sends them).
import { generateUsers } from '../../producer/src/source/synthetic-users.js';
import type { SerializedRecord } from '../../producer/src/prepare.js';
import { toUserRecord, type UserRecord } from '../../producer/src/transform.js';

export function syntheticRecords(count: number, seed: string, producedAt = new Date()): UserRecord[] {
  const out: UserRecord[] = [];
  for (let page = 1; out.length < count && page < 1_000_000; page++) {
    for (const user of generateUsers(seed, page, Math.min(5000, count - out.length))) {
      const r = toUserRecord(user, producedAt);
      if (r.ok) out.push(r.record);
    }
  }
  return out;
}

/** Mean serialised size of the record in bytes (the value of one Kafka message). */
export function meanRecordBytes(records: readonly SerializedRecord[]): number {
  const total = records.reduce((sum, r) => sum + Buffer.byteLength(r.json), 0);
  return total / Math.max(1, records.length);
}
