// Column: an immutable wrapper around a Connect `Expression` message. Every method returns a new
// Column; nothing here performs I/O, so expressions can be built and asserted on in unit tests.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  ExpressionSchema,
  Expression_Cast_EvalMode,
  Expression_SortOrder_NullOrdering,
  Expression_SortOrder_SortDirection,
  type Expression,
} from '../gen/spark/connect/expressions_pb.js';
import { literal, type LiteralValue } from './literal.js';
import { toProtoDataType, type DataType } from './types.js';

// literal() lives in literal.ts (typed like PySpark's lit()); re-exported for existing importers.
export { literal, type LiteralValue };
/** Wherever a column is expected, a plain value is accepted as a literal (as in PySpark). */
export type ColumnOrValue = Column | LiteralValue;
/** Wherever a column *name* is accepted, a Column is too. */
export type ColumnOrName = Column | string;

function expression(exprType: MessageInitShape<typeof ExpressionSchema>['exprType']): Expression {
  return create(ExpressionSchema, { exprType });
}

/** An `UnresolvedFunction` expression: how every named Spark function (and operator) is called. */
export function functionExpression(name: string, args: readonly Expression[], isDistinct = false): Expression {
  return expression({ case: 'unresolvedFunction', value: { functionName: name, arguments: [...args], isDistinct } });
}

export class Column {
  /** The Connect expression this column stands for. */
  readonly expr: Expression;

  constructor(expr: Expression) {
    this.expr = expr;
  }

  /** A column reference by name (`a`, `a.b`, `` `weird name` ``); `*` and `t.*` become stars. */
  static named(name: string, planId?: bigint, opts: { metadataColumn?: boolean } = {}): Column {
    if (name === '*') return new Column(expression({ case: 'unresolvedStar', value: {} }));
    if (name.endsWith('.*')) return new Column(expression({ case: 'unresolvedStar', value: { unparsedTarget: name } }));
    return new Column(
      expression({
        case: 'unresolvedAttribute',
        value: { unparsedIdentifier: name, ...(planId !== undefined ? { planId } : {}), ...(opts.metadataColumn ? { isMetadataColumn: true } : {}) },
      }),
    );
  }

  /** The columns whose names match a backquoted regular expression (`` `(a|b)_.*` ``), as `df.colRegex`. */
  static regex(colName: string, planId?: bigint): Column {
    return new Column(expression({ case: 'unresolvedRegex', value: { colName, ...(planId !== undefined ? { planId } : {}) } }));
  }

  static literal(value: LiteralValue): Column {
    return new Column(expression({ case: 'literal', value: literal(value) }));
  }

  static fn(name: string, ...args: ColumnOrValue[]): Column {
    return new Column(
      functionExpression(
        name,
        args.map((a) => toColumn(a).expr),
      ),
    );
  }

  private bin(op: string, other: ColumnOrValue): Column {
    return Column.fn(op, this, other);
  }

  // Arithmetic
  plus(other: ColumnOrValue): Column {
    return this.bin('+', other);
  }
  minus(other: ColumnOrValue): Column {
    return this.bin('-', other);
  }
  multiply(other: ColumnOrValue): Column {
    return this.bin('*', other);
  }
  divide(other: ColumnOrValue): Column {
    return this.bin('/', other);
  }
  mod(other: ColumnOrValue): Column {
    return this.bin('%', other);
  }
  negate(): Column {
    return Column.fn('negative', this);
  }
  // Bitwise, on integral columns (PySpark's names).
  bitwiseAND(other: ColumnOrValue): Column {
    return this.bin('&', other);
  }
  bitwiseOR(other: ColumnOrValue): Column {
    return this.bin('|', other);
  }
  bitwiseXOR(other: ColumnOrValue): Column {
    return this.bin('^', other);
  }

