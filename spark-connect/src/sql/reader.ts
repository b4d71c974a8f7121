// spark.read: batch sources (`format(...).option(...).load()`), the non-streaming twin of readStream.
import { DataFrame } from './dataframe.js';
import type { SparkSession } from './session.js';
import { type OptionValue, SchemaReader } from './options.js';

type Options = Readonly<Record<string, OptionValue>>;

export class DataFrameReader extends SchemaReader {
  constructor(private readonly session: SparkSession) {
    super();
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
            value: this.dataSource(paths),
          },
        },
      }),
    );
  }

  // PySpark's shorthands: the format, its options (PySpark's keyword arguments), then load().
  csv(paths: string | readonly string[], options: Options = {}): DataFrame {
    return this.formatLoad('csv', paths, options);
  }
  json(paths: string | readonly string[], options: Options = {}): DataFrame {
    return this.formatLoad('json', paths, options);
  }
  parquet(paths: string | readonly string[], options: Options = {}): DataFrame {
    return this.formatLoad('parquet', paths, options);
  }
  orc(paths: string | readonly string[], options: Options = {}): DataFrame {
    return this.formatLoad('orc', paths, options);
  }
  /** One row per line, in a `value` string column (`{ wholetext: true }`: one row per file). */
  text(paths: string | readonly string[], options: Options = {}): DataFrame {
    return this.formatLoad('text', paths, options);
  }
  private formatLoad(format: string, paths: string | readonly string[], options: Options): DataFrame {
    return this.format(format)
      .options(options)
      .load(...(typeof paths === 'string' ? [paths] : paths));
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
