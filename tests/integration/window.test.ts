/**
 * Window functions through the real server: ranking (row_number, rank, dense_rank, percent_rank, ntile,
 * cume_dist), analytic (lag, lead, first, last, nth_value) and aggregates over windows, with rowsBetween and
 * rangeBetween frames (unbounded, current row, offsets, intervals). Also the broadcast hint on a DataFrame.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Window } from "../../src/connect/dataframe/window.ts";
import { functions as F } from "../../src/connect/functions/index.ts";
import { SparkSession } from "../../src/index.ts";
import { ExpressionProbe } from "./support/expression-probe.ts";

let probe: ExpressionProbe;
beforeAll(async () => {
  probe = ExpressionProbe.open(inject("sparkRemote"));
  await probe.setConf({ "spark.sql.session.timeZone": "UTC" });
});
afterAll(() => probe.close());

// Scores per team; team b has a tie at 20 and a null score.
const SCORES = `SELECT * FROM VALUES
  ('a', 1, 10), ('a', 2, 30), ('a', 3, 20), ('a', 4, 40),
  ('b', 1, 20), ('b', 2, 20), ('b', 3, 5), ('b', 4, NULL)
  AS t(team, day, score)`;

/** Rows keyed "team/day" so assertions do not depend on the server's output order. */
async function byTeamDay(columns: Record<string, ReturnType<typeof F.col>>) {
  const rows = await probe.select(
    [F.col("team"), F.col("day"), ...Object.entries(columns).map(([name, c]) => c.alias(name))],
    SCORES,
  );
  return Object.fromEntries(
    rows.map(({ team, day, ...rest }) => [
      `${team}/${day}`,
      Object.keys(columns).length === 1 ? Object.values(rest)[0] : rest,
    ]),
  );
}

describe("ranking functions", () => {
  const byScore = Window.partitionBy("team").orderBy(F.col("score").desc());

  it("row_number, rank, dense_rank over a descending order (nulls last)", async () => {
    const r = await byTeamDay({
      row_number: F.row_number().over(byScore),
      rank: F.rank().over(byScore),
      dense_rank: F.dense_rank().over(byScore),
    });
    expect(r["a/4"]).toEqual({ row_number: 1, rank: 1, dense_rank: 1 });
    expect(r["a/1"]).toEqual({ row_number: 4, rank: 4, dense_rank: 4 });
    expect([r["b/1"], r["b/2"]].map((x) => (x as { rank: number }).rank)).toEqual([1, 1]);
    expect(r["b/3"]).toEqual({ row_number: 3, rank: 3, dense_rank: 2 });
    expect(r["b/4"]).toEqual({ row_number: 4, rank: 4, dense_rank: 3 });
  });

  it("percent_rank, cume_dist, ntile", async () => {
    const r = await byTeamDay({
      percent_rank: F.percent_rank().over(byScore),
      cume_dist: F.cume_dist().over(byScore),
      ntile: F.ntile(2).over(byScore),
    });
    expect(r["a/4"]).toEqual({ percent_rank: 0, cume_dist: 0.25, ntile: 1 });
    expect(r["a/2"]).toEqual({ percent_rank: 1 / 3, cume_dist: 0.5, ntile: 1 });
    expect(r["a/1"]).toEqual({ percent_rank: 1, cume_dist: 1, ntile: 2 });
    expect(r["b/1"]).toMatchObject({ percent_rank: 0, cume_dist: 0.5 });
  });
});

describe("analytic functions", () => {
  const byDay = Window.partitionBy("team").orderBy("day");

  it("lag and lead with offsets and defaults", async () => {
    const r = await byTeamDay({
      lag: F.lag("score").over(byDay),
      lag2: F.lag("score", 2, -1).over(byDay),
      lead: F.lead("score").over(byDay),
      lead_default: F.lead("score", 1, 0).over(byDay),
    });
    expect(r["a/1"]).toEqual({ lag: null, lag2: -1, lead: 30, lead_default: 30 });
    expect(r["a/3"]).toEqual({ lag: 30, lag2: 10, lead: 40, lead_default: 40 });
    expect(r["a/4"]).toEqual({ lag: 20, lag2: 30, lead: null, lead_default: 0 });
  });

  it("first, last (ignoring nulls), nth_value over explicit frames", async () => {
    const whole = byDay.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing);
    const r = await byTeamDay({
      first: F.first("score").over(whole),
      last: F.last("score").over(whole),
      last_non_null: F.last("score", true).over(whole),
      second: F.nth_value("score", 2).over(whole),
      running_last: F.last("score").over(byDay),
    });
    expect(r["b/1"]).toEqual({ first: 20, last: null, last_non_null: 5, second: 20, running_last: 20 });
    expect(r["a/2"]).toEqual({ first: 10, last: 40, last_non_null: 40, second: 30, running_last: 30 });
  });
});

