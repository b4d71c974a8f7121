// The parity cases: typed SQL queries, lit() of JS values beside the Python values PySpark users
// write, and createDataFrame of local rows. Each runs through this client and through PySpark
// Connect against the same server; parity.test.ts compares the canonical results.
import {
  ArrayType,
  DayTimeInterval,
  Decimal,
  DecimalType,
  IntegerType,
  LocalDate,
  LocalDateTime,
  LongType,
  MapType,
  StringType,
  StructType,
  Timestamp,
  TimestampNTZType,
  TimestampType,
  DateType,
  type LiteralValue,
  type Value,
} from '../../../../spark-connect/src/index.js';

export type ParityCase =
  | { id: string; sql: string /** PySpark 3.5 cannot decode the result: it runs this query instead, whose values must match. */; pysparkSql?: string }
  | { id: string; lits: [name: string, js: LiteralValue, python: string][] }
  | { id: string; query: string; args: [name: string, js: LiteralValue, python: string][] }
  | { id: string; schema: StructType; rows: Record<string, Value>[]; pythonRows: string };

export const CASES: ParityCase[] = [
  {
    id: 'integers',
    sql: `SELECT CAST(127 AS TINYINT) b, CAST(-128 AS TINYINT) bmin, CAST(-32768 AS SMALLINT) s, 2147483647 i, -2147483648 imin,
                 9223372036854775807L lmax, -9223372036854775808L lmin, 9007199254740993L beyond53, -9007199254740993L nbeyond53, 0L zero`,
  },
  {
    id: 'floats',
    sql: `SELECT CAST('NaN' AS DOUBLE) nan, CAST('Infinity' AS DOUBLE) inf, CAST('-Infinity' AS DOUBLE) ninf, -0.0D nzero,
                 0.1D + 0.2D sum, 1.7976931348623157E308D max, 4.9E-324D tiny, CAST(3.4028235E38 AS FLOAT) fmax,
                 CAST(0.1 AS FLOAT) f01, CAST('NaN' AS FLOAT) fnan, CAST('-Infinity' AS FLOAT) fninf, CAST(-0.0 AS FLOAT) fnzero`,
  },
  {
    id: 'decimals',
    sql: `SELECT CAST('12345678901234567890.123456789' AS DECIMAL(38,9)) d, CAST(0 AS DECIMAL(20,10)) z, CAST(-1.5 AS DECIMAL(5,2)) neg,
                 99999999999999999999999999999999999999BD max38, -99999999999999999999999999999999999999BD min38,
                 CAST('-0.00000000000000000000000000000000000001' AS DECIMAL(38,38)) tiny, 1.10BD lit, CAST(7 AS DECIMAL(1,0)) one,
                 CAST(1 AS DECIMAL(38,0)) / 3 third, CAST(9007199254740993 AS DECIMAL(20,0)) beyond53`,
  },
  {
    id: 'strings, binary, booleans',
    sql: `SELECT 'héllo ✓ 😀' s, '' empty, X'' eb, X'00FF10DEADBEEF' b, true t, false f, CAST(NULL AS BOOLEAN) nb, CAST(NULL AS BINARY) nbin`,
  },
  {
    id: 'dates',
    sql: `SELECT DATE'2024-02-29' leap, DATE'1969-12-31' before, DATE'0001-01-01' first, DATE'9999-12-31' last, DATE'1582-10-04' julian_edge,
                 DATE'1000-01-01' y1000, date_add(DATE'2024-02-28', 1) added`,
  },
  {
    id: 'timestamps (µs)',
    sql: `SELECT TIMESTAMP'2024-01-02 03:04:05.123456' ts, TIMESTAMP'1969-12-31 23:59:59.999999' neg, TIMESTAMP'1970-01-01 00:00:00.000001' one,
                 TIMESTAMP'0001-01-01 00:00:00' early, TIMESTAMP'9999-12-31 23:59:59.999999' late, timestamp_micros(1704164645123457) tm,
                 make_timestamp(2024, 1, 2, 3, 4, 5.678901) mt, TIMESTAMP'1900-01-01 00:00:00.5' old`,
  },
  {
    id: 'timestamp_ntz (µs)',
    sql: `SELECT TIMESTAMP_NTZ'2024-01-02 03:04:05.123456' a, TIMESTAMP_NTZ'1900-01-01 00:00:00.000001' b, TIMESTAMP_NTZ'1969-12-31 23:59:59.999999' c,
                 CAST(NULL AS TIMESTAMP_NTZ) n, make_timestamp_ntz(2024, 2, 29, 23, 59, 59.999999) m`,
  },
  {
    id: 'day-time intervals',
    sql: `SELECT INTERVAL '3 4:05:06.789012' DAY TO SECOND dt, INTERVAL '-0.000001' SECOND neg, INTERVAL '106751991 04:00:54.775807' DAY TO SECOND max,
                 INTERVAL '2' HOUR h, INTERVAL '10:20' HOUR TO MINUTE hm, TIMESTAMP'2024-01-02 00:00:00' - TIMESTAMP'2024-01-01 00:00:00.5' diff`,
  },
  {
    // PySpark 3.5.7 cannot decode INTERVAL YEAR TO MONTH (KeyError in its Arrow conversion); it counts the months instead.
    id: 'year-month intervals',
    sql: `SELECT i AS ym FROM VALUES (INTERVAL '2-3' YEAR TO MONTH), (INTERVAL '-1-1' YEAR TO MONTH), (INTERVAL '0' MONTH) AS t(i)`,
    pysparkSql: `SELECT extract(YEAR FROM i) * 12 + extract(MONTH FROM i) AS ym FROM VALUES (INTERVAL '2-3' YEAR TO MONTH), (INTERVAL '-1-1' YEAR TO MONTH), (INTERVAL '0' MONTH) AS t(i)`,
  },
  // The server refuses to send a CalendarInterval to any client: both must report the same error class.
  { id: 'calendar interval (server error)', sql: 'SELECT make_interval(1, 2, 3, 4, 5, 6, 7.000008) ci' },
  {
    id: 'arrays',
    sql: `SELECT array(1, null, 3) a, array() e, CAST(NULL AS ARRAY<INT>) n, array(array(1), null, array()) nested,
                 array(TIMESTAMP'2024-01-02 03:04:05.000001', null) ts, array(CAST(1.25 AS DECIMAL(4,2))) dec, array(X'01', X'') bins,
                 array(CAST('NaN' AS DOUBLE), -0.0D) fl, array(9007199254740993L) longs`,
  },
  {
    id: 'maps with typed values',
    sql: `SELECT map('a', 1, 'b', null) m, map(1, TIMESTAMP'2024-01-02 03:04:05.123456') mt, map('d', CAST(1.5 AS DECIMAL(10,3))) md,
                 map('x', array(1, 2), 'y', null) ma, map('s', named_struct('x', 1, 'y', 'z')) ms, map() empty, CAST(NULL AS MAP<STRING,INT>) n,
                 map(DATE'2024-01-01', X'01') mdb, map(9007199254740993L, 1.5D) ml, map(named_struct('k', 1), 'v') sk,
                 map('ntz', TIMESTAMP_NTZ'2024-01-02 03:04:05.000009') mntz, map('i', INTERVAL '1.000001' SECOND) mi`,
  },
  {
    id: 'structs (repeated names, nulls at every level)',
    sql: `SELECT named_struct('a', 1, 'a', 2) dup, named_struct('x', null) nx, CAST(NULL AS STRUCT<a:INT>) n,
                 named_struct('i', named_struct('j', named_struct('k', TIMESTAMP'2024-01-02 03:04:05.999999'))) deep,
                 named_struct('arr', array(named_struct('m', map('k', CAST(NULL AS DECIMAL(3,1)))), null)) mix,
                 named_struct('a', CAST(NULL AS STRUCT<b:ARRAY<INT>>), 'c', array(CAST(NULL AS STRUCT<d:INT>))) nulls`,
  },
  {
    id: 'nulls of every type',
    sql: `SELECT CAST(NULL AS TINYINT) a, CAST(NULL AS BIGINT) b, CAST(NULL AS DOUBLE) c, CAST(NULL AS DECIMAL(5,2)) d, CAST(NULL AS STRING) e,
                 CAST(NULL AS BINARY) f, CAST(NULL AS DATE) g, CAST(NULL AS TIMESTAMP) h, CAST(NULL AS TIMESTAMP_NTZ) i,
                 CAST(NULL AS INTERVAL DAY TO SECOND) j, NULL k, CAST(NULL AS FLOAT) l, CAST(NULL AS SMALLINT) m`,
  },
  { id: 'join with duplicate column names', sql: `SELECT * FROM (SELECT 1 AS id, 'x' AS v) a JOIN (SELECT 1 AS id, 'y' AS v) b ON a.id = b.id` },
  {
    id: 'left join, repeated names, nulls',
    sql: `SELECT a.*, b.* FROM VALUES (1, 'a'), (2, NULL), (3, 'c') AS a(id, v)
          LEFT JOIN VALUES (1, TIMESTAMP'2024-01-02 03:04:05.000001', 1.5BD), (3, NULL, NULL) AS b(id, v, d) ON a.id = b.id ORDER BY a.id`,
  },
  {
    id: 'many rows over several Arrow batches',
    sql: `SELECT id, id * 1.5D d, CAST(id AS DECIMAL(20,2)) / 3 q, timestamp_micros(id * 1000001 - 5000000000) t, IF(id % 7 = 0, NULL, CAST(id AS STRING)) s
          FROM range(0, 6000, 1, 3) ORDER BY id`,
  },
  {
    id: 'aggregates',
    sql: `SELECT sum(CAST(id AS DECIMAL(38,0))) s, avg(id) a, stddev(id) sd, count(*) c, sort_array(collect_list(id)) l, max(timestamp_micros(id)) mx,
                 avg(CAST(id AS DECIMAL(10,1))) adec FROM range(10)`,
  },
  {
    id: 'lit() of JS values vs PySpark lit() of Python values',
    lits: [
      ['int', 1, '1'],
      ['int_max', 2 ** 31 - 1, '2**31 - 1'],
      ['long', 2 ** 31, '2**31'],
      ['bigint', 2n ** 62n, '2**62'],
      ['double', 1.5, '1.5'],
      ['neg_zero', -0, '-0.0'],
      ['nan', Number.NaN, "float('nan')"],
      ['inf', Number.NEGATIVE_INFINITY, "float('-inf')"],
      ['str', 'héllo', "'héllo'"],
      ['bool', true, 'True'],
      ['bytes', new Uint8Array([1, 2, 255]), "bytearray(b'\\x01\\x02\\xff')"],
      ['none', null, 'None'],
      ['date_js', new Date('2024-01-02T03:04:05.123Z'), 'datetime.datetime(2024, 1, 2, 3, 4, 5, 123000, tzinfo=datetime.timezone.utc)'],
      ['ts_us', Timestamp.fromISO('2024-01-02T03:04:05.123456Z'), 'datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc)'],
      ['day', LocalDate.fromISO('2024-02-29'), 'datetime.date(2024, 2, 29)'],
      ['dec', new Decimal('12345678901234.50'), "decimal.Decimal('12345678901234.50')"],
      ['dec_small', new Decimal('1.5'), "decimal.Decimal('1.5')"],
      ['dec_neg', new Decimal('-0.001'), "decimal.Decimal('-0.001')"],
      ['delta', new DayTimeInterval(86_400_000_005n), 'datetime.timedelta(days=1, microseconds=5)'],
    ],
  },
  {
    id: 'spark.sql() named parameters',
    query: 'SELECT :i AS i, :l AS l, :d AS d, :ts AS ts, :day AS day, :dec AS dec, :b AS b, typeof(:dec) AS dec_type, :ts + INTERVAL 1 MICROSECOND AS ts1',
    args: [
      ['i', 7, '7'],
      ['l', 2n ** 40n, '2**40'],
      ['d', 0.1, '0.1'],
      ['ts', Timestamp.fromISO('2024-01-02T03:04:05.999999Z'), 'datetime.datetime(2024, 1, 2, 3, 4, 5, 999999, tzinfo=datetime.timezone.utc)'],
      ['day', LocalDate.fromISO('1969-12-31'), 'datetime.date(1969, 12, 31)'],
      ['dec', new Decimal('-123.4500'), "decimal.Decimal('-123.4500')"],
      ['b', new Uint8Array([0, 255]), "bytearray(b'\\x00\\xff')"],
    ],
  },
  {
    id: 'createDataFrame of local rows',
    schema: new StructType()
      .add('ts', TimestampType())
      .add('ntz', TimestampNTZType())
      .add('d', DateType())
      .add('dec', DecimalType(20, 4))
      .add('l', LongType())
      .add('arr', ArrayType(IntegerType()))
      .add('m', MapType(StringType(), DecimalType(5, 2)))
      .add('st', new StructType().add('x', IntegerType()).add('y', StringType())),
    rows: [
      {
        ts: Timestamp.fromISO('2024-01-02T03:04:05.123456Z'),
        ntz: LocalDateTime.fromISO('2024-01-02T03:04:05.000001'),
        d: LocalDate.fromISO('2024-02-29'),
        dec: '1234567890123456.7891',
        l: 9007199254740993n,
        arr: [1, null, 3],
        m: new Map([
          ['a', '1.50'],
          ['b', null],
        ]),
        st: { x: 1, y: null },
      },
      { ts: null, ntz: null, d: null, dec: null, l: null, arr: null, m: null, st: null },
    ],
    pythonRows: `[
      (datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc), datetime.datetime(2024, 1, 2, 3, 4, 5, 1),
       datetime.date(2024, 2, 29), decimal.Decimal('1234567890123456.7891'), 9007199254740993, [1, None, 3],
       {'a': decimal.Decimal('1.50'), 'b': None}, Row(x=1, y=None)),
      (None, None, None, None, None, None, None, None),
    ]`,
  },
];
