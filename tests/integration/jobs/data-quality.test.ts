/**
 * Job `data-quality`: every check passes (zero violations, no examples) on clean generated data, and on a copy
 * with one planted defect per check (written with Spark: a duplicated order, a wrong total, a dropped order, an
 * unknown customer, an order id on a declined attempt, an attempt outside its session, a numbering gap, a retry
 * after a hard decline, an orphan event, a duplicated event, a cart add without its view) each check counts
 * exactly the rows planted for it and names them, while every other check stays at zero.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { F, type SparkSession } from "../../../src/index.ts";
import { connect, copyDataset, type DataRow, type Dataset, generateDemo, readTable, runJob } from "./fixtures.ts";

/** Every check of the job, in its order, as check/table. */
const CHECKS = [
  "funnel_out_of_order/sessions",
  "orphan_session_id/clickstream",
  "orphan_session_id/cart_events",
  "orphan_session_id/payment_attempts",
  "orphan_product_id/clickstream",
  "orphan_product_id/cart_events",
  "orphan_product_id/order_lines",
  "orphan_order_id/order_lines",
  "orphan_customer_id/sessions",
  "orphan_customer_id/orders",
  "order_without_approved_payment/orders",
  "approved_payment_without_order/payment_attempts",
  "order_id_on_unapproved_attempt/payment_attempts",
  "duplicate_id/customers",
  "duplicate_id/products",
  "duplicate_id/sessions",
  "duplicate_id/clickstream",
  "duplicate_id/cart_events",
  "duplicate_id/payment_attempts",
  "duplicate_id/orders",
  "duplicate_id/order_lines",
  "event_outside_session/clickstream",
  "event_outside_session/cart_events",
  "event_outside_session/payment_attempts",
  "order_total_mismatch/orders",
  "order_subtotal_mismatch/orders",
  "attempt_numbers_not_contiguous/payment_attempts",
  "retry_after_hard_decline/payment_attempts",
];

let spark: SparkSession;
let data: Dataset;

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-data-quality-test");
  data = await generateDemo();
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

