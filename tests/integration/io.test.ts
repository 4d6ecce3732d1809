/**
 * Reading and writing against the real server: parquet/csv/json/orc/text with options and schemas, save
 * modes, partitionBy, bucketBy/sortBy tables, saveAsTable/insertInto, the V2 writer, and missing paths.
 * Files go to a temporary directory the (local) server can reach; tables get unique names and are dropped.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  AnalysisException,
  type DataFrame,
  F,
  LongType,
  SparkConnectError,
  SparkSession,
  StringType,
  StructField,
  StructType,
} from "../../src/index.ts";

let spark: SparkSession;
let dir: string;
let sales: DataFrame;
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const tables: string[] = [];
const tableName = (name: string) => {
  const full = `retail_lab_io_${name}_${suffix}`;
  tables.push(full);
  return full;
};

beforeAll(async () => {
  spark = await SparkSession.builder().remote(inject("sparkRemote")).appName("retail-lab-io-test").create();
  dir = mkdtempSync(join(tmpdir(), "retail-lab-io-"));
  sales = await spark.createDataFrame(
    [
      [1, "2024-01-01", "web", 10.5],
      [2, "2024-01-01", "store", 3.25],
      [3, "2024-01-02", "web", 7.0],
    ],
    "id BIGINT, day STRING, channel STRING, amount DOUBLE",
  );
});
afterAll(async () => {
  for (const t of tables) await (await spark.sql(`DROP TABLE IF EXISTS ${t}`)).collect().catch(() => {});
  await spark?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ids = async (df: DataFrame) => (await df.select("id").collect()).map((r) => r.id).sort();

describe("file formats", () => {
  it("parquet: save modes error (default), append, overwrite, ignore", async () => {
    const path = join(dir, "sales.parquet");
    await sales.write.parquet(path);
    expect(await ids(spark.read.parquet(path))).toEqual([1n, 2n, 3n]);
    const again = await sales.write.parquet(path).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AnalysisException);
    expect((again as AnalysisException).errorClass).toBe("PATH_ALREADY_EXISTS");
    await sales.filter("id = 1").write.mode("append").parquet(path);
    expect(await ids(spark.read.parquet(path))).toEqual([1n, 1n, 2n, 3n]);
    await sales.filter("id = 2").write.mode("overwrite").parquet(path);
    expect(await ids(spark.read.parquet(path))).toEqual([2n]);
    await sales.write.mode("ignore").parquet(path);
    expect(await ids(spark.read.parquet(path))).toEqual([2n]);
    await sales.write.parquet(path, { mode: "errorifexists" }).catch((e: unknown) => {
      expect(e).toBeInstanceOf(AnalysisException);
    });
    expect(() => sales.write.mode("upsert")).toThrow(/Unknown save mode "upsert"/);
  });

  it("partitionBy lays out directories and reads back the partition column", async () => {
    const path = join(dir, "by_day");
    await sales.write.partitionBy("day").mode("overwrite").option("compression", "zstd").parquet(path);
    expect(
      readdirSync(path)
        .filter((f) => f.startsWith("day="))
        .sort(),
    ).toEqual(["day=2024-01-01", "day=2024-01-02"]);
    const back = spark.read.parquet(path);
    expect(await back.filter(F.col("day").eq("2024-01-02")).select("id").collect()).toEqual([{ id: 3n }]);
    expect((await back.columns()).sort()).toEqual(["amount", "channel", "day", "id"]);
  });

  it("csv with header and inferSchema, or with a DDL / StructType schema", async () => {
    const path = join(dir, "sales.csv");
    await sales.coalesce(1).write.csv(path, { header: true, mode: "overwrite" });
    const inferred = spark.read.csv(path, { header: true, inferSchema: true });
    expect(await inferred.dtypes()).toEqual([
      ["id", "int"],
      ["day", "date"],
      ["channel", "string"],
      ["amount", "double"],
    ]);
    const ddl = spark.read
      .schema("id BIGINT, day STRING, channel STRING, amount DOUBLE")
      .option("header", true)
      .csv(path);
    expect(await ddl.orderBy("id").first()).toEqual({ id: 1n, day: "2024-01-01", channel: "web", amount: 10.5 });
    const struct = new StructType([
      new StructField("id", new LongType()),
      new StructField("day", new StringType()),
      new StructField("channel", new StringType()),
      new StructField("amount", new StringType()),
    ]);
    const typed = spark.read.format("csv").schema(struct).options({ header: true }).load(path);
    expect((await typed.orderBy("id").first())?.amount).toBe("10.5");
    const raw = spark.read.csv(path);
    expect(await raw.count()).toBe(4n);
  });

  it("json, orc and text round trips; load() with format and path", async () => {
    const json = join(dir, "sales.json");
    await sales.write.format("json").mode("overwrite").save(json);
    expect(await ids(spark.read.json(json))).toEqual([1n, 2n, 3n]);
    expect(await spark.read.json(json).dtypes()).toContainEqual(["amount", "double"]);
    const orc = join(dir, "sales.orc");
    await sales.write.orc(orc, { mode: "overwrite" });
    expect(await ids(spark.read.orc(orc))).toEqual([1n, 2n, 3n]);
    expect(await ids(spark.read.format("orc").load(orc))).toEqual([1n, 2n, 3n]);
    expect(await ids(spark.read.load(orc, "orc"))).toEqual([1n, 2n, 3n]);
    const text = join(dir, "channels.txt");
    await sales.select("channel").write.text(text, { mode: "overwrite" });
    expect((await spark.read.text(text).collect()).map((r) => r.value).sort()).toEqual(["store", "web", "web"]);
    const viaOption = join(dir, "via-option.parquet");
    await sales.write.format("parquet").option("path", viaOption).save();
    expect(existsSync(viaOption)).toBe(true);
    expect(await spark.read.format("parquet").option("path", viaOption).load().count()).toBe(3n);
  });

  it("reading a missing path is an AnalysisException naming it", async () => {
    const missing = join(dir, "does-not-exist");
    const error = await spark.read
      .parquet(missing)
      .collect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisException);
    expect((error as AnalysisException).errorClass).toBe("PATH_NOT_FOUND");
    expect((error as Error).message).toContain("does-not-exist");
  });
});

describe("tables", () => {
  it("saveAsTable with modes, spark.table / read.table, insertInto", async () => {
    const t = tableName("sales");
    await sales.write.saveAsTable(t);
    expect(await spark.table(t).count()).toBe(3n);
    expect(await spark.read.table(t).count()).toBe(3n);
    await expect(sales.write.saveAsTable(t)).rejects.toBeInstanceOf(AnalysisException);
    await sales.filter("id = 3").write.mode("append").saveAsTable(t);
    expect(await ids(spark.table(t))).toEqual([1n, 2n, 3n, 3n]);
    await sales.filter("id = 1").write.insertInto(t);
    expect(await ids(spark.table(t))).toEqual([1n, 1n, 2n, 3n, 3n]);
    await sales.filter("id = 2").write.insertInto(t, true);
    expect(await ids(spark.table(t))).toEqual([2n]);
    await sales.write.saveAsTable(t, { mode: "overwrite", format: "orc" });
    expect(await ids(spark.table(t))).toEqual([1n, 2n, 3n]);
  });

  it("bucketBy and sortBy create a bucketed table; partitionBy a partitioned one", async () => {
    const t = tableName("bucketed");
    await sales.write.bucketBy(4, "id").sortBy("id").partitionBy("day").format("parquet").saveAsTable(t);
    const description = await (await spark.sql(`DESCRIBE TABLE EXTENDED ${t}`)).collect();
    const info = (name: string) => description.find((r) => r.col_name === name)?.data_type;
    expect(info("Num Buckets")).toBe("4");
    expect(info("Bucket Columns")).toBe("[`id`]");
    expect(info("Sort Columns")).toBe("[`id`]");
    const columns = await spark.catalog.listColumns(t);
    expect(columns.find((c) => c.name === "day")?.isPartition).toBe(true);
    expect(columns.find((c) => c.name === "id")?.isBucket).toBe(true);
  });

  it("writeTo creates a table; V2-only modes fail with a typed error on the V1 session catalog", async () => {
    const t = tableName("v2");
    await sales.writeTo(t).using("parquet").partitionedBy("day").tableProperty("owner", "retail-lab").create();
    expect(await ids(spark.table(t))).toEqual([1n, 2n, 3n]);
    const description = await (await spark.sql(`DESCRIBE TABLE EXTENDED ${t}`)).collect();
    expect(description.find((r) => r.col_name === "Table Properties")?.data_type).toBe("[owner=retail-lab]");
    await expect(sales.writeTo(t).using("parquet").create()).rejects.toBeInstanceOf(AnalysisException);
    // The built-in session catalog holds V1 tables: append/replace/overwrite need a V2 catalog (Iceberg, Delta, …).
    for (const attempt of [
      () => sales.writeTo(t).append(),
      () => sales.writeTo(t).using("parquet").createOrReplace(),
      () => sales.writeTo(t).using("parquet").replace(),
      () => sales.writeTo(t).overwrite(F.col("id").eq(1)),
      () => sales.writeTo(t).overwritePartitions(),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SparkConnectError);
    }
    expect(await ids(spark.table(t))).toEqual([1n, 2n, 3n]);
    await expect(sales.writeTo(t).overwrite("id = 1" as never)).rejects.toThrow(/overwrite expects a Column/);
  });
});
