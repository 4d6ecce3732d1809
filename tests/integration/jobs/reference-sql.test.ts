/**
 * Job `reference-sql`: the reference study's own SQL on a generated demo dataset. Its funnel must give the
 * manifest's event counts (it counts events, not sessions), and its cross-sell the exact view counts of its
 * anti-join semantics (customers who added product 102; views of products they never added), computed here
 * over the raw tables with hyparquet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SparkSession } from "../../../src/index.ts";
import { connect, type Dataset, generateDemo, type Rows, readTable, runJob } from "./fixtures.ts";

let spark: SparkSession;
let data: Dataset;
let results: Rows;
let findings: Awaited<ReturnType<typeof runJob>>["run"]["findings"];

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-reference-sql-test");
  data = await generateDemo();
  let run: Awaited<ReturnType<typeof runJob>>["run"];
  ({ results, run } = await runJob(spark, data.dir, "reference-sql"));
  findings = run.findings;
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

describe("reference-sql on a generated demo dataset", () => {
  it("the reference funnel counts the manifest's events, by stage label", () => {
    const gt = data.manifest.groundTruth;
    expect(results.funnel).toEqual([
      { stage: "1. Product views", value: BigInt(gt.events.clickstream.product_view!) },
      { stage: "2. Cart adds", value: BigInt(gt.events.cartAdds) },
      { stage: "3. Payment attempts", value: BigInt(gt.payments.attempts) },
      { stage: "4. Approved payments", value: BigInt(gt.payments.approved) },
    ]);
    const rate = ((gt.payments.approved / gt.payments.attempts) * 100).toFixed(2);
    expect(findings[0]?.text).toBe(
      `By the reference study's definitions: ${gt.payments.approved.toLocaleString("en-US")} approved of ${gt.payments.attempts.toLocaleString("en-US")} payment attempts, a ${rate}% success rate.`,
    );
  });

  it("the reference cross-sell counts repeated views of never-added products by customers who added product 102", async () => {
    const names = new Map(
      (await readTable(data.dir, "products", ["product_id", "name"])).map((p) => [p.product_id as bigint, p.name]),
    );
    const adds = (await readTable(data.dir, "cart_events", ["customer_id", "action", "product_id"])).filter(
      (e) => e.action === "add" && e.customer_id !== null && e.customer_id !== undefined,
    );
    const key = new Set(adds.filter((e) => e.product_id === 102n).map((e) => e.customer_id as bigint));
    const added = new Set(adds.map((e) => `${e.customer_id}|${e.product_id}`));
    const counts = new Map<string, number>();
    for (const v of await readTable(data.dir, "clickstream", ["customer_id", "event_type", "product_id"])) {
      if (v.event_type !== "product_view" || v.product_id === 102n || !key.has(v.customer_id as bigint)) continue;
      if (added.has(`${v.customer_id}|${v.product_id}`)) continue;
      const name = names.get(v.product_id as bigint) as string;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const expected = [...counts.entries()]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, 10)
      .map(([product, n]) => ({ product, times_viewed_not_bought: BigInt(n) }));
    expect(expected).toHaveLength(10);
    expect(results.cross_sell).toEqual(expected);
  });
});
