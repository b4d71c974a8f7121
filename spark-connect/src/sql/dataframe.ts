// DataFrame: an immutable logical plan (a Connect `Relation`) plus the session that will run it.
// Transformations only build protobuf messages; actions (collect, count, show, schema, explain...)
// are async and are the only methods that talk to the server.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { PlanSchema, type Plan, AnalyzePlanRequest_Explain_ExplainMode } from '../gen/spark/connect/base_pb.js';
import { CommandSchema, type Command } from '../gen/spark/connect/commands_pb.js';
import { Join_JoinType, RelationSchema, SetOperation_SetOpType, type Relation } from '../gen/spark/connect/relations_pb.js';
import type { Expression, Expression_SortOrder } from '../gen/spark/connect/expressions_pb.js';
import { actionSignal, decodeArrowBatches, type ActionOptions, type CollectOptions, type Row } from './arrow.js';
import { Column, nameToColumn, type ColumnOrName } from './column.js';
import { expr, lit } from './functions.js';
import { type DataType, fromProtoDataType, StructType, toProtoDataType } from './types.js';
import { DataStreamWriter } from './streaming.js';
import { DataFrameWriter } from './writer.js';
import { DataFrameWriterV2 } from './writer-v2.js';
import type { SparkSession } from './session.js';
import { Table as ArrowTable, tableFromIPC } from 'apache-arrow';
import { GroupedData } from './grouped.js';
import { DataFrameNaFunctions, type NaValue } from './na.js';
import { DataFrameStatFunctions } from './stat.js';
import { type StorageLevel, StorageLevel as StorageLevels, storageLevelFromProto, storageLevelToProto } from './storage-level.js';
import { type Observation, registerObservation } from './observation.js';
import type { JsonValue } from '../json.js';
// Installs Column.over (window.ts): any program that builds DataFrames can write `fn.over(spec)`.
import './window.js';

