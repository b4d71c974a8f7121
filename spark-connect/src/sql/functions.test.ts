// The generated wrappers (src/gen/functions.ts) convert arguments as PySpark's Connect client does:
// ColumnOrName strings are column names, other values literals, omitted optional arguments dropped.
import { describe, expect, it } from 'vitest';
import type { Expression } from '../gen/spark/connect/expressions_pb.js';
import * as F from './functions.js';

function call(c: { expr: Expression }): { name: string; args: (string | undefined)[] } {
  const t = c.expr.exprType;
  if (t.case !== 'unresolvedFunction') throw new Error(`expected a function call, got ${String(t.case)}`);
  return { name: t.value.functionName, args: t.value.arguments.map((a) => a.exprType.case) };
}

describe('generated function wrappers', () => {
  it('a ColumnOrName string is a column, a str parameter a literal', () => {
    expect(call(F.date_format('ts', 'yyyy'))).toEqual({ name: 'date_format', args: ['unresolvedAttribute', 'literal'] });
    expect(call(F.substring_index('s', ',', 2))).toEqual({ name: 'substring_index', args: ['unresolvedAttribute', 'literal', 'literal'] });
  });

  it('Union[ColumnOrName, number] parameters: strings are names, numbers literals', () => {
    expect(call(F.atan2(1, 'y')).args).toEqual(['literal', 'unresolvedAttribute']);
    expect(call(F.pow('x', 2)).args).toEqual(['unresolvedAttribute', 'literal']);
  });

  it('omitted optional arguments are not sent; defaults are', () => {
    expect(call(F.round('x')).args).toHaveLength(1);
    expect(call(F.round('x', 2)).args).toHaveLength(2);
    expect(call(F.lag('x')).args).toEqual(['unresolvedAttribute', 'literal']);
    expect(call(F.lag('x', 2, 0)).args).toEqual(['unresolvedAttribute', 'literal', 'literal']);
  });

  it('variadic wrappers take every argument', () => {
    expect(call(F.greatest('a', 'b', 'c')).args).toEqual(['unresolvedAttribute', 'unresolvedAttribute', 'unresolvedAttribute']);
    expect(call(F.json_tuple('j', 'a', 'b')).args).toEqual(['unresolvedAttribute', 'literal', 'literal']);
  });

  it('a wrapper named differently from its server function calls the server name', () => {
    expect(call(F.bitwise_not('x')).name).toBe(F.GENERATED['bitwise_not']);
    expect(F.GENERATED['bitwise_not']).toBe('~');
    expect(F.toDegrees).toBe(F.degrees);
  });

  it('leaves out only what is not a Spark function call (and says why)', () => {
    expect(Object.keys(F.SKIPPED).sort()).toEqual(['broadcast', 'call_udf', 'udf', 'udtf']);
  });

  it('a reserved word is an export name', () => {
    const typeofFn = (F as unknown as Record<string, (c: string) => { expr: Expression }>)['typeof'];
    expect(call(typeofFn!('x')).name).toBe('typeof');
  });
});
