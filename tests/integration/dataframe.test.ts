/**
 * The DataFrame API against the real server: every transformation and action of issue 3 with its expected
 * answer, plus the edge cases (missing columns, bad join keys, empty results, Unicode and dotted names,
 * duplicate names in rows).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  AnalysisException,
  type DataFrame,
  Decimal,
  F,
  type Row,
  SparkSession,
  StorageLevel,
  StructType,
  Window,
} from "../../src/index.ts";

let spark: SparkSession;
let orders: DataFrame;
let customers: DataFrame;

const byId = (rows: Row[], key = "id") => [...rows].sort((a, b) => Number((a[key] as bigint) - (b[key] as bigint)));

beforeAll(async () => {
  spark = await SparkSession.builder()
    .remote(inject("sparkRemote"))
    .appName("retail-lab-dataframe-test")
    .config({ "spark.sql.shuffle.partitions": 2, "spark.sql.session.timeZone": "UTC" })
    .create();
  orders = await spark.createDataFrame(
    [
      [1, 10, "web", "2024-01-01", 20.0, 2],
      [2, 10, "store", "2024-01-01", 5.5, 1],
      [3, 11, "web", "2024-01-02", 12.0, null],
      [4, 12, "app", "2024-01-02", null, 3],
      [5, 99, "web", "2024-01-03", 7.25, 1],
    ],
    "id BIGINT, customer BIGINT, channel STRING, day STRING, amount DOUBLE, qty INT",
  );
  customers = await spark.createDataFrame(
    [
      { customer: 10, name: "Ana", tier: "gold" },
      { customer: 11, name: "Bo", tier: "silver" },
      { customer: 12, name: "Cy", tier: null },
      { customer: 13, name: "Di", tier: "gold" },
    ],
    "customer BIGINT, name STRING, tier STRING",
  );
});
afterAll(async () => {
  await spark?.stop();
});

describe("actions", () => {
  it("collect, toLocalIterator, for await, toArrow, count, first, head, take, tail, isEmpty", async () => {
    const rows = await orders.orderBy("id").collect();
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ id: 1n, customer: 10n, channel: "web", day: "2024-01-01", amount: 20, qty: 2 });
    const streamed: Row[] = [];
    for await (const row of orders.orderBy("id").toLocalIterator()) streamed.push(row);
    expect(streamed).toEqual(rows);
    const iterated: Row[] = [];
    for await (const row of orders.orderBy("id")) iterated.push(row);
    expect(iterated).toEqual(rows);
    const table = await orders.orderBy("id").toArrow();
    expect(table.numRows).toBe(5);
    expect(table.schema.fields.map((f) => f.name)).toEqual(["id", "customer", "channel", "day", "amount", "qty"]);
    expect(await orders.count()).toBe(5n);
    expect(await orders.orderBy("id").first()).toEqual(rows[0]);
    expect(await orders.orderBy("id").head()).toEqual(rows[0]);
    expect(await orders.orderBy("id").head(2)).toEqual(rows.slice(0, 2));
    expect(await orders.orderBy("id").take(3)).toEqual(rows.slice(0, 3));
    expect(await orders.orderBy("id").tail(1)).toEqual(rows.slice(4));
    expect(await orders.isEmpty()).toBe(false);
  });

  it("show renders on the server, with truncation and vertical mode", async () => {
    const text = await customers.orderBy("customer").show(2);
    expect(text).toBe(
      [
        "+--------+----+------+",
        "|customer|name|  tier|",
        "+--------+----+------+",
        "|      10| Ana|  gold|",
        "|      11|  Bo|silver|",
        "+--------+----+------+",
        "only showing top 2 rows",
      ].join("\n"),
    );
    expect(await customers.orderBy("customer").select("tier").show(1, 3)).toContain("| gol|");
    expect(await customers.orderBy("customer").show(1, true, true)).toContain("-RECORD 0-");
  });

  it("schema, columns, dtypes, printSchema, explain", async () => {
    const schema = await orders.schema();
    expect(schema).toBeInstanceOf(StructType);
    expect(await orders.columns()).toEqual(["id", "customer", "channel", "day", "amount", "qty"]);
    expect(await orders.select("id", "amount").dtypes()).toEqual([
      ["id", "bigint"],
      ["amount", "double"],
    ]);
    expect(await orders.select("id", "amount").printSchema()).toBe(
      "root\n |-- id: long (nullable = true)\n |-- amount: double (nullable = true)\n",
    );
    const filtered = spark.range(10).filter("id > 1");
    expect(await filtered.explain()).toMatch(/== Physical Plan ==[\s\S]*Filter/);
    expect(await filtered.explain(true)).toContain("== Analyzed Logical Plan ==");
    expect(await filtered.explain("extended")).toContain("== Optimized Logical Plan ==");
    expect(await orders.explain("formatted")).toMatch(/LocalTableScan/);
    expect(await orders.explain("cost")).toContain("Statistics");
    expect(await orders.explain("codegen")).toMatch(/codegen|Found \d+ WholeStageCodegen/i);
  });

  it("cache, persist, unpersist and storageLevel", async () => {
    const df = orders.filter("amount > 6");
    expect((await df.storageLevel()).equals(StorageLevel.NONE)).toBe(true);
    await df.cache();
    expect((await df.storageLevel()).equals(StorageLevel.MEMORY_AND_DISK_DESER)).toBe(true);
    expect(await df.count()).toBe(3n);
    await df.unpersist(true);
    await df.persist(StorageLevel.DISK_ONLY);
    expect((await df.storageLevel()).equals(StorageLevel.DISK_ONLY)).toBe(true);
    await df.unpersist(true);
    expect((await df.storageLevel()).equals(StorageLevel.NONE)).toBe(true);
  });
});

describe("projections and filters", () => {
  it("select, selectExpr, filter/where with a Column or SQL", async () => {
    const a = await orders.select("id", F.col("amount").multiply(2).alias("double_amount")).orderBy("id").take(1);
    expect(a).toEqual([{ id: 1n, double_amount: 40 }]);
    const b = await orders.selectExpr("id", "qty * 10 AS q10").where("id = 2").collect();
    expect(b).toEqual([{ id: 2n, q10: 10 }]);
    const c = await orders
      .filter(F.col("channel").eq("web").and(F.col("amount").gt(10)))
      .select("id")
      .collect();
    expect(byId(c).map((r) => r.id)).toEqual([1n, 3n]);
  });

  it("withColumn, withColumns, withColumnRenamed, drop, toDF, alias, transform, hint", async () => {
    const df = orders
      .withColumn("total", F.col("amount").multiply(F.col("qty")))
      .withColumns({ web: F.col("channel").eq("web"), one: F.lit(1) })
      .withColumnRenamed("day", "order_day")
      .drop("customer", F.col("qty"));
    expect(await df.columns()).toEqual(["id", "channel", "order_day", "amount", "total", "web", "one"]);
    expect(await df.filter("id = 1").select("total", "web").collect()).toEqual([{ total: 40, web: true }]);
    expect(await orders.select("id").toDF("order_id").columns()).toEqual(["order_id"]);
    const aliased = orders.alias("o").join(customers.alias("c"), F.col("o.customer").eq(F.col("c.customer")));
    expect(await aliased.select("o.id", "c.name").orderBy("id").first()).toEqual({ id: 1n, name: "Ana" });
    const withVat = (d: DataFrame, rate: number) => d.withColumn("vat", F.col("amount").multiply(rate));
    expect(await orders.transform(withVat, 0.5).filter("id = 1").select("vat").collect()).toEqual([{ vat: 10 }]);
    const plan = await orders.join(customers.hint("broadcast"), "customer").explain();
    expect(plan).toContain("BroadcastHashJoin");
    const broadcast = await orders.join(F.broadcast(customers), "customer").explain();
    expect(broadcast).toContain("BroadcastHashJoin");
  });

  it("distinct, dropDuplicates, orderBy/sort, limit, offset", async () => {
    expect(await orders.select("channel").distinct().count()).toBe(3n);
    expect(await orders.dropDuplicates(["channel"]).count()).toBe(3n);
    expect(await orders.dropDuplicates().count()).toBe(5n);
    const sorted = await orders.orderBy(F.col("amount").desc_nulls_last(), "id").select("id").collect();
    expect(sorted.map((r) => r.id)).toEqual([1n, 3n, 5n, 2n, 4n]);
    const sorted2 = await orders
      .sort("channel", "id", { ascending: [false, true] })
      .select("id")
      .collect();
    expect(sorted2.map((r) => r.id)).toEqual([1n, 3n, 5n, 2n, 4n]);
    expect((await orders.orderBy("id").offset(3).limit(1).collect()).map((r) => r.id)).toEqual([4n]);
    expect((await orders.orderBy(F.desc("id")).limit(2).collect()).map((r) => r.id)).toEqual([5n, 4n]);
  });

  it("sample and randomSplit are reproducible with a seed", async () => {
    const big = spark.range(1000);
    const s1 = await big.sample(0.1, 7).collect();
    const s2 = await big.sample(0.1, 7).collect();
    expect(s1).toEqual(s2);
    expect(s1.length).toBeGreaterThan(50);
    expect(s1.length).toBeLessThan(160);
    expect(await big.sample(true, 2.0, 1).count()).toBeGreaterThan(1000n);
    const [x, y] = big.randomSplit([1, 1], 3);
    expect((await x!.count()) + (await y!.count())).toBe(1000n);
    const noSeed = big.sample(0.2);
    expect(await noSeed.collect()).toEqual(await noSeed.collect());
  });

  it("repartition, repartitionByRange, coalesce", async () => {
    const partitions = async (df: DataFrame) =>
      (await df.select(F.spark_partition_id().alias("p")).distinct().collect()).length;
    expect(await partitions(spark.range(100).repartition(4))).toBe(4);
    expect(await partitions(spark.range(100).repartition(3, "id"))).toBe(3);
    expect(await partitions(spark.range(100, 0, -1, 4).coalesce(1))).toBe(1);
    const ranged = await spark
      .range(100)
      .repartitionByRange(2, "id")
      .select("id", F.spark_partition_id().alias("p"))
      .groupBy("p")
      .agg(F.min("id").alias("lo"), F.max("id").alias("hi"))
      .orderBy("p")
      .collect();
    expect(ranged.map((r) => [r.lo, r.hi])).toEqual([
      [0n, 49n],
      [50n, 99n],
    ]);
    expect(await spark.range(10).repartition("id").count()).toBe(10n);
  });
});

describe("aggregation", () => {
  it("groupBy with agg, count, sum, avg, min, max", async () => {
    const byChannel = await orders
      .groupBy("channel")
      .agg(F.count("*").alias("n"), F.sum("amount").alias("revenue"), F.count_distinct("customer").alias("buyers"))
      .orderBy("channel")
      .collect();
    expect(byChannel).toEqual([
      { channel: "app", n: 1n, revenue: null, buyers: 1n },
      { channel: "store", n: 1n, revenue: 5.5, buyers: 1n },
      { channel: "web", n: 3n, revenue: 39.25, buyers: 3n },
    ]);
    expect(await orders.groupBy("channel").count().orderBy("channel").collect()).toEqual([
      { channel: "app", count: 1n },
      { channel: "store", count: 1n },
      { channel: "web", count: 3n },
    ]);
    const [stats] = await orders.groupBy().sum("qty").collect();
    expect(stats).toEqual({ "sum(qty)": 7n });
    expect(await orders.groupBy().avg("qty").collect()).toEqual([{ "avg(qty)": 1.75 }]);
    expect(await orders.groupBy().min("amount").collect()).toEqual([{ "min(amount)": 5.5 }]);
    expect(await orders.groupBy().max("id").collect()).toEqual([{ "max(id)": 5n }]);
    expect(await orders.agg({ amount: "max", id: "count" }).collect()).toEqual([
      { "max(amount)": 20, "count(id)": 5n },
    ]);
    expect(await orders.groupBy().mean("amount").collect()).toEqual([{ "avg(amount)": 11.1875 }]);
  });

  it("rollup and cube add subtotals", async () => {
    const rolled = await orders.rollup("channel", "day").count().collect();
    expect(rolled.find((r) => r.channel === null && r.day === null)?.count).toBe(5n);
    expect(rolled.find((r) => r.channel === "web" && r.day === null)?.count).toBe(3n);
    const cubed = await orders.cube("channel", "day").count().collect();
    expect(cubed.find((r) => r.channel === null && r.day === "2024-01-02")?.count).toBe(2n);
    expect(cubed.length).toBeGreaterThan(rolled.length);
  });

  it("pivot, with and without listed values", async () => {
    const listed = await orders.groupBy("day").pivot("channel", ["web", "store"]).sum("qty").orderBy("day").collect();
    expect(listed).toEqual([
      { day: "2024-01-01", web: 2n, store: 1n },
      { day: "2024-01-02", web: null, store: null },
      { day: "2024-01-03", web: 1n, store: null },
    ]);
    const discovered = orders.groupBy("day").pivot("channel").agg(F.count("id"));
    expect(await discovered.columns()).toEqual(["day", "app", "store", "web"]);
  });

  it("window functions: ranking, analytic and aggregates over frames", async () => {
    const w = Window.partitionBy("channel").orderBy("id");
    const rows = await orders
      .select(
        "id",
        "channel",
        F.row_number().over(w).alias("rn"),
        F.lag("id", 1).over(w).alias("prev"),
        F.sum("qty").over(w.rowsBetween(Window.unboundedPreceding, Window.currentRow)).alias("running"),
      )
      .filter("channel = 'web'")
      .orderBy("id")
      .collect();
    expect(rows.map((r) => [r.id, r.rn, r.prev, r.running])).toEqual([
      [1n, 1, null, 2n],
      [3n, 2, 1n, 2n],
      [5n, 3, 3n, 3n],
    ]);
  });

  it("describe and summary", async () => {
    const described = await orders.describe("amount").collect();
    expect(described.map((r) => r.summary)).toEqual(["count", "mean", "stddev", "min", "max"]);
    expect(described[0]?.amount).toBe("4");
    const summary = await orders.select("qty").summary("count", "50%", "max").collect();
    expect(summary).toEqual([
      { summary: "count", qty: "4" },
      { summary: "50%", qty: "1" },
      { summary: "max", qty: "3" },
    ]);
  });
});

describe("joins and set operations", () => {
  const ids = async (df: DataFrame, key = "id") => (await df.select(key).collect()).map((r) => r[key]).sort();

  it("inner, left, right, full, cross, left_semi, left_anti", async () => {
    expect(await ids(orders.join(customers, "customer"))).toEqual([1n, 2n, 3n, 4n]);
    expect(await ids(orders.join(customers, ["customer"], "left"))).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(await orders.join(customers, "customer", "right").count()).toBe(5n);
    expect(await orders.join(customers, "customer", "full").count()).toBe(6n);
    expect(await orders.join(customers, undefined, "cross").count()).toBe(20n);
    expect(await orders.crossJoin(customers).count()).toBe(20n);
    expect(await ids(orders.join(customers, "customer", "left_semi"))).toEqual([1n, 2n, 3n, 4n]);
    expect(await ids(orders.join(customers, "customer", "left_anti"))).toEqual([5n]);
    expect(await ids(customers.join(orders, "customer", "anti"), "customer")).toEqual([13n]);
  });

  it("joins on a Column condition and on a list of Columns", async () => {
    const cond = orders.join(customers, orders.col("customer").eq(customers.col("customer")), "inner");
    expect(await cond.count()).toBe(4n);
    const both = orders.join(
      customers,
      [orders.col("customer").eq(customers.col("customer")), customers.col("tier").eq("gold")],
      "left_semi",
    );
    expect(await ids(both)).toEqual([1n, 2n]);
    // A self-join stays unambiguous through plan ids.
    const self = orders.alias("a").join(
      orders.alias("b"),
      F.col("a.customer")
        .eq(F.col("b.customer"))
        .and(F.col("a.id").lt(F.col("b.id"))),
    );
    expect(await self.select("a.id", F.col("b.id").alias("other")).collect()).toEqual([{ id: 1n, other: 2n }]);
  });

  it("rows from a join with duplicate names get suffixes (or an error on request)", async () => {
    const joined = orders
      .join(customers, orders.col("customer").eq(customers.col("customer")))
      .select(orders.col("id"), orders.col("customer"), customers.col("customer"), "name")
      .orderBy(orders.col("id"));
    const [row] = await joined.collect();
    expect(row).toEqual({ id: 1n, customer: 10n, customer_1: 10n, name: "Ana" });
    await expect(joined.collect({ duplicateNames: "error" })).rejects.toThrow(/duplicate field names "customer"/);
    const table = await joined.toArrow();
    expect(table.schema.fields.map((f) => f.name)).toEqual(["id", "customer", "customer", "name"]);
  });

  it("union, unionAll, unionByName(allowMissingColumns), intersect, intersectAll, subtract, exceptAll", async () => {
    const a = await spark.createDataFrame([[1], [1], [2], [3]], ["x"]);
    const b = await spark.createDataFrame([[1], [3], [4]], ["x"]);
    const xs = async (df: DataFrame) => (await df.collect()).map((r) => r.x).sort();
    expect(await xs(a.union(b))).toEqual([1n, 1n, 1n, 2n, 3n, 3n, 4n]);
    expect(await xs(a.unionAll(b))).toHaveLength(7);
    expect(await xs(a.intersect(b))).toEqual([1n, 3n]);
    expect(await xs(a.union(a).intersectAll(a))).toEqual([1n, 1n, 2n, 3n]);
    expect(await xs(a.subtract(b))).toEqual([2n]);
    expect(await xs(a.exceptAll(b))).toEqual([1n, 2n]);
    const wide = await spark.createDataFrame([{ y: "q", x: 9 }]);
    const byName = await a.limit(1).unionByName(wide.select("x", "y"), true).orderBy("x").collect();
    expect(byName).toEqual([
      { x: 1n, y: null },
      { x: 9n, y: "q" },
    ]);
    await expect(a.unionByName(wide).collect()).rejects.toBeInstanceOf(AnalysisException);
  });
});

describe("missing values, statistics, views", () => {
  it("na.fill and na.drop", async () => {
    const filled = await orders.na.fill(0).orderBy("id").select("amount", "qty").collect();
    expect(filled.map((r) => [r.amount, r.qty])).toEqual([
      [20, 2],
      [5.5, 1],
      [12, 0],
      [0, 3],
      [7.25, 1],
    ]);
    const perColumn = await orders.fillna({ amount: 1.5, qty: 9 }).filter("id IN (3, 4)").orderBy("id").collect();
    expect(perColumn.map((r) => [r.amount, r.qty])).toEqual([
      [12, 9],
      [1.5, 3],
    ]);
    const tiers = await customers.na.fill("none", ["tier"]).orderBy("customer").collect();
    expect(tiers.map((r) => r.tier)).toEqual(["gold", "silver", "none", "gold"]);
    expect(await orders.na.drop().count()).toBe(3n);
    expect(await orders.dropna("any", undefined, ["qty"]).count()).toBe(4n);
    expect(await orders.na.drop("all").count()).toBe(5n);
    expect(await orders.na.drop("any", 6).count()).toBe(3n);
    const replaced = await customers.na.replace("gold", "GOLD", "tier").orderBy("customer").collect();
    expect(replaced.map((r) => r.tier)).toEqual(["GOLD", "silver", null, "GOLD"]);
  });

  it("stat: corr, cov, approxQuantile, crosstab, freqItems, sampleBy", async () => {
    const xy = spark.range(1, 101).selectExpr("id AS x", "2 * id + 1 AS y");
    expect(await xy.stat.corr("x", "y")).toBeCloseTo(1, 10);
    expect(await xy.stat.cov("x", "y")).toBeCloseTo(1683.333333, 4);
    expect(await xy.stat.approxQuantile("x", [0, 0.5, 1], 0)).toEqual([1, 50, 100]);
    expect(await xy.stat.approxQuantile(["x", "y"], [1], 0)).toEqual([[100], [201]]);
    const ct = await orders.stat.crosstab("channel", "day").orderBy("channel_day").collect();
    expect(ct[0]).toEqual({ channel_day: "app", "2024-01-01": 0n, "2024-01-02": 1n, "2024-01-03": 0n });
    const [freq] = await orders.stat.freqItems(["channel"], 0.5).collect();
    expect(freq?.channel_freqItems).toContain("web");
    const strata = await orders.stat
      .sampleBy("channel", { web: 1, store: 0 }, 1)
      .select("channel")
      .distinct()
      .collect();
    expect(strata).toEqual([{ channel: "web" }]);
  });

  it("temp views and global temp views", async () => {
    await orders.createOrReplaceTempView("retail_lab_orders");
    expect(await (await spark.sql("SELECT count(*) AS n FROM retail_lab_orders")).collect()).toEqual([{ n: 5n }]);
    await expect(orders.createTempView("retail_lab_orders")).rejects.toBeInstanceOf(AnalysisException);
    await customers.createOrReplaceGlobalTempView("retail_lab_customers");
    const global = await spark.sql("SELECT count(*) AS n FROM global_temp.retail_lab_customers");
    expect(await global.collect()).toEqual([{ n: 4n }]);
    await customers.createGlobalTempView("retail_lab_customers_once");
    await expect(customers.createGlobalTempView("retail_lab_customers_once")).rejects.toBeInstanceOf(AnalysisException);
    expect(await spark.catalog.dropGlobalTempView("retail_lab_customers")).toBe(true);
    expect(await spark.catalog.dropGlobalTempView("retail_lab_customers_once")).toBe(true);
    expect(await spark.catalog.dropTempView("retail_lab_orders")).toBe(true);
  });
});

describe("errors and edge cases", () => {
  it("a missing column is an AnalysisException naming it", async () => {
    const error = await orders
      .select("no_such_column")
      .collect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisException);
    expect((error as AnalysisException).errorClass).toMatch(/^UNRESOLVED_COLUMN/);
    expect((error as Error).message).toContain("no_such_column");
    await expect(orders.filter(F.col("nope").gt(1)).schema()).rejects.toBeInstanceOf(AnalysisException);
  });

  it("a join key of the wrong type is a typed error", async () => {
    const arrays = await spark.createDataFrame([{ k: [1, 2] }]);
    const error = await orders
      .join(arrays, orders.col("id").eq(arrays.col("k")))
      .collect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisException);
    expect((error as AnalysisException).errorClass).toMatch(/DATATYPE_MISMATCH/);
  });

  it("an empty DataFrame keeps its columns and answers every action", async () => {
    const empty = orders.filter("id < 0");
    expect(await empty.collect()).toEqual([]);
    expect(await empty.count()).toBe(0n);
    expect(await empty.first()).toBeUndefined();
    expect(await empty.head()).toBeUndefined();
    expect(await empty.isEmpty()).toBe(true);
    const table = await empty.toArrow();
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(await orders.columns());
    expect(await empty.select("id").show()).toBe("+---+\n| id|\n+---+\n+---+\n");
  });

  it("Unicode names, dotted names and backticks", async () => {
    const df = await spark.createDataFrame([{ größe: 1, 名前: "x", "a.b": 2, "we`ird": 3 }]);
    expect(await df.columns()).toEqual(["größe", "名前", "a.b", "we`ird"]);
    const picked = await df.select("größe", "名前", "`a.b`", "`we``ird`").collect();
    expect(picked).toEqual([{ größe: 1n, 名前: "x", "a.b": 2n, "we`ird": 3n }]);
    expect(await df.select(F.col("`a.b`").plus(1).alias("🙂")).collect()).toEqual([{ "🙂": 3n }]);
    await expect(df.select("a.b").collect()).rejects.toBeInstanceOf(AnalysisException);
    const renamed = await df.withColumnRenamed("a.b", "ab").columns();
    expect(renamed).toContain("ab");
  });

  it("decimals survive a round trip through the server exactly", async () => {
    const df = await spark.createDataFrame([{ price: new Decimal(123456789012345678n, 38, 6) }]);
    const [row] = await df.select(F.col("price").multiply(10).alias("p10")).collect();
    expect(String(row?.p10)).toBe("1234567890123.456780");
  });
});
