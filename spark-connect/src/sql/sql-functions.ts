// Spark SQL functions of the server's registry that PySpark's `functions` module has no wrapper for
// (SQL-only names, and the Avro/Protobuf functions PySpark keeps in separate modules). Same calling
// convention as the generated wrappers: a `ColumnOrName` string is a column name, other values literals.
import { Column, nameToColumn, toColumn, type ColumnOrName, type ColumnOrValue } from './column.js';
import { optionsToColumn } from './function-args.js';

type Options = Readonly<Record<string, string | number | boolean>>;

/** Aggregate: true if any value is true (SQL's `any`, PySpark's `bool_or`). */
export function any(col: ColumnOrName): Column {
  return Column.fn('any', nameToColumn(col));
}
/** The character of the code point `col` (SQL's `chr`, PySpark's `char`). */
export function chr(col: ColumnOrName): Column {
  return Column.fn('chr', nameToColumn(col));
}
/** Integral division (`a div b`). */
export function div(left: ColumnOrName, right: ColumnOrName | number): Column {
  return Column.fn('div', nameToColumn(left), typeof right === 'number' ? right : nameToColumn(right));
}
/** Character length of a string, byte length of a binary (SQL's `len`, PySpark's `length`). */
export function len(col: ColumnOrName): Column {
  return Column.fn('len', nameToColumn(col));
}
/** True if the digit string passes the Luhn check. */
export function luhn_check(col: ColumnOrName): Column {
  return Column.fn('luhn_check', nameToColumn(col));
}
/** The remainder of `left / right` (SQL's `mod`, the `%` operator). */
export function mod(left: ColumnOrName, right: ColumnOrName | number): Column {
  return Column.fn('mod', nameToColumn(left), typeof right === 'number' ? right : nameToColumn(right));
}
/** A uniform random double in [0, 1) (SQL's `random`, PySpark's `rand`). */
export function random(seed?: number): Column {
  return seed === undefined ? Column.fn('random') : Column.fn('random', seed);
}
/** A string of `n` spaces. */
export function space(n: ColumnOrName | number): Column {
  return Column.fn('space', typeof n === 'number' ? n : nameToColumn(n));
}
/** SQL's `if(condition, then, else)` (or use `when(...).otherwise(...)`). Exported as `if`. */
function if_(condition: Column, then: ColumnOrValue, otherwise: ColumnOrValue): Column {
  return Column.fn('if', condition, toColumn(then), toColumn(otherwise));
}
export { if_ as if };

// Avro and Protobuf (Spark 4.0's registry has them; on 3.5 they need the spark-avro/-protobuf module).

/** Decodes Avro binary with a JSON Avro schema (PySpark's `pyspark.sql.avro.functions.from_avro`). */
export function from_avro(data: ColumnOrName, jsonFormatSchema: string, options?: Options): Column {
  return Column.fn('from_avro', nameToColumn(data), jsonFormatSchema, ...(options ? [optionsToColumn(options)] : []));
}
/** Encodes a column as Avro binary, with a JSON Avro schema if given. */
export function to_avro(data: ColumnOrName, jsonFormatSchema?: string): Column {
  return Column.fn('to_avro', nameToColumn(data), ...(jsonFormatSchema === undefined ? [] : [jsonFormatSchema]));
}
/** The DDL schema a JSON Avro schema describes (Spark 4.0+). */
export function schema_of_avro(jsonFormatSchema: string, options?: Options): Column {
  return Column.fn('schema_of_avro', jsonFormatSchema, ...(options ? [optionsToColumn(options)] : []));
}
/** Decodes Protobuf binary as `messageName` (a Java class, or a message of the descriptor file). */
export function from_protobuf(data: ColumnOrName, messageName: string, descFilePath?: string, options?: Options): Column {
  const rest: Column[] = [];
  if (descFilePath !== undefined) rest.push(Column.literal(descFilePath));
  if (options !== undefined) rest.push(optionsToColumn(options));
  return Column.fn('from_protobuf', nameToColumn(data), messageName, ...rest);
}
/** Encodes a struct column as Protobuf binary of `messageName`. */
export function to_protobuf(data: ColumnOrName, messageName: string, descFilePath?: string, options?: Options): Column {
  const rest: Column[] = [];
  if (descFilePath !== undefined) rest.push(Column.literal(descFilePath));
  if (options !== undefined) rest.push(optionsToColumn(options));
  return Column.fn('to_protobuf', nameToColumn(data), messageName, ...rest);
}
