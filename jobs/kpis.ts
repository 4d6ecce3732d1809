/**
 * Job `kpis`: the reference study's BI dashboard (module 04) in numbers, computed on the star-schema mart:
 * average ticket, unique customers, value per customer, members' share of sales, ticket by weekday (calendar
 * order, with n and a 95% interval), basket size by month (chronological), sales by country/state × month,
 * margin by country, month-over-month sales change by channel in %, and gross margin by category. "Sales"
 * is net revenue: after discounts, before tax.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { type DataFrame, Decimal, functions as F, type SparkSession, Window } from "../src/index.ts";
import { InputError } from "./inputs.ts";
import { defineJob } from "./job.ts";
import { buildMart, MART_INPUTS, MART_TABLES, type MartFrames, WALK_IN_CUSTOMER_KEY } from "./mart-schema.ts";
import { growthPercent, percent } from "./metrics.ts";

/** A result value as a JS number, for comparisons in findings only (the written values stay exact). */
function approx(value: unknown): number {
  return value instanceof Decimal ? value.toNumber() : Number(value);
}

const money = (c: ReturnType<typeof F.col>) => F.round(c, 2);

/** Reads a mart written by `retail-lab run mart --out DIR` (the folder DIR/mart). */
export function readMart(spark: SparkSession, dir: string): MartFrames {
  const missing = MART_TABLES.filter((t) => !existsSync(join(resolve(dir), t)));
  if (missing.length > 0) {
    throw new InputError(
      `mart=${dir} is not a mart folder: it lacks ${missing.join(", ")}; write one with \`retail-lab run mart --data DIR --out OUT\` and pass mart=OUT/mart`,
    );
  }
  return Object.fromEntries(MART_TABLES.map((t) => [t, spark.read.parquet(join(resolve(dir), t))])) as MartFrames;
}

/** One row per order: its date, customer, store, channel, sales, units and margin. */
export function orderFacts(mart: MartFrames): DataFrame {
  return mart.fact_sales
    .groupBy("order_id", "date_key", "customer_key", "store_key", "channel")
    .agg(
      F.sum("net_revenue").alias("sales"),
      F.sum("quantity").alias("units"),
      F.count(F.lit(1)).alias("lines"),
      F.sum("gross_margin").alias("margin"),
    );
}

/** The headline KPIs of the reference's first dashboard, in one row. */
export function headline(mart: MartFrames, orders: DataFrame): DataFrame {
  const identified = F.col("customer_key").notEqual(WALK_IN_CUSTOMER_KEY);
  return orders
    .join(mart.dim_customer.select("customer_key", "is_member"), "customer_key", "left")
    .agg(
      F.count(F.lit(1)).alias("orders"),
      F.sum("sales").alias("sales"),
      F.count_distinct(F.when(identified, F.col("customer_key"))).alias("unique_customers"),
      F.sum(F.when(identified, F.col("sales"))).alias("identified_sales"),
      F.sum(F.when(F.col("is_member"), F.col("sales"))).alias("member_sales"),
      F.sum(F.when(identified.not(), F.col("sales"))).alias("walk_in_sales"),
      F.sum("units").alias("units"),
      F.sum("margin").alias("gross_margin"),
    )
    .select(
      "orders",
      "sales",
      money(F.col("sales").divide(F.col("orders"))).alias("avg_ticket"),
      "unique_customers",
      money(F.col("identified_sales").divide(F.col("unique_customers"))).alias("value_per_customer"),
      percent(F.col("member_sales"), F.col("sales")).alias("member_sales_pct"),
      percent(F.col("walk_in_sales"), F.col("sales")).alias("walk_in_sales_pct"),
      F.round(F.col("units").divide(F.col("orders")), 2).alias("units_per_basket"),
      "gross_margin",
      percent(F.col("gross_margin"), F.col("sales")).alias("margin_pct"),
    );
}

/** Average ticket per ISO weekday, Monday first, with its sample size and a 95% normal interval. */
export function ticketByWeekday(mart: MartFrames, orders: DataFrame): DataFrame {
  return orders
    .join(mart.dim_date.select("date_key", "day_of_week", "weekday_name"), "date_key")
    .groupBy("day_of_week", "weekday_name")
    .agg(
      F.count(F.lit(1)).alias("orders"),
      F.sum("sales").alias("sales"),
      F.avg("sales").alias("mean"),
      F.stddev("sales").alias("sd"),
    )
    .select(
      "day_of_week",
      "weekday_name",
      "orders",
      "sales",
      money(F.col("mean")).alias("avg_ticket"),
      F.round(
        F.lit(1.96)
          .multiply(F.col("sd"))
          .divide(F.sqrt(F.col("orders"))),
        2,
      ).alias("ci95_half_width"),
    )
    .orderBy("day_of_week");
}

