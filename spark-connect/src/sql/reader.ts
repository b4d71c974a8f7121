// spark.read: batch sources (`format(...).option(...).load()`), the non-streaming twin of readStream.
import { DataFrame } from './dataframe.js';
import type { SparkSession } from './session.js';
import type { OptionValue } from './streaming.js';
import { StructType } from './types.js';

export class DataFrameReader {
  private fmt: string | undefined;
  private schemaString: string | undefined;
  private readonly opts: Record<string, string> = {};

  constructor(private readonly session: SparkSession) {}

  format(source: string): this {
    this.fmt = source;
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
  /** A StructType (sent as Spark's JSON schema form) or a DDL string. */
  schema(schema: StructType | string): this {
    this.schemaString = schema instanceof StructType ? schema.json() : schema;
    return this;
  }

  load(...paths: string[]): DataFrame {
    return new DataFrame(
      this.session,
      DataFrame.newRelation(this.session, {
        case: 'read',
        value: {
          isStreaming: false,
          readType: {
            case: 'dataSource',
            value: {
              ...(this.fmt !== undefined ? { format: this.fmt } : {}),
              ...(this.schemaString !== undefined ? { schema: this.schemaString } : {}),
              options: { ...this.opts },
              paths,
            },
          },
        },
      }),
    );
  }

  table(tableName: string): DataFrame {
    return new DataFrame(
      this.session,
      DataFrame.newRelation(this.session, {
        case: 'read',
        value: { readType: { case: 'namedTable', value: { unparsedIdentifier: tableName, options: { ...this.opts } } } },
      }),
    );
  }
}
