// Window specifications, as PySpark's `Window` / `WindowSpec`: `Window.partitionBy('a').orderBy('b')
// .rowsBetween(Window.unboundedPreceding, Window.currentRow)`, applied with `column.over(spec)`.
// Immutable: every method returns a new spec. Pure (no I/O).
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  ExpressionSchema,
  Expression_Window_WindowFrame_FrameType,
  type Expression,
  type Expression_SortOrder,
  type Expression_Window_WindowFrame_FrameBoundarySchema,
} from '../gen/spark/connect/expressions_pb.js';
import { Column, nameToColumn, type ColumnOrName } from './column.js';

/** Frame bounds: row offsets (rowsBetween) or ORDER BY value offsets (rangeBetween). */
export type FrameBound = number | bigint;

// PySpark's values (Long.MinValue / Long.MaxValue); any bound beyond ±2^53 (what a JavaScript number
// can hold exactly) counts as unbounded too, so `Number.MIN_SAFE_INTEGER` works as well.
const UNBOUNDED_PRECEDING = -9223372036854775808n;
const UNBOUNDED_FOLLOWING = 9223372036854775807n;

interface Frame {
  type: Expression_Window_WindowFrame_FrameType;
  lower: FrameBound;
  upper: FrameBound;
}

type Boundary = MessageInitShape<typeof Expression_Window_WindowFrame_FrameBoundarySchema>;

function boundary(b: FrameBound, side: 'lower' | 'upper'): Boundary {
  const v = BigInt(b);
  if ((side === 'lower' && v <= BigInt(Number.MIN_SAFE_INTEGER)) || (side === 'upper' && v >= BigInt(Number.MAX_SAFE_INTEGER))) {
    return { boundary: { case: 'unbounded', value: true } };
  }
  if (v === 0n) return { boundary: { case: 'currentRow', value: true } };
  const literal = Column.literal(v >= -(2n ** 31n) && v < 2n ** 31n ? Number(v) : v).expr;
  return { boundary: { case: 'value', value: literal } };
}

export class WindowSpec {
  private constructor(
    private readonly partitions: readonly Expression[],
    private readonly orders: readonly Expression_SortOrder[],
    private readonly frame: Frame | undefined,
  ) {}

  static empty(): WindowSpec {
    return new WindowSpec([], [], undefined);
  }

  partitionBy(...cols: (ColumnOrName | readonly ColumnOrName[])[]): WindowSpec {
    return new WindowSpec(
      cols.flat().map((c) => nameToColumn(c).expr),
      this.orders,
      this.frame,
    );
  }

  /** Ascending unless a column says `.desc()`. */
  orderBy(...cols: (ColumnOrName | readonly ColumnOrName[])[]): WindowSpec {
    return new WindowSpec(this.partitions, cols.flat().map(sortOrder), this.frame);
  }

  /** A ROWS frame: offsets in rows from the current one (`Window.currentRow` is 0). */
  rowsBetween(start: FrameBound, end: FrameBound): WindowSpec {
    return new WindowSpec(this.partitions, this.orders, { type: Expression_Window_WindowFrame_FrameType.ROW, lower: start, upper: end });
  }

  /** A RANGE frame: offsets in the ORDER BY value from the current row's. */
  rangeBetween(start: FrameBound, end: FrameBound): WindowSpec {
    return new WindowSpec(this.partitions, this.orders, { type: Expression_Window_WindowFrame_FrameType.RANGE, lower: start, upper: end });
  }

  /** The window expression of `fn` over this spec (what `fn.over(spec)` builds). */
  apply(fn: Column): Column {
    return new Column(
      create(ExpressionSchema, {
        exprType: {
          case: 'window',
          value: {
            windowFunction: fn.expr,
            partitionSpec: [...this.partitions],
            orderSpec: [...this.orders],
            ...(this.frame
              ? { frameSpec: { frameType: this.frame.type, lower: boundary(this.frame.lower, 'lower'), upper: boundary(this.frame.upper, 'upper') } }
              : {}),
          },
        },
      }),
    );
  }
}

function sortOrder(c: ColumnOrName): Expression_SortOrder {
  const e = nameToColumn(c).expr;
  const s = e.exprType.case === 'sortOrder' ? e : nameToColumn(c).asc().expr;
  if (s.exprType.case !== 'sortOrder') throw new Error('unreachable: asc() builds a sort order');
  return s.exprType.value;
}

/** PySpark's `Window`: entry points of a WindowSpec and the frame constants. */
export const Window = Object.freeze({
  unboundedPreceding: UNBOUNDED_PRECEDING,
  unboundedFollowing: UNBOUNDED_FOLLOWING,
  currentRow: 0n,
  partitionBy: (...cols: (ColumnOrName | readonly ColumnOrName[])[]): WindowSpec => WindowSpec.empty().partitionBy(...cols),
  orderBy: (...cols: (ColumnOrName | readonly ColumnOrName[])[]): WindowSpec => WindowSpec.empty().orderBy(...cols),
  rowsBetween: (start: FrameBound, end: FrameBound): WindowSpec => WindowSpec.empty().rowsBetween(start, end),
  rangeBetween: (start: FrameBound, end: FrameBound): WindowSpec => WindowSpec.empty().rangeBetween(start, end),
});

// `column.over(window)`, as in PySpark. Declared here rather than in column.ts so that Column stays
// free of window types; the method is installed when this module loads (index.ts loads it).
declare module './column.js' {
  interface Column {
    /** This (aggregate, ranking or analytic) function evaluated over a window. */
    over(window: WindowSpec): Column;
  }
}
Column.prototype.over = function over(this: Column, window: WindowSpec): Column {
  return window.apply(this);
};