/** Units and lines per order by month, chronological. */
export function basketByMonth(mart: MartFrames, orders: DataFrame): DataFrame {
  return orders
    .join(mart.dim_date.select("date_key", "year_month"), "date_key")
    .groupBy("year_month")
    .agg(
      F.count(F.lit(1)).alias("orders"),
      F.sum("units").alias("units"),
      F.round(F.avg("units"), 2).alias("avg_units_per_basket"),
      F.round(F.avg("lines"), 2).alias("avg_lines_per_basket"),
    )
    .orderBy("year_month");
}

/**
 * Orders with the geography they are counted in: the store's for store sales, the buyer's home for online
 * sales (online channels have no geography of their own).
 */
function withGeography(mart: MartFrames, orders: DataFrame): DataFrame {
  const store = mart.dim_store.select(
    "store_key",
    F.col("country").alias("store_country"),
    F.col("state").alias("store_state"),
  );
  const customer = mart.dim_customer.select(
    "customer_key",
    F.col("country").alias("home_country"),
    F.col("state").alias("home_state"),
  );
  return orders
    .join(store, "store_key", "left")
    .join(customer, "customer_key", "left")
    .withColumn("country", F.coalesce(F.col("store_country"), F.col("home_country"), F.lit("unknown")))
    .withColumn("state", F.coalesce(F.col("store_state"), F.col("home_state"), F.lit("unknown")));
}

/** Orders and sales per country, state and month, chronological within each state. */
export function salesByGeoMonth(mart: MartFrames, orders: DataFrame): DataFrame {
  return withGeography(mart, orders)
    .join(mart.dim_date.select("date_key", "year_month"), "date_key")
    .groupBy("country", "state", "year_month")
    .agg(F.count(F.lit(1)).alias("orders"), F.sum("sales").alias("sales"))
    .orderBy("country", "state", "year_month");
}

/** Sales, margin, margin % and share of the total margin per country. */
export function marginByCountry(mart: MartFrames, orders: DataFrame): DataFrame {
  const byCountry = withGeography(mart, orders)
    .groupBy("country")
    .agg(F.count(F.lit(1)).alias("orders"), F.sum("sales").alias("sales"), F.sum("margin").alias("gross_margin"));
  return byCountry
    .crossJoin(byCountry.agg(F.sum("gross_margin").alias("total_margin")))
    .select(
      "country",
      "orders",
      "sales",
      "gross_margin",
      percent(F.col("gross_margin"), F.col("sales")).alias("margin_pct"),
      percent(F.col("gross_margin"), F.col("total_margin")).alias("share_of_margin_pct"),
    )
    .orderBy("country");
}

/** Sales per month and channel with the change on the previous month, absolute and in %. */
export function momByChannel(mart: MartFrames, orders: DataFrame): DataFrame {
  const byMonth = Window.partitionBy("channel").orderBy("year_month");
  return orders
    .join(mart.dim_date.select("date_key", "year_month"), "date_key")
    .groupBy("year_month", "channel")
    .agg(F.count(F.lit(1)).alias("orders"), F.sum("sales").alias("sales"))
    .withColumn("previous_sales", F.lag("sales", 1).over(byMonth))
    .select(
      "year_month",
      "channel",
      "orders",
      "sales",
      F.col("sales").minus(F.col("previous_sales")).alias("change"),
      growthPercent(F.col("sales"), F.col("previous_sales")).alias("change_pct"),
    )
    .orderBy("year_month", "channel");
}

