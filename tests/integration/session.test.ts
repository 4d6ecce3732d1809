/**
 * SparkSession against the real server: the builder and its configs, version, conf, parameterised SQL
 * (eager statements, lazy queries), range/table, createDataFrame (inline and as a cached artifact),
 * tags and interrupts, stop.
 */
import { tableFromArrays } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  AnalysisException,
  Decimal,
  F,
  IntegerType,
  LocalDate,
  SparkConnectError,
  SparkSession,
  StringType,
  StructField,
  StructType,
} from "../../src/index.ts";
import { FakeClient } from "../fakes/fake-client.ts";

let spark: SparkSession;

beforeAll(async () => {
  spark = await SparkSession.builder()
    .remote(inject("sparkRemote"))
    .appName("retail-lab-session-test")
    .config("spark.sql.shuffle.partitions", 3)
    .config({ "spark.sql.session.timeZone": "UTC" })
    .create();
});
afterAll(async () => {
  await spark?.stop();
});

describe("builder, version and conf", () => {
  it("applies builder configs and reports the server version", async () => {
    expect(spark.version).toBe("4.1.3");
    expect(spark.appName).toBe("retail-lab-session-test");
    expect(await spark.conf.get("spark.sql.shuffle.partitions")).toBe("3");
    expect(await spark.conf.get("spark.sql.session.timeZone")).toBe("UTC");
  });

  it("getOrCreate returns the active session until it is stopped", async () => {
    const first = await SparkSession.builder().remote(inject("sparkRemote")).getOrCreate();
    const again = await SparkSession.builder().config("spark.sql.ansi.enabled", true).getOrCreate();
    expect(again).toBe(first);
    expect(SparkSession.getActiveSession()).toBe(first);
    expect(await first.conf.get("spark.sql.ansi.enabled")).toBe("true");
    expect(first.sessionId).not.toBe(spark.sessionId);
    await first.stop();
    expect(first.isStopped).toBe(true);
    expect(SparkSession.getActiveSession()).toBeUndefined();
    expect(() => first.range(1)).not.toThrow();
    await expect(first.range(1).collect()).rejects.toThrow(/stopped/);
  });

  it("without remote(), the builder connects to SPARK_REMOTE", async () => {
    const saved = process.env.SPARK_REMOTE;
    process.env.SPARK_REMOTE = inject("sparkRemote");
    try {
      const session = await SparkSession.builder().create();
      expect(await session.range(2).count()).toBe(2n);
      await session.stop();
    } finally {
      if (saved === undefined) delete process.env.SPARK_REMOTE;
      else process.env.SPARK_REMOTE = saved;
    }
  });

  it("a config the server refuses fails the builder, naming the key", async () => {
    const error = await SparkSession.builder()
      .remote(inject("sparkRemote"))
      .config("spark.sql.warehouse.dir", "/tmp/elsewhere")
      .create()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SparkConnectError);
    expect(String((error as Error).message)).toContain("spark.sql.warehouse.dir");
  });

  it("conf: set, get with default, getOption, getAll, unset, isModifiable", async () => {
    await spark.conf.set("spark.sql.retail_lab.test", "yes");
    expect(await spark.conf.get("spark.sql.retail_lab.test")).toBe("yes");
    expect(await spark.conf.getOption("spark.sql.retail_lab.absent")).toBeUndefined();
    expect(await spark.conf.get("spark.sql.retail_lab.absent", "fallback")).toBe("fallback");
    expect(await spark.conf.getAll("spark.sql.retail_lab.")).toEqual({ "spark.sql.retail_lab.test": "yes" });
    await spark.conf.unset("spark.sql.retail_lab.test");
    expect(await spark.conf.getOption("spark.sql.retail_lab.test")).toBeUndefined();
    expect(await spark.conf.isModifiable("spark.sql.shuffle.partitions")).toBe(true);
    expect(await spark.conf.isModifiable("spark.sql.warehouse.dir")).toBe(false);
  });
});

