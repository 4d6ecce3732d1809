/**
 * An empty date range: every analysis job on data filtered to a period without activity (no sessions, events
 * or orders; the catalog and customers remain) finishes without error, writes its result files, and reports
 * zero counts or empty tables instead of dividing by zero.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TableName } from "../../../generators/index.ts";
import { selectJobs } from "../../../jobs/registry.ts";
import { type JobRun, runJobs } from "../../../jobs/runner.ts";
import { type DataFrame, F, type SparkSession } from "../../../src/index.ts";
import { connect, copyDataset, type Dataset, generateDemo, plain } from "./fixtures.ts";

const ANALYSES = [
  "funnel",
  "payment-failures",
  "cross-sell",
  "aov-daily",
  "channel-growth",
  "data-quality",
  "reference-sql",
];

let spark: SparkSession;
let data: Dataset;
let out: string;
let runs: Map<string, JobRun>;

const rows = (job: string, result: string) =>
  plain(runs.get(job)?.results.find((r) => r.name === result)?.rows ?? undefined);

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-empty-range-test");
  data = await generateDemo({ sessions: 2_000 });
  const read = (t: TableName) => spark.read.parquet(join(data.dir, t));
  // The range 2030-01-01 onwards: after the whole generated window.
  const from = F.lit("2030-01-01 00:00:00").cast("timestamp");
  const inRange = (t: TableName, column: string) => read(t).where(F.col(column).geq(from));
  const sessions = inRange("sessions", "started_at");
  const orders = inRange("orders", "ordered_at");
  const replace: Partial<Record<TableName, DataFrame>> = {
    sessions,
    clickstream: inRange("clickstream", "ts"),
    cart_events: inRange("cart_events", "ts"),
    payment_attempts: inRange("payment_attempts", "ts"),
    orders,
    order_lines: read("order_lines").join(orders.select("order_id"), "order_id", "left_semi"),
    session_truth: read("session_truth").join(sessions.select("session_id"), "session_id", "left_semi"),
  };
  const empty = data.scratch("empty");
  await copyDataset(data.dir, empty, replace);
  for (const t of Object.keys(replace)) expect(await spark.read.parquet(join(empty, t)).count()).toBe(0n);
  out = data.scratch("results");
  const done = await runJobs({ spark, dataDir: empty, jobs: selectJobs(ANALYSES), outDir: out });
  runs = new Map(done.map((r) => [r.job.id, r]));
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

describe("every analysis job on an empty date range", () => {
  it("runs to the end and writes every result table", () => {
    expect([...runs.keys()]).toEqual(ANALYSES);
    for (const run of runs.values()) {
      expect(run.outputPath).toBe(join(out, run.job.id));
      for (const r of run.results) {
        expect(existsSync(join(out, run.job.id, `${r.name}.parquet`)), `${run.job.id}/${r.name}`).toBe(true);
      }
    }
  });

  it("funnel: zero counts, no ratios, empty breakdowns", () => {
    expect(rows("funnel", "reference_counts").map((r) => [r.count, r.pct_of_first, r.monotonic])).toEqual(
      Array(4).fill([0n, null, true]),
    );
    expect(rows("funnel", "session_funnel").map((r) => [r.sessions, r.conversion_from_previous_pct])).toEqual(
      Array(5).fill([0n, null]),
    );
    expect(rows("funnel", "time_to_convert").map((r) => [r.sessions, r.median_seconds, r.p90_seconds])).toEqual(
      Array(4).fill([0n, null, null]),
    );
    for (const dim of ["channel", "device", "country"]) expect(rows("funnel", `by_${dim}`)).toEqual([]);
  });

  it("payment-failures: a zero summary and empty breakdowns", () => {
    expect(rows("payment-failures", "summary")).toEqual([
      {
        attempts: 0n,
        approved: 0n,
        failed: 0n,
        attempt_success_pct: null,
        attempt_failure_pct: null,
        checkouts: 0n,
        paid_checkouts: 0n,
        lost_checkouts: 0n,
        checkout_success_pct: null,
        attempts_per_checkout: null,
        revenue_at_risk: "0.00",
      },
    ]);
    for (const r of runs.get("payment-failures")!.results) {
      if (r.name !== "summary") expect(r.rows, r.name).toEqual([]);
    }
  });

  it("cross-sell: the anchor exists but has no buyers and no opportunities", () => {
    expect(rows("cross-sell", "anchor")).toEqual([
      { product_id: 102n, name: "Mineral Water", category: "Beverages", buyers: 0n },
    ]);
    expect(rows("cross-sell", "opportunities")).toEqual([]);
    expect(runs.get("cross-sell")!.findings[0]?.text).toBe(
      "0 customers bought Mineral Water; none of them viewed another product without buying it.",
    );
  });

  it("aov-daily and channel-growth: empty tables and findings that say so", () => {
    expect(rows("aov-daily", "by_channel")).toEqual([]);
    expect(rows("aov-daily", "daily")).toEqual([]);
    expect(runs.get("aov-daily")!.findings).toEqual([{ id: "no_orders", text: "There are no orders in the data." }]);
    expect(rows("channel-growth", "monthly")).toEqual([]);
    expect(runs.get("channel-growth")!.findings[0]?.id).toBe("growth");
  });

  it("data-quality: every check at zero; reference-sql: zero stage counts and no cross-sell rows", () => {
    const checks = rows("data-quality", "checks");
    expect(checks).toHaveLength(28);
    expect(checks.every((r) => r.violations === 0n)).toBe(true);
    expect(rows("reference-sql", "funnel").map((r) => r.value)).toEqual([0n, 0n, 0n, 0n]);
    expect(rows("reference-sql", "cross_sell")).toEqual([]);
  });
});
