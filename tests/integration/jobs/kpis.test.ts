/**
 * Job `kpis` on a generated demo dataset, on a written mart (`mart=` parameter) and on the mart built in its
 * plan (both must agree), checked against computations over the raw orders, lines, products, stores and
 * customers read with hyparquet: ticket, customers, members' share, weekday and month views in calendar
 * order, geography, month-over-month change by channel and margin by category.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../jobs/inputs.ts";
import { selectJobs } from "../../../jobs/registry.ts";
import { runJobs } from "../../../jobs/runner.ts";
import type { SparkSession } from "../../../src/index.ts";
import {
  cents,
  centsText,
  connect,
  type DataRow,
  type Dataset,
  generateDemo,
  plain,
  type Rows,
  readTable,
  roundHalfUp,
  runJob,
} from "./fixtures.ts";

let spark: SparkSession;
let data: Dataset;
let results: Rows;
let inPlan: Rows;

interface Order {
  id: bigint;
  customer: bigint | null;
  store: bigint;
  channel: string;
  day: string;
  sales: bigint;
  units: bigint;
  cost: bigint;
  member: boolean;
}
let orders: Order[];
let lines: DataRow[];
let categoryOf: Map<bigint, string>;
let storeGeo: Map<bigint, { country: string | null; state: string | null }>;
let customerGeo: Map<bigint, { country: string; state: string }>;

/** Half-up division of non-negative bigints. */
const divRound = (n: bigint, d: bigint) => (n * 2n + d) / (2n * d);
/** The jobs' percent of two money sums (decimals cast to double). */
const pctMoney = (part: bigint, whole: bigint) =>
  roundHalfUp((Number(centsText(part)) * 100) / Number(centsText(whole)), 2);
const total = (xs: readonly Order[], f: (o: Order) => bigint) => xs.reduce((a, o) => a + f(o), 0n);
const isoWeekday = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-kpis-test");
  data = await generateDemo();
  const out = data.scratch("out");
  await runJobs({ spark, dataDir: data.dir, jobs: selectJobs(["mart"]), outDir: out });
  ({ results } = await runJob(spark, data.dir, "kpis", { mart: join(out, "mart") }));
  ({ results: inPlan } = await runJob(spark, data.dir, "kpis"));

  const products = await readTable(data.dir, "products", ["product_id", "category"]);
  categoryOf = new Map(products.map((p) => [p.product_id as bigint, p.category as string]));
  const stores = await readTable(data.dir, "stores", ["store_id", "country", "state"]);
  storeGeo = new Map(
    stores.map((s) => [s.store_id as bigint, { country: s.country as string | null, state: s.state as string | null }]),
  );
  const customers = await readTable(data.dir, "customers", ["customer_id", "country", "state", "is_member"]);
  customerGeo = new Map(
    customers.map((c) => [c.customer_id as bigint, { country: c.country as string, state: c.state as string }]),
  );
  const members = new Set(customers.filter((c) => c.is_member).map((c) => c.customer_id as bigint));
  lines = await readTable(data.dir, "order_lines", ["order_id", "product_id", "quantity", "unit_cost"]);
  const perOrder = new Map<bigint, { units: bigint; cost: bigint }>();
  for (const l of lines) {
    const o = perOrder.get(l.order_id as bigint) ?? { units: 0n, cost: 0n };
    o.units += BigInt(l.quantity as number);
    o.cost += BigInt(l.quantity as number) * cents(l.unit_cost);
    perOrder.set(l.order_id as bigint, o);
  }
  orders = (
    await readTable(data.dir, "orders", [
      "order_id",
      "customer_id",
      "store_id",
      "channel",
      "ordered_at",
      "subtotal",
      "discount",
    ])
  ).map((o) => ({
    id: o.order_id as bigint,
    customer: (o.customer_id as bigint | null) ?? null,
    store: o.store_id as bigint,
    channel: o.channel as string,
    day: new Date(Number((o.ordered_at as bigint) / 1000n)).toISOString().slice(0, 10),
    sales: cents(o.subtotal) - cents(o.discount),
    units: perOrder.get(o.order_id as bigint)?.units ?? 0n,
    cost: perOrder.get(o.order_id as bigint)?.cost ?? 0n,
    member: o.customer_id !== null && members.has(o.customer_id as bigint),
  }));
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

