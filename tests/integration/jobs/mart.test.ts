/**
 * Job `mart` on a generated demo dataset: the star schema as written (Parquet, fact partitioned by month) is
 * read back with hyparquet and checked against the raw orders and lines: fact revenue equals the orders'
 * subtotals, allocated discount and tax add up per order, margin is net revenue minus cost on every line,
 * every key resolves; surrogate keys are identical across two runs; a corrupted input fails the job loudly.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectJobs } from "../../../jobs/registry.ts";
import { type JobRun, runJobs } from "../../../jobs/runner.ts";
import { functions as F, type SparkSession } from "../../../src/index.ts";
import { cents, connect, copyDataset, type DataRow, type Dataset, generateDemo, readTable } from "./fixtures.ts";

let spark: SparkSession;
let data: Dataset;
let run: JobRun;
let mart: string;
let fact: DataRow[];

/** Reads every Parquet file under a written folder (recursively: the fact is partitioned), tagging partitions. */
async function readWritten(dir: string): Promise<DataRow[]> {
  const rows: DataRow[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const [key, value] = entry.name.split("=");
      for (const row of await readWritten(path)) rows.push(key && value ? { ...row, [key]: value } : row);
    } else if (entry.name.endsWith(".parquet")) {
      const file = await asyncBufferFromFile(path);
      rows.push(...(await parquetReadObjects({ file })));
    }
  }
  return rows;
}

const sum = (rows: readonly DataRow[], column: string) => rows.reduce((acc, r) => acc + cents(r[column]), 0n);

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-mart-test");
  data = await generateDemo();
  const out = data.scratch("out-a");
  [run] = (await runJobs({ spark, dataDir: data.dir, jobs: selectJobs(["mart"]), outDir: out })) as [JobRun];
  mart = join(out, "mart");
  fact = await readWritten(join(mart, "fact_sales"));
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

