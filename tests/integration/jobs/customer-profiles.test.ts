/**
 * Job `customer-profiles` and `retail-lab profile` on a generated demo dataset: the JSON Lines export is valid
 * MongoDB extended JSON (`_id` = customer id, `$date` in UTC, exact `$numberDecimal`), one document per
 * customer whose embedded orders' items add up to their subtotals and amounts to their totals, checked in
 * plain JS against the raw orders (hyparquet); the profile command prints the same document, found with a
 * customer filter pushed down into the Parquet scans.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { customerProfile, profileFrame } from "../../../jobs/customer-profile.ts";
import { selectJobs } from "../../../jobs/registry.ts";
import { type JobRun, runJobs } from "../../../jobs/runner.ts";
import type { SparkSession } from "../../../src/index.ts";
import { cents, connect, type DataRow, type Dataset, generateDemo, readTable } from "./fixtures.ts";

type Json = Record<string, unknown>;

let spark: SparkSession;
let data: Dataset;
let run: JobRun;
let documents: Json[];
let orders: DataRow[];

/** "12.30" as cents, from an extended-JSON decimal. */
function decimalCents(value: unknown): bigint {
  const text = (value as { $numberDecimal?: unknown }).$numberDecimal;
  expect(typeof text, JSON.stringify(value)).toBe("string");
  expect(text).toMatch(/^-?\d+\.\d{2}$/);
  const [whole, fraction] = String(text).replace("-", "").split(".") as [string, string];
  const c = BigInt(whole) * 100n + BigInt(fraction);
  return String(text).startsWith("-") ? -c : c;
}