describe("sql, range and table", () => {
  it("binds named and positional parameters", async () => {
    const named = await spark.sql("SELECT :n + 1 AS n, :s AS s, :d AS d", {
      n: 41,
      s: "héllo",
      d: new Decimal(12345n, 10, 2),
    });
    const [row] = await named.collect();
    expect(row).toMatchObject({ n: 42, s: "héllo" });
    expect(row?.d).toBeInstanceOf(Decimal);
    expect(String(row?.d)).toBe("123.45");
    const positional = await spark.sql("SELECT id FROM range(10) WHERE id BETWEEN ? AND ?", [3, F.lit(5)]);
    expect((await positional.collect()).map((r) => r.id)).toEqual([3n, 4n, 5n]);
  });

  it("runs statements eagerly and queries lazily", async () => {
    await spark.sql("CREATE OR REPLACE TEMP VIEW retail_lab_eager AS SELECT 1 AS one");
    expect(await spark.table("retail_lab_eager").collect()).toEqual([{ one: 1 }]);
    const shown = await spark.sql("SHOW VIEWS LIKE 'retail_lab_eager'");
    expect((await shown.collect()).map((r) => r.viewName)).toEqual(["retail_lab_eager"]);
    const error = await spark.sql("SELECT * FROM retail_lab_no_table").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisException);
    expect((error as AnalysisException).errorClass).toBe("TABLE_OR_VIEW_NOT_FOUND");
  });

  it("range(n), range(start, end, step, partitions)", async () => {
    expect((await spark.range(3).collect()).map((r) => r.id)).toEqual([0n, 1n, 2n]);
    const stepped = spark.range(10n, 0n, -3n, 2);
    expect((await stepped.collect()).map((r) => r.id)).toEqual([10n, 7n, 4n, 1n]);
    expect(() => spark.range(0, 10, 0)).toThrow(/step must not be 0/);
    expect(() => spark.range(1.5)).toThrow(/must be an integer/);
  });
});

describe("createDataFrame", () => {
  it("infers a schema from row objects (nulls, Unicode names, nested values)", async () => {
    const df = await spark.createDataFrame([
      { sku: "A-1", qty: 2, price: new Decimal(1999n, 10, 2), day: LocalDate.of(2024, 2, 29), größe: ["S", "M"] },
      { sku: "B-2", qty: null, price: new Decimal(500n, 10, 2), day: LocalDate.of(2024, 3, 1), größe: [] },
    ]);
    expect((await df.schema()).simpleString()).toBe(
      "struct<sku:string,qty:bigint,price:decimal(10,2),day:date,größe:array<string>>",
    );
    const rows = await df.collect();
    expect(rows[0]).toEqual({
      sku: "A-1",
      qty: 2n,
      price: new Decimal(1999n, 10, 2),
      day: LocalDate.of(2024, 2, 29),
      größe: ["S", "M"],
    });
    expect(rows[1]?.qty).toBeNull();
  });

  it("takes a DDL schema, a StructType, or column names", async () => {
    const ddl = await spark.createDataFrame([[1, "a"]], "id INT, name STRING");
    expect(await ddl.dtypes()).toEqual([
      ["id", "int"],
      ["name", "string"],
    ]);
    const typed = await spark.createDataFrame(
      [{ id: 7, name: "x" }],
      new StructType([new StructField("id", new IntegerType(), false), new StructField("name", new StringType())]),
    );
    expect(await typed.collect()).toEqual([{ id: 7, name: "x" }]);
    const named = await spark.createDataFrame([[1, "a"]], ["k", "v"]);
    expect(await named.columns()).toEqual(["k", "v"]);
  });

  it("takes an Arrow Table", async () => {
    const table = tableFromArrays({ a: Int32Array.from([1, 2, 3]), b: Float64Array.from([0.5, 1.5, 2.5]) });
    const df = await spark.createDataFrame(table);
    expect(await df.agg(F.sum("a").alias("a"), F.sum("b").alias("b")).collect()).toEqual([{ a: 6n, b: 4.5 }]);
  });

  it("uploads data above the cache threshold as a cache/<sha256> artifact, once", async () => {
    const session = await SparkSession.builder()
      .remote(inject("sparkRemote"))
      .config("spark.sql.session.localRelationCacheThreshold", 1024)
      .create();
    try {
      const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i, label: `label-${i}` }));
      const df = await session.createDataFrame(rows);
      expect(df.relation.relType.case).toBe("cachedLocalRelation");
      expect(await df.count()).toBe(5000n);
      expect(await df.filter(F.col("id").eq(4321)).collect()).toEqual([{ id: 4321n, label: "label-4321" }]);
      const again = await session.createDataFrame(rows);
      expect(again.relation.relType).toEqual(df.relation.relType);
      const small = await session.createDataFrame([{ id: 1 }]);
      expect(small.relation.relType.case).toBe("localRelation");
    } finally {
      await session.stop();
    }
  });

  it("rejects data that is neither rows nor a Table", async () => {
    await expect(spark.createDataFrame("abc" as never)).rejects.toThrow(/array of rows or an Arrow Table/);
  });
});

