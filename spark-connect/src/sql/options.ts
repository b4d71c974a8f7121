// format(...) + option(...)/options(...): the part every reader and writer (batch and streaming) shares.
import { StructType } from './types.js';

export type OptionValue = string | number | boolean;

/** Spark's options are strings on the wire; numbers and booleans are written as Spark reads them. */
export abstract class FormatAndOptions {
  protected fmt: string | undefined;
  protected readonly opts: Record<string, string> = {};

  format(name: string): this {
    this.fmt = name;
    return this;
  }

  option(key: string, value: OptionValue): this {
    this.opts[key] = String(value);
    return this;
  }

  options(options: Readonly<Record<string, OptionValue>>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }
}

/** Readers also take a schema: a StructType (sent as Spark's JSON schema form) or a DDL string. */
export abstract class SchemaReader extends FormatAndOptions {
  protected schemaString: string | undefined;

  schema(schema: StructType | string): this {
    this.schemaString = schema instanceof StructType ? schema.json() : schema;
    return this;
  }

  /** The `Read.DataSource` these settings describe, for batch and streaming reads alike. */
  protected dataSource(paths: string[]): { format?: string; schema?: string; options: Record<string, string>; paths: string[] } {
    return {
      ...(this.fmt !== undefined ? { format: this.fmt } : {}),
      ...(this.schemaString !== undefined ? { schema: this.schemaString } : {}),
      options: { ...this.opts },
      paths,
    };
  }
}
