/**
 * The star schema of the data mart, built with the DataFrame API from the generated tables: a full calendar
 * `dim_date`, `dim_product`, `dim_customer` (plus a walk-in member for POS sales without a loyalty card),
 * `dim_store` (online channels are stores 1 and 2), and `fact_sales` at order-line grain. Surrogate keys
 * are dense numbers in natural-key order, so the same data always gets the same keys; order-level discount
 * and tax are allocated to lines so that they add up to the order's to the cent.
 */
import type { TableName } from "../generators/schema.ts";
import { type Column, type DataFrame, functions as F, type SparkSession, Window } from "../src/index.ts";
import type { InputSpec } from "./job.ts";
import { percent } from "./metrics.ts";

export const MART_TABLES = ["dim_date", "dim_product", "dim_customer", "dim_store", "fact_sales"] as const;
export type MartTable = (typeof MART_TABLES)[number];
export type MartFrames = Record<MartTable, DataFrame>;

/** The customer key of sales without an identified customer (POS walk-ins without a loyalty card). */
export const WALK_IN_CUSTOMER_KEY = 0;

/** The generated tables and columns the mart reads. */
export const MART_INPUTS: readonly InputSpec[] = [
  {
    table: "orders",
    columns: ["order_id", "customer_id", "store_id", "channel", "ordered_at", "subtotal", "discount", "tax", "total"],
  },
  { table: "order_lines", columns: ["order_id", "line_no", "product_id", "quantity", "unit_price", "unit_cost"] },
  {
    table: "customers",
    columns: [
      "customer_id",
      "first_name",
      "last_name",
      "country",
      "state",
      "city",
      "home_store_id",
      "segment",
      "is_member",
      "signup_date",
    ],
  },
  { table: "products", columns: ["product_id", "name", "category", "brand", "unit_price", "unit_cost"] },
  { table: "stores", columns: ["store_id", "name", "channel", "country", "state", "city", "opened_on"] },
];

const MICROS_PER_DAY = 86_400_000_000n;
const MONEY = "decimal(12,2)";

/** The UTC calendar day of a timestamp, from epoch microseconds, so the session time zone cannot shift it. */
export function utcDate(ts: Column): Column {
  return F.date_from_unix_date(F.floor(F.unix_micros(ts).divide(F.lit(MICROS_PER_DAY))).cast("int"));
}

/** yyyymmdd as an int: the date dimension's key, readable and stable. */
export function dateKey(date: Column): Column {
  return F.year(date).multiply(10_000).plus(F.month(date).multiply(100)).plus(F.dayofmonth(date)).cast("int");
}

/** Dense surrogate keys 1..n in natural-key order. */
function surrogateKey(naturalKey: string): Column {
  return F.row_number().over(Window.orderBy(naturalKey)).cast("int");
}

/** Every day from the first of the first month with sales to the last of the last month with sales. */
export function dimDate(orders: DataFrame): DataFrame {
  const d = F.col("date");
  // weekday(): 0 = Monday. The ISO week-numbering year is the year of the week's Thursday.
  const isoDow = F.weekday(d).plus(1);
  return orders
    .select(utcDate(F.col("ordered_at")).alias("day"))
    .agg(F.min("day").alias("first_day"), F.max("day").alias("last_day"))
    .select(F.explode(F.sequence(F.trunc(F.col("first_day"), "month"), F.last_day(F.col("last_day")))).alias("date"))
    .select(
      dateKey(d).alias("date_key"),
      d,
      F.year(d).alias("year"),
      F.quarter(d).alias("quarter"),
      F.month(d).alias("month"),
      F.date_format(d, "MMMM").alias("month_name"),
      F.date_format(d, "yyyy-MM").alias("year_month"),
      F.year(F.date_add(d, F.lit(3).minus(F.weekday(d)))).alias("iso_year"),
      F.weekofyear(d).alias("iso_week"),
      F.dayofmonth(d).alias("day_of_month"),
      isoDow.alias("day_of_week"),
      F.date_format(d, "EEEE").alias("weekday_name"),
      isoDow.geq(6).alias("is_weekend"),
    );
}

export function dimProduct(products: DataFrame): DataFrame {
  return products.select(
    surrogateKey("product_id").alias("product_key"),
    "product_id",
    "name",
    "category",
    "brand",
    "unit_price",
    "unit_cost",
    percent(F.col("unit_price").minus(F.col("unit_cost")), F.col("unit_price")).alias("margin_pct"),
  );
}

export function dimCustomer(spark: SparkSession, customers: DataFrame): DataFrame {
  const known = customers.select(
    surrogateKey("customer_id").alias("customer_key"),
    "customer_id",
    F.concat_ws(" ", F.col("first_name"), F.col("last_name")).alias("full_name"),
    "segment",
    "is_member",
    "country",
    "state",
    "city",
    "home_store_id",
    "signup_date",
  );
  const walkIn = spark
    .range(1)
    .select(
      F.lit(WALK_IN_CUSTOMER_KEY).alias("customer_key"),
      F.lit(null).cast("bigint").alias("customer_id"),
      F.lit("Walk-in (no loyalty card)").alias("full_name"),
      F.lit("walk-in").alias("segment"),
      F.lit(false).alias("is_member"),
      F.lit(null).cast("string").alias("country"),
      F.lit(null).cast("string").alias("state"),
      F.lit(null).cast("string").alias("city"),
      F.lit(null).cast("bigint").alias("home_store_id"),
      F.lit(null).cast("date").alias("signup_date"),
    );
  return walkIn.unionByName(known);
}

