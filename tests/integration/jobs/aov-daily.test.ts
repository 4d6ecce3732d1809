/**
 * Job `aov-daily` against the generator's answer key (orders and revenue per channel in the manifest) and an
 * exact computation over the raw orders (hyparquet): order counts, revenue and average order value per UTC day
 * and channel, in calendar order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SparkSession } from "../../../src/index.ts";
import {
  cents,
  centsText,
  connect,
  type Dataset,
  generateDemo,
  plain,
  type Rows,
  readTable,
  runJob,
} from "./fixtures.ts";

let spark: SparkSession;
let data: Dataset;
let results: Rows;
let orders: Array<{ day: string; channel: string; total: bigint }>;

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-aov-daily-test");
  data = await generateDemo();
  orders = (await readTable(data.dir, "orders", ["ordered_at", "channel", "total"])).map((o) => ({
    day: new Date(Number((o.ordered_at as bigint) / 1000n)).toISOString().slice(0, 10),
    channel: o.channel as string,
    total: cents(o.total),
  }));
  ({ results } = await runJob(spark, data.dir, "aov-daily"));
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

/** Half-up division of non-negative bigints. */
const divRound = (n: bigint, d: bigint) => (n * 2n + d) / (2n * d);

/**
 * Spark's avg of a decimal(12,2) is a decimal(16,6) (rounded half-up), which the job rounds half-up to cents.
 */
const aov = (sum: bigint, count: number) => centsText(divRound(divRound(sum * 10_000n, BigInt(count)), 10_000n));

function grouped(key: (o: (typeof orders)[number]) => string) {
  const groups = new Map<string, { orders: number; revenue: bigint }>();
  for (const o of orders) {
    const g = groups.get(key(o)) ?? { orders: 0, revenue: 0n };
    g.orders++;
    g.revenue += o.total;
    groups.set(key(o), g);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe("aov-daily on a generated demo dataset", () => {
  it("per channel: orders and revenue equal the manifest's, with the exact average", () => {
    const gt = data.manifest.groundTruth.orders;
    const manifestOrders: Record<string, number> = { web: gt.online.web!, app: gt.online.app!, store: gt.pos };
    const expected = grouped((o) => o.channel).map(([channel, g]) => ({
      channel,
      orders: BigInt(g.orders),
      revenue: centsText(g.revenue),
      aov: aov(g.revenue, g.orders),
    }));
    expect(expected.map((r) => r.channel)).toEqual(["app", "store", "web"]);
    for (const r of expected) {
      expect(r.orders).toBe(BigInt(manifestOrders[r.channel]!));
      expect(r.revenue).toBe(gt.revenue[r.channel as "web" | "app" | "store"]);
    }
    expect(plain(results.by_channel)).toEqual(expected);
  });

  it("per UTC day and channel, in calendar order", () => {
    const expected = grouped((o) => `${o.day}|${o.channel}`).map(([key, g]) => {
      const [day, channel] = key.split("|");
      return { day, channel, orders: BigInt(g.orders), revenue: centsText(g.revenue), aov: aov(g.revenue, g.orders) };
    });
    expect(new Set(expected.map((r) => r.day)).size).toBe(data.manifest.window.days);
    expect(plain(results.daily)).toEqual(expected);
  });
});