describe("kpis on a generated demo dataset", () => {
  it("reads the same numbers from a written mart as from the mart built in its plan", () => {
    for (const name of Object.keys(inPlan)) expect(plain(results[name]), name).toEqual(plain(inPlan[name]));
  });

  it("headline: orders, sales, average ticket, customers, value per customer, members' share, margin", () => {
    const sales = total(orders, (o) => o.sales);
    const identified = orders.filter((o) => o.customer !== null);
    const customers = new Set(identified.map((o) => o.customer)).size;
    const h = plain(results.headline)[0]!;
    expect(h).toMatchObject({
      orders: BigInt(orders.length),
      sales: centsText(sales),
      avg_ticket: centsText(divRound(sales, BigInt(orders.length))),
      unique_customers: BigInt(customers),
      value_per_customer: centsText(
        divRound(
          total(identified, (o) => o.sales),
          BigInt(customers),
        ),
      ),
      member_sales_pct: pctMoney(
        total(
          orders.filter((o) => o.member),
          (o) => o.sales,
        ),
        sales,
      ),
      walk_in_sales_pct: pctMoney(
        total(
          orders.filter((o) => o.customer === null),
          (o) => o.sales,
        ),
        sales,
      ),
      gross_margin: centsText(sales - total(orders, (o) => o.cost)),
    });
  });

  it("average ticket by weekday: Monday first, with each weekday's n and exact sales", () => {
    const rows = plain(results.ticket_by_weekday);
    expect(rows.map((r) => r.weekday_name)).toEqual([
      "Monday",
      "Tuesday",
      "Wednesday",
      "Thursday",
      "Friday",
      "Saturday",
      "Sunday",
    ]);
    for (const r of rows) {
      const day = orders.filter((o) => isoWeekday(o.day) === Number(r.day_of_week));
      const sales = total(day, (o) => o.sales);
      expect(r).toMatchObject({
        orders: BigInt(day.length),
        sales: centsText(sales),
        avg_ticket: centsText(divRound(sales, BigInt(day.length))),
      });
      expect(Number(r.ci95_half_width)).toBeGreaterThan(0);
    }
  });

  it("basket size by month, chronological", () => {
    const rows = plain(results.basket_by_month);
    expect(rows.map((r) => r.year_month)).toEqual(["2025-01", "2025-02", "2025-03"]);
    for (const r of rows) {
      const month = orders.filter((o) => o.day.startsWith(String(r.year_month)));
      const units = total(month, (o) => o.units);
      expect(r).toMatchObject({ orders: BigInt(month.length), units });
      expect(Number(r.avg_units_per_basket)).toBe(roundHalfUp(Number(units) / month.length, 2));
    }
  });

  it("sales by country/state × month count each order where it was sold (online: at the buyer's home)", () => {
    const expected = new Map<string, { orders: number; sales: bigint }>();
    for (const o of orders) {
      const store = storeGeo.get(o.store)!;
      const home = o.customer === null ? undefined : customerGeo.get(o.customer);
      const key = `${store.country ?? home?.country}|${store.state ?? home?.state}|${o.day.slice(0, 7)}`;
      const e = expected.get(key) ?? { orders: 0, sales: 0n };
      e.orders++;
      e.sales += o.sales;
      expected.set(key, e);
    }
    const rows = plain(results.sales_by_geo_month);
    expect(rows.length).toBe(expected.size);
    for (const r of rows) {
      const e = expected.get(`${r.country}|${r.state}|${r.year_month}`);
      expect(e, `${r.country} ${r.state} ${r.year_month}`).toBeDefined();
      expect({ orders: r.orders, sales: r.sales }).toEqual({ orders: BigInt(e!.orders), sales: centsText(e!.sales) });
    }
    const keys = rows.map((r) => `${r.country}|${r.state}|${r.year_month}`);
    expect(keys).toEqual([...keys].sort());
  });

  it("month-over-month sales change by channel, in calendar order, in % of the previous month", () => {
    const rows = plain(results.mom_by_channel);
    const salesOf = (month: string, channel: string) =>
      total(
        orders.filter((o) => o.channel === channel && o.day.startsWith(month)),
        (o) => o.sales,
      );
    for (const r of rows) {
      const month = String(r.year_month);
      const sales = salesOf(month, String(r.channel));
      expect(r.sales).toBe(centsText(sales));
      const [y, m] = month.split("-").map(Number) as [number, number];
      const previousMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
      if (month === "2025-01") {
        expect(r.change_pct).toBeNull();
        continue;
      }
      const previous = salesOf(previousMonth, String(r.channel));
      expect(r.change).toBe(centsText(sales - previous));
      expect(r.change_pct).toBe(pctMoney(sales - previous, previous));
    }
    expect(rows.map((r) => `${r.year_month} ${r.channel}`)).toEqual(
      rows.map((r) => `${r.year_month} ${r.channel}`).sort(),
    );
  });

  it("margin by category: exact units and cost per category, margin = sales − cost, totals add up", () => {
    const rows = plain(results.margin_by_category);
    const units = new Map<string, bigint>();
    const cost = new Map<string, bigint>();
    for (const l of lines) {
      const c = categoryOf.get(l.product_id as bigint)!;
      units.set(c, (units.get(c) ?? 0n) + BigInt(l.quantity as number));
      cost.set(c, (cost.get(c) ?? 0n) + BigInt(l.quantity as number) * cents(l.unit_cost));
    }
    expect(rows.length).toBe(units.size);
    let salesSum = 0n;
    for (const r of rows) {
      const c = String(r.category);
      expect(r.units).toBe(units.get(c));
      expect(r.cost).toBe(centsText(cost.get(c)!));
      expect(r.gross_margin).toBe(centsText(BigInt(Math.round(Number(r.sales) * 100)) - cost.get(c)!));
      salesSum += BigInt(Math.round(Number(r.sales) * 100));
    }
    expect(salesSum).toBe(total(orders, (o) => o.sales));
    const margins = rows.map((r) => Number(r.gross_margin));
    expect(margins).toEqual([...margins].sort((a, b) => b - a));
    expect(new Set(rows.map((r) => r.margin_pct)).size).toBeGreaterThan(3);
  });

  it("margin by country adds up to the whole margin", () => {
    const rows = plain(results.margin_by_country);
    const margin = rows.reduce((a, r) => a + BigInt(Math.round(Number(r.gross_margin) * 100)), 0n);
    expect(margin).toBe(total(orders, (o) => o.sales - o.cost));
    expect(rows.map((r) => r.country)).toEqual(rows.map((r) => r.country).sort());
  });

  it("rejects a mart parameter that is not a mart folder, naming what is missing", async () => {
    await expect(runJob(spark, data.dir, "kpis", { mart: data.scratch("nowhere") })).rejects.toThrow(InputError);
    await expect(runJob(spark, data.dir, "kpis", { mart: data.dir })).rejects.toThrow(
      /is not a mart folder: it lacks dim_date, dim_product, dim_customer, dim_store, fact_sales/,
    );
  });
});
