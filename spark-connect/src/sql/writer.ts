// df.write: batch writes (`format(...).mode(...).options(...).save()`), as Command.write_operation.
import { create } from '@bufbuild/protobuf';
import {
  CommandSchema,
  WriteOperationSchema,
  WriteOperation_SaveMode,
  WriteOperation_SaveTable_TableSaveMethod,
  type Command,
  type WriteOperation,
} from '../gen/spark/connect/commands_pb.js';
import type { DataFrame } from './dataframe.js';
import { FormatAndOptions, type OptionValue } from './options.js';

export type SaveMode = 'append' | 'overwrite' | 'error' | 'errorifexists' | 'ignore';

const SAVE_MODES: Record<SaveMode, WriteOperation_SaveMode> = {
  append: WriteOperation_SaveMode.APPEND,
  overwrite: WriteOperation_SaveMode.OVERWRITE,
  error: WriteOperation_SaveMode.ERROR_IF_EXISTS,
  errorifexists: WriteOperation_SaveMode.ERROR_IF_EXISTS,
  ignore: WriteOperation_SaveMode.IGNORE,
};

export type WriteTarget = { path?: string } | { saveAsTable: string } | { insertInto: string };

export class DataFrameWriter extends FormatAndOptions {
  private saveMode: SaveMode = 'error';
  private partitioning: string[] = [];
  private bucketing: { numBuckets: number; columns: string[] } | undefined;
  private sorting: string[] = [];

  constructor(private readonly df: DataFrame) {
    super();
  }

  mode(mode: SaveMode): this {
    this.saveMode = mode;
    return this;
  }
  partitionBy(...cols: string[]): this {
    this.partitioning = cols;
    return this;
  }
  /** Buckets the output by the columns' hash into `numBuckets` buckets (tables only: saveAsTable). */
  bucketBy(numBuckets: number, col: string, ...cols: string[]): this {
    if (!Number.isInteger(numBuckets) || numBuckets < 1) throw new RangeError(`bucketBy: numBuckets must be a positive integer, got ${numBuckets}`);
    this.bucketing = { numBuckets, columns: [col, ...cols] };
    return this;
  }
  /** Sorts each bucket by the columns (with bucketBy). */
  sortBy(col: string, ...cols: string[]): this {
    this.sorting = [col, ...cols];
    return this;
  }

  /** The WriteOperation a save would send — no I/O. */
  command(target: WriteTarget = {}): WriteOperation {
    return create(WriteOperationSchema, {
      input: this.df.relation,
      ...(this.fmt !== undefined ? { source: this.fmt } : {}),
      mode: SAVE_MODES[this.saveMode],
      partitioningColumns: [...this.partitioning],
      sortColumnNames: [...this.sorting],
      ...(this.bucketing ? { bucketBy: { bucketColumnNames: [...this.bucketing.columns], numBuckets: this.bucketing.numBuckets } } : {}),
      options: { ...this.opts },
      saveType:
        'saveAsTable' in target
          ? { case: 'table', value: { tableName: target.saveAsTable, saveMethod: WriteOperation_SaveTable_TableSaveMethod.SAVE_AS_TABLE } }
          : 'insertInto' in target
            ? { case: 'table', value: { tableName: target.insertInto, saveMethod: WriteOperation_SaveTable_TableSaveMethod.INSERT_INTO } }
            : target.path !== undefined
              ? { case: 'path', value: target.path }
              : { case: undefined },
    });
  }

  toCommand(target: WriteTarget = {}): Command {
    return create(CommandSchema, { commandType: { case: 'writeOperation', value: this.command(target) } });
  }

  /** Writes to the source's location (`path`, or options such as Cassandra's keyspace/table). */
  async save(path?: string): Promise<void> {
    await this.df.session.executeCommand(this.toCommand(path !== undefined ? { path } : {}));
  }
  async saveAsTable(table: string): Promise<void> {
    await this.df.session.executeCommand(this.toCommand({ saveAsTable: table }));
  }
  async insertInto(table: string): Promise<void> {
    await this.df.session.executeCommand(this.toCommand({ insertInto: table }));
  }

  // PySpark's shorthands: the format and its options (PySpark's keyword arguments; the save mode
  // is `mode()`), then save(path).
  async csv(path: string, options: Readonly<Record<string, OptionValue>> = {}): Promise<void> {
    await this.format('csv').options(options).save(path);
  }
  async json(path: string, options: Readonly<Record<string, OptionValue>> = {}): Promise<void> {
    await this.format('json').options(options).save(path);
  }
  async parquet(path: string, options: Readonly<Record<string, OptionValue>> = {}): Promise<void> {
    await this.format('parquet').options(options).save(path);
  }
  async orc(path: string, options: Readonly<Record<string, OptionValue>> = {}): Promise<void> {
    await this.format('orc').options(options).save(path);
  }
  /** One line per row of a single string column. */
  async text(path: string, options: Readonly<Record<string, OptionValue>> = {}): Promise<void> {
    await this.format('text').options(options).save(path);
  }
}