describe("aggregates over windows and frames", () => {
  const byDay = Window.partitionBy("team").orderBy("day");

  it("running totals (default frame), unbounded rows, sliding rows", async () => {
    const r = await byTeamDay({
      running: F.sum("score").over(byDay),
      total: F.sum("score").over(Window.partitionBy("team")),
      moving: F.avg("score").over(byDay.rowsBetween(-1, 0)),
      centered: F.sum("score").over(byDay.rowsBetween(-1, 1)),
      rest: F.count("score").over(byDay.rowsBetween(Window.currentRow, Window.unboundedFollowing)),
    });
    expect(r["a/1"]).toEqual({ running: 10n, total: 100n, moving: 10, centered: 40n, rest: 4n });
    expect(r["a/3"]).toEqual({ running: 60n, total: 100n, moving: 25, centered: 90n, rest: 2n });
    expect(r["b/4"]).toEqual({ running: 45n, total: 45n, moving: 5, centered: 5n, rest: 0n });
  });

  it("rangeBetween over values, and over an interval on timestamps", async () => {
    const r = await byTeamDay({
      within_10: F.count("*").over(Window.partitionBy("team").orderBy("score").rangeBetween(-10, 0)),
    });
    // team a scores 10,20,30,40: each sees itself and the one 10 below (10 sees only itself)
    expect([r["a/1"], r["a/3"], r["a/2"], r["a/4"]]).toEqual([1n, 2n, 2n, 2n]);
    // team b: the two 20s see each other and the 5? no (5 < 10); the null is its own peer group
    expect([r["b/1"], r["b/2"], r["b/3"], r["b/4"]]).toEqual([2n, 2n, 1n, 1n]);

    const events = `SELECT * FROM VALUES
      (timestamp'2024-01-01 10:00:00', 1), (timestamp'2024-01-01 10:30:00', 2), (timestamp'2024-01-01 12:00:00', 4)
      AS t(ts, v)`;
    const lastHour = Window.orderBy("ts").rangeBetween(F.expr("INTERVAL 1 HOUR").multiply(-1), Window.currentRow);
    const rows = await probe.select([F.col("v"), F.sum("v").over(lastHour).alias("hour_sum")], events);
    expect(Object.fromEntries(rows.map((row) => [row.v, row.hour_sum]))).toEqual({ 1: 1n, 2: 3n, 4: 4n });
  });

  it("a whole-input window (over() with no spec)", async () => {
    const rows = await probe.select([F.col("score"), F.max("score").over().alias("max")], SCORES);
    expect(new Set(rows.map((r) => r.max))).toEqual(new Set([40]));
  });

  it("a window function without over() is refused by the server", async () => {
    await expect(probe.select([F.row_number()], SCORES)).rejects.toThrow(/WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE/);
  });
});

describe("broadcast through the public DataFrame API", () => {
  let spark: SparkSession;
  beforeAll(async () => {
    spark = await SparkSession.builder().remote(inject("sparkRemote")).appName("x-window-test").getOrCreate();
  });
  afterAll(() => spark.stop());

  it("F.broadcast marks the small side: the plan broadcasts it and the join result is right", async () => {
    const big = spark.range(1000).withColumn("k", F.col("id").mod(10));
    const small = spark.range(10).select(F.col("id").alias("k"), F.col("id").multiply(100).alias("w"));
    const joined = big.join(F.broadcast(small), "k");
    const plan = await joined.explain();
    expect(plan).toMatch(/BroadcastHashJoin|BroadcastExchange/);
    const [row] = await joined.agg(F.sum("w").alias("total"), F.count("*").alias("n")).collect();
    expect(row).toEqual({ total: 100n * 4500n, n: 1000n });
  });

  it("window functions work through DataFrame.select", async () => {
    const df = spark.range(5).withColumn("g", F.col("id").mod(2));
    const rows = await df
      .select("id", F.sum("id").over(Window.partitionBy("g").orderBy("id")).alias("running"))
      .orderBy("id")
      .collect();
    expect(rows.map((r) => r.running)).toEqual([0n, 1n, 2n, 4n, 6n]);
  });
});
