// spark.catalog: PySpark's Catalog over the Connect `Catalog` relation. Every method is one ExecutePlan
// of a relation whose rows the server computes (a list, a boolean, or nothing), read by position as
// PySpark's Connect client reads them.
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { CatalogSchema } from '../gen/spark/connect/catalog_pb.js';
import type { ActionOptions, Value } from './arrow.js';
import { DataFrame } from './dataframe.js';
import type { Row } from './row.js';
import type { SparkSession } from './session.js';
import { type StorageLevel, storageLevelToProto } from './storage-level.js';
import { type StructType, toProtoDataType } from './types.js';

type CatType = MessageInitShape<typeof CatalogSchema>['catType'];

export interface CatalogMetadata {
  name: string;
  description: string | null;
}
export interface Database {
  name: string;
  catalog: string | null;
  description: string | null;
  locationUri: string;
}
export interface Table {
  name: string;
  catalog: string | null;
  namespace: string[] | null;
  description: string | null;
  tableType: string;
  isTemporary: boolean;
  /** The single-part namespace, as PySpark's `Table.database`. */
  database: string | null;
}
export interface CatalogColumn {
  name: string;
  description: string | null;
  dataType: string;
  nullable: boolean;
  isPartition: boolean;
  isBucket: boolean;
}
export interface CatalogFunction {
  name: string;
  catalog: string | null;
  namespace: string[] | null;
  description: string | null;
  className: string;
  isTemporary: boolean;
}

export interface CreateTableOptions {
  /** A location: the table is external (unmanaged) at that path. */
  path?: string;
  /** The data source (`parquet`, `csv`, ...; default `spark.sql.sources.default`). */
  source?: string;
  schema?: StructType;
  description?: string;
  /** Data source options. */
  options?: Readonly<Record<string, string>>;
}

const str = (v: Value): string => (v === null ? '' : String(v));
const strOrNull = (v: Value): string | null => (v === null || v === undefined ? null : String(v));
const strings = (v: Value): string[] | null => (Array.isArray(v) ? v.map((x) => String(x)) : null);

export class Catalog {
  constructor(private readonly session: SparkSession) {}

  private async rows(catType: CatType, options: ActionOptions = {}): Promise<Row[]> {
    return new DataFrame(this.session, DataFrame.newRelation(this.session, { case: 'catalog', value: { catType } })).collect(options);
  }

  private async bool(catType: CatType, options?: ActionOptions): Promise<boolean> {
    const [row] = await this.rows(catType, options);
    return row?.get(0) === true;
  }

  private async text(catType: CatType, options?: ActionOptions): Promise<string> {
    const [row] = await this.rows(catType, options);
    return str(row?.get(0) ?? null);
  }

  // ---- catalogs and databases ----

  async currentCatalog(options?: ActionOptions): Promise<string> {
    return this.text({ case: 'currentCatalog', value: {} }, options);
  }
  async setCurrentCatalog(catalogName: string, options?: ActionOptions): Promise<void> {
    await this.rows({ case: 'setCurrentCatalog', value: { catalogName } }, options);
  }
  async listCatalogs(pattern?: string, options?: ActionOptions): Promise<CatalogMetadata[]> {
    const rows = await this.rows({ case: 'listCatalogs', value: pattern === undefined ? {} : { pattern } }, options);
    return rows.map((r) => ({ name: str(r.get(0)), description: strOrNull(r.get(1)) }));
  }
  async currentDatabase(options?: ActionOptions): Promise<string> {
    return this.text({ case: 'currentDatabase', value: {} }, options);
  }
  async setCurrentDatabase(dbName: string, options?: ActionOptions): Promise<void> {
    await this.rows({ case: 'setCurrentDatabase', value: { dbName } }, options);
  }
  async listDatabases(pattern?: string, options?: ActionOptions): Promise<Database[]> {
    const rows = await this.rows({ case: 'listDatabases', value: pattern === undefined ? {} : { pattern } }, options);
    return rows.map(toDatabase);
  }
  async getDatabase(dbName: string, options?: ActionOptions): Promise<Database> {
    const [row] = await this.rows({ case: 'getDatabase', value: { dbName } }, options);
    if (!row) throw new Error(`getDatabase(${dbName}): the server returned no row`);
    return toDatabase(row);
  }
  async databaseExists(dbName: string, options?: ActionOptions): Promise<boolean> {
    return this.bool({ case: 'databaseExists', value: { dbName } }, options);
  }

  // ---- tables and views ----