/** Gross margin per category, with margin % and its rank beside the sales rank. */
export function marginByCategory(mart: MartFrames): DataFrame {
  const byCategory = mart.fact_sales
    .join(mart.dim_product.select("product_key", "category"), "product_key")
    .groupBy("category")
    .agg(
      F.sum("quantity").alias("units"),
      F.sum("net_revenue").alias("sales"),
      F.sum("cost").alias("cost"),
      F.sum("gross_margin").alias("gross_margin"),
    );
  return byCategory
    .crossJoin(byCategory.agg(F.sum("gross_margin").alias("total_margin")))
    .select(
      "category",
      "units",
      "sales",
      "cost",
      "gross_margin",
      percent(F.col("gross_margin"), F.col("sales")).alias("margin_pct"),
      percent(F.col("gross_margin"), F.col("total_margin")).alias("share_of_margin_pct"),
      F.rank()
        .over(Window.orderBy(F.col("sales").desc()))
        .alias("sales_rank"),
      F.rank()
        .over(Window.orderBy(F.col("gross_margin").desc()))
        .alias("margin_rank"),
    )
    .orderBy(F.col("gross_margin").desc(), F.col("category"));
}

export const kpisJob = defineJob({
  id: "kpis",
  title: "Dashboard KPIs",
  description:
    "The reference BI dashboard on the mart: ticket, customers, members' share, weekday and month views, geography, MoM %, margins.",
  inputs: MART_INPUTS,
  params: {
    mart: {
      type: "string",
      description: "A mart folder written by `run mart --out DIR` (DIR/mart); default: build the mart in the plan",
      default: "",
    },
  },
  plan({ spark, input, params }) {
    const mart = params.mart ? readMart(spark, params.mart) : buildMart(spark, input);
    const orders = orderFacts(mart);
    return {
      headline: { title: "Headline KPIs (sales = net of discounts, before tax)", frame: headline(mart, orders) },
      ticket_by_weekday: {
        title: "Average ticket by weekday (calendar order, n and 95% interval)",
        frame: ticketByWeekday(mart, orders),
      },
      basket_by_month: { title: "Basket size by month (chronological)", frame: basketByMonth(mart, orders) },
      sales_by_geo_month: {
        title: "Sales by country/state × month",
        frame: salesByGeoMonth(mart, orders),
        display: 30,
      },
      margin_by_country: { title: "Gross margin by country", frame: marginByCountry(mart, orders) },
      mom_by_channel: { title: "Month-over-month sales change by channel", frame: momByChannel(mart, orders) },
      margin_by_category: { title: "Gross margin by category", frame: marginByCategory(mart) },
    };
  },
  findings(results) {
    const h = results.headline?.[0];
    if (!h) return [];
    const out = [
      {
        id: "headline",
        text: `Average ticket ${h.avg_ticket} over ${h.orders} orders; ${h.unique_customers} identified customers spent ${h.value_per_customer} each on average; members bought ${h.member_sales_pct}% of sales (walk-ins ${h.walk_in_sales_pct}%); gross margin ${h.margin_pct}%.`,
        values: { ...h },
      },
    ];
    const days = results.ticket_by_weekday ?? [];
    if (days.length > 1) {
      const sorted = [...days].sort((a, b) => approx(a.avg_ticket) - approx(b.avg_ticket));
      const lo = sorted[0]!;
      const hi = sorted[sorted.length - 1]!;
      const overlap =
        approx(hi.avg_ticket) - approx(hi.ci95_half_width) <= approx(lo.avg_ticket) + approx(lo.ci95_half_width);
      out.push({
        id: "weekday_ticket",
        text: `Average ticket ranges from ${lo.avg_ticket} on ${lo.weekday_name} (n=${lo.orders}) to ${hi.avg_ticket} on ${hi.weekday_name} (n=${hi.orders}); ${overlap ? "their 95% intervals overlap, so the weekday differences are not established" : "their 95% intervals do not overlap"}.`,
        values: {
          low: lo.weekday_name,
          low_ticket: lo.avg_ticket,
          high: hi.weekday_name,
          high_ticket: hi.avg_ticket,
          overlap,
        },
      });
    }
    const categories = results.margin_by_category ?? [];
    const top = categories[0];
    if (top) {
      const reordered = categories.filter((c) => c.sales_rank !== c.margin_rank).length;
      out.push({
        id: "category_margin",
        text: `${top.category} earns the most gross margin (${top.gross_margin}, ${top.share_of_margin_pct}% of the total at ${top.margin_pct}% margin); ${reordered} of ${categories.length} categories rank differently by margin than by sales, since margins differ by category.`,
        values: { top: top.category, margin: top.gross_margin, reordered },
      });
    }
    return out;
  },
});