function isoDate(value: unknown): string {
  const text = (value as { $date?: unknown }).$date;
  expect(text, JSON.stringify(value)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  return String(text);
}

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-customer-profiles-test");
  data = await generateDemo();
  const out = data.scratch("out");
  [run] = (await runJobs({ spark, dataDir: data.dir, jobs: selectJobs(["customer-profiles"]), outDir: out })) as [
    JobRun,
  ];
  const dir = join(out, "customer-profiles", "profiles_jsonl");
  const parts = readdirSync(dir).filter((f) => f.endsWith(".json"));
  expect(parts.length).toBe(1);
  const lines = readFileSync(join(dir, parts[0]!), "utf8").split("\n").filter(Boolean);
  documents = lines.map((line) => JSON.parse(line) as Json);
  orders = await readTable(data.dir, "orders", ["order_id", "customer_id", "ordered_at", "subtotal", "total"]);
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

describe("customer-profiles on a generated demo dataset", () => {
  it("writes one valid JSON document per customer, _id = customer id, and every in-job check passes", async () => {
    const customers = await readTable(data.dir, "customers", ["customer_id"]);
    expect(documents.map((d) => d._id)).toEqual(customers.map((c) => Number(c.customer_id)));
    const checks = run.results.find((r) => r.name === "checks")?.rows ?? [];
    expect(checks.length).toBe(7);
    expect(checks.filter((c) => c.passed !== true)).toEqual([]);
    expect(run.datasets?.map((d) => d.name)).toEqual(["profiles", "profiles_jsonl"]);
  });

  it("uses extended JSON: dates as UTC $date, money as exact $numberDecimal", () => {
    for (const doc of documents) {
      const profile = doc.profile as Json;
      expect(isoDate(profile.signup_date)).toMatch(/T00:00:00\.000Z$/);
      const lifetime = doc.lifetime_value as Json;
      decimalCents(lifetime.revenue);
      for (const order of doc.recent_orders as Json[]) {
        isoDate(order.ordered_at);
        for (const field of ["subtotal", "discount", "tax", "total"]) decimalCents(order[field]);
      }
    }
  });

  it("embeds each customer's most recent orders, newest first, whose items add up to the subtotal", () => {
    const byCustomer = new Map<number, DataRow[]>();
    for (const o of orders) {
      if (o.customer_id === null) continue;
      const list = byCustomer.get(Number(o.customer_id)) ?? [];
      list.push(o);
      byCustomer.set(Number(o.customer_id), list);
    }
    let embedded = 0;
    for (const doc of documents) {
      const mine = (byCustomer.get(doc._id as number) ?? []).sort((a, b) =>
        (b.ordered_at as bigint) === (a.ordered_at as bigint)
          ? Number((b.order_id as bigint) - (a.order_id as bigint))
          : (b.ordered_at as bigint) > (a.ordered_at as bigint)
            ? 1
            : -1,
      );
      const recent = doc.recent_orders as Json[];
      expect((doc.lifetime_value as Json).orders).toBe(mine.length);
      expect(recent.map((o) => o.order_id)).toEqual(mine.slice(0, 5).map((o) => Number(o.order_id)));
      for (const [i, order] of recent.entries()) {
        const items = order.items as Json[];
        expect(items.length).toBeGreaterThan(0);
        const itemsTotal = items.reduce((acc, item) => {
          expect(decimalCents(item.line_total)).toBe(BigInt(item.quantity as number) * decimalCents(item.unit_price));
          return acc + decimalCents(item.line_total);
        }, 0n);
        expect(itemsTotal).toBe(decimalCents(order.subtotal));
        expect(itemsTotal).toBe(cents(mine[i]!.subtotal));
        expect(decimalCents(order.subtotal) - decimalCents(order.discount) + decimalCents(order.tax)).toBe(
          decimalCents(order.total),
        );
        embedded++;
      }
      const lifetime = mine.reduce((acc, o) => acc + cents(o.total), 0n);
      expect(decimalCents((doc.lifetime_value as Json).revenue)).toBe(lifetime);
    }
    expect(embedded).toBeGreaterThan(1000);
  });

  it("profile prints the same document for one customer, its filter pushed down into the Parquet scans", async () => {
    const busiest = [...documents].sort(
      (a, b) => ((b.lifetime_value as Json).orders as number) - ((a.lifetime_value as Json).orders as number),
    )[0]!;
    const id = BigInt(busiest._id as number);
    const printed = JSON.parse(await customerProfile(spark, data.dir, id, { format: "extended-json" })) as Json;
    expect(printed).toEqual(busiest);
    const plan = await (await profileFrame(spark, data.dir, id)).explain("formatted");
    // Each scan's details: "(n) Scan parquet", its Location (the table folder) and its PushedFilters.
    const scans = [
      ...plan.matchAll(
        /\(\d+\) Scan parquet[^\n]*\n(?:[^\n]+\n)*?Location: [^\n]*\/(\w+)\]\n(?:[^\n]+\n)*?PushedFilters: ([^\n]*)/g,
      ),
    ];
    for (const table of ["customers", "orders", "sessions", "clickstream", "cart_events", "payment_attempts"]) {
      const filters = scans.filter((m) => m[1] === table).map((m) => m[2]);
      expect(filters.length, table).toBeGreaterThan(0);
      for (const f of filters) expect(f, table).toContain(`EqualTo(customer_id,${id})`);
    }
    const plainJson = JSON.parse(await customerProfile(spark, data.dir, id)) as Json;
    expect((plainJson.lifetime_value as Json).revenue).toBe(
      ((busiest.lifetime_value as Json).revenue as Json).$numberDecimal,
    );
  });

  it("the profile command prints the document, and names an unknown or malformed id", () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["bin/retail-lab.js", ...args, "--remote", inject("sparkRemote")], {
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
      });
    const ok = cli("profile", "7", "--data", data.dir, "--recent", "2");
    expect(ok.status, ok.stderr).toBe(0);
    const doc = JSON.parse(ok.stdout) as Json;
    expect(doc._id).toBe(7);
    expect((doc.recent_orders as Json[]).length).toBeLessThanOrEqual(2);
    const missing = cli("profile", "987654321", "--data", data.dir);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain("customer 987654321 is not in the customers table");
    const bad = cli("profile", "seven", "--data", data.dir);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('customer id "seven" is not valid');
  });
});
