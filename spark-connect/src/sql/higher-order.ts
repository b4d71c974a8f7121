// Spark's higher-order functions (transform, filter, aggregate...), named and ordered as in PySpark:
// the lambda is a TypeScript function of 1-3 Columns, called once here to build a Connect
// `LambdaFunction` whose parameters are fresh `UnresolvedNamedLambdaVariable`s (PySpark does the same).
import { create } from '@bufbuild/protobuf';
import { ExpressionSchema, type Expression } from '../gen/spark/connect/expressions_pb.js';
import { Column, functionExpression, nameToColumn, type ColumnOrName } from './column.js';

export type Lambda1 = (x: Column) => Column;
export type Lambda2 = (x: Column, y: Column) => Column;
export type Lambda3 = (x: Column, y: Column, z: Column) => Column;
type AnyLambda = Lambda1 | Lambda2 | Lambda3;

let lambdaCounter = 0;

/** Fresh names (`x_0`, `y_1`, ...) so that nested lambdas never capture each other's variables. */
function lambda(f: AnyLambda): Expression {
  const arity = f.length;
  if (arity < 1 || arity > 3) throw new RangeError(`a higher-order function's lambda takes 1 to 3 Columns, this one declares ${arity}`);
  const vars = ['x', 'y', 'z'].slice(0, arity).map((n) =>
    create(ExpressionSchema, {
      exprType: { case: 'unresolvedNamedLambdaVariable', value: { nameParts: [`${n}_${lambdaCounter++}`] } },
    }),
  );
  const body = (f as (...c: Column[]) => Column)(...vars.map((v) => new Column(v)));
  if (!(body instanceof Column)) throw new TypeError("a higher-order function's lambda must return a Column");
  const args = vars.map((v) => {
    if (v.exprType.case !== 'unresolvedNamedLambdaVariable') throw new Error('unreachable');
    return v.exprType.value;
  });
  return create(ExpressionSchema, { exprType: { case: 'lambdaFunction', value: { function: body.expr, arguments: args } } });
}

function higherOrder(name: string, cols: readonly ColumnOrName[], funs: readonly AnyLambda[]): Column {
  return new Column(functionExpression(name, [...cols.map((c) => nameToColumn(c).expr), ...funs.map(lambda)]));
}

/** Applies `f` to every element (`(x) => ...` or `(x, index) => ...`). */
export function transform(col: ColumnOrName, f: Lambda2): Column {
  return higherOrder('transform', [col], [f]);
}
/** The elements for which `f` holds. */
export function filter(col: ColumnOrName, f: Lambda2): Column {
  return higherOrder('filter', [col], [f]);
}
export function exists(col: ColumnOrName, f: Lambda1): Column {
  return higherOrder('exists', [col], [f]);
}
export function forall(col: ColumnOrName, f: Lambda1): Column {
  return higherOrder('forall', [col], [f]);
}
/** Folds the array into `initialValue` with `merge`, then applies `finish` (if given). */
export function aggregate(col: ColumnOrName, initialValue: ColumnOrName, merge: Lambda2, finish?: Lambda1): Column {
  return higherOrder('aggregate', [col, initialValue], finish ? [merge, finish] : [merge]);
}
/** PySpark 3.5's other name for `aggregate` (Spark's `reduce`). */
export function reduce(col: ColumnOrName, initialValue: ColumnOrName, merge: Lambda2, finish?: Lambda1): Column {
  return higherOrder('reduce', [col, initialValue], finish ? [merge, finish] : [merge]);
}
export function zip_with(left: ColumnOrName, right: ColumnOrName, f: Lambda2): Column {
  return higherOrder('zip_with', [left, right], [f]);
}
export function transform_keys(col: ColumnOrName, f: Lambda2): Column {
  return higherOrder('transform_keys', [col], [f]);
}
export function transform_values(col: ColumnOrName, f: Lambda2): Column {
  return higherOrder('transform_values', [col], [f]);
}
export function map_filter(col: ColumnOrName, f: Lambda2): Column {
  return higherOrder('map_filter', [col], [f]);
}
export function map_zip_with(col1: ColumnOrName, col2: ColumnOrName, f: Lambda3): Column {
  return higherOrder('map_zip_with', [col1, col2], [f]);
}
/** Sorts the array, by a comparator `(a, b) => negative | 0 | positive` if given. */
export function array_sort(col: ColumnOrName, comparator?: Lambda2): Column {
  return higherOrder('array_sort', [col], comparator ? [comparator] : []);
}
