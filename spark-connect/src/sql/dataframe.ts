// DataFrame: an immutable logical plan (a Connect `Relation`) plus the session that will run it.
// Transformations only build protobuf messages; actions (collect, count, show, schema, explain...)
// are async and are the only methods that talk to the server.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { PlanSchema, type Plan, AnalyzePlanRequest_Explain_ExplainMode } from '../gen/spark/connect/base_pb.js';
import { CommandSchema, type Command } from '../gen/spark/connect/commands_pb.js';
import { Aggregate_GroupType, Join_JoinType, RelationSchema, SetOperation_SetOpType, type Relation } from '../gen/spark/connect/relations_pb.js';
import type { Expression, Expression_SortOrder } from '../gen/spark/connect/expressions_pb.js';
import { actionSignal, decodeArrowBatches, type ActionOptions, type CollectOptions, type Row } from './arrow.js';
import { Column, nameToColumn, type ColumnOrName } from './column.js';
import { expr, lit } from './functions.js';
import { type DataType, fromProtoDataType, StructType } from './types.js';
import { DataStreamWriter } from './streaming.js';
import { DataFrameWriter } from './writer.js';
import type { SparkSession } from './session.js';

export type ExplainMode = 'simple' | 'extended' | 'codegen' | 'cost' | 'formatted';

export type JoinType =
  | 'inner'
  | 'cross'
  | 'outer'
  | 'full'
  | 'fullouter'
  | 'full_outer'
  | 'left'
  | 'leftouter'
  | 'left_outer'
  | 'right'
  | 'rightouter'
  | 'right_outer'
  | 'semi'
  | 'leftsemi'
  | 'left_semi'
  | 'anti'
  | 'leftanti'
  | 'left_anti';

const JOIN_TYPES: Record<JoinType, Join_JoinType> = {
  inner: Join_JoinType.INNER,
  cross: Join_JoinType.CROSS,
  outer: Join_JoinType.FULL_OUTER,
  full: Join_JoinType.FULL_OUTER,
  fullouter: Join_JoinType.FULL_OUTER,
  full_outer: Join_JoinType.FULL_OUTER,
  left: Join_JoinType.LEFT_OUTER,
  leftouter: Join_JoinType.LEFT_OUTER,
  left_outer: Join_JoinType.LEFT_OUTER,
  right: Join_JoinType.RIGHT_OUTER,
  rightouter: Join_JoinType.RIGHT_OUTER,
  right_outer: Join_JoinType.RIGHT_OUTER,
  semi: Join_JoinType.LEFT_SEMI,
  leftsemi: Join_JoinType.LEFT_SEMI,
  left_semi: Join_JoinType.LEFT_SEMI,
  anti: Join_JoinType.LEFT_ANTI,
  leftanti: Join_JoinType.LEFT_ANTI,
  left_anti: Join_JoinType.LEFT_ANTI,
};

type RelType = MessageInitShape<typeof RelationSchema>['relType'];

const EXPLAIN_MODES: Record<ExplainMode, AnalyzePlanRequest_Explain_ExplainMode> = {
  simple: AnalyzePlanRequest_Explain_ExplainMode.SIMPLE,
  extended: AnalyzePlanRequest_Explain_ExplainMode.EXTENDED,
  codegen: AnalyzePlanRequest_Explain_ExplainMode.CODEGEN,
  cost: AnalyzePlanRequest_Explain_ExplainMode.COST,
  formatted: AnalyzePlanRequest_Explain_ExplainMode.FORMATTED,
};

export class DataFrame {
  readonly session: SparkSession;
  /** The Connect relation (logical plan) of this DataFrame. */
  readonly relation: Relation;

  constructor(session: SparkSession, relation: Relation) {
    this.session = session;
    this.relation = relation;
  }

  /** Creates a relation with a fresh plan id (as PySpark does; it lets `df.col()` disambiguate). */
  static newRelation(session: SparkSession, relType: RelType): Relation {
    return create(RelationSchema, { common: { planId: session.nextPlanId() }, relType });
  }

  private derive(relType: RelType): DataFrame {
    return new DataFrame(this.session, DataFrame.newRelation(this.session, relType));
  }

  /** The Plan an action on this DataFrame sends (`Plan{root: relation}`). Pure. */
  plan(): Plan {
    return create(PlanSchema, { opType: { case: 'root', value: this.relation } });
  }

  /** The plan id of this DataFrame's root relation. */
  get planId(): bigint | undefined {
    return this.relation.common?.planId;
  }

  /** A column of *this* DataFrame (resolved against it even after joins/self-unions). */
  col(name: string): Column {
    return Column.named(name, this.planId);
  }

  // ---- transformations (pure) ----

  select(...cols: ColumnOrName[]): DataFrame {
    return this.derive({ case: 'project', value: { input: this.relation, expressions: cols.map((c) => nameToColumn(c).expr) } });
  }

  selectExpr(...exprs: string[]): DataFrame {
    return this.select(...exprs.map((e) => expr(e)));
  }

