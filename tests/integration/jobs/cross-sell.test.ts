/**
 * Job `cross-sell` against an independent computation over the raw tables (hyparquet): distinct anchor buyers
 * by approved orders, products they viewed but never bought, margin × intent, support, confidence and lift,
 * for the default anchor, a category anchor with a customer segment, and an anchor that matches nothing.
 * The generator's planted cross-sell targets of Mineral Water must come out on top.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crossSellJob } from "../../../jobs/cross-sell.ts";
import { Decimal, type SparkSession } from "../../../src/index.ts";
import {
  cents,
  centsText,
  connect,
  type Dataset,
  generateDemo,
  plain,
  type Rows,
  readTable,
  roundHalfUp,
  runJob,
} from "./fixtures.ts";

interface Product {
  id: bigint;
  name: string;
  category: string;
  price: bigint;
  cost: bigint;
}

let spark: SparkSession;
let data: Dataset;
let products: Map<bigint, Product>;
let segmentOf: Map<bigint, string>;
/** [customer, product] of approved orders (orders exist only for approved payments) and of product views. */
let boughtPairs: Array<[bigint, bigint]>;
let viewedPairs: Array<[bigint, bigint]>;
let defaults: Rows;

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-cross-sell-test");
  data = await generateDemo();
  products = new Map(
    (await readTable(data.dir, "products")).map((p) => [
      p.product_id as bigint,
      {
        id: p.product_id as bigint,
        name: p.name as string,
        category: p.category as string,
        price: cents(p.unit_price),
        cost: cents(p.unit_cost),
      },
    ]),
  );
  segmentOf = new Map(
    (await readTable(data.dir, "customers", ["customer_id", "segment"])).map((c) => [
      c.customer_id as bigint,
      c.segment as string,
    ]),
  );
  const buyer = new Map<bigint, bigint>();
  for (const o of await readTable(data.dir, "orders", ["order_id", "customer_id"])) {
    if (o.customer_id !== null && o.customer_id !== undefined) buyer.set(o.order_id as bigint, o.customer_id as bigint);
  }
  boughtPairs = [];
  for (const l of await readTable(data.dir, "order_lines", ["order_id", "product_id"])) {
    const c = buyer.get(l.order_id as bigint);
    if (c !== undefined) boughtPairs.push([c, l.product_id as bigint]);
  }
  viewedPairs = (await readTable(data.dir, "clickstream", ["customer_id", "event_type", "product_id"]))
    .filter((e) => e.event_type === "product_view" && e.customer_id !== null && e.customer_id !== undefined)
    .map((e) => [e.customer_id as bigint, e.product_id as bigint]);
  ({ results: defaults } = await runJob(spark, data.dir, "cross-sell"));
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

const pairKey = (c: bigint, p: bigint) => `${c}|${p}`;

/** Half-up division of non-negative bigints. */
const divRound = (n: bigint, d: bigint) => (n * 2n + d) / (2n * d);

/**
 * margin_pct as Spark computes it in decimals: (price - cost) / price at scale 13 (its division scale for
 * decimal(11,2) / decimal(10,2)), times 100, rounded half-up to one decimal.
 */
function marginPct(p: Product): string {
  const ratio13 = divRound((p.price - p.cost) * 10n ** 13n, p.price);
  const tenths = divRound(ratio13 * 100n, 10n ** 12n);
  return `${tenths / 10n}.${tenths % 10n}`;
}

