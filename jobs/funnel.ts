/**
 * Job `funnel`: why don't visitors buy? Two views of the same world.
 * (a) The reference study's stage counts with its exact definitions (product views, cart adds, payment
 *     attempts, approved payments), one pass per table, flagged when the counts are not monotonic: the
 *     reference's funnel was upside down because it counted events of independent tables.
 * (b) The correct session funnel: product view → cart add → begin checkout → payment attempt → purchase,
 *     in (ts, seq) order within a conversion window measured from the entry view, per-step conversion and
 *     drop-off, time to convert, and breakdowns by channel, device and country.
 */
import { type Column, type DataFrame, functions as F, Window } from "../src/index.ts";
import { defineJob } from "./job.ts";
import { percent } from "./metrics.ts";
import { words } from "./text.ts";

/** Funnel steps in order; index + 1 is the step number (the level a session reaches). */
export const FUNNEL_STEPS = ["product_view", "cart_add", "begin_checkout", "payment_attempt", "purchase"] as const;

const BREAKDOWNS = ["channel", "device", "country"] as const;

export const funnelJob = defineJob({
  id: "funnel",
  title: "Checkout funnel",
  description:
    "Reference stage counts beside the ordered session funnel, with conversion, drop-off and time to convert.",
  inputs: [
    { table: "sessions", columns: ["session_id", "channel", "device", "country"] },
    { table: "clickstream", columns: ["session_id", "seq", "ts", "event_type"] },
    { table: "cart_events", columns: ["session_id", "seq", "ts", "action"] },
    { table: "payment_attempts", columns: ["session_id", "seq", "ts", "result"] },
  ],
  params: {
    window_minutes: {
      type: "integer",
      description: "Conversion window, measured from the entry product view, in minutes.",
      default: 1440,
      min: 1,
      max: 525_600,
    },
  },
  async plan({ input, params, persist }) {
    const reference = referenceStageCounts(input("clickstream"), input("cart_events"), input("payment_attempts"));
    const levels = sessionLevels(
      input("clickstream"),
      input("cart_events"),
      input("payment_attempts"),
      params.window_minutes,
    );
    // Five results read the per-session levels: computed once, then cached.
    const sessions = await persist(
      input("sessions")
        .select("session_id", "channel", "device", "country")
        .join(levels, "session_id", "left")
        .withColumn("level", F.coalesce(F.col("level"), F.lit(0))),
    );
    return {
      reference_counts: { title: "Reference study's event-count funnel", frame: reference },
      session_funnel: { title: "Session funnel (ordered, within the window)", frame: stepTable(sessions) },
      time_to_convert: { title: "Time from entry view to each step (seconds)", frame: timeToConvert(sessions) },
      ...Object.fromEntries(
        BREAKDOWNS.map((dim) => [
          `by_${dim}`,
          { title: `Session funnel by ${dim}`, frame: breakdown(sessions, dim), display: 25 },
        ]),
      ),
    };
  },
  findings(results) {
    const reference = results.reference_counts ?? [];
    const steps = results.session_funnel ?? [];
    const out = [];
    const inversions = reference.filter((r) => r.monotonic === false);
    out.push({
      id: "reference_monotonic",
      text:
        inversions.length > 0
          ? words`The event-count funnel is not monotonic: ${inversions.map((r) => words`${r.stage} (${r.count}) exceeds the stage before it`).join("; ")}. Counting events of separate tables is not a funnel.`
          : "The event-count funnel is monotonic: each stage counts no more events than the one before it.",
      values: Object.fromEntries(reference.map((r) => [String(r.stage), r.count])),
    });
    const worst = [...steps.slice(1)].sort(
      (a, b) => Number(a.conversion_from_previous_pct) - Number(b.conversion_from_previous_pct),
    )[0];
    if (worst) {
      out.push({
        id: "largest_drop",
        text: words`The largest drop in the session funnel is into ${worst.step_name}: only ${worst.conversion_from_previous_pct}% of sessions that reached the previous step get there (${worst.dropped_sessions} sessions lost).`,
        values: {
          step: worst.step_name,
          conversion_pct: worst.conversion_from_previous_pct,
          dropped: worst.dropped_sessions,
        },
      });
    }
    const first = steps[0];
    const last = steps[steps.length - 1];
    if (first && last) {
      out.push({
        id: "overall_conversion",
        text: words`${last.sessions} of ${first.sessions} sessions that viewed a product bought (${last.conversion_from_first_pct}%).`,
        values: { viewed: first.sessions, purchased: last.sessions, pct: last.conversion_from_first_pct },
      });
    }
    return out;
  },
});

