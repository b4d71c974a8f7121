import { Field, Int64, Struct, TimestampMicrosecond, Utf8, Float64, makeVector, tableToIPC, vectorFromArray, Table, makeData, Int32 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { decodeArrowBatches } from './arrow.js';

function ipc(): Uint8Array {
  const id = vectorFromArray([1n, 2n, 9007199254740993n], new Int64());
  const name = vectorFromArray(['a', null, 'c'], new Utf8());
  const d = vectorFromArray([1.5, 2.5, null], new Float64());
  const ts = vectorFromArray([new Date('2024-01-02T03:04:05.123Z'), null, new Date(0)], new TimestampMicrosecond('UTC'));
  const n = vectorFromArray([1, 2, 3], new Int32());
  const structType = new Struct([new Field('n', new Int32(), true), new Field('s', new Utf8(), true)]);
  const st = makeVector(
    makeData({
      type: structType,
      length: 3,
      nullCount: 1,
      nullBitmap: new Uint8Array([0b101]),
      children: [n.data[0]!, vectorFromArray(['x', 'y', 'z'], new Utf8()).data[0]!],
    }),
  );
  return tableToIPC(new Table({ id, name, d, ts, st }), 'stream');
}

describe('decodeArrowBatches', () => {
  it('maps Arrow columns to plain JS values', () => {
    const rows = decodeArrowBatches([ipc()]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({ id: 1, name: 'a', d: 1.5, ts: new Date('2024-01-02T03:04:05.123Z'), st: { n: 1, s: 'x' } });
    expect(rows[1]).toEqual({ id: 2, name: null, d: 2.5, ts: null, st: null });
    // Beyond 2^53 a BIGINT stays a bigint rather than losing precision.
    expect(rows[2]!['id']).toBe(9007199254740993n);
    expect(rows[2]!['d']).toBeNull();
  });

  it("returns every BIGINT as bigint with { longs: 'bigint' }", () => {
    const rows = decodeArrowBatches([ipc(), ipc()], { longs: 'bigint' });
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r['id'])).toEqual([1n, 2n, 9007199254740993n, 1n, 2n, 9007199254740993n]);
  });
});
