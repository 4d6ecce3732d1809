/**
 * One nested document per customer, the document model of the reference study's module 03 done per customer
 * rather than per sale: profile, home store, membership, lifetime value, the most recent orders with their
 * line items embedded, and a summary of the customer's online interactions. Built with Spark structs and
 * arrays; given one customer id, every table that has a customer_id is filtered on it before any join, so the
 * filter is pushed down into the Parquet scans.
 */
import type { TableName } from "../generators/schema.ts";
import { type Column, type DataFrame, functions as F, Window } from "../src/index.ts";
import type { InputSpec } from "./job.ts";

export const DOCUMENT_INPUTS: readonly InputSpec[] = [
  {
    table: "customers",
    columns: [
      "customer_id",
      "first_name",
      "last_name",
      "email",
      "country",
      "state",
      "city",
      "home_store_id",
      "segment",
      "is_member",
      "signup_date",
    ],
  },
  { table: "stores", columns: ["store_id", "name", "city", "state", "country"] },
  {
    table: "orders",
    columns: ["order_id", "customer_id", "store_id", "channel", "ordered_at", "subtotal", "discount", "tax", "total"],
  },
  { table: "order_lines", columns: ["order_id", "line_no", "product_id", "quantity", "unit_price"] },
  { table: "products", columns: ["product_id", "name", "category"] },
  { table: "sessions", columns: ["session_id", "customer_id", "ended_at"] },
  { table: "clickstream", columns: ["customer_id", "event_type", "product_id"] },
  { table: "cart_events", columns: ["customer_id", "action"] },
  { table: "payment_attempts", columns: ["customer_id", "result"] },
];

export interface DocumentOptions {
  /** Orders embedded per customer, most recent first. */
  recentOrders: number;
  /** Build only this customer's document. */
  customerId?: bigint;
  /** Favourite categories listed (by product views). */
  favouriteCategories?: number;
}

const MONEY = "decimal(12,2)";

/** Each order's line items, in line order, with product names and exact line totals. */
function orderItems(lines: DataFrame, products: DataFrame, orders: DataFrame): DataFrame {
  return lines
    .join(orders.select("order_id"), "order_id", "left_semi")
    .join(products.select("product_id", "name", "category"), "product_id")
    .groupBy("order_id")
    .agg(
      F.array_sort(
        F.collect_list(
          F.struct(
            F.col("line_no"),
            F.col("product_id"),
            F.col("name"),
            F.col("category"),
            F.col("quantity"),
            F.col("unit_price"),
            F.col("quantity").multiply(F.col("unit_price")).cast(MONEY).alias("line_total"),
          ),
        ),
      ).alias("items"),
    );
}

/** A customer's top-n elements of a ranked (customer_id, rank, value) frame, in rank order. */
function rankedList(frame: DataFrame, value: string, name: string): DataFrame {
  return frame
    .groupBy("customer_id")
    .agg(F.array_sort(F.collect_list(F.struct(F.col("rank"), F.col(value)))).alias("ranked"))
    .select("customer_id", F.transform(F.col("ranked"), (x) => x.getField(value)).alias(name));
}