/** The reference study's four stage counts, each table scanned once, as rows with ratios and a monotonic flag. */
export function referenceStageCounts(clickstream: DataFrame, cartEvents: DataFrame, payments: DataFrame): DataFrame {
  const views = clickstream.agg(F.count_if(F.col("event_type").eq("product_view")).alias("product_views"));
  const adds = cartEvents.agg(F.count_if(F.col("action").eq("add")).alias("cart_adds"));
  const attempts = payments.agg(
    F.count(F.lit(1)).alias("payment_attempts"),
    F.count_if(F.col("result").eq("approved")).alias("approved_payments"),
  );
  const stages: Array<[string, string]> = [
    ["product_views", "product views"],
    ["cart_adds", "cart adds"],
    ["payment_attempts", "payment attempts"],
    ["approved_payments", "approved payments"],
  ];
  return stepRows(views.crossJoin(adds).crossJoin(attempts), stages, "stage", "count")
    .select(
      "step",
      "stage",
      "count",
      percent(F.col("count"), F.col("first")).alias("pct_of_first"),
      percent(F.col("count"), F.col("previous")).alias("pct_of_previous"),
      F.col("previous")
        .isNull()
        .or(F.col("count").leq(F.col("previous")))
        .alias("monotonic"),
    )
    .orderBy("step");
}

/**
 * Turns a one-row frame of stage counts into one row per stage: `step` (1…n), the stage label, its value,
 * and the values of the previous and the first stage, for conversion ratios.
 */
function stepRows(
  counts: DataFrame,
  stages: ReadonlyArray<[column: string, label: string]>,
  labelName: string,
  valueName: string,
): DataFrame {
  const byStep = Window.orderBy("step");
  return counts
    .select(
      F.explode(
        F.array(
          ...stages.map(([column, label], i) =>
            F.struct(F.lit(i + 1).alias("step"), F.lit(label).alias(labelName), F.col(column).alias(valueName)),
          ),
        ),
      ).alias("s"),
    )
    .select("s.step", `s.${labelName}`, `s.${valueName}`)
    .withColumn("previous", F.lag(valueName, 1).over(byStep))
    .withColumn("first", F.first(valueName).over(byStep));
}

/** Every funnel event as (session_id, t, seq, step): t in epoch microseconds so the fold can do arithmetic. */
export function funnelEvents(clickstream: DataFrame, cartEvents: DataFrame, payments: DataFrame): DataFrame {
  const event = (df: DataFrame, step: Column) =>
    df.select(F.col("session_id"), F.unix_micros(F.col("ts")).alias("t"), F.col("seq"), step.alias("step"));
  const views = event(
    clickstream.where(F.col("event_type").isin("product_view", "begin_checkout")),
    F.when(F.col("event_type").eq("product_view"), F.lit(1)).otherwise(F.lit(3)),
  );
  const adds = event(cartEvents.where(F.col("action").eq("add")), F.lit(2));
  const attempts = event(payments, F.lit(4));
  // An approved attempt is also the purchase: same instant, ordered after the attempt by its step number.
  const purchases = event(payments.where(F.col("result").eq("approved")), F.lit(5));
  return views.unionByName(adds).unionByName(attempts).unionByName(purchases);
}

/**
 * The furthest step each session reaches, and when it reached each step. Events are sorted by (t, seq, step)
 * and folded left to right: a product view (re)starts the chain while no later step is reached; step k+1
 * extends a chain at level k when it falls within the window from the entry view.
 */
