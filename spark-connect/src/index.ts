// spark-connect: a typed TypeScript client for Spark Connect with Structured Streaming.
// The public surface mirrors PySpark (camelCase). Building DataFrames and commands is pure; only
// actions (collect, count, show, schema, explain, start, query methods...) talk to the server.
export { SparkSession, SparkSessionBuilder } from './sql/session.js';
export { DataFrame, GroupedData, type ExplainMode, type JoinType } from './sql/dataframe.js';
export { Column, type ColumnOrName, type ColumnOrValue, type LiteralValue } from './sql/column.js';
export * as functions from './sql/functions.js';
export {
  col,
  column,
  lit,
  expr,
  fn,
  call_function,
  when,
  struct,
  array,
  create_map,
  from_json,
  to_json,
  current_timestamp,
  current_date,
  regexp_like,
  rlike,
  coalesce,
  concat_ws,
  to_timestamp,
  upper,
  lower,
  trim,
  length,
  isnull,
  isnotnull,
  raise_error,
  assert_true,
  count,
  sum,
  max,
  min,
  avg,
  uuid,
  window,
} from './sql/functions.js';
export {
  StructType,
  NullType,
  BinaryType,
  BooleanType,
  ByteType,
  ShortType,
  IntegerType,
  LongType,
  FloatType,
  DoubleType,
  StringType,
  DateType,
  TimestampType,
  TimestampNTZType,
  DecimalType,
  CalendarIntervalType,
  DayTimeIntervalType,
  YearMonthIntervalType,
  ArrayType,
  MapType,
  toSqlType,
  typeName,
  fromProtoDataType,
  toProtoDataType,
  type DataType,
  type StructField,
  type AtomicType,
  type IntervalType,
  type CharType,
  type OtherType,
} from './sql/types.js';
export {
  DataStreamReader,
  DataStreamWriter,
  StreamingQuery,
  StreamingQueryManager,
  type Trigger,
  type OutputMode,
  type OptionValue,
  type StreamingQueryStatus,
  type StreamingQueryCommandInit,
  type ManagerCommandInit,
} from './sql/streaming.js';
export { parseProgress, type StreamingQueryProgress, type SourceProgress, type SinkProgress, type StateOperatorProgress } from './sql/progress.js';
export { RuntimeConfig } from './sql/conf.js';
export {
  Catalog,
  type CatalogMetadata,
  type Database,
  type Table,
  type CatalogColumn,
  type CatalogFunction,
  type CreateTableOptions,
} from './sql/catalog.js';
export { UDFRegistration } from './sql/udf.js';
export { StorageLevel } from './sql/storage-level.js';
export { Observation } from './sql/observation.js';
export type { GroupType } from './sql/grouped.js';
export { Window, WindowSpec, type FrameBound } from './sql/window.js';
export { DataFrameNaFunctions, type NaValue } from './sql/na.js';
export { DataFrameStatFunctions } from './sql/stat.js';
export { DataFrameReader } from './sql/reader.js';
export { DataFrameWriter, type SaveMode, type WriteTarget } from './sql/writer.js';
export { DataFrameWriterV2 } from './sql/writer-v2.js';
export { decodeArrowBatches, type Value, type CollectOptions, type ActionOptions } from './sql/arrow.js';
export { Row, isRow, RowFieldError, type RowMethods, type RowConstructor } from './sql/row.js';
export { Timestamp, LocalDateTime, LocalDate, Decimal, YearMonthInterval, DayTimeInterval, CalendarInterval, SparkValueError } from './sql/values.js';
export { LocalDataError } from './sql/local-data.js';
export type { JsonValue } from './json.js';
export { SparkConnectClient, CLIENT_TYPE, CLIENT_VERSION, KEEPALIVE_INTERVAL_MS, type ClientOptions } from './client/client.js';
export { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './client/retry.js';
export type { ExecuteOptions } from './client/execute.js';
export {
  parseConnectionString,
  resolveRemote,
  InvalidConnectionStringError,
  DEFAULT_PORT,
  DEFAULT_REMOTE,
  type ConnectionOptions,
} from './client/connection-string.js';
export {
  SparkConnectError,
  SparkConnectUnavailableError,
  AnalysisException,
  ParseException,
  StreamingQueryException,
  QueryExecutionException,
  IllegalArgumentException,
  NumberFormatException,
  ArithmeticException,
  UnsupportedOperationException,
  DateTimeException,
  SparkRuntimeException,
  SparkUpgradeException,
  SparkException,
  UnsupportedServerVersionError,
  errorFromErrorInfo,
  type SparkErrorDetails,
} from './client/errors.js';