  async listTables(dbName?: string, pattern?: string, options?: ActionOptions): Promise<Table[]> {
    const rows = await this.rows(
      { case: 'listTables', value: { ...(dbName !== undefined ? { dbName } : {}), ...(pattern !== undefined ? { pattern } : {}) } },
      options,
    );
    return rows.map(toTable);
  }
  async getTable(tableName: string, options?: ActionOptions): Promise<Table> {
    const [row] = await this.rows({ case: 'getTable', value: { tableName } }, options);
    if (!row) throw new Error(`getTable(${tableName}): the server returned no row`);
    return toTable(row);
  }
  async tableExists(tableName: string, dbName?: string, options?: ActionOptions): Promise<boolean> {
    return this.bool({ case: 'tableExists', value: { tableName, ...(dbName !== undefined ? { dbName } : {}) } }, options);
  }
  async listColumns(tableName: string, dbName?: string, options?: ActionOptions): Promise<CatalogColumn[]> {
    const rows = await this.rows({ case: 'listColumns', value: { tableName, ...(dbName !== undefined ? { dbName } : {}) } }, options);
    return rows.map((r) => ({
      name: str(r.get(0)),
      description: strOrNull(r.get(1)),
      dataType: str(r.get(2)),
      nullable: r.get(3) === true,
      isPartition: r.get(4) === true,
      isBucket: r.get(5) === true,
    }));
  }
  /**
   * Creates a table (managed, or external with `path`) and returns it as a DataFrame. Runs now, as
   * PySpark's does.
   */
  async createTable(tableName: string, spec: CreateTableOptions = {}, options?: ActionOptions): Promise<DataFrame> {
    await this.rows(
      {
        case: 'createTable',
        value: {
          tableName,
          options: { ...spec.options },
          ...(spec.path !== undefined ? { path: spec.path } : {}),
          ...(spec.source !== undefined ? { source: spec.source } : {}),
          ...(spec.description !== undefined ? { description: spec.description } : {}),
          ...(spec.schema !== undefined ? { schema: toProtoDataType(spec.schema) } : {}),
        },
      },
      options,
    );
    return this.session.table(tableName);
  }
  /**
   * @deprecated PySpark's name since 2.2 is createTable (with a path): an external table at `path`
   * (or the source's own location options). Runs now and returns the table as a DataFrame.
   */
  async createExternalTable(tableName: string, spec: Omit<CreateTableOptions, 'description'> = {}, options?: ActionOptions): Promise<DataFrame> {
    await this.rows(
      {
        case: 'createExternalTable',
        value: {
          tableName,
          options: { ...spec.options },
          ...(spec.path !== undefined ? { path: spec.path } : {}),
          ...(spec.source !== undefined ? { source: spec.source } : {}),
          ...(spec.schema !== undefined ? { schema: toProtoDataType(spec.schema) } : {}),
        },
      },
      options,
    );
    return this.session.table(tableName);
  }
  /** Drops a temporary view; true if it existed. */
  async dropTempView(viewName: string, options?: ActionOptions): Promise<boolean> {
    return this.bool({ case: 'dropTempView', value: { viewName } }, options);
  }
  async dropGlobalTempView(viewName: string, options?: ActionOptions): Promise<boolean> {
    return this.bool({ case: 'dropGlobalTempView', value: { viewName } }, options);
  }
  async recoverPartitions(tableName: string, options?: ActionOptions): Promise<void> {
    await this.rows({ case: 'recoverPartitions', value: { tableName } }, options);
  }

  // ---- functions ----

  async listFunctions(dbName?: string, pattern?: string, options?: ActionOptions): Promise<CatalogFunction[]> {
    const rows = await this.rows(
      { case: 'listFunctions', value: { ...(dbName !== undefined ? { dbName } : {}), ...(pattern !== undefined ? { pattern } : {}) } },
      options,
    );
    return rows.map(toFunction);
  }
  async functionExists(functionName: string, dbName?: string, options?: ActionOptions): Promise<boolean> {
    return this.bool({ case: 'functionExists', value: { functionName, ...(dbName !== undefined ? { dbName } : {}) } }, options);
  }
  async getFunction(functionName: string, options?: ActionOptions): Promise<CatalogFunction> {
    const [row] = await this.rows({ case: 'getFunction', value: { functionName } }, options);
    if (!row) throw new Error(`getFunction(${functionName}): the server returned no row`);
    return toFunction(row);
  }

  // ---- caching ----

  async isCached(tableName: string, options?: ActionOptions): Promise<boolean> {
    return this.bool({ case: 'isCached', value: { tableName } }, options);
  }
  async cacheTable(tableName: string, storageLevel?: StorageLevel, options?: ActionOptions): Promise<void> {
    await this.rows({ case: 'cacheTable', value: { tableName, ...(storageLevel ? { storageLevel: storageLevelToProto(storageLevel) } : {}) } }, options);
  }
  async uncacheTable(tableName: string, options?: ActionOptions): Promise<void> {
    await this.rows({ case: 'uncacheTable', value: { tableName } }, options);
  }
  async clearCache(options?: ActionOptions): Promise<void> {
    await this.rows({ case: 'clearCache', value: {} }, options);
  }
  /** Invalidates cached data and metadata of a table (after its files changed outside Spark). */
  async refreshTable(tableName: string, options?: ActionOptions): Promise<void> {
    await this.rows({ case: 'refreshTable', value: { tableName } }, options);
  }
  async refreshByPath(path: string, options?: ActionOptions): Promise<void> {
    await this.rows({ case: 'refreshByPath', value: { path } }, options);
  }
}

function toDatabase(r: Row): Database {
  return { name: str(r.get(0)), catalog: strOrNull(r.get(1)), description: strOrNull(r.get(2)), locationUri: str(r.get(3)) };
}

function toTable(r: Row): Table {
  const namespace = strings(r.get(2));
  return {
    name: str(r.get(0)),
    catalog: strOrNull(r.get(1)),
    namespace,
    description: strOrNull(r.get(3)),
    tableType: str(r.get(4)),
    isTemporary: r.get(5) === true,
    database: namespace?.length === 1 ? namespace[0]! : null,
  };
}

function toFunction(r: Row): CatalogFunction {
  return {
    name: str(r.get(0)),
    catalog: strOrNull(r.get(1)),
    namespace: strings(r.get(2)),
    description: strOrNull(r.get(3)),
    className: str(r.get(4)),
    isTemporary: r.get(5) === true,
  };
}
