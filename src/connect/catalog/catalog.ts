/**
 * `spark.catalog`: databases, tables, views, functions and caching in the session catalog. Each call
 * sends one `Catalog` relation and reads its rows into small typed records named like PySpark's
 * (`Table`, `Database`, …; prefixed here to avoid clashing with DataFrame's Column).
 * @see python/pyspark/sql/connect/catalog.py, proto/spark/connect/catalog.proto
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DataFrame } from "../dataframe/dataframe.ts";
import type { Row } from "../dataframe/results.ts";
import { StorageLevel } from "../dataframe/storage-level.ts";
import type { CatalogSchema } from "../gen/spark/connect/catalog_pb.ts";
import { catalog } from "../plan/relations.ts";
import type { SparkSession } from "../session/spark-session.ts";
import type { CallOptions } from "../transport/client.ts";
import { StructType, toProtoDataType } from "../types/data-types.ts";

type CatType = NonNullable<MessageInitShape<typeof CatalogSchema>["catType"]>;

/** A catalog (PySpark `CatalogMetadata`). */
export interface CatalogMetadata {
  name: string;
  description: string | null;
}

/** A database/namespace (PySpark `Database`). */
export interface CatalogDatabase {
  name: string;
  catalog: string | null;
  description: string | null;
  locationUri: string;
}

/** A table or view (PySpark `Table`); `tableType` is MANAGED, EXTERNAL, VIEW or TEMPORARY. */
export interface CatalogTable {
  name: string;
  catalog: string | null;
  namespace: string[] | null;
  description: string | null;
  tableType: string;
  isTemporary: boolean;
}

/** A column of a table (PySpark `Column` in pyspark.sql.catalog); `dataType` is its simple string. */
export interface CatalogColumn {
  name: string;
  description: string | null;
  dataType: string;
  nullable: boolean;
  isPartition: boolean;
  isBucket: boolean;
  isCluster: boolean;
}

/** A function (PySpark `Function`). */
export interface CatalogFunction {
  name: string;
  catalog: string | null;
  namespace: string[] | null;
  description: string | null;
  className: string;
  isTemporary: boolean;
}

function str(row: Row, key: string): string {
  const value = row[key];
  if (typeof value !== "string") throw new Error(`catalog: expected a string in "${key}", got ${String(value)}`);
  return value;
}

function optStr(row: Row, key: string): string | null {
  const value = row[key];
  return typeof value === "string" ? value : null;
}

function bool(row: Row, key: string): boolean {
  return row[key] === true;
}

function strList(row: Row, key: string): string[] | null {
  const value = row[key];
  return Array.isArray(value) ? value.map(String) : null;
}

/** Options of `createTable` / `createExternalTable`. */
export interface CreateTableOptions {
  path?: string;
  source?: string;
  schema?: StructType;
  description?: string;
  options?: Record<string, string>;
}

/** The session catalog (PySpark's `Catalog`). Every method is one round trip. */
export class Catalog {
  readonly #session: SparkSession;

  /** @internal Use `spark.catalog`. */
  constructor(session: SparkSession) {
    this.#session = session;
  }

