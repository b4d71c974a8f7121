// Spark SQL functions, named as in PySpark's `pyspark.sql.functions`. Each builds an expression only;
// the server resolves the function by name, so `fn(name, ...)` reaches any function Spark has.
import { create } from '@bufbuild/protobuf';
import { ExpressionSchema } from '../gen/spark/connect/expressions_pb.js';
import { Column, toColumn, nameToColumn, type ColumnOrName, type ColumnOrValue, type LiteralValue } from './column.js';
import { StructType, type DataType, toSqlType } from './types.js';

/** A column by name. */
export function col(name: string): Column {
  return Column.named(name);
}
export const column = col;

/** A literal (a Column passes through unchanged). */
export function lit(value: LiteralValue | Column): Column {
  return toColumn(value);
}

/** A SQL expression string parsed by the server (`expr("a + 1 AS b")`). */
export function expr(sql: string): Column {
  return new Column(create(ExpressionSchema, { exprType: { case: 'expressionString', value: { expression: sql } } }));
}

/**
 * Calls any Spark SQL function by name: `fn('date_format', col('ts'), 'yyyy-MM-dd')`. Plain values,
 * *including strings*, become literals — pass column references as `col('name')`.
 */
export function fn(name: string, ...args: ColumnOrValue[]): Column {
  return Column.fn(name, ...args);
}
/** PySpark's `call_function`: like `fn`, but (as in PySpark) strings are column *names*. */
export function call_function(name: string, ...cols: ColumnOrName[]): Column {
  return Column.fn(name, ...cols.map(nameToColumn));
}

/** CASE WHEN; chain `.when(...)` and `.otherwise(...)` on the result. */
export function when(condition: Column, value: ColumnOrValue): Column {
  return Column.fn('when', condition, value);
}

export function struct(...cols: ColumnOrName[]): Column {
  return Column.fn('struct', ...cols.map(nameToColumn));
}

export function array(...cols: ColumnOrName[]): Column {
  return Column.fn('array', ...cols.map(nameToColumn));
}

/** `map(k1, v1, k2, v2, ...)`. */
export function create_map(...cols: ColumnOrValue[]): Column {
  return Column.fn('map', ...cols);
}

/** Options maps are passed the way PySpark does: `map(lit(k1), lit(v1), ...)`, all values as strings. */
function optionsToColumn(options: Readonly<Record<string, string | number | boolean>>): Column {
  return create_map(...Object.entries(options).flatMap(([k, v]) => [k, String(v)]));
}

/**
 * Parses a JSON string column into a struct. The schema is a StructType (sent as Spark's JSON schema
 * form, which the server turns into `JsonToStructs` directly) or a DDL string (`'a INT, b STRING'`).
 * Options are `from_json`'s JSON options (`mode`, `timestampFormat`, ...).
 */
export function from_json(
  column: ColumnOrName,
  schema: StructType | DataType | string | Column,
  options?: Readonly<Record<string, string | number | boolean>>,
): Column {
  const schemaCol =
    schema instanceof Column
      ? schema
      : typeof schema === 'string'
        ? lit(schema)
        : lit(schema instanceof StructType ? schema.json() : toJsonSchemaString(schema));
  const args: Column[] = [nameToColumn(column), schemaCol];
  if (options !== undefined) args.push(optionsToColumn(options));
  return Column.fn('from_json', ...args);
}

function toJsonSchemaString(t: DataType): string {
  // Non-struct schemas (arrays, maps) are sent as DDL type strings, which the server also accepts.
  return toSqlType(t);
}

export function to_json(column: ColumnOrName, options?: Readonly<Record<string, string | number | boolean>>): Column {
  const args: Column[] = [nameToColumn(column)];
  if (options !== undefined) args.push(optionsToColumn(options));
  return Column.fn('to_json', ...args);
}

export function current_timestamp(): Column {
  return Column.fn('current_timestamp');
}
export function current_date(): Column {
  return Column.fn('current_date');
}
export function regexp_like(str: ColumnOrName, regexp: ColumnOrName | string): Column {
  return Column.fn('regexp_like', nameToColumn(str), typeof regexp === 'string' ? lit(regexp) : regexp);
}
export function rlike(str: ColumnOrName, regexp: ColumnOrName | string): Column {
  return Column.fn('rlike', nameToColumn(str), typeof regexp === 'string' ? lit(regexp) : regexp);
}
export function coalesce(...cols: ColumnOrName[]): Column {
  return Column.fn('coalesce', ...cols.map(nameToColumn));
}
export function concat_ws(sep: string, ...cols: ColumnOrName[]): Column {
  return Column.fn('concat_ws', sep, ...cols.map(nameToColumn));
}
export function to_timestamp(column: ColumnOrName, format?: string): Column {
  return format === undefined ? Column.fn('to_timestamp', nameToColumn(column)) : Column.fn('to_timestamp', nameToColumn(column), format);
}
export function upper(column: ColumnOrName): Column {
  return Column.fn('upper', nameToColumn(column));
}
export function lower(column: ColumnOrName): Column {
  return Column.fn('lower', nameToColumn(column));
}
export function trim(column: ColumnOrName): Column {
  return Column.fn('trim', nameToColumn(column));
}
export function length(column: ColumnOrName): Column {
  return Column.fn('length', nameToColumn(column));
}
export function isnull(column: ColumnOrName): Column {
  return nameToColumn(column).isNull();
}
export function isnotnull(column: ColumnOrName): Column {
  return nameToColumn(column).isNotNull();
}
/** Fails the row (and a streaming query) with `message` when evaluated. */
export function raise_error(message: ColumnOrValue): Column {
  return Column.fn('raise_error', message);
}
export function assert_true(condition: Column, message?: ColumnOrValue): Column {
  return message === undefined ? Column.fn('assert_true', condition) : Column.fn('assert_true', condition, message);
}
export function count(column: ColumnOrName): Column {
  return Column.fn('count', nameToColumn(column));
}
export function sum(column: ColumnOrName): Column {
  return Column.fn('sum', nameToColumn(column));
}
export function max(column: ColumnOrName): Column {
  return Column.fn('max', nameToColumn(column));
}
export function min(column: ColumnOrName): Column {
  return Column.fn('min', nameToColumn(column));
}
export function avg(column: ColumnOrName): Column {
  return Column.fn('avg', nameToColumn(column));
}
export function uuid(): Column {
  return Column.fn('uuid');
}
export function window(timeColumn: ColumnOrName, windowDuration: string, slideDuration?: string): Column {
  return slideDuration === undefined
    ? Column.fn('window', nameToColumn(timeColumn), windowDuration)
    : Column.fn('window', nameToColumn(timeColumn), windowDuration, slideDuration);
}
