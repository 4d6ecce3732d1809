/**
 * Job `payment-failures`: where and why payments fail. Attempt-level failure (each authorisation) and
 * checkout-level failure (did the customer pay in the end, after retries and method switches), broken down
 * by gateway, method, card brand, device, channel, hour and decline code; segments ranked by the failures
 * they cause beyond the overall rate, the top cause named, and the revenue at risk of lost checkouts.
 */
import { type Column, type DataFrame, functions as F, Window } from "../src/index.ts";
import type { Finding } from "./job.ts";
import { defineJob } from "./job.ts";
import { percent } from "./metrics.ts";
import { words } from "./text.ts";

/** Single attributes of an attempt that a failure can be broken down by. */
const DIMENSIONS = ["gateway", "method", "card_brand", "device", "channel", "hour"] as const;

/** Segments ranked for the top cause: each single attribute and the pairs where infrastructure meets traffic. */
const SEGMENTS: ReadonlyArray<readonly string[]> = [
  ...DIMENSIONS.map((d) => [d]),
  ["gateway", "channel"],
  ["gateway", "device"],
  ["gateway", "method"],
  ["method", "channel"],
];

export const paymentFailuresJob = defineJob({
  id: "payment-failures",
  title: "Payment failures",
  description: "Attempt- and checkout-level payment failure by segment, the top cause and the revenue at risk.",
  inputs: [
    {
      table: "payment_attempts",
      columns: [
        "session_id",
        "attempt_no",
        "ts",
        "channel",
        "device",
        "gateway",
        "method",
        "card_brand",
        "amount",
        "result",
        "decline_code",
      ],
    },
  ],
  params: {
    top: { type: "integer", description: "How many ranked segments to keep.", default: 15, min: 1, max: 1000 },
  },
  async plan({ input, params, persist }) {
    // Every result reads the attempts, and most the per-checkout outcomes (a window over attempts): cache both.
    const attempts = await persist(input("payment_attempts").withColumn("hour", F.hour("ts")));
    const checkouts = await persist(checkoutOutcomes(attempts));
    return {
      summary: { title: "Payment attempts and checkouts", frame: summary(attempts, checkouts) },
      by_result: { title: "Attempts by result", frame: byResult(attempts) },
      ...Object.fromEntries(
        DIMENSIONS.map((d) => [
          `by_${d}`,
          { title: `Failure by ${d}`, frame: failureBy(attempts, checkouts, [d]), display: 24 },
        ]),
      ),
      by_gateway_channel: {
        title: "Failure by gateway × channel",
        frame: failureBy(attempts, checkouts, ["gateway", "channel"]),
        display: 24,
      },
      by_decline_code: { title: "Declines by issuer code", frame: byDeclineCode(attempts) },
      segments: { title: "Segments ranked by excess failures", frame: rankedSegments(attempts, checkouts, params.top) },
    };
  },
  findings(results) {
    const out: Finding[] = [];
    const s = results.summary?.[0];
    if (s) {
      out.push({
        id: "attempt_success",
        text: words`${s.approved} of ${s.attempts} payment attempts were approved (${s.attempt_success_pct}%): ${s.attempt_failure_pct}% failed.`,
        values: { attempts: s.attempts, approved: s.approved, success_pct: s.attempt_success_pct },
      });
      out.push({
        id: "checkout_success",
        text: words`Per checkout the picture is different: ${s.paid_checkouts} of ${s.checkouts} checkouts ended paid (${s.checkout_success_pct}%) after ${s.attempts_per_checkout} attempts on average; ${s.lost_checkouts} were lost, ${s.revenue_at_risk} of revenue at risk.`,
        values: {
          checkouts: s.checkouts,
          paid: s.paid_checkouts,
          lost: s.lost_checkouts,
          revenue_at_risk: s.revenue_at_risk,
        },
      });
    }
    const top = results.segments?.[0];
    if (top) {
      out.push({
        id: "top_cause",
        text: words`Top cause: ${top.segment} (${top.dimension}). ${top.failure_pct}% of its ${top.attempts} attempts fail, mostly by ${top.main_failure}; it accounts for ${top.excess_failures} failures beyond the overall rate and ${top.lost_checkouts} lost checkouts (${top.lost_revenue}).`,
        values: { ...top },
      });
    }
    return out;
  },
});

const failed = (): Column => F.col("result").notEqual("approved");

/** One row per checkout (session with attempts): paid or not, attempts, and the last attempt's attributes. */
export function checkoutOutcomes(attempts: DataFrame): DataFrame {
  const lastFirst = Window.partitionBy("session_id").orderBy(F.col("attempt_no").desc());
  return attempts
    .withColumn("rank", F.row_number().over(lastFirst))
    .withColumn("paid", F.max(F.col("result").eq("approved")).over(Window.partitionBy("session_id")))
    .withColumn("attempts", F.count(F.lit(1)).over(Window.partitionBy("session_id")))
    .where(F.col("rank").eq(1))
    .drop("rank");
}

