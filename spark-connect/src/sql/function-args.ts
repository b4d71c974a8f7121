// How the generated function wrappers (src/gen/functions.ts) turn their arguments into expressions,
// following PySpark's Connect client: a `ColumnOrName` string is a column name, any other plain value
// a literal (arrays become array literals, option records a map of strings).
import { Column, nameToColumn, toColumn, type ColumnOrName, type ColumnOrValue, type LiteralValue } from './column.js';

/** What a wrapper accepts where PySpark accepts a value or a list of values. */
export type ValueArg = ColumnOrValue | readonly ColumnOrValue[];

/** A literal, a Column as is, or an array literal for a list (PySpark's `lit([1, 2])`). */
export function valueToColumn(v: ValueArg): Column {
  if (Array.isArray(v)) return Column.fn('array', ...v.map((x: ColumnOrValue) => toColumn(x)));
  return toColumn(v as ColumnOrValue);
}

/** For `Union[ColumnOrName, int, List[...]]` parameters: strings are names, the rest values. */
export function nameOrValueToColumn(v: ColumnOrName | ValueArg): Column {
  return typeof v === 'string' ? nameToColumn(v) : valueToColumn(v);
}

/** Options are sent the way PySpark does: `map(k1, v1, ...)`, every value as a string. */
export function optionsToColumn(options: Readonly<Record<string, string | number | boolean>>): Column {
  return Column.fn('map', ...Object.entries(options).flatMap(([k, v]) => [k, String(v)]));
}

/**
 * Calls `name` with the arguments given: trailing omitted (undefined) optional arguments are dropped, as
 * PySpark drops them; an omitted one before a given one is sent as NULL (the server's "not set").
 */
export function callTrimmed(name: string, args: readonly (Column | undefined)[]): Column {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return Column.fn(name, ...args.slice(0, end).map((a) => a ?? Column.literal(null as LiteralValue)));
}