describe("mart on a generated demo dataset", () => {
  it("writes the star schema as Parquet, the fact partitioned by month, and every in-job check passes", async () => {
    for (const table of ["dim_date", "dim_product", "dim_customer", "dim_store", "fact_sales"]) {
      expect(existsSync(join(mart, table, "_SUCCESS")), table).toBe(true);
    }
    const months = readdirSync(join(mart, "fact_sales")).filter((f) => f.startsWith("month="));
    expect(months.sort()).toEqual(["month=2025-01", "month=2025-02", "month=2025-03"]);
    const checks = run.results.find((r) => r.name === "checks")?.rows ?? [];
    expect(checks.length).toBe(16);
    expect(checks.filter((c) => c.passed !== true)).toEqual([]);
    expect(run.datasets?.map((d) => d.name)).toEqual([
      "dim_date",
      "dim_product",
      "dim_customer",
      "dim_store",
      "fact_sales",
    ]);
  });

  it("fact revenue, discount and tax equal the orders' subtotals, discounts and taxes, order by order", async () => {
    const orders = await readTable(data.dir, "orders", ["order_id", "subtotal", "discount", "tax"]);
    const lines = await readTable(data.dir, "order_lines", ["order_id"]);
    expect(fact.length).toBe(lines.length);
    expect(sum(fact, "gross_revenue")).toBe(sum(orders, "subtotal"));
    const byOrder = new Map<bigint, { gross: bigint; discount: bigint; tax: bigint }>();
    for (const row of fact) {
      const o = byOrder.get(row.order_id as bigint) ?? { gross: 0n, discount: 0n, tax: 0n };
      o.gross += cents(row.gross_revenue);
      o.discount += cents(row.discount);
      o.tax += cents(row.tax);
      byOrder.set(row.order_id as bigint, o);
      expect(cents(row.discount)).toBeGreaterThanOrEqual(0n);
    }
    expect(byOrder.size).toBe(orders.length);
    for (const order of orders) {
      const lineSums = byOrder.get(order.order_id as bigint);
      expect(lineSums, `order ${order.order_id}`).toEqual({
        gross: cents(order.subtotal),
        discount: cents(order.discount),
        tax: cents(order.tax),
      });
    }
  });

  it("margin is net revenue minus cost on every line, and cost is quantity × unit cost", () => {
    for (const row of fact) {
      const gross = cents(row.gross_revenue);
      expect(gross).toBe(BigInt(row.quantity as number) * cents(row.unit_price));
      expect(cents(row.cost)).toBe(BigInt(row.quantity as number) * cents(row.unit_cost));
      expect(cents(row.net_revenue)).toBe(gross - cents(row.discount));
      expect(cents(row.gross_margin)).toBe(cents(row.net_revenue) - cents(row.cost));
    }
  });

  it("every fact key resolves to a dimension row, and natural keys map to the right rows", async () => {
    const dims = {
      date: await readWritten(join(mart, "dim_date")),
      product: await readWritten(join(mart, "dim_product")),
      customer: await readWritten(join(mart, "dim_customer")),
      store: await readWritten(join(mart, "dim_store")),
    };
    const keys = (rows: DataRow[], key: string) => new Set(rows.map((r) => Number(r[key])));
    const dateKeys = keys(dims.date, "date_key");
    const productKeys = keys(dims.product, "product_key");
    const customerKeys = keys(dims.customer, "customer_key");
    const storeKeys = keys(dims.store, "store_key");
    for (const row of fact) {
      expect(dateKeys.has(Number(row.date_key))).toBe(true);
      expect(productKeys.has(Number(row.product_key))).toBe(true);
      expect(customerKeys.has(Number(row.customer_key))).toBe(true);
      expect(storeKeys.has(Number(row.store_key))).toBe(true);
    }
    // The calendar is complete: every day of the three months, with ISO weekdays (2025-01-01 was a Wednesday).
    expect(dims.date.length).toBe(31 + 28 + 31);
    const jan1 = dims.date.find((d) => d.date_key === 20250101);
    expect(jan1).toMatchObject({ day_of_week: 3, weekday_name: "Wednesday", iso_week: 1, month_name: "January" });
    // Surrogate keys follow natural-key order, and the walk-in member has key 0.
    const products = await readTable(data.dir, "products", ["product_id"]);
    expect(dims.product.length).toBe(products.length);
    for (const p of dims.product) expect(BigInt(p.product_key as number)).toBe(p.product_id as bigint);
    expect(dims.customer.find((c) => c.customer_key === 0)).toMatchObject({ segment: "walk-in", is_member: false });
    const orders = await readTable(data.dir, "orders", ["order_id", "customer_id", "store_id", "ordered_at"]);
    const order = new Map(orders.map((o) => [o.order_id as bigint, o]));
    const customerId = new Map(dims.customer.map((c) => [Number(c.customer_key), c.customer_id as bigint | null]));
    const storeId = new Map(dims.store.map((s) => [Number(s.store_key), s.store_id as bigint]));
    for (const row of fact) {
      const o = order.get(row.order_id as bigint)!;
      expect(customerId.get(Number(row.customer_key)) ?? null).toBe(o.customer_id ?? null);
      expect(storeId.get(Number(row.store_key))).toBe(o.store_id);
      const day = new Date(Number((o.ordered_at as bigint) / 1000n)).toISOString().slice(0, 10);
      expect(String(row.date_key)).toBe(day.replaceAll("-", ""));
      expect(row.month).toBe(day.slice(0, 7));
    }
  });

  it("a second run of the same data gives the same surrogate keys", async () => {
    const out = data.scratch("out-b");
    await runJobs({ spark, dataDir: data.dir, jobs: selectJobs(["mart"]), outDir: out });
    const again = await readWritten(join(out, "mart", "fact_sales"));
    const keyOf = (r: DataRow) =>
      `${r.order_id}/${r.line_no} ${r.date_key} ${r.product_key} ${r.customer_key} ${r.store_key}`;
    expect(again.map(keyOf).sort()).toEqual(fact.map(keyOf).sort());
    for (const table of ["dim_customer", "dim_product", "dim_store", "dim_date"]) {
      expect(await readWritten(join(out, "mart", table)), table).toEqual(await readWritten(join(mart, table)));
    }
  });

  it("fails loudly, publishing nothing, when an order's lines do not add up to its subtotal", async () => {
    const corrupted = data.scratch("corrupted");
    const lines = spark.read.parquet(join(data.dir, "order_lines"));
    // One line of the first order charged one cent more than the order's subtotal accounts for.
    const first = (await lines.agg(F.min("order_id").alias("id")).collect())[0]!.id as bigint;
    await copyDataset(data.dir, corrupted, {
      order_lines: lines.withColumn(
        "unit_price",
        F.when(F.col("order_id").eq(F.lit(first)).and(F.col("line_no").eq(1)), F.col("unit_price").plus(F.lit(0.01)))
          .otherwise(F.col("unit_price"))
          .cast("decimal(10,2)"),
      ),
    });
    const out = data.scratch("out-corrupted");
    await expect(runJobs({ spark, dataDir: corrupted, jobs: selectJobs(["mart"]), outDir: out })).rejects.toThrow(
      /job mart failed \d+ check\(s\):[\s\S]*fact gross revenue = Σ orders\.subtotal: expected [\d.]+, got [\d.]+[\s\S]*orders whose lines do not add up to subtotal, discount and tax: expected 0, got 1/,
    );
    expect(existsSync(join(out, "mart"))).toBe(false);
    expect(existsSync(out) ? readdirSync(out).filter((f) => f.includes("staging")) : []).toEqual([]);
  });
});