export function sessionLevels(
  clickstream: DataFrame,
  cartEvents: DataFrame,
  payments: DataFrame,
  windowMinutes: number,
): DataFrame {
  const windowMicros = BigInt(windowMinutes) * 60_000_000n;
  const nullMicros = F.lit(null).cast("bigint");
  const zero = F.struct(
    F.lit(0).alias("level"),
    nullMicros.alias("entry"),
    ...FUNNEL_STEPS.map((_, i) => nullMicros.alias(`t${i + 1}`)),
  );
  const step = (acc: Column, e: Column) => {
    const level = acc.getField("level");
    const restart = e.getField("step").eq(1).and(level.leq(1));
    const extend = level
      .geq(1)
      .and(e.getField("step").eq(level.plus(1)))
      .and(e.getField("t").minus(acc.getField("entry")).leq(F.lit(windowMicros)));
    return F.struct(
      F.when(restart, F.lit(1)).when(extend, e.getField("step")).otherwise(level).alias("level"),
      F.when(restart, e.getField("t")).otherwise(acc.getField("entry")).alias("entry"),
      ...FUNNEL_STEPS.map((_, i) => {
        const k = i + 1;
        const reachedNow = k === 1 ? restart : extend.and(e.getField("step").eq(k));
        return F.when(reachedNow, e.getField("t"))
          .otherwise(acc.getField(`t${k}`))
          .alias(`t${k}`);
      }),
    );
  };
  return funnelEvents(clickstream, cartEvents, payments)
    .groupBy("session_id")
    .agg(F.array_sort(F.collect_list(F.struct("t", "seq", "step"))).alias("events"))
    .select(F.col("session_id"), F.aggregate(F.col("events"), zero, step).alias("f"))
    .select("session_id", "f.level", ...FUNNEL_STEPS.map((_, i) => `f.t${i + 1}`));
}

/** Sessions reaching each step (level ≥ k) as aggregate columns named reached_1..reached_5. */
function reachedColumns(): Column[] {
  return FUNNEL_STEPS.map((_, i) => F.count_if(F.col("level").geq(i + 1)).alias(`reached_${i + 1}`));
}

/** One row per step: sessions reaching it, conversion from the previous and the first step, drop-off. */
export function stepTable(sessions: DataFrame): DataFrame {
  const steps = FUNNEL_STEPS.map((name, i): [string, string] => [`reached_${i + 1}`, name]);
  return stepRows(sessions.agg(F.count(F.lit(1)).alias("visits"), ...reachedColumns()), steps, "step_name", "sessions")
    .select(
      "step",
      "step_name",
      "sessions",
      percent(F.col("sessions"), F.col("previous")).alias("conversion_from_previous_pct"),
      percent(F.col("sessions"), F.col("first")).alias("conversion_from_first_pct"),
      F.coalesce(F.col("previous").minus(F.col("sessions")), F.lit(0n)).alias("dropped_sessions"),
    )
    .orderBy("step");
}

/** Median and p90 seconds from the entry view to each later step, over the sessions that reached it. */
export function timeToConvert(sessions: DataFrame): DataFrame {
  const seconds = (k: number) => F.col(`t${k}`).minus(F.col("t1")).divide(F.lit(1_000_000));
  return sessions
    .agg(
      ...FUNNEL_STEPS.slice(1).flatMap((_, i) => {
        const k = i + 2;
        return [
          F.percentile_approx(seconds(k), F.lit(0.5)).alias(`median_${k}`),
          F.percentile_approx(seconds(k), F.lit(0.9)).alias(`p90_${k}`),
          F.count(F.col(`t${k}`)).alias(`n_${k}`),
        ];
      }),
    )
    .select(
      F.explode(
        F.array(
          ...FUNNEL_STEPS.slice(1).map((name, i) => {
            const k = i + 2;
            return F.struct(
              F.lit(k).alias("step"),
              F.lit(name).alias("step_name"),
              F.col(`n_${k}`).alias("sessions"),
              F.round(F.col(`median_${k}`), 1).alias("median_seconds"),
              F.round(F.col(`p90_${k}`), 1).alias("p90_seconds"),
            );
          }),
        ),
      ).alias("s"),
    )
    .select("s.*")
    .orderBy("step");
}

/** Reach per step and overall conversion for each value of one session attribute. */
export function breakdown(sessions: DataFrame, dimension: (typeof BREAKDOWNS)[number]): DataFrame {
  return sessions
    .groupBy(dimension)
    .agg(F.count(F.lit(1)).alias("visits"), ...reachedColumns())
    .select(
      F.col(dimension),
      F.col("visits"),
      ...FUNNEL_STEPS.map((name, i) => F.col(`reached_${i + 1}`).alias(name)),
      percent(F.col("reached_5"), F.col("reached_1")).alias("view_to_purchase_pct"),
      percent(F.col("reached_5"), F.col("reached_4")).alias("payment_success_pct"),
    )
    .orderBy(F.col("visits").desc(), F.col(dimension));
}
