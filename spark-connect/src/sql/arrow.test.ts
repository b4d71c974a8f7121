import {
  Binary,
  DateDay,
  Decimal as ArrowDecimal,
  DurationMicrosecond,
  Field,
  Float64,
  Int32,
  Int64,
  IntervalYearMonth,
  List,
  Map_,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  TimestampNanosecond,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { decimalString, decodeArrowBatches } from './arrow.js';
import { isRow, type Row } from './row.js';
import { ArrayType, IntegerType, StructType } from './types.js';
import { type DayTimeInterval, LocalDate, LocalDateTime, Timestamp, YearMonthInterval } from './values.js';

/** Arrow data of fixed-width values with nulls where `valid` is false. */
function fixed<T extends DataType>(type: T, data: ArrayLike<unknown>, valid: boolean[]): Data<T> {
  const nullBitmap = new Uint8Array(8);
  valid.forEach((v, i) => {
    if (v) nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  return makeData({ type, length: valid.length, nullCount: valid.filter((v) => !v).length, nullBitmap, data } as never) as Data<T>;
}

function ipc(columns: Record<string, Data>): Uint8Array {
  const fields = Object.entries(columns).map(([n, d]) => new Field(n, d.type, true));
  const length = Object.values(columns)[0]!.length;
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children: Object.values(columns) });
  return tableToIPC(new Table([new RecordBatch(new Schema(fields), data)]), 'stream');
}

describe('decodeArrowBatches', () => {
  it('keeps microseconds of TIMESTAMP and TIMESTAMP_NTZ, before and after the epoch', () => {
    const us = new BigInt64Array([1704164645123456n, -1n, 0n]);
    const [row0, row1, row2] = decodeArrowBatches([
      ipc({
        ts: fixed(new TimestampMicrosecond('UTC'), us, [true, true, false]),
        ntz: fixed(new TimestampMicrosecond(null), us, [true, true, false]),
        ns: fixed(new TimestampNanosecond('UTC'), new BigInt64Array([1704164645123456789n, -1n, 0n]), [true, true, false]),
      }),
    ]);
    expect(row0!['ts']).toBeInstanceOf(Timestamp);
    expect((row0!['ts'] as Timestamp).epochMicros).toBe(1704164645123456n);
    expect((row0!['ts'] as Timestamp).toISOStringMicros()).toBe('2024-01-02T03:04:05.123456Z');
    expect(row0!['ntz']).toBeInstanceOf(LocalDateTime);
    expect((row0!['ntz'] as LocalDateTime).toISOStringMicros()).toBe('2024-01-02T03:04:05.123456');
    expect((row0!['ns'] as Timestamp).epochMicros).toBe(1704164645123456n);
    expect((row1!['ts'] as Timestamp).toISOStringMicros()).toBe('1969-12-31T23:59:59.999999Z');
    expect((row1!['ns'] as Timestamp).epochMicros).toBe(-1n);
    expect(row2).toEqual({ ts: null, ntz: null, ns: null });
  });

  it('decodes DECIMAL exactly (38 digits, negatives, scale padding)', () => {
    // Unscaled values as 128-bit little-endian two's complement words.
    const words = (vals: bigint[]) => {
      const a = new Uint32Array(vals.length * 4);
      vals.forEach((v, i) => {
        let u = BigInt.asUintN(128, v);
        for (let w = 0; w < 4; w++, u >>= 32n) a[i * 4 + w] = Number(u & 0xffffffffn);
      });
      return a;
    };
    const big = 10n ** 38n - 1n;
    const rows = decodeArrowBatches([ipc({ d: fixed(new ArrowDecimal(9, 38, 128), words([-1_500_000_000n, big, 5n, 0n]), [true, true, true, true]) })]);
    expect(rows.map((r) => r['d'])).toEqual(['-1.500000000', '99999999999999999999999999999.999999999', '0.000000005', '0.000000000']);
    expect(decimalString(-5n, 0)).toBe('-5');
  });

  it('decodes DATE, both interval kinds, binary (a copy), NaN, ±Infinity and -0', () => {
    const bin = vectorFromArray([new Uint8Array([0xde, 0xad]), null], new Binary()).data[0]!;
    const rows = decodeArrowBatches([
      ipc({
        d: fixed(new DateDay(), new Int32Array([19782, -1]), [true, true]),
        dt: fixed(new DurationMicrosecond(), new BigInt64Array([273906789012n, -1n]), [true, true]),
        ym: fixed(new IntervalYearMonth(), new Int32Array([27, -13]), [true, false]),
        f: fixed(new Float64(), new Float64Array([Number.NaN, -0]), [true, true]),
        g: fixed(new Float64(), new Float64Array([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]), [true, true]),
        b: bin,
      }),
    ]);
    expect(rows[0]!['d']).toBeInstanceOf(LocalDate);
    expect((rows[0]!['d'] as LocalDate).toISODateString()).toBe('2024-02-29');
    expect((rows[1]!['d'] as LocalDate).toISODateString()).toBe('1969-12-31');
    expect(rows.map((r) => (r['dt'] as DayTimeInterval).micros)).toEqual([273906789012n, -1n]);
    expect(rows[0]!['ym']).toEqual(new YearMonthInterval(27));
    expect(rows[1]!['ym']).toBeNull();
    expect(rows[0]!['f']).toBeNaN();
    expect(Object.is(rows[1]!['f'], -0)).toBe(true);
    expect(rows.map((r) => r['g'])).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(rows[0]!['b']).toEqual(new Uint8Array([0xde, 0xad]));
    expect((rows[0]!['b'] as Uint8Array).buffer.byteLength).toBe(2);
    expect(rows[1]!['b']).toBeNull();
  });

  it('decodes map values with their own type (a TIMESTAMP keeps its µs) and null values', () => {
    const keys = vectorFromArray(['a', 'b', 'c'], new Utf8()).data[0]!;
    const vals = fixed(new TimestampMicrosecond('UTC'), new BigInt64Array([1n, 0n, 1704164645123456n]), [true, false, true]);
    const entriesType = new Struct([new Field('key', new Utf8(), false), new Field('value', vals.type, true)]);
    const entries = makeData({ type: entriesType, length: 3, nullCount: 0, children: [keys, vals] });
    const mapType = new Map_(new Field('entries', entriesType, false) as never);
    const m = makeData({
      type: mapType,
      length: 3,
      nullCount: 1,
      nullBitmap: new Uint8Array([0b011]),
      valueOffsets: new Int32Array([0, 2, 3, 3]),
      child: entries,
    });
    const rows = decodeArrowBatches([ipc({ m })]);
    const first = rows[0]!['m'] as Map<string, Timestamp | null>;
    expect([...first.keys()]).toEqual(['a', 'b']);
    expect(first.get('a')?.epochMicros).toBe(1n);
    expect(first.get('b')).toBeNull();
    expect((rows[1]!['m'] as Map<string, Timestamp>).get('c')?.microsecond).toBe(123456);
    expect(rows[2]!['m']).toBeNull();
  });

  it('keeps repeated struct field names by position, and nulls at every level of arrays of structs', () => {
    const a1 = fixed(new Int32(), new Int32Array([1, 3]), [true, true]);
    const a2 = fixed(new Int32(), new Int32Array([2, 0]), [true, false]);
    const stType = new Struct([new Field('a', new Int32(), true), new Field('a', new Int32(), true)]);
    const st = makeData({ type: stType, length: 2, nullCount: 0, children: [a1, a2] });
    // arr = [[{x: 1}, null, {x: null}], null]
    const xType = new Struct([new Field('x', new Int64(), true)]);
    const xs = makeData({
      type: xType,
      length: 3,
      nullCount: 1,
      nullBitmap: new Uint8Array([0b101]),
      children: [fixed(new Int64(), new BigInt64Array([1n, 0n, 0n]), [true, true, false])],
    });
    const listType = new List(new Field('element', xType, true));
    const arr = makeData({ type: listType, length: 2, nullCount: 1, nullBitmap: new Uint8Array([0b01]), valueOffsets: new Int32Array([0, 3, 3]), child: xs });
    const rows = decodeArrowBatches([ipc({ st, arr })]);
    const s = rows[0]!['st'];
    expect(isRow(s) && s.values()).toEqual([1, 2]);
    expect(isRow(rows[1]!['st']) && (rows[1]!['st'] as { values(): unknown[] }).values()).toEqual([3, null]);
    expect(rows[0]!['arr']).toEqual([{ x: 1 }, null, { x: null }]);
    expect(rows[1]!['arr']).toBeNull();
  });

  it("names struct fields from the Spark schema, not Arrow's de-duplicated a_0, a_1", () => {
    const stType = new Struct([new Field('a_0', new Int32(), true), new Field('a_1', new Int32(), true)]);
    const st = makeData({
      type: stType,
      length: 1,
      nullCount: 0,
      children: [fixed(new Int32(), new Int32Array([1]), [true]), fixed(new Int32(), new Int32Array([2]), [true])],
    });
    const listType = new List(new Field('element', stType, true));
    const arr = makeData({ type: listType, length: 1, nullCount: 0, valueOffsets: new Int32Array([0, 1]), child: st });
    const pair = new StructType().add('a', IntegerType()).add('a', IntegerType());
    const schema = new StructType().add('dup', pair).add('arr', ArrayType(pair));
    const [row] = decodeArrowBatches([ipc({ st, arr })], {}, schema);
    expect(row!.fieldNames()).toEqual(['dup', 'arr']);
    expect((row!['dup'] as Row).fieldNames()).toEqual(['a', 'a']);
    expect(((row!['arr'] as Row[])[0] as Row).fieldNames()).toEqual(['a', 'a']);
    // Without the schema the Arrow names stay.
    expect((decodeArrowBatches([ipc({ st, arr })])[0]!['st'] as Row).fieldNames()).toEqual(['a_0', 'a_1']);
  });

  it('keeps repeated column names (a join) by position', () => {
    const id = fixed(new Int32(), new Int32Array([1]), [true]);
    const id2 = fixed(new Int32(), new Int32Array([2]), [true]);
    const fields = [new Field('id', new Int32(), true), new Field('id', new Int32(), true)];
    const data = makeData({ type: new Struct(fields), length: 1, nullCount: 0, children: [id, id2] });
    const [row] = decodeArrowBatches([tableToIPC(new Table([new RecordBatch(new Schema(fields), data)]), 'stream')]);
    expect(row!.values()).toEqual([1, 2]);
    expect(row!.get(1)).toBe(2);
    expect(row!['id']).toBe(1);
  });

  it('BIGINT: a number while safe, a bigint beyond 2^53, always bigint with { longs: "bigint" }', () => {
    const bytes = ipc({ id: makeVector(new BigInt64Array([1n, 9007199254740993n, -(2n ** 63n)])).data[0]! });
    expect(decodeArrowBatches([bytes]).map((r) => r['id'])).toEqual([1, 9007199254740993n, -(2n ** 63n)]);
    expect(decodeArrowBatches([bytes, bytes], { longs: 'bigint' }).map((r) => r['id'])).toEqual([
      1n,
      9007199254740993n,
      -(2n ** 63n),
      1n,
      9007199254740993n,
      -(2n ** 63n),
    ]);
  });
});
