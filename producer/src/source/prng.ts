// Small deterministic PRNG so a seed reproduces the same users (and so the same Kafka keys,
// which makes re-sends upserts in Cassandra). Not for cryptography.
//
// The state is 128 bits (xoshiro128**), seeded from a SHA-256 of the textual seed. With a 32-bit
// state (the mulberry32 this replaced) every page's stream was one of 2^32 overlapping windows of a
// single counter sequence, so ids repeated far more often than random v4 UUIDs do (960,000 records
// carried 2,897 repeats); with 128 bits of state two pages' streams overlap with negligible odds.
import { createHash } from 'node:crypto';

/** Four 32-bit words of SHA-256(seed): the PRNG's starting state (never all zero). */
export function seedState(seed: string): [number, number, number, number] {
  const digest = createHash('sha256').update(seed).digest();
  const s: [number, number, number, number] = [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the one state xoshiro cannot leave
  return s;
}

export interface Prng {
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** xoshiro128** (Blackman and Vigna): 128-bit state, period 2^128 − 1, fast with 32-bit integer ops. */
export function createPrng(seed: string): Prng {
  let [a, b, c, d] = seedState(seed);
  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => uint32() / 4294967296;
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick() from an empty list');
    return item;
  };
  return { uint32, next, int, pick };
}
