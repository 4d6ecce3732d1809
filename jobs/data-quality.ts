/**
 * Job `data-quality`: the audit the reference study needed before trusting its funnel. Each check counts
 * the rows that break one rule (funnel order within a session, orphan references, orders without an approved
 * payment and the reverse, duplicate ids, events outside their session, order arithmetic, attempt numbering,
 * retries after a hard decline) and shows a few offending ids.
 */
import { type Column, type DataFrame, functions as F, Window } from "../src/index.ts";
import type { Finding } from "./job.ts";
import { defineJob } from "./job.ts";
import { words } from "./text.ts";

const EXAMPLES = 5;

export const dataQualityJob = defineJob({
  id: "data-quality",
  title: "Data-quality audit",
  description: "Funnel monotonicity, orphans, orders vs approved payments, duplicate ids, events outside sessions.",
  inputs: [
    { table: "customers", columns: ["customer_id"] },
    { table: "products", columns: ["product_id"] },
    { table: "sessions", columns: ["session_id", "customer_id", "started_at", "ended_at"] },
    { table: "clickstream", columns: ["event_id", "session_id", "ts", "event_type", "product_id"] },
    { table: "cart_events", columns: ["cart_event_id", "session_id", "ts", "action", "product_id"] },
    {
      table: "payment_attempts",
      columns: ["attempt_id", "session_id", "order_id", "attempt_no", "ts", "result", "card_id", "decline_type"],
    },
    { table: "orders", columns: ["order_id", "customer_id", "session_id", "subtotal", "discount", "tax", "total"] },
    { table: "order_lines", columns: ["order_id", "line_no", "product_id", "quantity", "unit_price"] },
  ],
  params: {},
  plan({ input }) {
    const t = {
      customers: input("customers"),
      products: input("products"),
      sessions: input("sessions"),
      clickstream: input("clickstream"),
      cart: input("cart_events"),
      attempts: input("payment_attempts"),
      orders: input("orders"),
      lines: input("order_lines"),
    };
    const checks: DataFrame[] = [
      check("funnel_out_of_order", "sessions", funnelViolations(t.clickstream, t.cart, t.attempts), "session_id"),
      orphan("clickstream", "session_id", t.clickstream, t.sessions, "event_id"),
      orphan("cart_events", "session_id", t.cart, t.sessions, "cart_event_id"),
      orphan("payment_attempts", "session_id", t.attempts, t.sessions, "attempt_id"),
      orphan("clickstream", "product_id", t.clickstream, t.products, "event_id"),
      orphan("cart_events", "product_id", t.cart, t.products, "cart_event_id"),
      orphan("order_lines", "product_id", t.lines, t.products, "order_id"),
      orphan("order_lines", "order_id", t.lines, t.orders, "order_id"),
      orphan("sessions", "customer_id", t.sessions, t.customers, "session_id"),
      orphan("orders", "customer_id", t.orders, t.customers, "order_id"),
      check(
        "order_without_approved_payment",
        "orders",
        t.orders
          .where(F.col("session_id").isNotNull())
          .join(t.attempts.where(F.col("result").eq("approved")), "order_id", "left_anti"),
        "order_id",
      ),
      check(
        "approved_payment_without_order",
        "payment_attempts",
        t.attempts.where(F.col("result").eq("approved")).join(t.orders, "order_id", "left_anti"),
        "attempt_id",
      ),
      check(
        "order_id_on_unapproved_attempt",
        "payment_attempts",
        t.attempts.where(F.col("result").notEqual("approved").and(F.col("order_id").isNotNull())),
        "attempt_id",
      ),
      duplicates("customers", t.customers, ["customer_id"]),
      duplicates("products", t.products, ["product_id"]),
      duplicates("sessions", t.sessions, ["session_id"]),
      duplicates("clickstream", t.clickstream, ["event_id"]),
      duplicates("cart_events", t.cart, ["cart_event_id"]),
      duplicates("payment_attempts", t.attempts, ["attempt_id"]),
      duplicates("orders", t.orders, ["order_id"]),
      duplicates("order_lines", t.lines, ["order_id", "line_no"]),
      outsideSession("clickstream", t.clickstream, t.sessions, "event_id"),
      outsideSession("cart_events", t.cart, t.sessions, "cart_event_id"),
      outsideSession("payment_attempts", t.attempts, t.sessions, "attempt_id"),
      check(
        "order_total_mismatch",
        "orders",
        t.orders.where(F.col("total").notEqual(F.col("subtotal").minus(F.col("discount")).plus(F.col("tax")))),
        "order_id",
      ),
      check("order_subtotal_mismatch", "orders", subtotalMismatches(t.orders, t.lines), "order_id"),
      check("attempt_numbers_not_contiguous", "payment_attempts", attemptGaps(t.attempts), "session_id"),
      check("retry_after_hard_decline", "payment_attempts", retriesAfterHardDecline(t.attempts), "attempt_id"),
    ];
    const all = checks.slice(1).reduce((acc, df) => acc.unionByName(df), checks[0]!);
    return { checks: { title: "Data-quality checks", frame: all, display: 40 } };
  },
  findings(results) {
    const rows = results.checks ?? [];
    const failing = rows.filter((r) => BigInt(r.violations as bigint) > 0n);
    const out: Finding[] = [];
    out.push({
      id: "checks_passed",
      text:
        failing.length === 0
          ? words`All ${rows.length} data-quality checks pass: the funnel is coherent, every reference resolves, ids are unique.`
          : words`${failing.length} of ${rows.length} data-quality checks fail: ${failing.map((r) => words`${r.check} on ${r.table} (${r.violations})`).join(", ")}.`,
      values: Object.fromEntries(rows.map((r) => [`${r.check}:${r.table}`, r.violations])),
    });
    return out;
  },
});

