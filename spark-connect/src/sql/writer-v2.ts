// df.writeTo(table): the v2 table writer (PySpark's DataFrameWriterV2), as Command.write_operation_v2.
// Unlike df.write, every action names what happens to the table: create, replace, createOrReplace,
// append, overwrite(condition) or overwritePartitions.
import { create } from '@bufbuild/protobuf';
import { CommandSchema, WriteOperationV2Schema, WriteOperationV2_Mode, type Command, type WriteOperationV2 } from '../gen/spark/connect/commands_pb.js';
import { type Column, nameToColumn, type ColumnOrName } from './column.js';
import type { DataFrame } from './dataframe.js';

export class DataFrameWriterV2 {
  private provider: string | undefined;
  private readonly opts: Record<string, string> = {};
  private readonly properties: Record<string, string> = {};
  private partitioning: Column[] = [];

  constructor(
    private readonly df: DataFrame,
    private readonly table: string,
  ) {}

  /** The table provider (data source) for create / replace, e.g. "parquet". */
  using(provider: string): this {
    this.provider = provider;
    return this;
  }
  option(key: string, value: string | number | boolean): this {
    this.opts[key] = String(value);
    return this;
  }
  options(options: Readonly<Record<string, string | number | boolean>>): this {
    for (const [key, value] of Object.entries(options)) this.option(key, value);
    return this;
  }
  tableProperty(key: string, value: string): this {
    this.properties[key] = value;
    return this;
  }
  /** Partitions a created table by columns or transforms (years(col), bucket(n, col), ...). */
  partitionedBy(col: ColumnOrName, ...cols: ColumnOrName[]): this {
    this.partitioning = [col, ...cols].map(nameToColumn);
    return this;
  }

  /** The WriteOperationV2 an action would send — no I/O. */
  command(mode: WriteOperationV2_Mode, overwriteCondition?: Column): WriteOperationV2 {
    return create(WriteOperationV2Schema, {
      input: this.df.relation,
      tableName: this.table,
      ...(this.provider !== undefined ? { provider: this.provider } : {}),
      partitioningColumns: this.partitioning.map((c) => c.expr),
      options: { ...this.opts },
      tableProperties: { ...this.properties },
      mode,
      ...(overwriteCondition ? { overwriteCondition: overwriteCondition.expr } : {}),
    });
  }

  toCommand(mode: WriteOperationV2_Mode, overwriteCondition?: Column): Command {
    return create(CommandSchema, { commandType: { case: 'writeOperationV2', value: this.command(mode, overwriteCondition) } });
  }

  private run(mode: WriteOperationV2_Mode, overwriteCondition?: Column): Promise<void> {
    return this.df.session.executeCommand(this.toCommand(mode, overwriteCondition)).then(() => undefined);
  }

  /** Creates the table from the contents; fails if it exists. */
  create(): Promise<void> {
    return this.run(WriteOperationV2_Mode.CREATE);
  }
  /** Replaces an existing table's contents and schema; fails if it does not exist. */
  replace(): Promise<void> {
    return this.run(WriteOperationV2_Mode.REPLACE);
  }
  createOrReplace(): Promise<void> {
    return this.run(WriteOperationV2_Mode.CREATE_OR_REPLACE);
  }
  /** Appends the contents to an existing table. */
  append(): Promise<void> {
    return this.run(WriteOperationV2_Mode.APPEND);
  }
  /** Overwrites the rows matching the condition with the contents. */
  overwrite(condition: Column): Promise<void> {
    return this.run(WriteOperationV2_Mode.OVERWRITE, condition);
  }
  /** Overwrites every partition the contents have rows for (dynamic partition overwrite). */
  overwritePartitions(): Promise<void> {
    return this.run(WriteOperationV2_Mode.OVERWRITE_PARTITIONS);
  }
}