describe("tags, interrupts, progress", () => {
  // The slow query sleeps 1 ms per row over 20 000 rows: about 10 s per partition at worst, so a missed
  // interrupt cannot hold the shared server's task slots for long. Interrupts are sent only once the
  // query reports progress, i.e. once its job exists (an earlier interrupt can miss a job still being planned).
  const SLOW = "SELECT count(*) AS n FROM range(0, 20000, 1, 2) WHERE reflect('java.lang.Thread', 'sleep', 1L) IS NULL";

  it("interruptTag cancels a running query carrying the tag", async () => {
    const session = await SparkSession.builder().remote(inject("sparkRemote")).create();
    try {
      session.addTag("retail-lab-slow");
      expect(session.getTags()).toEqual(["retail-lab-slow"]);
      let started!: () => void;
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      const started_at = Date.now();
      const outcome = (await session.sql(SLOW))
        .collect({ onProgress: (u) => u.stages.length > 0 && started() })
        .catch((e: unknown) => e);
      await running;
      const interrupted = await session.interruptTag("retail-lab-slow");
      expect(interrupted).toHaveLength(1);
      expect(await outcome).toBeInstanceOf(SparkConnectError);
      expect(Date.now() - started_at).toBeLessThan(9_000);
      session.removeTag("retail-lab-slow");
      session.clearTags();
      expect(session.getTags()).toEqual([]);
      expect(await session.interruptAll()).toEqual([]);
    } finally {
      await session.interruptAll();
      await session.stop();
    }
  });

  it("interruptOperation cancels one operation by the id given to the action", async () => {
    const operationId = crypto.randomUUID();
    const slow = await spark.sql(SLOW);
    const started = Date.now();
    let interrupted: Promise<string[]> | undefined;
    const error = await slow
      .collect({
        operationId,
        onProgress: (u) => {
          if (u.stages.length > 0 && !interrupted) interrupted = spark.interruptOperation(operationId);
        },
      })
      .catch((e: unknown) => e);
    await spark.interruptAll();
    expect(await interrupted).toEqual([operationId]);
    expect(error).toBeInstanceOf(SparkConnectError);
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  it("an AbortSignal cancels an action", async () => {
    const controller = new AbortController();
    const slow = await spark.sql(SLOW);
    const started = Date.now();
    const error = await slow
      .count({ signal: controller.signal, onProgress: (u) => u.stages.length > 0 && controller.abort() })
      .catch((e: unknown) => e);
    await spark.interruptAll();
    expect(error).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  it("session progress handlers see operations", async () => {
    const updates: boolean[] = [];
    const handler = (u: { done: boolean }) => updates.push(u.done);
    spark.registerProgressHandler(handler);
    await spark.range(0, 2_000_000).groupBy(F.col("id").mod(7).alias("k")).count().collect();
    spark.clearProgressHandlers();
    expect(updates.at(-1)).toBe(true);
  });

  it("a session can wrap any SparkConnectClient (custom transports)", async () => {
    const fake = new FakeClient();
    fake.onAnalyze = () => ({ case: "sparkVersion", value: { version: "9.9.9" } });
    const session = await SparkSession.builder().client(fake).create();
    expect(session.version).toBe("9.9.9");
    await session.stop();
    await session.stop();
    expect(fake.closed).toBe(1);
  });
});
