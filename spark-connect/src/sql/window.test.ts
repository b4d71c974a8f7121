// Plans of the DataFrame breadth methods, without a server: window frames, partitioning, sampling,
// missing values and pivots build the Connect messages Spark expects.
import { describe, expect, it } from 'vitest';
import type { Relation } from '../gen/spark/connect/relations_pb.js';
import { col, sum } from './functions.js';
import { SparkSession } from './session.js';
import { Window } from './window.js';

const spark = SparkSession.builder().remote('sc://127.0.0.1:1').create();

function rel<C extends NonNullable<Relation['relType']['case']>>(
  r: Relation,
  c: C,
): Extract<Relation['relType'], { case: C }> extends { value: infer V } ? V : never {
  if (r.relType.case !== c) throw new Error(`expected ${c}, got ${String(r.relType.case)}`);
  return r.relType.value as never;
}

describe('Window', () => {
  it('unbounded and current-row bounds become the frame boundaries, offsets literals', () => {
    const w = sum('x').over(Window.partitionBy('k').orderBy(col('t').desc()).rowsBetween(Window.unboundedPreceding, Window.currentRow));
    const e = w.expr.exprType;
    if (e.case !== 'window') throw new Error(String(e.case));
    expect(e.value.partitionSpec).toHaveLength(1);
    expect(e.value.orderSpec).toHaveLength(1);
    expect(e.value.frameSpec?.lower?.boundary.case).toBe('unbounded');
    expect(e.value.frameSpec?.upper?.boundary.case).toBe('currentRow');
    const r = sum('x').over(Window.orderBy('t').rangeBetween(-2, Number.MAX_SAFE_INTEGER)).expr.exprType;
    if (r.case !== 'window') throw new Error(String(r.case));
    expect(r.value.frameSpec?.lower?.boundary.case).toBe('value');
    expect(r.value.frameSpec?.upper?.boundary.case).toBe('unbounded');
  });
});

describe('DataFrame breadth plans', () => {
  const df = spark.range(10);

  it('repartition: round robin without columns, by expression with them; coalesce without a shuffle', () => {
    expect(rel(df.repartition(4).relation, 'repartition')).toMatchObject({ numPartitions: 4, shuffle: true });
    expect(rel(df.repartition(4, 'id').relation, 'repartitionByExpression').numPartitions).toBe(4);
    expect(rel(df.repartition('id').relation, 'repartitionByExpression').numPartitions).toBeUndefined();
    expect(rel(df.coalesce(2).relation, 'repartition')).toMatchObject({ numPartitions: 2, shuffle: false });
    const byRange = rel(df.repartitionByRange(3, 'id').relation, 'repartitionByExpression');
    expect(byRange.partitionExprs[0]?.exprType.case).toBe('sortOrder');
    expect(() => df.repartition(0)).toThrow(RangeError);
  });

  it('sample: both argument forms give the same seeded plan', () => {
    expect(rel(df.sample(0.3, 5).relation, 'sample')).toMatchObject({ upperBound: 0.3, withReplacement: false, seed: 5n });
    expect(rel(df.sample(true, 0.3, 5).relation, 'sample')).toMatchObject({ upperBound: 0.3, withReplacement: true, seed: 5n });
  });

  it("na.drop('all') keeps rows with one value; thresh wins over how", () => {
    expect(rel(df.na.drop('all').relation, 'dropNa').minNonNulls).toBe(1);
    expect(rel(df.na.drop('any').relation, 'dropNa').minNonNulls).toBeUndefined();
    expect(rel(df.na.drop('all', 3).relation, 'dropNa').minNonNulls).toBe(3);
    expect(() => df.na.replace([1, 2], [3])).toThrow(RangeError);
  });

  it('pivot only after groupBy, once', () => {
    const g = df.groupBy('id').pivot('id', [1, 2]);
    expect(rel(g.agg(sum('id')).relation, 'aggregate').pivot?.values).toHaveLength(2);
    expect(() => df.cube('id').pivot('id')).toThrow(/groupBy/);
    expect(() => g.pivot('id')).toThrow(/once/);
  });

  it('a join on a list of Columns is their conjunction', () => {
    const other = spark.range(5);
    const j = rel(df.join(other, [df.col('id').eq(other.col('id')), other.col('id').gt(1)]).relation, 'join');
    const cond = j.joinCondition?.exprType;
    expect(cond?.case === 'unresolvedFunction' && cond.value.functionName).toBe('and');
    expect(j.usingColumns).toEqual([]);
  });
});