  async #rows(catType: CatType, options?: CallOptions): Promise<Row[]> {
    return this.#session._newDataFrame(catalog(catType)).collect(options);
  }

  async #single(catType: CatType, options?: CallOptions): Promise<unknown> {
    const [row] = await this.#rows(catType, options);
    return row === undefined ? undefined : Object.values(row)[0];
  }

  async #bool(catType: CatType, options?: CallOptions): Promise<boolean> {
    const value = await this.#single(catType, options);
    if (typeof value !== "boolean")
      throw new Error(`catalog.${catType.case}: expected a boolean, got ${String(value)}`);
    return value;
  }

  // MARK: - Catalogs and databases

  async currentCatalog(options?: CallOptions): Promise<string> {
    return String(await this.#single({ case: "currentCatalog", value: {} }, options));
  }

  async setCurrentCatalog(catalogName: string, options?: CallOptions): Promise<void> {
    await this.#rows({ case: "setCurrentCatalog", value: { catalogName } }, options);
  }

  async listCatalogs(pattern?: string, options?: CallOptions): Promise<CatalogMetadata[]> {
    const rows = await this.#rows({ case: "listCatalogs", value: { pattern } }, options);
    return rows.map((r) => ({ name: str(r, "name"), description: optStr(r, "description") }));
  }

  async currentDatabase(options?: CallOptions): Promise<string> {
    return String(await this.#single({ case: "currentDatabase", value: {} }, options));
  }

  async setCurrentDatabase(dbName: string, options?: CallOptions): Promise<void> {
    await this.#rows({ case: "setCurrentDatabase", value: { dbName } }, options);
  }

  async listDatabases(pattern?: string, options?: CallOptions): Promise<CatalogDatabase[]> {
    const rows = await this.#rows({ case: "listDatabases", value: { pattern } }, options);
    return rows.map(toDatabase);
  }

  async getDatabase(dbName: string, options?: CallOptions): Promise<CatalogDatabase> {
    const [row] = await this.#rows({ case: "getDatabase", value: { dbName } }, options);
    if (!row) throw new Error(`catalog.getDatabase: no answer for "${dbName}"`);
    return toDatabase(row);
  }

  async databaseExists(dbName: string, options?: CallOptions): Promise<boolean> {
    return this.#bool({ case: "databaseExists", value: { dbName } }, options);
  }

  // MARK: - Tables and views

  /** Tables and views of `dbName` (default: the current database), including temporary views. */
  async listTables(dbName?: string, pattern?: string, options?: CallOptions): Promise<CatalogTable[]> {
    const rows = await this.#rows({ case: "listTables", value: { dbName, pattern } }, options);
    return rows.map(toTable);
  }

  async getTable(tableName: string, options?: CallOptions): Promise<CatalogTable> {
    const [row] = await this.#rows({ case: "getTable", value: { tableName } }, options);
    if (!row) throw new Error(`catalog.getTable: no answer for "${tableName}"`);
    return toTable(row);
  }

  async tableExists(tableName: string, dbName?: string, options?: CallOptions): Promise<boolean> {
    return this.#bool({ case: "tableExists", value: { tableName, dbName } }, options);
  }

  async listColumns(tableName: string, dbName?: string, options?: CallOptions): Promise<CatalogColumn[]> {
    const rows = await this.#rows({ case: "listColumns", value: { tableName, dbName } }, options);
    return rows.map((r) => ({
      name: str(r, "name"),
      description: optStr(r, "description"),
      dataType: str(r, "dataType"),
      nullable: bool(r, "nullable"),
      isPartition: bool(r, "isPartition"),
      isBucket: bool(r, "isBucket"),
      isCluster: bool(r, "isCluster"),
    }));
  }

  /** Creates a table (managed, or external when `path` is given) and returns it as a DataFrame. */
  async createTable(tableName: string, create: CreateTableOptions = {}, options?: CallOptions): Promise<DataFrame> {
    if (create.schema !== undefined && !(create.schema instanceof StructType)) {
      throw new TypeError("createTable: schema must be a StructType");
    }
    await this.#rows(
      {
        case: "createTable",
        value: {
          tableName,
          path: create.path,
          source: create.source,
          description: create.description,
          schema: create.schema ? toProtoDataType(create.schema) : undefined,
          options: create.options ?? {},
        },
      },
      options,
    );
    return this.#session.table(tableName);
  }

  /** Drops a temporary view; true if it existed. */
  async dropTempView(viewName: string, options?: CallOptions): Promise<boolean> {
    return this.#bool({ case: "dropTempView", value: { viewName } }, options);
  }

  /** Drops a global temporary view; true if it existed. */
  async dropGlobalTempView(viewName: string, options?: CallOptions): Promise<boolean> {
    return this.#bool({ case: "dropGlobalTempView", value: { viewName } }, options);
  }

  async recoverPartitions(tableName: string, options?: CallOptions): Promise<void> {
    await this.#rows({ case: "recoverPartitions", value: { tableName } }, options);
  }

  // MARK: - Functions

  async listFunctions(dbName?: string, pattern?: string, options?: CallOptions): Promise<CatalogFunction[]> {
    const rows = await this.#rows({ case: "listFunctions", value: { dbName, pattern } }, options);
    return rows.map(toFunction);
  }

  async getFunction(functionName: string, options?: CallOptions): Promise<CatalogFunction> {
    const [row] = await this.#rows({ case: "getFunction", value: { functionName } }, options);
    if (!row) throw new Error(`catalog.getFunction: no answer for "${functionName}"`);
    return toFunction(row);
  }

  async functionExists(functionName: string, dbName?: string, options?: CallOptions): Promise<boolean> {
    return this.#bool({ case: "functionExists", value: { functionName, dbName } }, options);
  }

  // MARK: - Caching

  async isCached(tableName: string, options?: CallOptions): Promise<boolean> {
    return this.#bool({ case: "isCached", value: { tableName } }, options);
  }

  async cacheTable(tableName: string, storageLevel?: StorageLevel, options?: CallOptions): Promise<void> {
    if (storageLevel !== undefined && !(storageLevel instanceof StorageLevel)) {
      throw new TypeError("cacheTable: storageLevel must be a StorageLevel");
    }
    await this.#rows({ case: "cacheTable", value: { tableName, storageLevel: storageLevel?.toProto() } }, options);
  }

  async uncacheTable(tableName: string, options?: CallOptions): Promise<void> {
    await this.#rows({ case: "uncacheTable", value: { tableName } }, options);
  }

  async clearCache(options?: CallOptions): Promise<void> {
    await this.#rows({ case: "clearCache", value: {} }, options);
  }

  async refreshTable(tableName: string, options?: CallOptions): Promise<void> {
    await this.#rows({ case: "refreshTable", value: { tableName } }, options);
  }

  async refreshByPath(path: string, options?: CallOptions): Promise<void> {
    await this.#rows({ case: "refreshByPath", value: { path } }, options);
  }
}

function toDatabase(r: Row): CatalogDatabase {
  return {
    name: str(r, "name"),
    catalog: optStr(r, "catalog"),
    description: optStr(r, "description"),
    locationUri: str(r, "locationUri"),
  };
}

function toTable(r: Row): CatalogTable {
  return {
    name: str(r, "name"),
    catalog: optStr(r, "catalog"),
    namespace: strList(r, "namespace"),
    description: optStr(r, "description"),
    tableType: str(r, "tableType"),
    isTemporary: bool(r, "isTemporary"),
  };
}

function toFunction(r: Row): CatalogFunction {
  return {
    name: str(r, "name"),
    catalog: optStr(r, "catalog"),
    namespace: strList(r, "namespace"),
    description: optStr(r, "description"),
    className: str(r, "className"),
    isTemporary: bool(r, "isTemporary"),
  };
}