  // Comparison
  eq(other: ColumnOrValue): Column {
    return this.bin('==', other);
  }
  /** Alias of `eq` (Scala's `equalTo`). */
  equalTo(other: ColumnOrValue): Column {
    return this.eq(other);
  }
  notEqual(other: ColumnOrValue): Column {
    return this.eq(other).not();
  }
  /** Null-safe equality (`<=>`). */
  eqNullSafe(other: ColumnOrValue): Column {
    return this.bin('<=>', other);
  }
  gt(other: ColumnOrValue): Column {
    return this.bin('>', other);
  }
  geq(other: ColumnOrValue): Column {
    return this.bin('>=', other);
  }
  lt(other: ColumnOrValue): Column {
    return this.bin('<', other);
  }
  leq(other: ColumnOrValue): Column {
    return this.bin('<=', other);
  }
  between(lower: ColumnOrValue, upper: ColumnOrValue): Column {
    return this.geq(lower).and(this.leq(upper));
  }
  isin(...values: ColumnOrValue[]): Column {
    return Column.fn('in', this, ...values);
  }

  // Boolean
  and(other: ColumnOrValue): Column {
    return this.bin('and', other);
  }
  or(other: ColumnOrValue): Column {
    return this.bin('or', other);
  }
  not(): Column {
    return Column.fn('not', this);
  }
  isNull(): Column {
    return Column.fn('isnull', this);
  }
  /** True for the floating-point NaN value. */
  isNaN(): Column {
    return Column.fn('isNaN', this);
  }
  isNotNull(): Column {
    return Column.fn('isnotnull', this);
  }

  // Strings
  like(pattern: string): Column {
    return this.bin('like', pattern);
  }
  /** Case-insensitive LIKE. */
  ilike(pattern: string): Column {
    return Column.fn('ilike', this, pattern);
  }
  rlike(regex: string): Column {
    return this.bin('rlike', regex);
  }
  contains(other: ColumnOrValue): Column {
    return this.bin('contains', other);
  }
  startsWith(other: ColumnOrValue): Column {
    return this.bin('startswith', other);
  }
  endsWith(other: ColumnOrValue): Column {
    return this.bin('endswith', other);
  }
  substr(pos: ColumnOrValue, len: ColumnOrValue): Column {
    return Column.fn('substr', this, pos, len);
  }

  // Structure
  /** A field of a struct column. */
  getField(name: string): Column {
    return new Column(expression({ case: 'unresolvedExtractValue', value: { child: this.expr, extraction: literalExpr(name) } }));
  }
  /** An element of an array (by index) or map (by key). */
  getItem(key: string | number): Column {
    return new Column(expression({ case: 'unresolvedExtractValue', value: { child: this.expr, extraction: literalExpr(key) } }));
  }

  /** Cast to a type given as a DataType or a type string (`'int'`, `'timestamp'`, `'struct<a:int>'`). */
  cast(to: DataType | string): Column {
    return this.castWith(to, Expression_Cast_EvalMode.UNSPECIFIED);
  }
  /** As cast(), but a value that does not convert becomes NULL, even in ANSI mode. Needs a Spark 4.0 server. */
  tryCast(to: DataType | string): Column {
    return this.castWith(to, Expression_Cast_EvalMode.TRY);
  }
  private castWith(to: DataType | string, evalMode: Expression_Cast_EvalMode): Column {
    return new Column(
      expression({
        case: 'cast',
        value: {
          expr: this.expr,
          castToType: typeof to === 'string' ? { case: 'typeStr', value: to } : { case: 'type', value: toProtoDataType(to) },
          evalMode,
        },
      }),
    );
  }

  // Struct fields
  /** The struct with field `fieldName` added or replaced (`a.b.c` reaches into nested structs). */
  withField(fieldName: string, col: Column): Column {
    return new Column(expression({ case: 'updateFields', value: { structExpression: this.expr, fieldName, valueExpression: col.expr } }));
  }
  /** The struct without the named fields (`a.b` reaches into nested structs). */
  dropFields(...fieldNames: string[]): Column {
    if (fieldNames.length === 0) throw new Error('dropFields() needs at least one field name');
    let e = this.expr;
    for (const fieldName of fieldNames) e = expression({ case: 'updateFields', value: { structExpression: e, fieldName } });
    return new Column(e);
  }
  astype(to: DataType | string): Column {
    return this.cast(to);
  }

