// df.na: PySpark's DataFrameNaFunctions (fill / drop / replace) over the Connect NAFill, NADrop and
// NAReplace relations. Pure: each returns a new DataFrame.
import { literal } from './column.js';
import { DataFrame } from './dataframe.js';

/** Values `fill` and `replace` take: Spark fills or replaces only columns of a matching type. */
export type NaValue = number | string | boolean;

/**
 * NAFill takes LONG, DOUBLE, STRING and BOOLEAN literals only (Spark's `fill` overloads), so integral
 * numbers are sent as LONG, as PySpark sends them, and other numbers as DOUBLE.
 */
function fillLiteral(v: NaValue): ReturnType<typeof literal> {
  return typeof v === 'number' && Number.isSafeInteger(v) ? literal(BigInt(v)) : literal(v);
}

export class DataFrameNaFunctions {
  constructor(private readonly df: DataFrame) {}

  private derive(relType: Parameters<typeof DataFrame.newRelation>[1]): DataFrame {
    return new DataFrame(this.df.session, DataFrame.newRelation(this.df.session, relType));
  }

  /**
   * Replaces nulls: with one value (in every column of a compatible type, or those of `subset`), or
   * per column (`fill({ age: 0, name: 'unknown' })`).
   */
  fill(value: NaValue | Readonly<Record<string, NaValue>>, subset?: string | readonly string[]): DataFrame {
    if (typeof value === 'object') {
      const entries = Object.entries(value);
      return this.derive({
        case: 'fillNa',
        value: { input: this.df.relation, cols: entries.map(([k]) => k), values: entries.map(([, v]) => fillLiteral(v)) },
      });
    }
    const cols = subset === undefined ? [] : typeof subset === 'string' ? [subset] : [...subset];
    return this.derive({ case: 'fillNa', value: { input: this.df.relation, cols, values: [fillLiteral(value)] } });
  }

  /**
   * Drops rows with nulls: `how` 'any' (default) or 'all' of the columns (or of `subset`); `thresh`
   * keeps rows with at least that many non-null values (and overrides `how`).
   */
  drop(how: 'any' | 'all' = 'any', thresh?: number, subset?: string | readonly string[]): DataFrame {
    const cols = subset === undefined ? [] : typeof subset === 'string' ? [subset] : [...subset];
    // Spark's NADrop speaks minNonNulls: 'all' is 1 (drop only rows without any value); 'any' is
    // every column, which the server resolves when minNonNulls is unset.
    const minNonNulls = thresh ?? (how === 'all' ? 1 : undefined);
    return this.derive({ case: 'dropNa', value: { input: this.df.relation, cols, ...(minNonNulls !== undefined ? { minNonNulls } : {}) } });
  }

  /**
   * Replaces values: `replace(0, 100)`, `replace(['a', 'b'], ['x', 'y'])`, `replace({ a: 'x' })`,
   * optionally only in `subset`. `null` can be a replacement value.
   */
  replace(
    toReplace: NaValue | readonly NaValue[] | Readonly<Record<string, NaValue | null>>,
    value?: NaValue | null | readonly (NaValue | null)[],
    subset?: string | readonly string[],
  ): DataFrame {
    let pairs: [NaValue, NaValue | null][];
    if (Array.isArray(toReplace)) {
      const values = Array.isArray(value) ? value : toReplace.map(() => value as NaValue | null);
      if (values.length !== toReplace.length) {
        throw new RangeError(`replace(): ${toReplace.length} values to replace but ${values.length} replacements`);
      }
      pairs = toReplace.map((v, i) => [v, values[i] ?? null]);
    } else if (typeof toReplace === 'object') {
      pairs = Object.entries(toReplace);
    } else {
      if (value === undefined) throw new TypeError('replace(): a replacement value is required unless toReplace is a record');
      pairs = [[toReplace, value as NaValue | null]];
    }
    const cols = subset === undefined ? [] : typeof subset === 'string' ? [subset] : [...subset];
    return this.derive({
      case: 'replace',
      value: { input: this.df.relation, cols, replacements: pairs.map(([o, n]) => ({ oldValue: literal(o), newValue: literal(n) })) },
    });
  }
}