function summary(attempts: DataFrame, checkouts: DataFrame): DataFrame {
  const a = attempts.agg(
    F.count(F.lit(1)).alias("attempts"),
    F.count_if(F.col("result").eq("approved")).alias("approved"),
  );
  const c = checkouts.agg(
    F.count(F.lit(1)).alias("checkouts"),
    F.count_if(F.col("paid")).alias("paid_checkouts"),
    F.count_if(F.col("paid").not()).alias("lost_checkouts"),
    F.coalesce(F.sum(F.when(F.col("paid").not(), F.col("amount"))), F.lit(0).cast("decimal(22,2)")).alias(
      "revenue_at_risk",
    ),
  );
  return a.crossJoin(c).select(
    "attempts",
    "approved",
    F.col("attempts").minus(F.col("approved")).alias("failed"),
    percent(F.col("approved"), F.col("attempts")).alias("attempt_success_pct"),
    percent(F.col("attempts").minus(F.col("approved")), F.col("attempts")).alias("attempt_failure_pct"),
    "checkouts",
    "paid_checkouts",
    "lost_checkouts",
    percent(F.col("paid_checkouts"), F.col("checkouts")).alias("checkout_success_pct"),
    // try_divide: no checkouts (an empty date range) gives null, where ANSI division would fail the job.
    F.round(F.try_divide(F.col("attempts"), F.col("checkouts")), 2).alias("attempts_per_checkout"),
    "revenue_at_risk",
  );
}

function byResult(attempts: DataFrame): DataFrame {
  return attempts
    .groupBy("result")
    .agg(F.count(F.lit(1)).alias("attempts"))
    .withColumn("share_pct", percent(F.col("attempts"), F.sum("attempts").over(Window.partitionBy())))
    .orderBy(F.col("attempts").desc());
}

/** Attempts, failures and lost checkouts for each value of the given attributes. */
export function failureBy(attempts: DataFrame, checkouts: DataFrame, dims: readonly string[]): DataFrame {
  const attemptStats = attempts
    .groupBy(...dims)
    .agg(
      F.count(F.lit(1)).alias("attempts"),
      F.count_if(failed()).alias("failed"),
      F.count_if(F.col("result").eq("declined")).alias("declined"),
      F.count_if(F.col("result").eq("error")).alias("errors"),
      F.count_if(F.col("result").eq("timeout")).alias("timeouts"),
    );
  // A lost checkout is charged to the segment of its last attempt: where the customer gave up.
  const lost = checkouts
    .where(F.col("paid").not())
    .groupBy(...dims)
    .agg(F.count(F.lit(1)).alias("lost_checkouts"), F.sum("amount").alias("lost_revenue"));
  // Null-safe keys: PayPal attempts have no card brand, and their lost checkouts must not drop out of the join.
  const sameSegment = dims.map((d) => F.col(`s.${d}`).eqNullSafe(F.col(`l.${d}`)));
  return attemptStats
    .alias("s")
    .join(lost.alias("l"), sameSegment, "left")
    .select(
      ...dims.map((d) => F.col(`s.${d}`).alias(d)),
      F.col("attempts"),
      F.col("failed"),
      percent(F.col("failed"), F.col("attempts")).alias("failure_pct"),
      F.col("declined"),
      F.col("errors"),
      F.col("timeouts"),
      F.coalesce(F.col("lost_checkouts"), F.lit(0n)).alias("lost_checkouts"),
      F.coalesce(F.col("lost_revenue"), F.lit(0).cast("decimal(22,2)")).alias("lost_revenue"),
    )
    .orderBy(...dims.map((d) => F.col(d).asc_nulls_last()));
}

function byDeclineCode(attempts: DataFrame): DataFrame {
  return attempts
    .where(F.col("result").eq("declined"))
    .groupBy("decline_code")
    .agg(F.count(F.lit(1)).alias("declines"))
    .withColumn("share_pct", percent(F.col("declines"), F.sum("declines").over(Window.partitionBy())))
    .orderBy(F.col("declines").desc(), F.col("decline_code"));
}

/**
 * Every segment (single attributes and chosen pairs) with its excess failures: failures beyond what the
 * overall failure rate predicts for its number of attempts. The largest excess is the top cause.
 */
export function rankedSegments(attempts: DataFrame, checkouts: DataFrame, top: number): DataFrame {
  const overall = attempts.agg(F.try_divide(F.count_if(failed()), F.count(F.lit(1))).alias("overall_failure_rate"));
  const segments = SEGMENTS.map((dims) =>
    failureBy(attempts, checkouts, dims).select(
      F.lit(dims.join(" × ")).alias("dimension"),
      F.concat_ws(" × ", ...dims.map((d) => F.coalesce(F.col(d).cast("string"), F.lit("none")))).alias("segment"),
      "attempts",
      "failed",
      "failure_pct",
      "declined",
      "errors",
      "timeouts",
      "lost_checkouts",
      "lost_revenue",
    ),
  );
  const all = segments.slice(1).reduce((acc, df) => acc.unionByName(df), segments[0]!);
  const mainFailure = F.when(F.col("timeouts").geq(F.greatest(F.col("declined"), F.col("errors"))), F.lit("timeout"))
    .when(F.col("errors").geq(F.col("declined")), F.lit("error"))
    .otherwise(F.lit("declined"));
  return all
    .crossJoin(overall)
    .withColumn(
      "excess_failures",
      F.round(F.col("failed").minus(F.col("attempts").multiply(F.col("overall_failure_rate"))), 0).cast("bigint"),
    )
    .withColumn("main_failure", mainFailure)
    .drop("overall_failure_rate")
    .orderBy(F.col("excess_failures").desc(), F.col("dimension"), F.col("segment"))
    .limit(top);
}