describe("data-quality", () => {
  it("passes every check on clean generated data", async () => {
    const { results, run } = await runJob(spark, data.dir, "data-quality");
    expect(results.checks).toEqual(
      CHECKS.map((c) => {
        const [check, table] = c.split("/");
        return { check, table, violations: 0n, examples: [] };
      }),
    );
    expect(run.findings[0]?.text).toBe(
      `All ${CHECKS.length} data-quality checks pass: the funnel is coherent, every reference resolves, ids are unique.`,
    );
  });

  it("counts and names exactly the defects planted in a corrupted copy", async () => {
    const attempts = await readTable(data.dir, "payment_attempts", [
      "attempt_id",
      "session_id",
      "order_id",
      "attempt_no",
      "result",
      "decline_type",
      "card_id",
    ]);
    const orders = (await readTable(data.dir, "orders", ["order_id", "session_id"])).filter(
      (o) => o.session_id !== null && o.session_id !== undefined,
    );
    const lines = await readTable(data.dir, "order_lines", ["order_id"]);
    const carts = await readTable(data.dir, "cart_events", ["session_id", "action"]);
    const clicks = await readTable(data.dir, "clickstream", ["event_id", "session_id"]);
    const sessions = await readTable(data.dir, "sessions", ["session_id", "customer_id"]);

    // Every defect goes to a session of its own, so that no check sees two of them.
    const used = new Set<bigint>();
    const take = <T extends DataRow>(rows: T[], ok: (r: T) => boolean, session = (r: T) => r.session_id as bigint) => {
      const row = rows.find((r) => ok(r) && !used.has(session(r)));
      if (!row) throw new Error("the demo data has no row for a planted defect");
      used.add(session(row));
      return row;
    };
    const attemptsOf = (s: bigint) => attempts.filter((a) => a.session_id === s);
    const order = () => take(orders, () => true).order_id as bigint;
    const [duplicated, wrongTotal, dropped, unknownBuyer, unapproved] = [order(), order(), order(), order(), order()];
    const declinedWithOrder = take(attempts, (a) => a.result === "declined").attempt_id as bigint;
    const early = take(attempts, () => true).attempt_id as bigint;
    const gapSession = take(attempts, (a) => attemptsOf(a.session_id as bigint).length === 1).session_id as bigint;
    const hard = take(attempts, (a) => a.decline_type === "hard" && a.card_id !== null);
    const hardSession = hard.session_id as bigint;
    const retryId = hardSession * 1000n + 999n;
    const retryNo = Math.max(...attemptsOf(hardSession).map((a) => a.attempt_no as number)) + 1;
    const viewless = take(carts, (c) => c.action === "add").session_id as bigint;
    const duplicatedEvent = take(clicks, () => true).event_id as bigint;
    const strangerSession = take(sessions, (s) => s.customer_id !== null && s.customer_id !== undefined)
      .session_id as bigint;
    const droppedApproved = attempts.find((a) => a.order_id === dropped)!.attempt_id as bigint;
    const droppedLines = lines.filter((l) => l.order_id === dropped).length;
    expect(droppedLines).toBeGreaterThan(0);

    const read = (t: string) => spark.read.parquet(`${data.dir}/${t}`);
    const id = (c: string, v: bigint) => F.col(c).eq(F.lit(v));
    const o = read("orders");
    const badOrders = o
      .where(id("order_id", dropped).not())
      .withColumns({
        total: F.when(id("order_id", wrongTotal), F.col("total").plus(F.lit(0.01)))
          .otherwise(F.col("total"))
          .cast("decimal(12,2)"),
        customer_id: F.when(id("order_id", unknownBuyer), F.lit(999_999_999n)).otherwise(F.col("customer_id")),
      })
      .unionByName(o.where(id("order_id", duplicated)));
    const p = read("payment_attempts");
    const approvedOf = (orderId: bigint) => id("order_id", orderId).and(F.col("result").eq("approved"));
    const badAttempts = p
      .withColumns({
        result: F.when(approvedOf(unapproved), F.lit("declined")).otherwise(F.col("result")),
        order_id: F.when(id("attempt_id", declinedWithOrder), F.col("session_id"))
          .when(approvedOf(unapproved), F.lit(null).cast("bigint"))
          .otherwise(F.col("order_id")),
        ts: F.when(
          id("attempt_id", early),
          F.timestamp_micros(F.unix_micros(F.col("ts")).minus(86_400_000_000n)),
        ).otherwise(F.col("ts")),
        attempt_no: F.when(id("session_id", gapSession), F.lit(2)).otherwise(F.col("attempt_no")),
      })
      .unionByName(
        p.where(id("attempt_id", hard.attempt_id as bigint)).withColumns({
          attempt_id: F.lit(retryId),
          attempt_no: F.lit(retryNo),
          decline_type: F.lit("soft"),
          decline_code: F.lit("do_not_honor"),
        }),
      );
    const c = read("clickstream");
    const badClicks = c
      .where(id("session_id", viewless).and(F.col("event_type").eq("product_view")).not())
      .unionByName(c.where(id("event_id", duplicatedEvent)))
      .unionByName(
        c.where(id("event_id", duplicatedEvent)).withColumns({
          event_id: F.lit(888_888_888_001n),
          session_id: F.lit(888_888_888n),
          event_type: F.lit("page_view"),
          product_id: F.lit(99_999n),
        }),
      );
    const badSessions = read("sessions").withColumn(
      "customer_id",
      F.when(id("session_id", strangerSession), F.lit(777_777_777n)).otherwise(F.col("customer_id")),
    );
    const corrupted = data.scratch("corrupted");
    await copyDataset(data.dir, corrupted, {
      orders: badOrders,
      payment_attempts: badAttempts,
      clickstream: badClicks,
      sessions: badSessions,
    });

    const { results, run } = await runJob(spark, corrupted, "data-quality");
    const s = (...ids: bigint[]) => ids.map(String);
    const planted: Record<string, [number, string[]]> = {
      "funnel_out_of_order/sessions": [1, s(viewless)],
      "orphan_session_id/clickstream": [1, ["888888888001"]],
      "orphan_product_id/clickstream": [1, ["888888888001"]],
      "orphan_order_id/order_lines": [droppedLines, Array(Math.min(droppedLines, 5)).fill(String(dropped))],
      "orphan_customer_id/sessions": [1, s(strangerSession)],
      "orphan_customer_id/orders": [1, s(unknownBuyer)],
      "order_without_approved_payment/orders": [1, s(unapproved)],
      "approved_payment_without_order/payment_attempts": [1, s(droppedApproved)],
      "order_id_on_unapproved_attempt/payment_attempts": [1, s(declinedWithOrder)],
      "duplicate_id/clickstream": [1, s(duplicatedEvent)],
      "duplicate_id/orders": [1, s(duplicated)],
      "event_outside_session/payment_attempts": [1, s(early)],
      "order_total_mismatch/orders": [1, s(wrongTotal)],
      "attempt_numbers_not_contiguous/payment_attempts": [1, s(gapSession)],
      "retry_after_hard_decline/payment_attempts": [1, s(retryId)],
    };
    expect(results.checks).toEqual(
      CHECKS.map((key) => {
        const [check, table] = key.split("/");
        const [violations, examples] = planted[key] ?? [0, []];
        return { check, table, violations: BigInt(violations), examples };
      }),
    );
    expect(run.findings[0]?.text).toMatch(
      new RegExp(`^${Object.keys(planted).length} of ${CHECKS.length} data-quality checks fail: funnel_out_of_order`),
    );
  });
});
