import { describe, expect, it } from 'vitest';
import type { Expression } from '../gen/spark/connect/expressions_pb.js';
import { aggregate, transform } from './higher-order.js';
import { callTrimmed, valueToColumn } from './function-args.js';
import { col, lit } from './functions.js';

/** Narrows an expression to one case or fails the test (never a silent early return). */
type ExprType = Expression['exprType'];
type CaseValue<C> = Extract<ExprType, { case: C }> extends { value: infer V } ? V : never;
function as<C extends NonNullable<ExprType['case']>>(e: Expression | undefined, c: C): CaseValue<C> {
  const t = e?.exprType;
  if (t?.case !== c) throw new Error(`expected ${c}, got ${String(t?.case)}`);
  return t.value as CaseValue<C>;
}

describe('higher-order functions', () => {
  it('build a LambdaFunction whose variables are the ones the body uses', () => {
    const call = as(transform('a', (x) => x.plus(1)).expr, 'unresolvedFunction');
    expect(call.functionName).toBe('transform');
    const [arr, fn] = call.arguments;
    expect(arr?.exprType.case).toBe('unresolvedAttribute');
    const lambda = as(fn, 'lambdaFunction');
    const body = as(lambda.function, 'unresolvedFunction');
    expect(as(body.arguments[0], 'unresolvedNamedLambdaVariable').nameParts).toEqual(lambda.arguments[0]?.nameParts);
  });

  it('give nested lambdas distinct variable names', () => {
    const outer = transform('a', (x) => aggregate(x, lit(0), (acc, y) => acc.plus(y)));
    const names = JSON.stringify(outer.expr).match(/"[xyz]_\d+"/g) ?? [];
    expect(new Set(names).size).toBe(3);
  });

  it('reject a lambda of the wrong arity', () => {
    expect(() => transform('a', (() => col('x')) as unknown as (x: ReturnType<typeof col>) => ReturnType<typeof col>)).toThrow(/1 to 3/);
  });
});

describe('generated wrappers’ argument helpers', () => {
  it('drop trailing omitted arguments and send a middle one as NULL', () => {
    const call = as(callTrimmed('f', [col('a'), undefined, lit(1), undefined]).expr, 'unresolvedFunction');
    expect(call.arguments).toHaveLength(3);
    expect(call.arguments[1]?.exprType.case).toBe('literal');
  });

  it('turn a list into an array literal', () => {
    expect(as(valueToColumn([0.25, 0.75]).expr, 'unresolvedFunction').functionName).toBe('array');
  });
});
