// Plan encoding: DataFrames are built without a server; assert on the Connect messages.
import { describe, expect, it } from 'vitest';
import type { Expression } from '../gen/spark/connect/expressions_pb.js';
import type { Relation } from '../gen/spark/connect/relations_pb.js';
import { call_function, col, current_timestamp, expr, fn, from_json, lit, regexp_like, struct, to_json, when } from './functions.js';
import { SparkSession } from './session.js';
import { IntegerType, StringType, StructType } from './types.js';

const spark = SparkSession.builder().remote('sc://localhost:15002').create();

type RelCase = NonNullable<Relation['relType']['case']>;
type RelOf<C extends RelCase> = Extract<Relation['relType'], { case: C }> extends { value: infer V } ? V : never;
function rel<C extends RelCase>(r: Relation | undefined, c: C): RelOf<C> {
  expect(r?.relType.case).toBe(c);
  return (r!.relType as { value: unknown }).value as RelOf<C>;
}
function fnOf(e: Expression | undefined) {
  expect(e?.exprType.case).toBe('unresolvedFunction');
  return (e!.exprType as Extract<Expression['exprType'], { case: 'unresolvedFunction' }>).value;
}

describe('SparkSession builder', () => {
  it('creates a session without I/O and with a UUID session id', () => {
    const s = SparkSession.builder().remote('sc://127.0.0.1:1').create();
    expect(s.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.client.clientType).toMatch(/^spark-connect-node\/\d+\.\d+\.\d+ node\//);
    s.stop();
  });

  it('reuses a session id given to the builder or in the connection string', () => {
    const sid = '6f9619ff-8b86-4d01-b42d-00cf4fc964ff';
    expect(SparkSession.builder().remote('sc://h:1').sessionId(sid).create().sessionId).toBe(sid);
    expect(SparkSession.builder().remote(`sc://h:1/;session_id=${sid};user_id=bob`).create().userId).toBe('bob');
  });

  it('getActiveSession is the last session built, until it stops', () => {
    const s = SparkSession.builder().remote('sc://h:9').create();
    expect(SparkSession.getActiveSession()).toBe(s);
    s.stop();
    expect(SparkSession.getActiveSession()).toBeUndefined();
  });

  it('getOrCreate returns the active session for the same remote', () => {
    const a = SparkSession.builder().remote('sc://h:2').getOrCreate();
    expect(SparkSession.builder().remote('sc://h:2').getOrCreate()).toBe(a);
    expect(SparkSession.builder().remote('sc://h:3').getOrCreate()).not.toBe(a);
  });

  it('getOrCreate compares the server-side identity, not the URL spelling', () => {
    const sid = '6f9619ff-8b86-4d01-b42d-00cf4fc964aa';
    const a = SparkSession.builder().remote(`sc://Spark.example/;user_id=ann;session_id=${sid}`).getOrCreate();
    // default port, host case, parameter order, extra parameters
    expect(SparkSession.builder().remote(`sc://spark.example:15002/;session_id=${sid};x-tag=1;user_id=ann`).getOrCreate()).toBe(a);
    expect(SparkSession.builder().remote('sc://spark.example:15002').getOrCreate()).toBe(a);
    expect(SparkSession.builder().remote('sc://spark.example:15002').sessionId(sid).getOrCreate()).toBe(a);
    expect(SparkSession.builder().remote('sc://spark.example:15002/;user_id=bob').getOrCreate()).not.toBe(a);
  });
});

describe('DataFrame plans', () => {
  it('range + select + filter + withColumn + limit', () => {
    const df = spark
      .range(10)
      .select(col('id'), col('id').plus(1).alias('next'))
      .filter(col('id').gt(2).and(col('next').leq(8)))
      .withColumn('flag', when(col('id').eq(3), 'three').otherwise(lit(null)))
      .limit(5);
    const plan = df.plan();
    expect(plan.opType.case).toBe('root');
    const limit = rel(df.relation, 'limit');
    expect(limit.limit).toBe(5);
    const wc = rel(limit.input, 'withColumns');
    expect(wc.aliases[0]?.name).toEqual(['flag']);
    const caseWhen = fnOf(wc.aliases[0]?.expr);
    expect(caseWhen.functionName).toBe('when');
    expect(caseWhen.arguments).toHaveLength(3);
    const filter = rel(wc.input, 'filter');
    const and = fnOf(filter.condition);
    expect(and.functionName).toBe('and');
    expect(fnOf(and.arguments[0]).functionName).toBe('>');
    expect(fnOf(and.arguments[1]).functionName).toBe('<=');
    const project = rel(filter.input, 'project');
    expect(project.expressions[0]?.exprType).toMatchObject({ case: 'unresolvedAttribute', value: { unparsedIdentifier: 'id' } });
    const alias = project.expressions[1]?.exprType;
    expect(alias?.case).toBe('alias');
    const range = rel(project.input, 'range');
    expect(range.start).toBe(0n);
    expect(range.end).toBe(10n);
    expect(range.step).toBe(1n);
    // Every relation gets its own plan id.
    expect(df.relation.common?.planId).toBeDefined();
    expect(df.relation.common?.planId).not.toBe(limit.input?.common?.planId);
  });

  it('lit picks Spark types from JS values', () => {
    const lits = [lit(1), lit(2 ** 40), lit(1.5), lit('s'), lit(true), lit(null), lit(10n), lit(new Date(1000))].map((c) => c.expr.exprType);
    const cases = lits.map((e) => (e.case === 'literal' ? e.value.literalType.case : e.case));
    expect(cases).toEqual(['integer', 'long', 'double', 'string', 'boolean', 'null', 'long', 'timestamp']);
    const ts = lits[7];
    expect(ts?.case === 'literal' && ts.value.literalType.value).toBe(1_000_000n);
  });

  it('sql, table, selectExpr, withColumnRenamed, alias, union, cast', () => {
    const a = spark.sql('SELECT :x AS x', { x: 1 });
    const sql = rel(a.relation, 'sql');
    expect(sql.query).toBe('SELECT :x AS x');
    expect(sql.args['x']?.literalType).toEqual({ case: 'integer', value: 1 });
    const b = spark.table('db.t').selectExpr('x + 1 AS x').withColumnRenamed('x', 'y').alias('b');
    const sub = rel(b.relation, 'subqueryAlias');
    expect(sub.alias).toBe('b');
    expect(rel(sub.input, 'withColumnsRenamed').renameColumnsMap).toEqual({ x: 'y' });
    const u = a.union(b);
    const setOp = rel(u.relation, 'setOp');
    expect(setOp.isAll).toBe(true);
    expect(setOp.byName).toBe(false);
    const c = col('x').cast('bigint').expr.exprType;
    expect(c.case === 'cast' && c.value.castToType).toEqual({ case: 'typeStr', value: 'bigint' });
    const c2 = col('x').cast(IntegerType()).expr.exprType;
    expect(c2.case === 'cast' && c2.value.castToType.case).toBe('type');
    const read = rel(spark.table('db.t').relation, 'read');
    expect(read.isStreaming).toBe(false);
    expect(read.readType).toMatchObject({ case: 'namedTable', value: { unparsedIdentifier: 'db.t' } });
  });

  it('from_json with a StructType sends the JSON schema and an options map', () => {
    const schema = new StructType().add('id', StringType(), false).add('n', IntegerType());
    const f = fnOf(from_json(col('value').cast('string'), schema, { mode: 'PERMISSIVE' }).expr);
    expect(f.functionName).toBe('from_json');
    expect(f.arguments).toHaveLength(3);
    expect(f.arguments[0]?.exprType.case).toBe('cast');
    const schemaLit = f.arguments[1]?.exprType;
    expect(schemaLit?.case === 'literal' && schemaLit.value.literalType).toEqual({ case: 'string', value: schema.json() });
    const opts = fnOf(f.arguments[2]);
    expect(opts.functionName).toBe('map');
    expect(opts.arguments.map((a) => (a.exprType.case === 'literal' ? a.exprType.value.literalType.value : null))).toEqual(['mode', 'PERMISSIVE']);
  });

  it('from_json with a DDL string, to_json, struct, current_timestamp, regexp_like, fn, expr', () => {
    const f = fnOf(from_json('value', 'id STRING, n INT').expr);
    expect(f.arguments).toHaveLength(2);
    expect(f.arguments[1]?.exprType).toMatchObject({ case: 'literal', value: { literalType: { case: 'string', value: 'id STRING, n INT' } } });
    expect(fnOf(to_json(struct('a', col('b'))).expr).functionName).toBe('to_json');
    expect(fnOf(struct('a', 'b').expr).arguments).toHaveLength(2);
    expect(fnOf(current_timestamp().expr)).toMatchObject({ functionName: 'current_timestamp', arguments: [] });
    expect(fnOf(regexp_like(col('id'), '^[0-9a-f-]{36}$').expr).functionName).toBe('regexp_like');
    expect(fnOf(fn('upper', col('name')).expr).functionName).toBe('upper');
    // fn: strings are literals; call_function (PySpark): strings are column names.
    expect(fnOf(fn('concat', 'x').expr).arguments[0]?.exprType.case).toBe('literal');
    expect(fnOf(call_function('upper', 'name').expr).arguments[0]?.exprType.case).toBe('unresolvedAttribute');
    expect(expr('a + 1').expr.exprType).toEqual(expect.objectContaining({ case: 'expressionString' }));
    expect(fnOf(col('a').isNull().expr).functionName).toBe('isnull');
    expect(fnOf(col('a').isNotNull().expr).functionName).toBe('isnotnull');
    expect(fnOf(col('a').notEqual(1).expr).functionName).toBe('not');
    expect(fnOf(col('a').or(col('b').not()).expr).functionName).toBe('or');
    const field = col('s').getField('x').expr.exprType;
    expect(field.case).toBe('unresolvedExtractValue');
  });

  it('when/otherwise guards misuse', () => {
    expect(() => col('a').otherwise(1)).toThrow('when()');
    expect(() => when(col('a'), 1).otherwise(2).otherwise(3)).toThrow('once');
  });

  it('join: USING columns, a condition, and cross', () => {
    const a = spark.range(3);
    const b = spark.range(5).withColumnRenamed('id', 'k');
    const j = rel(a.join(b, a.col('id').eq(b.col('k')), 'left').relation, 'join');
    expect(j.joinType).toBe(3); // LEFT_OUTER
    const cond = fnOf(j.joinCondition);
    expect(cond.functionName).toBe('==');
    expect(cond.arguments[0]?.exprType).toMatchObject({ case: 'unresolvedAttribute', value: { planId: a.planId } });
    expect(rel(a.join(spark.range(2), 'id').relation, 'join').usingColumns).toEqual(['id']);
    expect(rel(a.crossJoin(b).relation, 'join').joinType).toBe(7); // CROSS
  });

  it('count() is a global aggregate of count(1)', () => {
    const g = spark.range(3).groupBy().count();
    const agg = rel(g.relation, 'aggregate');
    expect(agg.groupingExpressions).toHaveLength(0);
    const a = agg.aggregateExpressions[0]?.exprType;
    expect(a?.case === 'alias' && a.value.name).toEqual(['count']);
  });
});

describe('PySpark breadth: plans of the newer methods', () => {
  const df = spark.range(4).withColumn('k', col('id').mod(2));

  it('groupingSets: an Aggregate of type GROUPING_SETS with one set per list, the output columns as grouping expressions', () => {
    const a = rel(df.groupingSets([['k', 'id'], ['k'], []], 'k', 'id').agg(fn('count', lit(1))).relation, 'aggregate');
    expect(a.groupType).toBe(5); // GROUP_TYPE_GROUPING_SETS
    expect(a.groupingExpressions).toHaveLength(2);
    expect(a.groupingSets.map((s) => s.groupingSet.length)).toEqual([2, 1, 0]);
    // groupBy stays a plain GROUPBY without sets.
    expect(rel(df.groupBy('k').count().relation, 'aggregate').groupingSets).toEqual([]);
  });

  it('checkpointCommand: the relation, local/eager and the storage level', () => {
    const c = df.checkpointCommand(true, false, { useDisk: false, useMemory: true, useOffHeap: false, deserialized: true, replication: 1 });
    expect(c.commandType.case).toBe('checkpointCommand');
    const v = c.commandType.value as { relation: Relation; local: boolean; eager: boolean; storageLevel?: { useMemory: boolean } };
    expect(v.relation).toBe(df.relation);
    expect([v.local, v.eager, v.storageLevel?.useMemory]).toEqual([true, false, true]);
  });

  it('withMetadata (WithColumns with metadata JSON), colRegex, metadataColumn, transpose, to(schema)', () => {
    const w = rel(df.withMetadata('k', { comment: 'parity' }).relation, 'withColumns');
    expect(w.aliases[0]?.name).toEqual(['k']);
    expect(JSON.parse(w.aliases[0]?.metadata ?? '{}')).toEqual({ comment: 'parity' });
    const regex = df.colRegex('`(id|k)`').expr.exprType;
    expect(regex).toMatchObject({ case: 'unresolvedRegex', value: { colName: '`(id|k)`', planId: df.planId } });
    expect(df.metadataColumn('_metadata').expr.exprType).toMatchObject({ case: 'unresolvedAttribute', value: { isMetadataColumn: true, planId: df.planId } });
    expect(rel(df.transpose('k').relation, 'transpose').indexColumns).toHaveLength(1);
    expect(rel(df.transpose().relation, 'transpose').indexColumns).toHaveLength(0);
    expect(rel(df.to(new StructType().add('k', IntegerType())).relation, 'toSchema').schema?.kind.case).toBe('struct');
  });

  it('Column: null orderings, bitwise operators, tryCast eval mode, withField/dropFields', () => {
    const so = (c: ReturnType<typeof col>) =>
      c.expr.exprType.case === 'sortOrder' ? [c.expr.exprType.value.direction, c.expr.exprType.value.nullOrdering] : [];
    expect(so(col('a').ascNullsLast())).toEqual([1, 2]);
    expect(so(col('a').descNullsFirst())).toEqual([2, 1]);
    expect(fnOf(col('a').bitwiseXOR(1).expr).functionName).toBe('^');
    const cast = col('a').tryCast('int').expr.exprType;
    expect(cast.case === 'cast' && cast.value.evalMode).toBe(3); // EVAL_MODE_TRY
    const plain = col('a').cast('int').expr.exprType;
    expect(plain.case === 'cast' && plain.value.evalMode).toBe(0);
    const dropped = col('s').dropFields('x', 'y').expr.exprType;
    expect(dropped.case).toBe('updateFields');
    expect(dropped.case === 'updateFields' && [dropped.value.fieldName, dropped.value.valueExpression]).toEqual(['y', undefined]);
    expect(() => col('s').dropFields()).toThrow();
  });

  it('the readers shorthands are format + options + load', () => {
    const r = rel(spark.read.csv(['/a', '/b'], { header: true }).relation, 'read');
    expect(r.readType.case === 'dataSource' && r.readType.value).toMatchObject({ format: 'csv', options: { header: 'true' }, paths: ['/a', '/b'] });
    const s = rel(spark.readStream.json('/in').relation, 'read');
    expect(s.isStreaming).toBe(true);
    expect(s.readType.case === 'dataSource' && s.readType.value).toMatchObject({ format: 'json', paths: ['/in'] });
  });

  it('session tags: a comma or an empty tag is refused', () => {
    expect(() => spark.addTag('a,b')).toThrow(RangeError);
    expect(() => spark.removeTag('')).toThrow(RangeError);
  });
});
