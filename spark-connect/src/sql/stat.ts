// df.stat: PySpark's DataFrameStatFunctions over the Connect Stat* relations. The statistics that
// return numbers (approxQuantile, corr, cov) are actions; crosstab, freqItems and sampleBy return
// DataFrames, as in PySpark.
import { literal, nameToColumn, type ColumnOrName, type LiteralValue } from './column.js';
import { DataFrame } from './dataframe.js';
import type { ActionOptions, Value } from './arrow.js';

export class DataFrameStatFunctions {
  constructor(private readonly df: DataFrame) {}

  private derive(relType: Parameters<typeof DataFrame.newRelation>[1]): DataFrame {
    return new DataFrame(this.df.session, DataFrame.newRelation(this.df.session, relType));
  }

  /**
   * Approximate quantiles of one column (an array of numbers) or several (an array per column), within
   * `relativeError` (0 is exact, and costly).
   */
  async approxQuantile(col: string, probabilities: readonly number[], relativeError: number, options?: ActionOptions): Promise<number[]>;
  async approxQuantile(cols: readonly string[], probabilities: readonly number[], relativeError: number, options?: ActionOptions): Promise<number[][]>;
  async approxQuantile(
    col: string | readonly string[],
    probabilities: readonly number[],
    relativeError: number,
    options: ActionOptions = {},
  ): Promise<number[] | number[][]> {
    if (relativeError < 0) throw new RangeError(`approxQuantile(): relativeError must be >= 0, got ${relativeError}`);
    const cols = typeof col === 'string' ? [col] : [...col];
    const [row] = await this.derive({
      case: 'approxQuantile',
      value: { input: this.df.relation, cols, probabilities: [...probabilities], relativeError },
    }).collect(options);
    const result = ((row?.get(0) ?? []) as Value[]).map((qs) => (qs as Value[]).map(Number));
    return typeof col === 'string' ? (result[0] ?? []) : result;
  }

  /** Pearson correlation of two numeric columns. */
  async corr(col1: string, col2: string, method = 'pearson', options: ActionOptions = {}): Promise<number> {
    const [row] = await this.derive({ case: 'corr', value: { input: this.df.relation, col1, col2, method } }).collect(options);
    return Number(row?.get(0));
  }

  /** Sample covariance of two numeric columns. */
  async cov(col1: string, col2: string, options: ActionOptions = {}): Promise<number> {
    const [row] = await this.derive({ case: 'cov', value: { input: this.df.relation, col1, col2 } }).collect(options);
    return Number(row?.get(0));
  }

  /** The contingency table of two columns (first column `col1_col2`, one column per value of col2). */
  crosstab(col1: string, col2: string): DataFrame {
    return this.derive({ case: 'crosstab', value: { input: this.df.relation, col1, col2 } });
  }

  /** Frequent items of the columns (possibly with false positives), one array column `<col>_freqItems` each. */
  freqItems(cols: readonly string[], support?: number): DataFrame {
    return this.derive({ case: 'freqItems', value: { input: this.df.relation, cols: [...cols], ...(support !== undefined ? { support } : {}) } });
  }

  /** A stratified sample without replacement: `fractions` per value of `col`. */
  sampleBy(col: ColumnOrName, fractions: ReadonlyMap<LiteralValue, number> | Readonly<Record<string, number>>, seed?: number | bigint): DataFrame {
    const entries: [LiteralValue, number][] = fractions instanceof Map ? [...fractions.entries()] : Object.entries(fractions);
    for (const [k, f] of entries) if (f < 0 || f > 1) throw new RangeError(`sampleBy(): the fraction of ${String(k)} must be in [0, 1], got ${f}`);
    return this.derive({
      case: 'sampleBy',
      value: {
        input: this.df.relation,
        col: nameToColumn(col).expr,
        fractions: entries.map(([stratum, fraction]) => ({ stratum: literal(stratum), fraction })),
        seed: BigInt(seed ?? Math.floor(Math.random() * 2 ** 31)),
      },
    });
  }
}
