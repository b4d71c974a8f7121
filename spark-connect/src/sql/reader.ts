// spark.read: batch sources (`format(...).option(...).load()`), the non-streaming twin of readStream.
import { DataFrame } from './dataframe.js';
import type { SparkSession } from './session.js';
import { SchemaReader } from './options.js';

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
