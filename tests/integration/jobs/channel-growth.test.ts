/**
 * Job `channel-growth` against an exact computation over the raw orders (hyparquet): orders and revenue per
 * channel and calendar month, and month-over-month growth in % with a null for each channel's first month.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SparkSession } from "../../../src/index.ts";
import {
  cents,
  centsText,
  connect,
  type Dataset,
  generateDemo,
  pct,
  plain,
  type Rows,
  readTable,
  runJob,
} from "./fixtures.ts";

let spark: SparkSession;
let data: Dataset;
let results: Rows;

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-channel-growth-test");
  data = await generateDemo();
  ({ results } = await runJob(spark, data.dir, "channel-growth"));
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

describe("channel-growth on a generated demo dataset", () => {
  it("monthly orders, revenue and growth per channel equal a plain computation", async () => {
    const groups = new Map<string, { orders: number; revenue: bigint }>();
    for (const o of await readTable(data.dir, "orders", ["ordered_at", "channel", "total"])) {
      const month = `${new Date(Number((o.ordered_at as bigint) / 1000n)).toISOString().slice(0, 7)}-01`;
      const key = `${month}|${o.channel}`;
      const g = groups.get(key) ?? { orders: 0, revenue: 0n };
      g.orders++;
      g.revenue += cents(o.total);
      groups.set(key, g);
    }
    const previous = new Map<string, { orders: number; revenue: bigint }>();
    const expected = [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, g]) => {
        const [month, channel] = key.split("|") as [string, string];
        const prev = previous.get(channel);
        previous.set(channel, g);
        return {
          month,
          channel,
          orders: BigInt(g.orders),
          revenue: centsText(g.revenue),
          order_growth_pct: prev ? pct(g.orders - prev.orders, prev.orders) : null,
          // Spark divides the decimal difference, cast to double, by the previous revenue as a double.
          revenue_growth_pct: prev ? pct(Number(g.revenue - prev.revenue) / 100, Number(prev.revenue) / 100) : null,
        };
      });
    expect(expected.map((r) => r.month)).toEqual([
      ...Array(3).fill("2025-01-01"),
      ...Array(3).fill("2025-02-01"),
      ...Array(3).fill("2025-03-01"),
    ]);
    expect(plain(results.monthly)).toEqual(expected);
    expect(expected.filter((r) => r.revenue_growth_pct !== null)).toHaveLength(6);
  });
});