  /** Keeps rows matching a Column condition or a SQL predicate string. */
  filter(condition: Column | string): DataFrame {
    const c = typeof condition === 'string' ? expr(condition) : condition;
    return this.derive({ case: 'filter', value: { input: this.relation, condition: c.expr } });
  }
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  withColumn(name: string, column: Column): DataFrame {
    return this.withColumns({ [name]: column });
  }

  withColumns(columns: Readonly<Record<string, Column>>): DataFrame {
    return this.derive({
      case: 'withColumns',
      value: { input: this.relation, aliases: Object.entries(columns).map(([name, c]) => ({ expr: c.expr, name: [name] })) },
    });
  }

  withColumnRenamed(existing: string, newName: string): DataFrame {
    return this.withColumnsRenamed({ [existing]: newName });
  }

  withColumnsRenamed(renames: Readonly<Record<string, string>>): DataFrame {
    return this.derive({ case: 'withColumnsRenamed', value: { input: this.relation, renameColumnsMap: { ...renames } } });
  }

  drop(...cols: ColumnOrName[]): DataFrame {
    const names = cols.filter((c): c is string => typeof c === 'string');
    const columns = cols.filter((c): c is Column => c instanceof Column).map((c) => c.expr);
    return this.derive({ case: 'drop', value: { input: this.relation, columns, columnNames: names } });
  }

  /** A subquery alias (`df.alias('u')` then `col('u.id')`). */
  alias(name: string): DataFrame {
    return this.derive({ case: 'subqueryAlias', value: { input: this.relation, alias: name } });
  }

  limit(n: number): DataFrame {
    return this.derive({ case: 'limit', value: { input: this.relation, limit: n } });
  }

  orderBy(...cols: ColumnOrName[]): DataFrame {
    return this.derive({ case: 'sort', value: { input: this.relation, order: cols.map((c) => sortOrder(nameToColumn(c).expr)), isGlobal: true } });
  }
  sort(...cols: ColumnOrName[]): DataFrame {
    return this.orderBy(...cols);
  }

