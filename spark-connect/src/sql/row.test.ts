import { describe, expect, it } from 'vitest';
import { isRow, Row, RowFieldError, rowFactory } from './row.js';

describe('Row', () => {
  const joined = new Row(['id', 'v', 'id', 'v'], [1, 'x', 2, 'y']);

  it('keeps every column by position when names repeat (a join)', () => {
    expect(joined.values()).toEqual([1, 'x', 2, 'y']);
    expect(joined.fieldNames()).toEqual(['id', 'v', 'id', 'v']);
    expect(joined.get(2)).toBe(2);
    expect(joined.get(-1)).toBe('y');
    const [a, , b] = joined;
    expect([a, b]).toEqual([1, 2]);
  });

  it('reads a repeated name as its first column (PySpark row["id"]), asDict as its last', () => {
    expect(joined['id']).toBe(1);
    expect(joined.get('v')).toBe('x');
    expect(joined.asDict()).toEqual({ id: 2, v: 'y' });
  });

  it('equals a plain object of its fields, so existing toEqual checks keep passing', () => {
    const r = rowFactory(['one', 'two'])([1, 2]);
    expect(r).toEqual({ one: 1, two: 2 });
    expect(Object.keys(r)).toEqual(['one', 'two']);
    expect(JSON.stringify(r)).toBe('{"one":1,"two":2}');
    expect(isRow(r)).toBe(true);
    expect(isRow({ one: 1 })).toBe(false);
  });

  it('a column named like a method shadows it; the static helpers still reach every column', () => {
    const r = new Row(['get', 'values', '__proto__'], [1, 2, 3]);
    expect(r['get']).toBe(1);
    expect(r['values']).toBe(2);
    expect(Object.getOwnPropertyDescriptor(r, '__proto__')?.value).toBe(3);
    expect(Row.valuesOf(r)).toEqual([1, 2, 3]);
    expect(Row.fieldNamesOf(r)).toEqual(['get', 'values', '__proto__']);
  });

  it('names what is missing', () => {
    expect(() => joined.get(4)).toThrow(RowFieldError);
    expect(() => joined.get('nope')).toThrow(/no field "nope"; its fields: id, v, id, v/);
  });

  it('asDict(true) converts nested rows', () => {
    const r = new Row(['s'], [new Row(['a', 'a'], [1, 2])]);
    expect(r.asDict(true)).toEqual({ s: { a: 2 } });
    expect(isRow(r.asDict(true)['s'])).toBe(false);
    expect(Row.fromObject({ x: 1 }).values()).toEqual([1]);
  });
});