export { GroupedData } from './grouped.js';

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

  /** The columns whose names match a regular expression in backquotes: ``df.select(df.colRegex('`(id|name)_.*`'))``. */
  colRegex(colName: string): Column {
    return Column.regex(colName, this.planId);
  }

  /**
   * A metadata column of this DataFrame's source (`_metadata` of a file source...), even where a data
   * column has the same name. Needs a Spark 4.0 server.
   */
  metadataColumn(colName: string): Column {
    return Column.named(colName, this.planId, { metadataColumn: true });
  }

  /** The session this DataFrame belongs to (PySpark's `df.sparkSession`). */
  get sparkSession(): SparkSession {
    return this.session;
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

  /** The same rows with the column's metadata replaced (a JSON object, as `StructField.metadata`). */
  withMetadata(columnName: string, metadata: Readonly<Record<string, JsonValue>>): DataFrame {
    return this.derive({
      case: 'withColumns',
      value: { input: this.relation, aliases: [{ expr: this.col(columnName).expr, name: [columnName], metadata: JSON.stringify(metadata) }] },
    });
  }

  /** The rows cast and reordered to `schema` (columns by name; missing nullable ones fail, as in Spark). */
  to(schema: StructType): DataFrame {
    return this.derive({ case: 'toSchema', value: { input: this.relation, schema: toProtoDataType(schema) } });
  }

  /**
   * Named aggregate metrics computed while an action runs over this DataFrame (the rows pass through
   * unchanged). With an Observation, read them after the action with `observation.get`; with a name,
   * they appear in a streaming query's progress (`observedMetrics`).
   */
  observe(observation: Observation | string, ...exprs: Column[]): DataFrame {
    if (exprs.length === 0) throw new Error("observe() needs at least one metric, e.g. count(lit(1)).alias('rows')");
    const metrics = exprs.map((e) => e.expr);
    const name = typeof observation === 'string' ? observation : observation.bind(metrics);
    const df = this.derive({ case: 'collectMetrics', value: { input: this.relation, name, metrics } });
    if (typeof observation !== 'string' && df.relation.relType.case === 'collectMetrics') registerObservation(df.relation.relType.value, observation);
    return df;
  }

  /**
   * Rows become columns: the values of `indexColumn` (default: the first column) name the new
   * columns, every other column becomes a row. Needs a Spark 4.0 server.
   */
  transpose(indexColumn?: ColumnOrName): DataFrame {
    return this.derive({ case: 'transpose', value: { input: this.relation, indexColumns: indexColumn === undefined ? [] : [nameToColumn(indexColumn).expr] } });
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
  join(other: DataFrame, on?: string | string[] | Column | Column[], how: JoinType = 'inner'): DataFrame {
    const joinType = on === undefined && how === 'inner' ? Join_JoinType.CROSS : JOIN_TYPES[how];
    // A list of conditions is their conjunction, as in PySpark.
    const columns = Array.isArray(on) && on.every((c): c is Column => c instanceof Column) && on.length > 0 ? on : undefined;
    const condition = on instanceof Column ? on : columns?.reduce((a, b) => a.and(b));
    const using = typeof on === 'string' ? [on] : Array.isArray(on) && !columns ? (on as string[]) : [];
    return this.derive({
      case: 'join',
      value: {
        left: this.relation,
        right: other.relation,
        joinType,
        ...(condition ? { joinCondition: condition.expr } : {}),
        usingColumns: using,
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

  drop_duplicates(subset?: string[]): DataFrame {
    return this.dropDuplicates(subset);
  }

  /** Distinct rows (every column is the key). */
  distinct(): DataFrame {
    return this.dropDuplicates();
  }

  /**
   * Streaming deduplication that keeps state only within the watermark (set one with `withWatermark`
   * first); duplicates further apart than the watermark delay are not guaranteed to be removed.
   */
  dropDuplicatesWithinWatermark(subset?: string[]): DataFrame {
    return this.derive({
      case: 'deduplicate',
      value: { input: this.relation, withinWatermark: true, ...(subset ? { columnNames: subset } : { allColumnsAsKeys: true }) },
    });
  }

  /**
   * Hash-repartitions into `numPartitions` (round robin when no column is given), or by the columns
   * into `spark.sql.shuffle.partitions`: `repartition(8)`, `repartition(8, 'a')`, `repartition('a')`.
   */
  repartition(numPartitions: number | ColumnOrName, ...cols: ColumnOrName[]): DataFrame {
    const [n, exprs] = typeof numPartitions === 'number' ? [numPartitions, cols] : [undefined, [numPartitions, ...cols]];
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new RangeError(`repartition(): numPartitions must be a positive integer, got ${n}`);
    if (exprs.length === 0) return this.derive({ case: 'repartition', value: { input: this.relation, numPartitions: n ?? 1, shuffle: true } });
    return this.derive({
      case: 'repartitionByExpression',
      value: { input: this.relation, partitionExprs: exprs.map((c) => nameToColumn(c).expr), ...(n !== undefined ? { numPartitions: n } : {}) },
    });
  }

  /** Range-partitions by the columns (ascending unless `.desc()`), as `repartition`'s arguments. */
  repartitionByRange(numPartitions: number | ColumnOrName, ...cols: ColumnOrName[]): DataFrame {
    const [n, exprs] = typeof numPartitions === 'number' ? [numPartitions, cols] : [undefined, [numPartitions, ...cols]];
    if (exprs.length === 0) throw new Error('repartitionByRange() needs at least one column');
    return this.derive({
      case: 'repartitionByExpression',
      value: {
        input: this.relation,
        partitionExprs: exprs.map((c) => {
          const e = nameToColumn(c);
          return e.expr.exprType.case === 'sortOrder' ? e.expr : e.asc().expr;
        }),
        ...(n !== undefined ? { numPartitions: n } : {}),
      },
    });
  }

  /** Fewer partitions without a shuffle. */
  coalesce(numPartitions: number): DataFrame {
    if (!Number.isInteger(numPartitions) || numPartitions < 1)
      throw new RangeError(`coalesce(): numPartitions must be a positive integer, got ${numPartitions}`);
    return this.derive({ case: 'repartition', value: { input: this.relation, numPartitions, shuffle: false } });
  }

  /**
   * A random sample of about `fraction` of the rows: `sample(0.1)`, `sample(0.1, seed)`,
   * `sample(true, 0.1, seed)` (with replacement). Without a seed, a random one (as PySpark).
   */
  sample(fractionOrWithReplacement: number | boolean, fractionOrSeed?: number | bigint, seed?: number | bigint): DataFrame {
    const withReplacement = typeof fractionOrWithReplacement === 'boolean' ? fractionOrWithReplacement : false;
    const fraction = typeof fractionOrWithReplacement === 'boolean' ? Number(fractionOrSeed) : fractionOrWithReplacement;
    const s = typeof fractionOrWithReplacement === 'boolean' ? seed : fractionOrSeed;
    if (!(fraction >= 0) || (!withReplacement && fraction > 1))
      throw new RangeError(`sample(): fraction must be in [0, 1] without replacement (>= 0 with), got ${fraction}`);
    return this.derive({
      case: 'sample',
      value: { input: this.relation, lowerBound: 0, upperBound: fraction, withReplacement, seed: BigInt(s ?? Math.floor(Math.random() * 2 ** 31)) },
    });
  }

  /** Rows in both (distinct), as SQL's INTERSECT. */
  intersect(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.INTERSECT, { isAll: false, byName: false });
  }
  /** Rows in both, duplicates kept as often as in both (INTERSECT ALL). */
  intersectAll(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.INTERSECT, { isAll: true, byName: false });
  }
  /** Rows not in `other` (distinct), as SQL's EXCEPT. */
  subtract(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.EXCEPT, { isAll: false, byName: false });
  }
  /** Rows not in `other`, duplicates kept (EXCEPT ALL). */
  exceptAll(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.EXCEPT, { isAll: true, byName: false });
  }

  /** Sorts each partition, not the whole result (no shuffle). */
  sortWithinPartitions(...cols: ColumnOrName[]): DataFrame {
    return this.derive({ case: 'sort', value: { input: this.relation, order: cols.map((c) => sortOrder(nameToColumn(c).expr)), isGlobal: false } });
  }

  /**
   * Wide to long: one row per (ids, value column), with the column's name in `variableColumnName`
   * and its value in `valueColumnName`. Without `values`, every non-id column.
   */
  unpivot(
    ids: ColumnOrName | readonly ColumnOrName[],
    values: ColumnOrName | readonly ColumnOrName[] | null,
    variableColumnName: string,
    valueColumnName: string,
  ): DataFrame {
    const list = (v: ColumnOrName | readonly ColumnOrName[]): ColumnOrName[] => (Array.isArray(v) ? [...v] : [v as ColumnOrName]);
    return this.derive({
      case: 'unpivot',
      value: {
        input: this.relation,
        ids: list(ids).map((c) => nameToColumn(c).expr),
        ...(values === null ? {} : { values: { values: list(values).map((c) => nameToColumn(c).expr) } }),
        variableColumnName,
        valueColumnName,
      },
    });
  }
  melt(...args: Parameters<DataFrame['unpivot']>): DataFrame {
    return this.unpivot(...args);
  }

  /**
   * Splits the rows randomly by `weights` (normalised to sum 1), e.g. `randomSplit([0.8, 0.2], 42)`:
   * each split is a seeded sample of a disjoint range, so together they hold every row once.
   */
  randomSplit(weights: readonly number[], seed?: number | bigint): DataFrame[] {
    if (weights.length === 0 || weights.some((w) => !(w >= 0)))
      throw new RangeError(`randomSplit(): weights must be non-negative numbers, got [${weights.join(', ')}]`);
    const total = weights.reduce((a, b) => a + b, 0);
    if (total <= 0) throw new RangeError('randomSplit(): the weights sum to 0');
    const s = BigInt(seed ?? Math.floor(Math.random() * 2 ** 31));
    let lower = 0;
    return weights.map((w) => {
      const upper = lower + w / total;
      // deterministicOrder: the server sorts each partition first, so the splits are disjoint and complete.
      const df = this.derive({
        case: 'sample',
        value: { input: this.relation, lowerBound: lower, upperBound: upper, withReplacement: false, seed: s, deterministicOrder: true },
      });
      lower = upper;
      return df;
    });
  }

  /** Skips the first `n` rows. */
  offset(n: number): DataFrame {
    return this.derive({ case: 'offset', value: { input: this.relation, offset: n } });
  }

  /** A plan hint: `hint('broadcast')`, `hint('repartition', 4)`. */
  hint(name: string, ...parameters: (string | number | boolean)[]): DataFrame {
    return this.derive({ case: 'hint', value: { input: this.relation, name, parameters: parameters.map((p) => lit(p).expr) } });
  }

  /** The same rows with new column names, by position. */
  toDF(...names: string[]): DataFrame {
    return this.derive({ case: 'toDf', value: { input: this.relation, columnNames: names } });
  }

  /** `df.transform(f, ...args)`: chains a function of DataFrames, as PySpark. */
  transform<A extends unknown[]>(f: (df: DataFrame, ...args: A) => DataFrame, ...args: A): DataFrame {
    return f(this, ...args);
  }

  /** Missing-value functions: `df.na.fill(0)`, `df.na.drop()`, `df.na.replace(...)`. */
  get na(): DataFrameNaFunctions {
    return new DataFrameNaFunctions(this);
  }
  fillna(value: NaValue | Readonly<Record<string, NaValue>>, subset?: string | readonly string[]): DataFrame {
    return this.na.fill(value, subset);
  }
  dropna(how: 'any' | 'all' = 'any', thresh?: number, subset?: string | readonly string[]): DataFrame {
    return this.na.drop(how, thresh, subset);
  }
  replace(...args: Parameters<DataFrameNaFunctions['replace']>): DataFrame {
    return this.na.replace(...args);
  }

  /** Statistics: `df.stat.corr('a', 'b')`, `approxQuantile`, `cov`, `crosstab`, `freqItems`, `sampleBy`. */
  get stat(): DataFrameStatFunctions {
    return new DataFrameStatFunctions(this);
  }
  approxQuantile(col: string, probabilities: readonly number[], relativeError: number, options?: ActionOptions): Promise<number[]>;
  approxQuantile(cols: readonly string[], probabilities: readonly number[], relativeError: number, options?: ActionOptions): Promise<number[][]>;
  approxQuantile(
    col: string | readonly string[],
    probabilities: readonly number[],
    relativeError: number,
    options?: ActionOptions,
  ): Promise<number[] | number[][]> {
    return typeof col === 'string'
      ? this.stat.approxQuantile(col, probabilities, relativeError, options)
      : this.stat.approxQuantile(col, probabilities, relativeError, options);
  }
  corr(col1: string, col2: string, method?: string, options?: ActionOptions): Promise<number> {
    return this.stat.corr(col1, col2, method, options);
  }
  cov(col1: string, col2: string, options?: ActionOptions): Promise<number> {
    return this.stat.cov(col1, col2, options);
  }
  crosstab(col1: string, col2: string): DataFrame {
    return this.stat.crosstab(col1, col2);
  }
  freqItems(cols: readonly string[], support?: number): DataFrame {
    return this.stat.freqItems(cols, support);
  }
  sampleBy(...args: Parameters<DataFrameStatFunctions['sampleBy']>): DataFrame {
    return this.stat.sampleBy(...args);
  }

  /** count, mean, stddev, min and max of the columns (every numeric and string one when none is named). */
  describe(...cols: (string | readonly string[])[]): DataFrame {
    return this.derive({ case: 'describe', value: { input: this.relation, cols: cols.flat() } });
  }

  /** Like describe, with the statistics named (`'count'`, `'mean'`, `'25%'`, `'max'`...; default: all of describe's and the quartiles). */
  summary(...statistics: string[]): DataFrame {
    return this.derive({ case: 'summary', value: { input: this.relation, statistics } });
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
  groupby(...cols: ColumnOrName[]): GroupedData {
    return this.groupBy(...cols);
  }
  /** Grouping sets of every prefix of the columns, and the grand total (`GROUP BY ROLLUP`). */
  rollup(...cols: ColumnOrName[]): GroupedData {
    return new GroupedData(
      this,
      cols.map((c) => nameToColumn(c).expr),
      'rollup',
    );
  }
  /** Grouping sets of every combination of the columns (`GROUP BY CUBE`). */
  cube(...cols: ColumnOrName[]): GroupedData {
    return new GroupedData(
      this,
      cols.map((c) => nameToColumn(c).expr),
      'cube',
    );
  }
  /**
   * Aggregates over each of the grouping sets (`GROUP BY GROUPING SETS ((a, b), (a), ())`); `cols` are
   * the grouping columns of the output. Needs a Spark 4.0 server.
   */
  groupingSets(groupingSets: readonly (readonly ColumnOrName[])[], ...cols: ColumnOrName[]): GroupedData {
    return new GroupedData(
      this,
      cols.map((c) => nameToColumn(c).expr),
      'groupingSets',
      undefined,
      groupingSets.map((set) => set.map((c) => nameToColumn(c).expr)),
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

  /** The v2 table writer: `df.writeTo('db.t').using('parquet').createOrReplace()`. */
  writeTo(table: string): DataFrameWriterV2 {
    return new DataFrameWriterV2(this, table);
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

  /**
   * The schema tree as `printSchema()` shows it (returned, not printed); `level`: how many levels of
   * nested fields to show (all by default).
   */
  async printSchema(level?: number | ActionOptions, options: ActionOptions = {}): Promise<string> {
    const [depth, opts] = typeof level === 'number' ? [level, options] : [undefined, level ?? options];
    const r = await this.session.analyze(
      { case: 'treeString', value: { plan: this.plan(), ...(depth !== undefined ? { level: depth } : {}) } },
      actionSignal(opts),
    );
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

  /** True when collect() and take() can run on the driver alone, without executors (e.g. a local relation). */
  async isLocal(options: ActionOptions = {}): Promise<boolean> {
    const r = await this.session.analyze({ case: 'isLocal', value: { plan: this.plan() } }, actionSignal(options));
    if (r.case !== 'isLocal') throw new Error('AnalyzePlan returned no isLocal result');
    return r.value.isLocal;
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
  /** A view in `global_temp`, visible to every session of the server. */
  async createGlobalTempView(name: string): Promise<void> {
    await this.session.executeCommand(this.tempViewCommand(name, false, true));
  }
  async createOrReplaceGlobalTempView(name: string): Promise<void> {
    await this.session.executeCommand(this.tempViewCommand(name, true, true));
  }
  /** @deprecated PySpark's name since 2.0 is createOrReplaceTempView. */
  async registerTempTable(name: string): Promise<void> {
    await this.createOrReplaceTempView(name);
  }

  // ---- caching (eager on the server's side: the plan is marked, computed on its next use) ----

  /** Caches with MEMORY_AND_DISK_DESER, PySpark's default (`storageLevel()` tells). Returns this DataFrame. */
  async cache(options: ActionOptions = {}): Promise<this> {
    return this.persist(StorageLevels.MEMORY_AND_DISK_DESER, options);
  }

  async persist(storageLevel: StorageLevel = StorageLevels.MEMORY_AND_DISK_DESER, options: ActionOptions = {}): Promise<this> {
    await this.session.analyze({ case: 'persist', value: { relation: this.relation, storageLevel: storageLevelToProto(storageLevel) } }, actionSignal(options));
    return this;
  }

  /** Removes the cached data (`blocking`: wait until the blocks are gone). */
  async unpersist(blocking = false, options: ActionOptions = {}): Promise<this> {
    await this.session.analyze({ case: 'unpersist', value: { relation: this.relation, blocking } }, actionSignal(options));
    return this;
  }

  /** How this DataFrame is cached (`StorageLevel.NONE` when it is not). */
  async storageLevel(options: ActionOptions = {}): Promise<StorageLevel> {
    const r = await this.session.analyze({ case: 'getStorageLevel', value: { relation: this.relation } }, actionSignal(options));
    if (r.case !== 'getStorageLevel' || !r.value.storageLevel) throw new Error('AnalyzePlan returned no storage level');
    return storageLevelFromProto(r.value.storageLevel);
  }

  /** True when this DataFrame is cached (PySpark's `is_cached`: its storage level is not NONE). */
  async isCached(options: ActionOptions = {}): Promise<boolean> {
    const l = await this.storageLevel(options);
    return l.useDisk || l.useMemory || l.useOffHeap;
  }

  // ---- checkpoints (Spark 4.0 servers) ----

  /**
   * Computes this DataFrame (unless `eager` is false) and saves it to the server's checkpoint directory
   * (`spark.checkpoint.dir`), returning a DataFrame that reads the saved data: its plan no longer holds
   * the lineage (useful to cut long iterative plans). Needs a Spark 4.0 server.
   */
  async checkpoint(eager = true, options: ActionOptions = {}): Promise<DataFrame> {
    return this.runCheckpoint(false, eager, undefined, options);
  }

  /**
   * As checkpoint(), but the data is kept by the executors' block managers (`storageLevel`; default the
   * server's), which is faster and not fault-tolerant. Needs a Spark 4.0 server.
   */
  async localCheckpoint(eager = true, storageLevel?: StorageLevel, options: ActionOptions = {}): Promise<DataFrame> {
    return this.runCheckpoint(true, eager, storageLevel, options);
  }

  /** The command checkpoint() / localCheckpoint() send. Pure. */
  checkpointCommand(local: boolean, eager = true, storageLevel?: StorageLevel): Command {
    return create(CommandSchema, {
      commandType: {
        case: 'checkpointCommand',
        value: { relation: this.relation, local, eager, ...(storageLevel ? { storageLevel: storageLevelToProto(storageLevel) } : {}) },
      },
    });
  }

  private async runCheckpoint(local: boolean, eager: boolean, storageLevel: StorageLevel | undefined, options: ActionOptions): Promise<DataFrame> {
    const signal = actionSignal(options);
    for (const r of await this.session.executeCommand(this.checkpointCommand(local, eager, storageLevel), signal ? { signal } : {})) {
      if (r.responseType.case === 'checkpointCommandResult' && r.responseType.value.relation) {
        return cachedRemoteDataFrame(this.session, r.responseType.value.relation.relationId);
      }
    }
    throw new Error('CheckpointCommand returned no relation');
  }

  // ---- large results ----

  /**
   * The rows one at a time, decoded batch by batch as the server streams them: memory holds one Arrow
   * batch, not the whole result (PySpark's `toLocalIterator`). Breaking out of the loop releases the
   * execution on the server.
   */
  async *toLocalIterator(options: CollectOptions = {}): AsyncGenerator<Row, void, undefined> {
    const signal = actionSignal(options);
    let schema: DataType | undefined;
    for await (const r of this.session.execute(this.plan(), signal ? { signal } : {})) {
      if (r.schema) schema = fromProtoDataType(r.schema);
      if (r.responseType.case !== 'arrowBatch') continue;
      yield* decodeArrowBatches([r.responseType.value.data], options, schema instanceof StructType ? schema : undefined);
    }
  }

  /**
   * The whole result as an Apache Arrow `Table` (apache-arrow's own types: no conversion to the
   * JavaScript values `collect` returns), e.g. to hand to another Arrow consumer.
   */
  async toArrow(options: ActionOptions = {}): Promise<ArrowTable> {
    const signal = actionSignal(options);
    const tables: ArrowTable[] = [];
    for await (const r of this.session.execute(this.plan(), signal ? { signal } : {})) {
      if (r.responseType.case === 'arrowBatch') tables.push(tableFromIPC(r.responseType.value.data));
    }
    if (tables.length === 0) throw new Error('toArrow(): the server sent no Arrow batch');
    return tables.length === 1
      ? tables[0]!
      : new ArrowTable(
          tables[0]!.schema,
          tables.flatMap((t) => t.batches),
        );
  }

  /** The last `n` rows (all of them travel to the server's driver first: keep `n` small). */
  async tail(n: number, options: CollectOptions = {}): Promise<Row[]> {
    return this.derive({ case: 'tail', value: { input: this.relation, limit: n } }).collect(options);
  }

  /** `[name, simpleString type]` per column, as PySpark's `dtypes`. */
  async dtypes(options: ActionOptions = {}): Promise<[string, string][]> {
    // A one-field struct's simpleString is `struct<name:type>`: the type is what follows `name:`.
    return (await this.schema(options)).fields.map((f) => [f.name, new StructType([f]).simpleString().slice(`struct<${f.name}:`.length, -1)]);
  }

  /** True when both plans compute the same result (the server compares their canonical forms). */
  async sameSemantics(other: DataFrame, options: ActionOptions = {}): Promise<boolean> {
    const r = await this.session.analyze({ case: 'sameSemantics', value: { targetPlan: this.plan(), otherPlan: other.plan() } }, actionSignal(options));
    if (r.case !== 'sameSemantics') throw new Error('AnalyzePlan returned no sameSemantics result');
    return r.value.result;
  }

  /** A hash of the canonical plan: equal for DataFrames of the same semantics. */
  async semanticHash(options: ActionOptions = {}): Promise<number> {
    const r = await this.session.analyze({ case: 'semanticHash', value: { plan: this.plan() } }, actionSignal(options));
    if (r.case !== 'semanticHash') throw new Error('AnalyzePlan returned no semanticHash result');
    return r.value.result;
  }

  /** The files the plan reads, as the server lists them (best effort; empty for non-file sources). */
  async inputFiles(options: ActionOptions = {}): Promise<string[]> {
    const r = await this.session.analyze({ case: 'inputFiles', value: { plan: this.plan() } }, actionSignal(options));
    if (r.case !== 'inputFiles') throw new Error('AnalyzePlan returned no inputFiles result');
    return r.value.files;
  }

  /** True when the DataFrame has no row (fetches at most one). */
  async isEmpty(options: ActionOptions = {}): Promise<boolean> {
    return (await this.limit(1).collect(options)).length === 0;
  }
}

function sortOrder(e: Expression): Expression_SortOrder {
  // Already a sort order (from .asc()/.desc())? Keep it; otherwise ascending, nulls first.
  const s = e.exprType.case === 'sortOrder' ? e : new Column(e).asc().expr;
  if (s.exprType.case !== 'sortOrder') throw new Error('unreachable: asc() builds a sort order');
  return s.exprType.value;
}

/**
 * The server keeps a checkpointed DataFrame (by id, in the session) until told to drop it. As PySpark
 * does when its plan node is garbage-collected, the drop is sent once no plan holds the relation any
 * more (the relation object, which every DataFrame derived from it embeds, is what is watched).
 */
const RELEASE_CACHED_RELATION = new FinalizationRegistry<{ session: SparkSession; relationId: string }>(({ session, relationId }) => {
  if (session.isStopped) return;
  const command = create(CommandSchema, { commandType: { case: 'removeCachedRemoteRelationCommand', value: { relation: { relationId } } } });
  // Best effort: the server drops the session's cached relations with the session anyway.
  session.executeCommand(command).catch(() => undefined);
});

function cachedRemoteDataFrame(session: SparkSession, relationId: string): DataFrame {
  const relation = DataFrame.newRelation(session, { case: 'cachedRemoteRelation', value: { relationId } });
  RELEASE_CACHED_RELATION.register(relation, { session, relationId });
  return new DataFrame(session, relation);
}
