/**
 * The fixed questions `npm run bench:lake` asks of the raw tables and of the lake, each written the way
 * its layout allows: on the lake a country and a week are partition filters, on the raw tables the country
 * comes from a join with sessions and the week from a timestamp range. Both forms give the same rows; the
 * integration tests assert that, and the plan properties each lake form is meant to have.
 */
import type { TableName } from "../generators/schema.ts";
import { type DataFrame, functions as F, LocalDate, Timestamp } from "../src/index.ts";

/** Reads a table of one layout: the raw Parquet, or the lake table with its layout columns. */
export type TableSource = (table: TableName) => DataFrame;

export interface LakeQuestion {
  id: string;
  title: string;
  /** What the lake layout should change in the plan, in words. */
  expectation: string;
  /** Session confs the question runs under (on both layouts), e.g. broadcast joins off. */
  conf?: Record<string, string>;
  raw(source: TableSource): DataFrame;
  lake(source: TableSource): DataFrame;
}

export interface QuestionSettings {
  country: string;
  /** First day of the week (UTC), YYYY-MM-DD. */
  weekStart: string;
  channel: string;
}

/** The first Monday of the dataset window, one country and one channel (default: Canada, app). */
export function defaultSettings(windowStart: string): QuestionSettings {
  const start = new Date(`${windowStart}T00:00:00Z`);
  const monday = new Date(start.getTime() + ((8 - start.getUTCDay()) % 7) * 86_400_000);
  return { country: "Canada", weekStart: monday.toISOString().slice(0, 10), channel: "app" };
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Per gateway: attempts, approvals and approved amount of one country's payment attempts in one week. */
function attemptsByGateway(attempts: DataFrame): DataFrame {
  return attempts
    .groupBy("gateway")
    .agg(
      F.count(F.lit(1)).alias("attempts"),
      F.count(F.when(F.col("result").eqNullSafe("approved"), true)).alias("approved"),
      F.sum(F.when(F.col("result").eqNullSafe("approved"), F.col("amount"))).alias("approved_amount"),
    )
    .orderBy("gateway");
}

/** Orders and revenue per customer segment. */
function revenueBySegment(orders: DataFrame, customers: DataFrame): DataFrame {
  return orders
    .select("customer_id", "total")
    .join(customers.select("customer_id", "segment"), "customer_id")
    .groupBy("segment")
    .agg(F.count(F.lit(1)).alias("orders"), F.sum("total").alias("revenue"))
    .orderBy("segment");
}

/** Sessions of one channel reaching each funnel step (each step counted once per session). */
function channelFunnel(source: TableSource, channel: string): DataFrame {
  const flag = (frame: DataFrame, name: string) => frame.select("session_id").distinct().withColumn(name, F.lit(1));
  const sessions = source("sessions").where(F.col("channel").eqNullSafe(channel)).select("session_id");
  return sessions
    .join(
      flag(source("clickstream").where(F.col("event_type").eqNullSafe("product_view")), "viewed"),
      "session_id",
      "left",
    )
    .join(flag(source("cart_events").where(F.col("action").eqNullSafe("add")), "carted"), "session_id", "left")
    .join(flag(source("payment_attempts"), "paid"), "session_id", "left")
    .join(
      flag(source("payment_attempts").where(F.col("result").eqNullSafe("approved")), "bought"),
      "session_id",
      "left",
    )
    .agg(
      F.count(F.lit(1)).alias("sessions"),
      F.count("viewed").alias("product_view"),
      F.count("carted").alias("cart_add"),
      F.count("paid").alias("payment_attempt"),
      F.count("bought").alias("purchase"),
    );
}

/** The three questions of the bench, for one country, week and channel. */
export function lakeQuestions(settings: QuestionSettings): LakeQuestion[] {
  const first = LocalDate.parse(settings.weekStart);
  const last = LocalDate.parse(addDays(settings.weekStart, 6));
  const weekFrom = Timestamp.fromDate(new Date(`${settings.weekStart}T00:00:00Z`));
  const weekTo = Timestamp.fromDate(new Date(`${addDays(settings.weekStart, 7)}T00:00:00Z`));
  return [
    {
      id: "country_week",
      title: `Payment attempts in ${settings.country}, week of ${settings.weekStart}, by gateway`,
      expectation: "partition pruning: only the country's 7 day folders are read",
      raw: (source) =>
        attemptsByGateway(
          source("payment_attempts")
            // Instants, not wall-clock text, so the session time zone cannot move the week.
            .where(
              F.col("ts")
                .geq(F.lit(weekFrom))
                .and(F.col("ts").lt(F.lit(weekTo))),
            )
            .join(source("sessions").select("session_id", "country"), "session_id")
            .where(F.col("country").eqNullSafe(settings.country)),
        ),
      lake: (source) =>
        attemptsByGateway(
          source("payment_attempts").where(
            F.col("country")
              .eqNullSafe(settings.country)
              .and(F.col("event_date").between(F.lit(first), F.lit(last))),
          ),
        ),
    },
    {
      id: "segment_revenue",
      title: "Revenue by customer segment (orders ⋈ customers)",
      expectation: "bucketed join: no Exchange (shuffle) below the join",
      // Broadcasting the smaller side would hide the shuffle on both layouts; big tables cannot be broadcast.
      conf: { "spark.sql.autoBroadcastJoinThreshold": "-1" },
      raw: (source) => revenueBySegment(source("orders"), source("customers")),
      lake: (source) => revenueBySegment(source("orders"), source("customers")),
    },
    {
      id: "channel_funnel",
      title: `Session funnel of channel ${settings.channel}`,
      expectation: "no layout gain expected: every day and country is read either way",
      raw: (source) => channelFunnel(source, settings.channel),
      lake: (source) => channelFunnel(source, settings.channel),
    },
  ];
}