export function dimStore(stores: DataFrame): DataFrame {
  return stores.select(
    surrogateKey("store_id").alias("store_key"),
    "store_id",
    "name",
    "channel",
    "country",
    "state",
    "city",
    "opened_on",
  );
}

/**
 * floor(a × b / c) for non-negative bigints, exactly: the dividend is made a multiple of c first and divided
 * as decimals (Spark's `/` on integers goes through a double, which is inexact past 2^53).
 */
function floorShare(a: Column, b: Column, c: Column): Column {
  const product = a.multiply(b);
  const exact = product.minus(product.mod(c)).cast("decimal(38,0)").divide(c.cast("decimal(38,0)"));
  return F.when(c.eq(0), F.lit(0n)).otherwise(exact.cast("bigint"));
}

const cents = (money: Column) => money.multiply(100).cast("bigint");
const fromCents = (c: Column) => c.cast("decimal(20,0)").divide(100).cast(MONEY);

/**
 * Spreads an order-level amount over its lines in proportion to line revenue: every line gets the floor of
 * its share in cents and the last line the remainder, so the lines add up to the order's amount exactly and
 * no line goes negative.
 */
function allocate(amountCents: Column, lineCents: Column, subtotalCents: Column): Column {
  const byOrder = Window.partitionBy("order_id");
  const share = floorShare(amountCents, lineCents, subtotalCents);
  const isLast = F.col("line_no").eq(F.max("line_no").over(byOrder));
  return F.when(isLast, amountCents.minus(F.sum(share).over(byOrder).minus(share))).otherwise(share);
}

/** Order lines with their order's date, customer, store and allocated amounts, keyed to the dimensions. */
export function factSales(
  orders: DataFrame,
  lines: DataFrame,
  dims: Pick<MartFrames, "dim_product" | "dim_customer" | "dim_store">,
): DataFrame {
  const lineCents = F.col("quantity").multiply(F.col("line_unit_price")).multiply(100).cast("bigint");
  const withOrder = lines
    .select(
      "order_id",
      "line_no",
      "product_id",
      "quantity",
      F.col("unit_price").alias("line_unit_price"),
      F.col("unit_cost").alias("line_unit_cost"),
    )
    .join(
      orders.select(
        "order_id",
        "customer_id",
        "store_id",
        "channel",
        "ordered_at",
        cents(F.col("subtotal")).alias("subtotal_cents"),
        cents(F.col("discount")).alias("discount_cents"),
        cents(F.col("tax")).alias("tax_cents"),
      ),
      "order_id",
      "inner",
    )
    .withColumn("line_cents", lineCents)
    .withColumn("discount_alloc", allocate(F.col("discount_cents"), F.col("line_cents"), F.col("subtotal_cents")))
    .withColumn("tax_alloc", allocate(F.col("tax_cents"), F.col("line_cents"), F.col("subtotal_cents")));
  const gross = F.col("quantity").multiply(F.col("line_unit_price")).cast(MONEY);
  const discount = fromCents(F.col("discount_alloc"));
  const cost = F.col("quantity").multiply(F.col("line_unit_cost")).cast(MONEY);
  const saleDate = utcDate(F.col("ordered_at"));
  return withOrder
    .join(dims.dim_product.select("product_id", "product_key"), "product_id", "left")
    .join(dims.dim_customer.select("customer_id", "customer_key"), "customer_id", "left")
    .join(dims.dim_store.select("store_id", "store_key"), "store_id", "left")
    .select(
      F.col("order_id"),
      F.col("line_no"),
      dateKey(saleDate).alias("date_key"),
      F.col("product_key"),
      // A sale without a customer belongs to the walk-in member; an unknown customer id stays unresolved.
      F.when(F.col("customer_id").isNull(), F.lit(WALK_IN_CUSTOMER_KEY))
        .otherwise(F.col("customer_key"))
        .alias("customer_key"),
      F.col("store_key"),
      F.col("channel"),
      F.col("ordered_at").alias("sold_at"),
      F.col("quantity"),
      F.col("line_unit_price").alias("unit_price"),
      F.col("line_unit_cost").alias("unit_cost"),
      gross.alias("gross_revenue"),
      discount.alias("discount"),
      gross.minus(discount).cast(MONEY).alias("net_revenue"),
      fromCents(F.col("tax_alloc")).alias("tax"),
      cost.alias("cost"),
      gross.minus(discount).minus(cost).cast(MONEY).alias("gross_margin"),
      F.date_format(saleDate, "yyyy-MM").alias("month"),
    );
}

/** The whole star schema as plans over the generated tables. */
export function buildMart(spark: SparkSession, input: (table: TableName) => DataFrame): MartFrames {
  const dims = {
    dim_product: dimProduct(input("products")),
    dim_customer: dimCustomer(spark, input("customers")),
    dim_store: dimStore(input("stores")),
  };
  return {
    dim_date: dimDate(input("orders")),
    ...dims,
    fact_sales: factSales(input("orders"), input("order_lines"), dims),
  };
}
