// Spark SQL functions, named as in PySpark's `pyspark.sql.functions`. Each builds an expression only;
// the server resolves the function by name, so `fn(name, ...)` reaches any function Spark has.
// This file holds the functions that need special handling (literals, schemas, options, DISTINCT, sort
// orders, lambdas in higher-order.ts); every other PySpark function is generated into src/gen/functions.ts
// by scripts/gen-functions.py and re-exported at the end. The generator skips every name exported here.
import { create } from '@bufbuild/protobuf';
import { ExpressionSchema, Expression_SortOrder_NullOrdering, Expression_SortOrder_SortDirection } from '../gen/spark/connect/expressions_pb.js';
import { Column, functionExpression, toColumn, nameToColumn, type ColumnOrName, type ColumnOrValue, type LiteralValue } from './column.js';
import { optionsToColumn } from './function-args.js';
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

// ---- special cases the generator leaves out (scripts/gen-functions.py lists why in SKIPPED) ----

/** Aggregate: the number of distinct (non-null) combinations of the columns. */
export function count_distinct(col: ColumnOrName, ...cols: ColumnOrName[]): Column {
  return new Column(
    functionExpression(
      'count',
      [col, ...cols].map((c) => nameToColumn(c).expr),
      true,
    ),
  );
}
export const countDistinct = count_distinct;
/** Aggregate: the sum of the distinct values. */
export function sum_distinct(col: ColumnOrName): Column {
  return new Column(functionExpression('sum', [nameToColumn(col).expr], true));
}
export const sumDistinct = sum_distinct;
export const mean = avg;
/** Aggregate (Spark 4.0+): the distinct values concatenated, separated by `delimiter`. */
export function listagg_distinct(col: ColumnOrName, delimiter?: string | Uint8Array | Column): Column {
  const args = [nameToColumn(col).expr, ...(delimiter === undefined ? [] : [toColumn(delimiter).expr])];
  return new Column(functionExpression('listagg', args, true));
}
export const string_agg_distinct = listagg_distinct;
/** `log(col)` is the natural logarithm; `log(base, col)` the logarithm in `base` (PySpark's argument order). */
export function log(arg1: ColumnOrName | number, arg2?: ColumnOrName): Column {
  if (arg2 === undefined) return Column.fn('ln', typeof arg1 === 'number' ? arg1 : nameToColumn(arg1));
  return Column.fn('log', typeof arg1 === 'number' ? arg1 : nameToColumn(arg1), nameToColumn(arg2));
}
/** Converts `sourceTs` from `sourceTz` (the session time zone when null) to `targetTz`. */
export function convert_timezone(sourceTz: Column | null, targetTz: Column, sourceTs: ColumnOrName): Column {
  return sourceTz === null
    ? Column.fn('convert_timezone', targetTz, nameToColumn(sourceTs))
    : Column.fn('convert_timezone', sourceTz, targetTz, nameToColumn(sourceTs));
}
/** Parses an XML string column (Spark 4.0+) with a StructType, DDL string or Column schema. */
export function from_xml(column: ColumnOrName, schema: StructType | string | Column, options?: Readonly<Record<string, string | number | boolean>>): Column {
  const schemaCol = schema instanceof Column ? schema : lit(typeof schema === 'string' ? schema : schema.json());
  const args: Column[] = [nameToColumn(column), schemaCol];
  if (options !== undefined) args.push(optionsToColumn(options));
  return Column.fn('from_xml', ...args);
}
export function asc(col: ColumnOrName): Column {
  return nameToColumn(col).asc();
}
export function desc(col: ColumnOrName): Column {
  return nameToColumn(col).desc();
}
export function asc_nulls_first(col: ColumnOrName): Column {
  return nameToColumn(col).asc();
}
export function desc_nulls_last(col: ColumnOrName): Column {
  return nameToColumn(col).desc();
}
export function asc_nulls_last(col: ColumnOrName): Column {
  return sortOrder(nameToColumn(col), Expression_SortOrder_SortDirection.ASCENDING, Expression_SortOrder_NullOrdering.SORT_NULLS_LAST);
}
export function desc_nulls_first(col: ColumnOrName): Column {
  return sortOrder(nameToColumn(col), Expression_SortOrder_SortDirection.DESCENDING, Expression_SortOrder_NullOrdering.SORT_NULLS_FIRST);
}
function sortOrder(c: Column, direction: Expression_SortOrder_SortDirection, nullOrdering: Expression_SortOrder_NullOrdering): Column {
  return new Column(create(ExpressionSchema, { exprType: { case: 'sortOrder', value: { child: c.expr, direction, nullOrdering } } }));
}

export * from './higher-order.js';
export * from './sql-functions.js';
// Everything else PySpark's `functions` has, generated (src/gen is built by `make generate`).
export * from '../gen/functions.js';
