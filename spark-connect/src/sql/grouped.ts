// GroupedData: the result of groupBy / rollup / cube / groupingSets (and pivot), finished with agg() or one of the
// shorthand aggregates, as in PySpark. Pure: it only builds the Aggregate relation.
import { Aggregate_GroupType, type Aggregate_Pivot } from '../gen/spark/connect/relations_pb.js';
import type { Expression, Expression_Literal } from '../gen/spark/connect/expressions_pb.js';
import { Column, literal, nameToColumn, type ColumnOrName, type LiteralValue } from './column.js';
import { DataFrame } from './dataframe.js';

export type GroupType = 'groupby' | 'rollup' | 'cube' | 'groupingSets';

const GROUP_TYPES: Record<GroupType, Aggregate_GroupType> = {
  groupby: Aggregate_GroupType.GROUPBY,
  rollup: Aggregate_GroupType.ROLLUP,
  cube: Aggregate_GroupType.CUBE,
  // Spark 4.0's protocol (server-version.ts refuses it before a 3.5 server sees it).
  groupingSets: Aggregate_GroupType.GROUPING_SETS,
};

interface Pivot {
  col: Expression;
  values: Expression_Literal[];
}

export class GroupedData {
  constructor(
    private readonly df: DataFrame,
    private readonly grouping: Expression[],
    private readonly groupType: GroupType = 'groupby',
    private readonly pivotSpec?: Pivot,
    /** The sets of `groupingSets()`. */
    private readonly sets: readonly Expression[][] = [],
  ) {}

  /**
   * Aggregates: Columns (`agg(max('x'), count('*'))`) or PySpark's dict form (`agg({ x: 'max', y: 'avg' })`,
   * named `max(x)` etc. as Spark names them).
   */
  agg(...exprs: Column[] | [Readonly<Record<string, string>>]): DataFrame {
    const first = exprs[0];
    const columns: Column[] =
      first !== undefined && !(first instanceof Column)
        ? Object.entries(first).map(([name, fn]) => Column.fn(fn === 'mean' ? 'avg' : fn, nameToColumn(name)))
        : (exprs as Column[]);
    const pivot: Aggregate_Pivot | undefined = this.pivotSpec ? ({ col: this.pivotSpec.col, values: this.pivotSpec.values } as Aggregate_Pivot) : undefined;
    return new DataFrame(
      this.df.session,
      DataFrame.newRelation(this.df.session, {
        case: 'aggregate',
        value: {
          input: this.df.relation,
          groupType: pivot ? Aggregate_GroupType.PIVOT : GROUP_TYPES[this.groupType],
          groupingExpressions: this.grouping,
          aggregateExpressions: columns.map((e) => e.expr),
          ...(pivot ? { pivot } : {}),
          ...(this.groupType === 'groupingSets' ? { groupingSets: this.sets.map((set) => ({ groupingSet: [...set] })) } : {}),
        },
      }),
    );
  }

  /** Rows per group, in a column named `count`. */
  count(): DataFrame {
    return this.agg(Column.fn('count', Column.literal(1)).alias('count'));
  }
  mean(...cols: string[]): DataFrame {
    return this.numeric('avg', cols);
  }
  avg(...cols: string[]): DataFrame {
    return this.numeric('avg', cols);
  }
  max(...cols: string[]): DataFrame {
    return this.numeric('max', cols);
  }
  min(...cols: string[]): DataFrame {
    return this.numeric('min', cols);
  }
  sum(...cols: string[]): DataFrame {
    return this.numeric('sum', cols);
  }

  /**
   * Pivots on `pivotCol`: one output column per value (listed, or found by the server when omitted).
   * Only after groupBy, as in Spark.
   */
  pivot(pivotCol: ColumnOrName, values?: readonly LiteralValue[]): GroupedData {
    if (this.groupType !== 'groupby') throw new Error(`pivot() applies to groupBy(), not to ${this.groupType}()`);
    if (this.pivotSpec) throw new Error('pivot() can be applied only once');
    return new GroupedData(this.df, this.grouping, this.groupType, {
      col: nameToColumn(pivotCol).expr,
      values: (values ?? []).map((v) => literal(v)),
    });
  }

  private numeric(fn: string, cols: readonly string[]): DataFrame {
    // PySpark would aggregate every numeric column when none is named; that needs the schema (I/O),
    // and building a DataFrame here is pure, so the columns must be named.
    if (cols.length === 0) throw new Error(`${fn === 'avg' ? 'avg/mean' : fn}() needs the columns to aggregate, e.g. ${fn}('amount')`);
    return this.agg(...cols.map((c) => Column.fn(fn, nameToColumn(c))));
  }
}