  alias(...names: string[]): Column {
    return new Column(expression({ case: 'alias', value: { expr: this.expr, name: names } }));
  }
  as(...names: string[]): Column {
    return this.alias(...names);
  }
  name(name: string): Column {
    return this.alias(name);
  }

  // Ordering
  asc(): Column {
    return this.sortOrder(Expression_SortOrder_SortDirection.ASCENDING, Expression_SortOrder_NullOrdering.SORT_NULLS_FIRST);
  }
  desc(): Column {
    return this.sortOrder(Expression_SortOrder_SortDirection.DESCENDING, Expression_SortOrder_NullOrdering.SORT_NULLS_LAST);
  }
  ascNullsFirst(): Column {
    return this.asc();
  }
  ascNullsLast(): Column {
    return this.sortOrder(Expression_SortOrder_SortDirection.ASCENDING, Expression_SortOrder_NullOrdering.SORT_NULLS_LAST);
  }
  descNullsFirst(): Column {
    return this.sortOrder(Expression_SortOrder_SortDirection.DESCENDING, Expression_SortOrder_NullOrdering.SORT_NULLS_FIRST);
  }
  descNullsLast(): Column {
    return this.desc();
  }
  private sortOrder(direction: Expression_SortOrder_SortDirection, nullOrdering: Expression_SortOrder_NullOrdering): Column {
    return new Column(expression({ case: 'sortOrder', value: { child: this.expr, direction, nullOrdering } }));
  }

  /**
   * `when(cond, value).when(cond2, value2).otherwise(other)`: only valid on a column created by the
   * `when` function (it extends that CASE WHEN, as in PySpark).
   */
  when(condition: Column, value: ColumnOrValue): Column {
    const args = this.caseWhenArgs('when');
    if (args.length % 2 === 1) throw new Error('when() cannot be applied once otherwise() is applied');
    return new Column(functionExpression('when', [...args, condition.expr, toColumn(value).expr]));
  }
  otherwise(value: ColumnOrValue): Column {
    const args = this.caseWhenArgs('otherwise');
    if (args.length % 2 === 1) throw new Error('otherwise() can only be applied once');
    return new Column(functionExpression('when', [...args, toColumn(value).expr]));
  }
  private caseWhenArgs(method: string): Expression[] {
    const e = this.expr.exprType;
    if (e.case !== 'unresolvedFunction' || e.value.functionName !== 'when') {
      throw new Error(`${method}() can only be applied on a Column previously generated by when()`);
    }
    return e.value.arguments;
  }

  toString(): string {
    return `Column<${describe(this.expr)}>`;
  }
}

function literalExpr(v: LiteralValue): Expression {
  return expression({ case: 'literal', value: literal(v) });
}

/** Plain values become literals, Columns pass through. */
export function toColumn(v: ColumnOrValue): Column {
  return v instanceof Column ? v : Column.literal(v);
}

/** Strings are column *names* here (select('a'), filter uses its own rule). */
export function nameToColumn(v: ColumnOrName): Column {
  return typeof v === 'string' ? Column.named(v) : v;
}

/** A short human-readable rendering for toString() and error messages. */
function describe(e: Expression): string {
  const t = e.exprType;
  switch (t.case) {
    case 'unresolvedAttribute':
      return t.value.unparsedIdentifier;
    case 'unresolvedStar':
      return t.value.unparsedTarget ?? '*';
    case 'literal':
      return String(t.value.literalType.value ?? 'NULL');
    case 'unresolvedFunction':
      return `${t.value.functionName}(${t.value.arguments.map(describe).join(', ')})`;
    case 'alias':
      return `${t.value.expr ? describe(t.value.expr) : '?'} AS ${t.value.name.join('.')}`;
    case 'cast':
      return `CAST(${t.value.expr ? describe(t.value.expr) : '?'})`;
    case 'expressionString':
      return t.value.expression;
    default:
      return String(t.case);
  }
}
