import { describe, expect, it } from 'vitest';
import { decodeArrowBatches } from './arrow.js';
import { encodeLocalRows } from './local-data.js';
import { SparkSession } from './session.js';
import {
  ArrayType,
  BinaryType,
  ByteType,
  ShortType,
  BooleanType,
  DateType,
  DecimalType,
  DoubleType,
  IntegerType,
  LongType,
  StringType,
  StructType,
  TimestampType,
} from './types.js';

const schema = new StructType()
  .add('s', StringType())
  .add('l', LongType())
  .add('i', IntegerType())
  .add('d', DoubleType())
  .add('b', BooleanType())
  .add('ts', TimestampType())
  .add('dt', DateType())
  .add('arr', ArrayType(IntegerType()))
  .add('bin', BinaryType())
  .add('st', new StructType().add('x', IntegerType()).add('y', StringType()));
const rows = [
  {
    s: 'a',
    l: 1,
    i: 2,
    d: 1.5,
    b: true,
    ts: new Date('2024-01-02T03:04:05.123Z'),
    dt: new Date('2024-01-02'),
    arr: [1, 2],
    bin: new Uint8Array([1, 2]),
    st: { x: 1, y: 'q' },
  },
  { s: null, l: 9007199254740993n, i: null, d: null, b: null, ts: null, dt: null, arr: null, bin: null, st: null },
];

describe('createDataFrame encoding', () => {
  it('round-trips rows through Arrow IPC', () => {
    expect(decodeArrowBatches([encodeLocalRows(rows, schema)])).toEqual([
      { ...rows[0], ts: new Date('2024-01-02T03:04:05.123Z'), dt: new Date('2024-01-02T00:00:00.000Z') },
      rows[1],
    ]);
  });

  it('builds a LocalRelation with the Arrow data and the JSON schema', () => {
    const spark = SparkSession.builder().remote('sc://localhost:15002').create();
    const r = spark.createDataFrame(rows, schema).relation.relType;
    expect(r.case).toBe('localRelation');
    if (r.case !== 'localRelation') return;
    expect(r.value.schema).toBe(schema.json());
    expect(r.value.data?.length).toBeGreaterThan(0);
  });

  it('rejects out-of-range and non-integral values instead of wrapping them', () => {
    const one = (type: Parameters<StructType['add']>[1], v: unknown) => () => encodeLocalRows([{ x: v as number }], new StructType().add('x', type));
    expect(one(ByteType(), 128)).toThrow(/x = 128 is out of range for type byte/);
    expect(one(ShortType(), -32769)).toThrow(RangeError);
    expect(one(IntegerType(), 2 ** 31)).toThrow(RangeError);
    expect(one(LongType(), 2n ** 63n)).toThrow(RangeError);
    expect(one(IntegerType(), 1.5)).toThrow(/must be an integer/);
    expect(
      decodeArrowBatches(
        [
          encodeLocalRows(
            [{ b: 127, s: -32768, i: 2 ** 31 - 1, l: -(2n ** 63n) }],
            new StructType().add('b', ByteType()).add('s', ShortType()).add('i', IntegerType()).add('l', LongType()),
          ),
        ],
        { longs: 'bigint' },
      ),
    ).toEqual([{ b: 127, s: -32768, i: 2 ** 31 - 1, l: -(2n ** 63n) }]);
  });

  it('rejects types it cannot encode, naming the column', () => {
    expect(() => encodeLocalRows([{ p: '1.0' }], new StructType().add('p', DecimalType(10, 2)))).toThrow('column p');
  });
});