/** One check's result row: name, table, number of violating rows and a few of their ids. */
function check(name: string, table: string, violating: DataFrame, idColumn: string): DataFrame {
  return violating.agg(
    F.lit(name).alias("check"),
    F.lit(table).alias("table"),
    F.count(F.lit(1)).alias("violations"),
    F.slice(F.array_sort(F.collect_list(F.col(idColumn).cast("string"))), 1, EXAMPLES).alias("examples"),
  );
}

/** Rows of `child` whose non-null `key` has no row in `parent`. */
function orphan(table: string, key: string, child: DataFrame, parent: DataFrame, idColumn: string): DataFrame {
  const orphans = child.where(F.col(key).isNotNull()).join(parent.select(key).distinct(), key, "left_anti");
  return check(`orphan_${key}`, table, orphans, idColumn);
}

/** Key values that occur more than once. */
function duplicates(table: string, df: DataFrame, keys: readonly string[]): DataFrame {
  const repeated = df
    .groupBy(...keys)
    .agg(F.count(F.lit(1)).alias("n"))
    .where(F.col("n").gt(1))
    .select(F.concat_ws("/", ...keys.map((k) => F.col(k).cast("string"))).alias("id"));
  return check("duplicate_id", table, repeated, "id");
}

/** Events whose time lies outside [started_at, ended_at] of their session. */
function outsideSession(table: string, events: DataFrame, sessions: DataFrame, idColumn: string): DataFrame {
  const outside = events
    .select(idColumn, "session_id", "ts")
    .join(sessions.select("session_id", "started_at", "ended_at"), "session_id")
    .where(
      F.col("ts")
        .lt(F.col("started_at"))
        .or(F.col("ts").gt(F.col("ended_at"))),
    );
  return check("event_outside_session", table, outside, idColumn);
}

/** Sessions with a later funnel stage but not the one before it (counts that increase down the funnel). */
function funnelViolations(clickstream: DataFrame, cart: DataFrame, attempts: DataFrame): DataFrame {
  const flag = (df: DataFrame, stage: Column) => df.select(F.col("session_id"), stage.alias("stage"));
  const stages = flag(
    clickstream.where(F.col("event_type").isin("product_view", "begin_checkout")),
    F.when(F.col("event_type").eq("product_view"), F.lit(1)).otherwise(F.lit(3)),
  )
    .unionByName(flag(cart.where(F.col("action").eq("add")), F.lit(2)))
    .unionByName(flag(attempts, F.lit(4)));
  const counts = stages
    .groupBy("session_id")
    .agg(...[1, 2, 3, 4].map((k) => F.count_if(F.col("stage").eq(k)).alias(`s${k}`)));
  return counts.where(
    F.col("s2")
      .gt(0)
      .and(F.col("s1").eq(0))
      .or(F.col("s3").gt(0).and(F.col("s2").eq(0)))
      .or(F.col("s4").gt(0).and(F.col("s3").eq(0))),
  );
}

/** Orders whose subtotal differs from the sum of quantity × unit_price over their lines. */
function subtotalMismatches(orders: DataFrame, lines: DataFrame): DataFrame {
  const sums = lines
    .groupBy("order_id")
    .agg(F.sum(F.col("quantity").multiply(F.col("unit_price"))).alias("line_total"));
  return orders
    .join(sums, "order_id", "left")
    .where(F.coalesce(F.col("line_total"), F.lit(0)).notEqual(F.col("subtotal")));
}

/** Sessions whose attempt numbers are not exactly 1..n. */
function attemptGaps(attempts: DataFrame): DataFrame {
  return attempts
    .groupBy("session_id")
    .agg(
      F.count(F.lit(1)).alias("n"),
      F.min("attempt_no").alias("lo"),
      F.max("attempt_no").alias("hi"),
      F.count_distinct("attempt_no").alias("distinct_numbers"),
    )
    .where(
      F.col("lo")
        .notEqual(1)
        .or(F.col("hi").notEqual(F.col("n")))
        .or(F.col("distinct_numbers").notEqual(F.col("n"))),
    );
}

/** Attempts made on a card after that card got a hard decline earlier in the same session. */
function retriesAfterHardDecline(attempts: DataFrame): DataFrame {
  const earlier = Window.partitionBy("session_id", "card_id")
    .orderBy("attempt_no")
    .rowsBetween(Window.unboundedPreceding, -1);
  return attempts
    .where(F.col("card_id").isNotNull())
    .withColumn("hard_before", F.max(F.col("decline_type").eq("hard")).over(earlier))
    .where(F.coalesce(F.col("hard_before"), F.lit(false)));
}
