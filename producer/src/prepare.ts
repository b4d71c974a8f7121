// What the sink receives, built from what a source gave: each user transformed and validated
// (transform.ts), the valid ones serialized once. Pure and synchronous, so the same function runs on
// the main thread (randomuser) or in the synthetic source's worker thread (pages/synthetic-worker.ts),
// and the sink never sees anything but records that passed the contract.
import { toUserRecord, type UserRecord } from './transform.js';

/** A valid record as it goes to Kafka: its id (the message key) and its JSON (the message value). */
export interface SerializedRecord {
  readonly id: string;
  readonly json: string;
}

/** The record's Kafka message: keyed by its id, its value the record's JSON (field order as in the record). */
export function serializeRecord(record: UserRecord): SerializedRecord {
  return { id: record.id, json: JSON.stringify(record) };
}

/** One fetch's users, ready for the sink. */
export interface PreparedPage {
  /** Users the source returned (valid or not). */
  readonly fetched: number;
  readonly records: readonly SerializedRecord[];
  /** Why each refused user was refused, in source order. */
  readonly invalid: readonly string[];
}

/**
 * Transforms, validates and serializes one page of source users. `producedAt` is the page's
 * produced_at (ISO text): one timestamp for the page, taken when the page is prepared.
 */
export function preparePage(users: readonly unknown[], producedAt: string): PreparedPage {
  const records: SerializedRecord[] = [];
  const invalid: string[] = [];
  for (const user of users) {
    const r = toUserRecord(user, producedAt);
    if (r.ok) records.push(serializeRecord(r.record));
    else invalid.push(r.reason);
  }
  return { fetched: users.length, records, invalid };
}
