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
  TimestampNTZType,
  MapType,
  DayTimeIntervalType,
  YearMonthIntervalType,
  FloatType,
} from './types.js';
import { LocalDataError } from './local-data.js';
import { Row } from './row.js';
import { DayTimeInterval, LocalDate, type LocalDateTime, Timestamp, YearMonthInterval } from './values.js';

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
    expect(() => encodeLocalRows([{ p: null }], new StructType().add('p', { kind: 'calendar_interval' }))).toThrow('column p');
  });

  it('keeps microseconds, exact decimals, dates, NTZ, intervals and typed map values', () => {
    const s = new StructType()
      .add('ts', TimestampType())
      .add('ntz', TimestampNTZType())
      .add('d', DateType())
      .add('dec', DecimalType(38, 10))
      .add('dt', DayTimeIntervalType())
      .add('ym', YearMonthIntervalType())
      .add('m', MapType(StringType(), TimestampType()));
    const ts = Timestamp.fromISO('2024-01-02T03:04:05.123456Z');
    const [row] = decodeArrowBatches([
      encodeLocalRows(
        [
          {
            ts,
            ntz: '2024-01-02T03:04:05.000001',
            d: LocalDate.fromISO('2024-02-29'),
            dec: '-1234567890123456789012345678.1234567890',
            dt: new DayTimeInterval(-1n),
            ym: new YearMonthInterval(27),
            m: new Map<string, Timestamp | null>([
              ['a', ts],
              ['b', null],
            ]),
          },
        ],
        s,
      ),
    ]);
    expect((row!['ts'] as Timestamp).epochMicros).toBe(1704164645123456n);
    expect((row!['ntz'] as LocalDateTime).toISOStringMicros()).toBe('2024-01-02T03:04:05.000001');
    expect((row!['d'] as LocalDate).toISODateString()).toBe('2024-02-29');
    expect(row!['dec']).toBe('-1234567890123456789012345678.1234567890');
    expect((row!['dt'] as DayTimeInterval).micros).toBe(-1n);
    expect((row!['ym'] as YearMonthInterval).months).toBe(27);
    const m = row!['m'] as Map<string, Timestamp | null>;
    expect(m.get('a')?.microsecond).toBe(123456);
    expect(m.get('b')).toBeNull();
  });

  it('rejects decimals beyond precision or scale, floats beyond FLOAT, and nulls in NOT NULL places', () => {
    const one =
      (type: Parameters<StructType['add']>[1], v: unknown, nullable = true) =>
      () =>
        encodeLocalRows([{ x: v as number }], new StructType().add('x', type, nullable));
    expect(one(DecimalType(5, 2), '1234.5')).toThrow(/x = 1234.5 does not fit DECIMAL\(5,2\)/);
    expect(one(DecimalType(5, 2), '1.234')).toThrow(/more than 2 decimal place/);
    expect(one(DecimalType(5, 2), 'abc')).toThrow(LocalDataError);
    expect(one(FloatType(), 1e39)).toThrow(/out of range for type float/);
    expect(one(IntegerType(), null, false)).toThrow(/NOT NULL/);
    expect(one(ArrayType(IntegerType(), false), [1, null])).toThrow(/x\[1\] is null/);
    expect(one(ArrayType(ByteType()), [1, 200])).toThrow(/x\[1\] = 200 is out of range for type byte/);
    expect(one(StringType(), 5)).toThrow(/must be a string/);
    const [ok] = decodeArrowBatches([encodeLocalRows([{ x: '999.99', y: 1e-5 }], new StructType().add('x', DecimalType(5, 2)).add('y', DecimalType(5, 5)))]);
    expect(ok).toEqual({ x: '999.99', y: '0.00001' });
  });

  it('reads a Row by position, so repeated struct field names survive a round trip', () => {
    const s = new StructType().add('st', new StructType().add('a', IntegerType()).add('a', IntegerType()));
    const [row] = decodeArrowBatches([encodeLocalRows([{ st: new Row(['a', 'a'], [1, 2]) }], s)]);
    expect((row!['st'] as Row).values()).toEqual([1, 2]);
  });
});
