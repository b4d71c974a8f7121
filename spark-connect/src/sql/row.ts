// Row: one result row (or struct value), keeping every column by position as PySpark's Row does,
// and each name as a property so `row.name` / `row['name']` read it as before.
//
// With duplicate names (a join's `id` and `id`), the property holds the FIRST column of that name,
// as PySpark's `row['id']` / `row.id` do; `row.get(1)` and `row.values()` reach every column.
// Methods live on the prototype, so a column named like one (`get`, `values`) shadows it on that
// row: `Row.prototype.get.call(row, 'get')` still works, as do the static helpers below.
import type { Value } from './arrow.js';

/** A reference to a field that the row does not have. */
export class RowFieldError extends RangeError {
  override readonly name = 'RowFieldError';
}

export interface RowMethods {
  /** The value at a position (negative counts from the end, like Python) or of a name (first match). */
  get(key: number | string): Value;
  /** Every value by position, duplicates included. */
  values(): Value[];
  /** Every field name by position, duplicates included. */
  fieldNames(): string[];
  /** A plain object; with duplicate names the last one wins (PySpark's `asDict`). `recursive` converts nested rows too. */
  asDict(recursive?: boolean): Record<string, Value>;
  /** Positional iteration: `const [id, name] = row`. */
  [Symbol.iterator](): Iterator<Value>;
}

/** A result row: positional methods plus one property per (first) field name. */
export type Row = RowMethods & { readonly [field: string]: Value };

class RowImpl implements RowMethods {
  readonly #names: readonly string[];
  /** Positional values, kept only when names repeat (otherwise the properties are the values). */
  readonly #positional: readonly Value[] | undefined;

  constructor(names: readonly string[], values: readonly Value[], hasDuplicates = new Set(names).size !== names.length) {
    this.#names = names;
    this.#positional = hasDuplicates ? values : undefined;
    const self = this as unknown as Record<string, Value>;
    for (let j = 0; j < names.length; j++) {
      const name = names[j]!;
      if (name === '__proto__') Object.defineProperty(this, name, { value: values[j] ?? null, enumerable: true, writable: true, configurable: true });
      else if (!hasDuplicates || !Object.hasOwn(this, name)) self[name] = values[j] ?? null;
    }
  }

  get(key: number | string): Value {
    if (typeof key === 'number') {
      const n = this.#names.length;
      const i = key < 0 ? n + key : key;
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RowFieldError(`row has ${n} field(s); there is no position ${key}`);
      return this.values()[i]!;
    }
    const i = this.#names.indexOf(key);
    if (i < 0) throw new RowFieldError(`row has no field ${JSON.stringify(key)}; its fields: ${this.#names.join(', ')}`);
    return this.values()[i]!;
  }

  values(): Value[] {
    if (this.#positional) return [...this.#positional];
    const self = this as unknown as Record<string, Value>;
    return this.#names.map((n) => self[n]!);
  }

  fieldNames(): string[] {
    return [...this.#names];
  }

  asDict(recursive = false): Record<string, Value> {
    const out: Record<string, Value> = {};
    const vals = this.values();
    this.#names.forEach((n, j) => {
      const v = vals[j]!;
      const conv = recursive ? deepDict(v) : v;
      if (n === '__proto__') Object.defineProperty(out, n, { value: conv, enumerable: true, writable: true, configurable: true });
      else out[n] = conv;
    });
    return out;
  }

  [Symbol.iterator](): Iterator<Value> {
    return this.values()[Symbol.iterator]();
  }
}

function deepDict(v: Value): Value {
  if (v instanceof RowImpl) return v.asDict(true) as Value;
  if (Array.isArray(v)) return v.map(deepDict);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, deepDict(x)] as [Value, Value]));
  return v;
}

// Methods are not enumerable on a class prototype, so `Object.keys(row)` and `{ ...row }` are the fields.
export interface RowConstructor {
  /** A row of these fields, by position (names may repeat). */
  new (names: readonly string[], values: readonly Value[]): Row;
  readonly prototype: RowMethods;
  /** A row from a plain object's entries, in their order. */
  fromObject(o: Readonly<Record<string, Value>>): Row;
  /** `row.values()` even when a column named `values` shadows the method. */
  valuesOf(row: Row): Value[];
  /** `row.fieldNames()` even when a column shadows the method. */
  fieldNamesOf(row: Row): string[];
}

export const Row: RowConstructor = Object.assign(RowImpl as unknown as RowConstructor, {
  fromObject: (o: Readonly<Record<string, Value>>): Row => new RowImpl(Object.keys(o), Object.values(o), false) as unknown as Row,
  valuesOf: (row: Row): Value[] => RowImpl.prototype.values.call(row as unknown as RowImpl),
  fieldNamesOf: (row: Row): string[] => RowImpl.prototype.fieldNames.call(row as unknown as RowImpl),
});

/** Builds rows for one schema fast: the duplicate check runs once, not per row. */
export function rowFactory(names: readonly string[]): (values: readonly Value[]) => Row {
  const frozen = Object.freeze([...names]);
  const dup = new Set(frozen).size !== frozen.length;
  return (values) => new RowImpl(frozen, values, dup) as unknown as Row;
}

export function isRow(v: unknown): v is Row {
  return v instanceof RowImpl;
}