  /** UNION ALL by position (Spark's `union`: duplicates are kept). */
  union(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.UNION, { isAll: true, byName: false });
  }
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }
  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.UNION, { isAll: true, byName: true, allowMissingColumns });
  }
  private setOp(other: DataFrame, setOpType: SetOperation_SetOpType, flags: { isAll: boolean; byName: boolean; allowMissingColumns?: boolean }): DataFrame {
    return this.derive({ case: 'setOp', value: { leftInput: this.relation, rightInput: other.relation, setOpType, ...flags } });
  }

  /**
   * Joins on a column name / list of names (USING, no duplicate key columns) or a condition Column
   * (use `df.col('x')` to disambiguate same-named columns). Without `on`: a cross join.
   */
  join(other: DataFrame, on?: string | string[] | Column, how: JoinType = 'inner'): DataFrame {
    const joinType = on === undefined && how === 'inner' ? Join_JoinType.CROSS : JOIN_TYPES[how];
    return this.derive({
      case: 'join',
      value: {
        left: this.relation,
        right: other.relation,
        joinType,
        ...(on instanceof Column ? { joinCondition: on.expr } : {}),
        usingColumns: typeof on === 'string' ? [on] : Array.isArray(on) ? on : [],
      },
    });
  }

  crossJoin(other: DataFrame): DataFrame {
    return this.join(other, undefined, 'cross');
  }

  dropDuplicates(subset?: string[]): DataFrame {
    return this.derive({
      case: 'deduplicate',
      value: { input: this.relation, ...(subset ? { columnNames: subset } : { allColumnsAsKeys: true }) },
    });
  }

  /** Event-time watermark for streaming aggregations/joins (`'10 minutes'`). */
  withWatermark(eventTime: string, delayThreshold: string): DataFrame {
    return this.derive({ case: 'withWatermark', value: { input: this.relation, eventTime, delayThreshold } });
  }

  groupBy(...cols: ColumnOrName[]): GroupedData {
    return new GroupedData(
      this,
      cols.map((c) => nameToColumn(c).expr),
    );
  }

  /** Whole-DataFrame aggregation: `df.agg(max('x'))`. */
  agg(...exprs: Column[]): DataFrame {
    return this.groupBy().agg(...exprs);
  }

  /** The batch write builder. */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }

  /** The streaming write builder (for DataFrames read with `spark.readStream`). */
  get writeStream(): DataStreamWriter {
    return new DataStreamWriter(this);
  }

  // ---- actions (I/O) ----

  /** Runs the plan and returns its rows (see arrow.ts for the type mapping). */
  async collect(options: CollectOptions = {}): Promise<Row[]> {
    const batches: Uint8Array[] = [];
    const signal = actionSignal(options);
    let schema: DataType | undefined; // the Spark schema: its names, not Arrow's de-duplicated ones (arrow.ts)
    for await (const r of this.session.execute(this.plan(), signal ? { signal } : {})) {
      if (r.schema) schema = fromProtoDataType(r.schema);
      if (r.responseType.case === 'arrowBatch') batches.push(r.responseType.value.data);
    }
    return decodeArrowBatches(batches, options, schema instanceof StructType ? schema : undefined);
  }

  async take(n: number, options: CollectOptions = {}): Promise<Row[]> {
    return this.limit(n).collect(options);
  }
  async head(n: number, options: CollectOptions = {}): Promise<Row[]> {
    return this.take(n, options);
  }
  async first(options: CollectOptions = {}): Promise<Row | undefined> {
    return (await this.take(1, options))[0];
  }

  /** Number of rows (as a number; counts beyond 2^53 would be a bigint, and are not expected). */
  async count(options: ActionOptions = {}): Promise<number> {
    const rows = await this.groupBy().count().collect(options);
    const c = rows[0]?.['count'];
    return typeof c === 'bigint' ? Number(c) : (c as number);
  }

  /** The text table Spark's `show()` prints, rendered by the server. */
  async showString(n = 20, truncate: boolean | number = true, vertical = false, options: ActionOptions = {}): Promise<string> {
    const truncateN = truncate === true ? 20 : truncate === false ? 0 : truncate;
    const df = this.derive({ case: 'showString', value: { input: this.relation, numRows: n, truncate: truncateN, vertical } });
    const rows = await df.collect(options);
    return String(rows[0]?.['show_string'] ?? '');
  }

  /** Prints the first `n` rows as a text table, like Spark. */
  async show(n = 20, truncate: boolean | number = true, vertical = false, options: ActionOptions = {}): Promise<void> {
    process.stdout.write(await this.showString(n, truncate, vertical, options));
  }

  async schema(options: ActionOptions = {}): Promise<StructType> {
    const r = await this.session.analyze({ case: 'schema', value: { plan: this.plan() } }, actionSignal(options));
    if (r.case !== 'schema' || !r.value.schema) throw new Error('AnalyzePlan returned no schema');
    const t = fromProtoDataType(r.value.schema);
    return t instanceof StructType ? t : new StructType([{ name: 'value', dataType: t, nullable: true, metadata: {} }]);
  }

  async columns(options: ActionOptions = {}): Promise<string[]> {
    return (await this.schema(options)).fieldNames();
  }

  /** The schema tree as `printSchema()` shows it (returned, not printed). */
  async printSchema(options: ActionOptions = {}): Promise<string> {
    const r = await this.session.analyze({ case: 'treeString', value: { plan: this.plan() } }, actionSignal(options));
    return r.case === 'treeString' ? r.value.treeString : '';
  }

  /** The query plan as text (returned, not printed — print it yourself if you want to). */
  async explain(mode: ExplainMode | boolean = 'simple', options: ActionOptions = {}): Promise<string> {
    const m: ExplainMode = mode === true ? 'extended' : mode === false ? 'simple' : mode;
    const r = await this.session.analyze({ case: 'explain', value: { plan: this.plan(), explainMode: EXPLAIN_MODES[m] } }, actionSignal(options));
    return r.case === 'explain' ? r.value.explainString : '';
  }

  async isStreaming(options: ActionOptions = {}): Promise<boolean> {
    const r = await this.session.analyze({ case: 'isStreaming', value: { plan: this.plan() } }, actionSignal(options));
    return r.case === 'isStreaming' && r.value.isStreaming;
  }

  /** The command createOrReplaceTempView sends. Pure. */
  tempViewCommand(name: string, replace = true, global = false): Command {
    return create(CommandSchema, {
      commandType: { case: 'createDataframeView', value: { input: this.relation, name, isGlobal: global, replace } },
    });
  }

  async createOrReplaceTempView(name: string): Promise<void> {
    await this.session.executeCommand(this.tempViewCommand(name));
  }
  async createTempView(name: string): Promise<void> {
    await this.session.executeCommand(this.tempViewCommand(name, false));
  }
}

function sortOrder(e: Expression): Expression_SortOrder {
  // Already a sort order (from .asc()/.desc())? Keep it; otherwise ascending, nulls first.
  const s = e.exprType.case === 'sortOrder' ? e : new Column(e).asc().expr;
  if (s.exprType.case !== 'sortOrder') throw new Error('unreachable: asc() builds a sort order');
  return s.exprType.value;
}

/** The result of `groupBy`: finish it with `agg(...)` or `count()`. */
export class GroupedData {
  constructor(
    private readonly df: DataFrame,
    private readonly grouping: Expression[],
  ) {}

  agg(...exprs: Column[]): DataFrame {
    return new DataFrame(
      this.df.session,
      DataFrame.newRelation(this.df.session, {
        case: 'aggregate',
        value: {
          input: this.df.relation,
          groupType: Aggregate_GroupType.GROUPBY,
          groupingExpressions: this.grouping,
          aggregateExpressions: exprs.map((e) => e.expr),
        },
      }),
    );
  }

  count(): DataFrame {
    return this.agg(Column.fn('count', lit(1)).alias('count'));
  }
}