/** The customer documents (one row per customer, `_id` = customer id). */
export function customerDocuments(input: (table: TableName) => DataFrame, options: DocumentOptions): DataFrame {
  const id = options.customerId;
  const only = (frame: DataFrame) => (id === undefined ? frame : frame.where(F.col("customer_id").eq(F.lit(id))));
  const customers = only(input("customers"));
  const orders = only(input("orders")).where(F.col("customer_id").isNotNull());
  const products = input("products");

  const items = orderItems(input("order_lines"), products, orders);
  const byRecency = Window.partitionBy("customer_id").orderBy(F.col("ordered_at").desc(), F.col("order_id").desc());
  const recent = orders
    .withColumn("rank", F.row_number().over(byRecency))
    .where(F.col("rank").leq(options.recentOrders))
    .join(items, "order_id", "left")
    .groupBy("customer_id")
    .agg(
      F.array_sort(
        F.collect_list(
          F.struct(
            F.col("rank"),
            F.col("order_id"),
            F.col("ordered_at"),
            F.col("channel"),
            F.col("store_id"),
            F.col("subtotal"),
            F.col("discount"),
            F.col("tax"),
            F.col("total"),
            F.coalesce(F.col("items"), F.array()).alias("items"),
          ),
        ),
      ).alias("ranked"),
    )
    .select("customer_id", F.transform(F.col("ranked"), (o) => o.dropFields("rank")).alias("recent_orders"));

  const channelOrders = (channel: string) => F.count_if(F.col("channel").eq(channel)).alias(channel);
  const lifetime = orders
    .groupBy("customer_id")
    .agg(
      F.count(F.lit(1)).alias("orders"),
      F.sum("total").alias("revenue"),
      F.round(F.avg("total"), 2).alias("avg_order_value"),
      F.min("ordered_at").alias("first_order_at"),
      F.max("ordered_at").alias("last_order_at"),
      F.struct(channelOrders("web"), channelOrders("app"), channelOrders("store")).alias("orders_by_channel"),
    );

  const sessions = only(input("sessions"))
    .where(F.col("customer_id").isNotNull())
    .groupBy("customer_id")
    .agg(F.count(F.lit(1)).alias("sessions"), F.max("ended_at").alias("last_session_at"));
  const clicks = only(input("clickstream"))
    .where(F.col("customer_id").isNotNull())
    .groupBy("customer_id")
    .agg(
      F.count_if(F.col("event_type").eq("product_view")).alias("product_views"),
      F.count_if(F.col("event_type").eq("begin_checkout")).alias("checkouts"),
    );
  const carts = only(input("cart_events"))
    .where(F.col("customer_id").isNotNull())
    .groupBy("customer_id")
    .agg(F.count_if(F.col("action").eq("add")).alias("cart_adds"));
  const payments = only(input("payment_attempts"))
    .groupBy("customer_id")
    .agg(
      F.count(F.lit(1)).alias("payment_attempts"),
      F.count_if(F.col("result").notEqual("approved")).alias("failed_payments"),
    );
  const favourites = rankedList(
    only(input("clickstream"))
      .where(F.col("customer_id").isNotNull().and(F.col("event_type").eq("product_view")))
      .join(products.select("product_id", "category"), "product_id")
      .groupBy("customer_id", "category")
      .agg(F.count(F.lit(1)).alias("views"))
      .withColumn(
        "rank",
        F.row_number().over(Window.partitionBy("customer_id").orderBy(F.col("views").desc(), F.col("category"))),
      )
      .where(F.col("rank").leq(options.favouriteCategories ?? 3)),
    "category",
    "favourite_categories",
  );

  const stores = input("stores").select(
    F.col("store_id").alias("home_store_id"),
    F.struct("store_id", "name", "city", "state", "country").alias("home_store"),
  );
  const count = (c: string): Column => F.coalesce(F.col(c), F.lit(0n));
  return customers
    .join(stores, "home_store_id", "left")
    .join(lifetime, "customer_id", "left")
    .join(recent, "customer_id", "left")
    .join(sessions, "customer_id", "left")
    .join(clicks, "customer_id", "left")
    .join(carts, "customer_id", "left")
    .join(payments, "customer_id", "left")
    .join(favourites, "customer_id", "left")
    .select(
      F.col("customer_id").alias("_id"),
      F.struct("first_name", "last_name", "email", "country", "state", "city", "signup_date").alias("profile"),
      F.col("home_store"),
      F.struct("is_member", "segment").alias("membership"),
      F.struct(
        count("orders").alias("orders"),
        F.coalesce(F.col("revenue"), F.lit(0).cast("decimal(22,2)")).alias("revenue"),
        F.col("avg_order_value"),
        F.col("first_order_at"),
        F.col("last_order_at"),
        F.coalesce(
          F.col("orders_by_channel"),
          F.struct(F.lit(0n).alias("web"), F.lit(0n).alias("app"), F.lit(0n).alias("store")),
        ).alias("orders_by_channel"),
      ).alias("lifetime_value"),
      F.coalesce(F.col("recent_orders"), F.array()).alias("recent_orders"),
      F.struct(
        count("sessions").alias("sessions"),
        count("product_views").alias("product_views"),
        count("cart_adds").alias("cart_adds"),
        count("checkouts").alias("checkouts"),
        count("payment_attempts").alias("payment_attempts"),
        count("failed_payments").alias("failed_payments"),
        F.greatest(F.col("last_session_at"), F.col("last_order_at")).alias("last_seen"),
        F.coalesce(F.col("favourite_categories"), F.array()).alias("favourite_categories"),
      ).alias("interactions"),
    );
}

/** Per embedded order: whether its items add up to its subtotal and its amounts to its total. */
export function embeddedOrderChecks(documents: DataFrame): DataFrame {
  const zero = F.lit(0).cast("decimal(22,2)");
  return documents
    .select(F.col("_id"), F.explode(F.col("recent_orders")).alias("o"))
    .select(
      F.col("_id"),
      F.col("o.order_id").alias("order_id"),
      F.col("o.subtotal").alias("subtotal"),
      F.col("o.total").alias("total"),
      F.aggregate(F.col("o.items"), zero, (acc, item) =>
        acc.plus(item.getField("line_total")).cast("decimal(22,2)"),
      ).alias("items_total"),
      F.col("o.subtotal").minus(F.col("o.discount")).plus(F.col("o.tax")).alias("computed_total"),
      F.size(F.col("o.items")).alias("item_count"),
    );
}
