/**
 * `spark.catalog` against the real server: catalogs, databases, tables and views, columns, functions,
 * temp view lifecycle and table caching. Objects get unique names and are dropped afterwards.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  AnalysisException,
  LongType,
  SparkSession,
  StorageLevel,
  StringType,
  StructField,
  StructType,
} from "../../src/index.ts";

let spark: SparkSession;
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const db = `retail_lab_cat_${suffix}`;
const table = `${db}.orders`;

beforeAll(async () => {
  spark = await SparkSession.builder().remote(inject("sparkRemote")).appName("retail-lab-catalog-test").create();
  await spark.sql(`CREATE DATABASE ${db} COMMENT 'catalog test'`);
  await spark.sql(
    `CREATE TABLE ${table} (id BIGINT COMMENT 'order id', day STRING) USING parquet PARTITIONED BY (day)`,
  );
  await (await spark.sql("SELECT 1 AS one")).createOrReplaceTempView("retail_lab_cat_view");
});
afterAll(async () => {
  await spark?.sql(`DROP DATABASE IF EXISTS ${db} CASCADE`).catch(() => {});
  await spark?.stop();
});

describe("catalogs and databases", () => {
  it("currentCatalog, listCatalogs, currentDatabase, setCurrentDatabase", async () => {
    expect(await spark.catalog.currentCatalog()).toBe("spark_catalog");
    expect((await spark.catalog.listCatalogs()).map((c) => c.name)).toContain("spark_catalog");
    expect(await spark.catalog.currentDatabase()).toBe("default");
    await spark.catalog.setCurrentDatabase(db);
    expect(await spark.catalog.currentDatabase()).toBe(db);
    await spark.catalog.setCurrentDatabase("default");
    await spark.catalog.setCurrentCatalog("spark_catalog");
  });

  it("listDatabases (with a pattern), getDatabase, databaseExists", async () => {
    const dbs = await spark.catalog.listDatabases(`retail_lab_cat_${suffix}*`);
    expect(dbs.map((d) => d.name)).toEqual([db]);
    const info = await spark.catalog.getDatabase(db);
    expect(info).toMatchObject({ name: db, catalog: "spark_catalog", description: "catalog test" });
    expect(info.locationUri).toContain(db);
    expect(await spark.catalog.databaseExists(db)).toBe(true);
    expect(await spark.catalog.databaseExists(`${db}_nope`)).toBe(false);
  });
});

describe("tables, views and columns", () => {
  it("listTables includes tables and temp views; getTable; tableExists", async () => {
    const inDb = await spark.catalog.listTables(db);
    expect(inDb.map((t) => [t.name, t.tableType, t.isTemporary])).toContainEqual(["orders", "MANAGED", false]);
    expect(inDb.find((t) => t.name === "orders")?.namespace).toEqual([db]);
    const views = await spark.catalog.listTables(undefined, "retail_lab_cat_*");
    expect(views).toContainEqual(
      expect.objectContaining({ name: "retail_lab_cat_view", isTemporary: true, tableType: "TEMPORARY" }),
    );
    expect(await spark.catalog.getTable(table)).toMatchObject({ name: "orders", tableType: "MANAGED" });
    expect(await spark.catalog.tableExists("orders", db)).toBe(true);
    expect(await spark.catalog.tableExists(table)).toBe(true);
    expect(await spark.catalog.tableExists("no_such_table", db)).toBe(false);
  });

  it("listColumns describes types, comments and partitioning", async () => {
    const columns = await spark.catalog.listColumns(table);
    expect(columns).toEqual([
      {
        name: "id",
        description: "order id",
        dataType: "bigint",
        nullable: true,
        isPartition: false,
        isBucket: false,
        isCluster: false,
      },
      {
        name: "day",
        description: null,
        dataType: "string",
        nullable: true,
        isPartition: true,
        isBucket: false,
        isCluster: false,
      },
    ]);
    await expect(spark.catalog.listColumns("retail_lab_no_such_table")).rejects.toBeInstanceOf(AnalysisException);
  });

  it("createTable makes an empty table from a schema and returns it", async () => {
    const schema = new StructType([new StructField("sku", new StringType()), new StructField("qty", new LongType())]);
    const df = await spark.catalog.createTable(`${db}.stock`, {
      schema,
      source: "parquet",
      description: "stock levels",
    });
    expect(await df.columns()).toEqual(["sku", "qty"]);
    expect(await df.count()).toBe(0n);
    expect((await spark.catalog.getTable(`${db}.stock`)).description).toBe("stock levels");
  });

  it("dropTempView / dropGlobalTempView report whether the view existed", async () => {
    await (await spark.sql("SELECT 2 AS two")).createOrReplaceTempView("retail_lab_cat_tmp");
    expect(await spark.catalog.dropTempView("retail_lab_cat_tmp")).toBe(true);
    expect(await spark.catalog.dropTempView("retail_lab_cat_tmp")).toBe(false);
    await (await spark.sql("SELECT 3 AS three")).createOrReplaceGlobalTempView(`retail_lab_cat_g_${suffix}`);
    expect(await spark.catalog.dropGlobalTempView(`retail_lab_cat_g_${suffix}`)).toBe(true);
    expect(await spark.catalog.dropGlobalTempView(`retail_lab_cat_g_${suffix}`)).toBe(false);
  });

  it("cacheTable, isCached, uncacheTable, refreshTable, recoverPartitions", async () => {
    expect(await spark.catalog.isCached("retail_lab_cat_view")).toBe(false);
    await spark.catalog.cacheTable("retail_lab_cat_view", StorageLevel.MEMORY_ONLY);
    expect(await spark.catalog.isCached("retail_lab_cat_view")).toBe(true);
    await spark.catalog.uncacheTable("retail_lab_cat_view");
    expect(await spark.catalog.isCached("retail_lab_cat_view")).toBe(false);
    await spark.catalog.refreshTable(table);
    await spark.catalog.recoverPartitions(table);
  });
});

describe("functions", () => {
  it("listFunctions with a pattern, getFunction, functionExists", async () => {
    const fns = await spark.catalog.listFunctions(undefined, "count_*");
    expect(fns.map((f) => f.name)).toEqual(expect.arrayContaining(["count_if", "count_min_sketch"]));
    const fn = await spark.catalog.getFunction("date_trunc");
    expect(fn).toMatchObject({ name: "date_trunc", isTemporary: true });
    expect(fn.className).toContain("TruncTimestamp");
    expect(await spark.catalog.functionExists("approx_count_distinct")).toBe(true);
    expect(await spark.catalog.functionExists("retail_lab_no_such_fn")).toBe(false);
  });
});