/** The expected anchor and opportunities tables, computed in plain JS. */
function expected(options: { anchor?: string; category?: string; segment?: string; top: number }) {
  const inSegment = (c: bigint) =>
    !options.segment || options.segment === "all" || segmentOf.get(c) === options.segment;
  const anchorIds = new Set(
    [...products.values()]
      .filter((p) => (options.category ? p.category === options.category : p.name === options.anchor))
      .map((p) => p.id),
  );
  const bought = new Set(boughtPairs.filter(([c]) => inSegment(c)).map(([c, p]) => pairKey(c, p)));
  const viewed = new Map<string, [bigint, bigint]>();
  for (const [c, p] of viewedPairs) if (inSegment(c)) viewed.set(pairKey(c, p), [c, p]);
  const anchorBuyers = new Set<bigint>();
  const buyersOf = new Map<bigint, Set<bigint>>();
  for (const [c, p] of boughtPairs) {
    if (!inSegment(c) || !anchorIds.has(p)) continue;
    anchorBuyers.add(c);
    buyersOf.set(p, (buyersOf.get(p) ?? new Set()).add(c));
  }
  const n = new Set([...viewed.values()].map(([c]) => c)).size;
  const nB = new Map<bigint, number>();
  const pairs = new Map<bigint, number>();
  for (const [key, [c, p]] of viewed) {
    if (bought.has(key) || anchorIds.has(p)) continue;
    nB.set(p, (nB.get(p) ?? 0) + 1);
    if (anchorBuyers.has(c)) pairs.set(p, (pairs.get(p) ?? 0) + 1);
  }
  const nAnchor = anchorBuyers.size;
  const opportunities = [...pairs.entries()]
    .map(([id, customers]) => {
      const p = products.get(id)!;
      return {
        product_id: id,
        name: p.name,
        category: p.category,
        customers: BigInt(customers),
        margin_pct: marginPct(p),
        margin_x_intent: centsText((p.price - p.cost) * BigInt(customers)),
        support: roundHalfUp(customers / n, 4),
        confidence: roundHalfUp(customers / nAnchor, 4),
        lift: roundHalfUp(customers / nAnchor / (nB.get(id)! / n), 2),
      };
    })
    .sort((a, b) => {
      const diff = cents(Decimal.parse(b.margin_x_intent)) - cents(Decimal.parse(a.margin_x_intent));
      return diff !== 0n ? (diff > 0n ? 1 : -1) : a.product_id < b.product_id ? -1 : 1;
    })
    .slice(0, options.top);
  const anchor = [...anchorIds]
    .sort((a, b) => (a < b ? -1 : 1))
    .map((id) => ({
      product_id: id,
      name: products.get(id)!.name,
      category: products.get(id)!.category,
      buyers: BigInt(buyersOf.get(id)?.size ?? 0),
    }));
  return { anchor, opportunities, anchorBuyers: nAnchor };
}

describe("cross-sell on a generated demo dataset", () => {
  it("default anchor (Mineral Water): distinct buyers and the top 10 opportunities equal a plain computation", () => {
    const want = expected({ anchor: "Mineral Water", top: 10 });
    expect(want.anchorBuyers).toBeGreaterThan(100);
    expect(plain(defaults.anchor)).toEqual(want.anchor);
    expect(plain(defaults.opportunities)).toEqual(want.opportunities);
    const findings = crossSellJob.findings!(defaults, {
      anchor: "Mineral Water",
      anchor_category: "-",
      segment: "all",
      top: 10,
    });
    expect(findings[0]?.values?.buyers).toBe(BigInt(want.anchorBuyers));
  });

  it("the planted cross-sell targets are among the top opportunities, and lead by distinct customers", async () => {
    const planted = data.manifest.planted.crossSell;
    expect(planted.anchor).toMatchObject({ name: "Mineral Water" });
    const targets = planted.targets.map((t) => BigInt(t.product_id));
    const top10 = (defaults.opportunities ?? []).map((r) => r.product_id);
    for (const t of targets) expect(top10).toContain(t);
    const { results } = await runJob(spark, data.dir, "cross-sell", { top: "1000" });
    const all = plain(results.opportunities);
    expect(all).toEqual(expected({ anchor: "Mineral Water", top: 1000 }).opportunities);
    const byCustomers = [...all].sort((a, b) => Number((b.customers as bigint) - (a.customers as bigint)));
    expect(new Set(byCustomers.slice(0, targets.length).map((r) => r.product_id))).toEqual(new Set(targets));
  });

  it("a category anchor within one customer segment", async () => {
    const category = data.manifest.planted.crossSell.anchor.category;
    const { results } = await runJob(spark, data.dir, "cross-sell", {
      anchor_category: category,
      segment: "vip",
      top: "25",
    });
    const want = expected({ category, segment: "vip", top: 25 });
    expect(want.anchor.length).toBeGreaterThan(1);
    expect(want.opportunities.length).toBeGreaterThan(0);
    expect(plain(results.anchor)).toEqual(want.anchor);
    expect(plain(results.opportunities)).toEqual(want.opportunities);
  });

  it("an anchor that matches no product gives empty tables and says so", async () => {
    const { results, run } = await runJob(spark, data.dir, "cross-sell", { anchor: "No Such Product" });
    expect(results.anchor).toEqual([]);
    expect(results.opportunities).toEqual([]);
    expect(run.findings).toEqual([
      { id: "anchor_missing", text: "No product matches No Such Product; nothing to anchor on." },
    ]);
  });
});
