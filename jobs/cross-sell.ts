/**
 * Job `cross-sell`: what do buyers of a staple look at without buying? The reference study's anti-join
 * (customers who added Mineral Water; products they viewed but never added; top 10 by view events), corrected:
 * distinct customers instead of repeated views, "bought" means an approved order, ranked by margin × intent,
 * with support, confidence and lift against all customers, for any anchor product or category and segment.
 */
import { type DataFrame, functions as F } from "../src/index.ts";
import type { Finding } from "./job.ts";
import { defineJob } from "./job.ts";
import { words } from "./text.ts";

export const crossSellJob = defineJob({
  id: "cross-sell",
  title: "Cross-sell opportunities",
  description: "Products that buyers of an anchor product view but never buy, ranked by margin × intent, with lift.",
  inputs: [
    { table: "customers", columns: ["customer_id", "segment"] },
    { table: "products", columns: ["product_id", "name", "category", "unit_price", "unit_cost"] },
    { table: "clickstream", columns: ["customer_id", "event_type", "product_id"] },
    { table: "orders", columns: ["order_id", "customer_id"] },
    { table: "order_lines", columns: ["order_id", "product_id"] },
  ],
  params: {
    anchor: {
      type: "string",
      description: "Anchor product name (exact), used unless anchor_category is set.",
      default: "Mineral Water",
    },
    anchor_category: {
      type: "string",
      description: "Anchor category instead of one product; '-' means none (use anchor).",
      default: "-",
    },
    segment: {
      type: "enum",
      description: "Only customers of this segment.",
      default: "all",
      choices: ["all", "vip", "regular", "occasional", "new"],
    },
    top: { type: "integer", description: "How many opportunities to list.", default: 10, min: 1, max: 1000 },
  },
  plan({ input, params }) {
    const customers =
      params.segment === "all" ? input("customers") : input("customers").where(F.col("segment").eq(params.segment));
    const products = input("products");
    const anchorProducts =
      params.anchor_category !== "-"
        ? products.where(F.col("category").eq(params.anchor_category))
        : products.where(F.col("name").eq(params.anchor));
    const bought = boughtPairs(input("orders"), input("order_lines")).join(
      customers.select("customer_id"),
      "customer_id",
      "left_semi",
    );
    const viewed = viewedPairs(input("clickstream")).join(customers.select("customer_id"), "customer_id", "left_semi");
    return {
      anchor: {
        title: "Anchor",
        frame: anchorProducts
          .join(bought, "product_id", "left")
          .groupBy("product_id", "name", "category")
          .agg(F.count_distinct("customer_id").alias("buyers"))
          .orderBy("product_id"),
      },
      opportunities: {
        title: "Viewed but never bought by the anchor's buyers (distinct customers)",
        frame: opportunities(anchorProducts, products, bought, viewed, params.top),
      },
    };
  },
  findings(results, params) {
    const anchor = results.anchor ?? [];
    const rows = results.opportunities ?? [];
    const out: Finding[] = [];
    const anchorName = params.anchor_category !== "-" ? words`the ${params.anchor_category} category` : params.anchor;
    if (anchor.length === 0) {
      out.push({ id: "anchor_missing", text: words`No product matches ${anchorName}; nothing to anchor on.` });
      return out;
    }
    const buyers = anchor.reduce((n, r) => n + BigInt(r.buyers as bigint), 0n);
    const best = rows.slice(0, 3);
    out.push({
      id: "top_opportunities",
      text:
        best.length === 0
          ? words`${buyers} customers bought ${anchorName}; none of them viewed another product without buying it.`
          : words`${buyers} customers bought ${anchorName}. They view but never buy: ${best
              .map(
                (r) =>
                  words`${r.name} (${r.category}; ${r.customers} customers, margin ${r.margin_pct}%, lift ${r.lift})`,
              )
              .join(", ")}.`,
      values: { buyers, top: best.map((r) => r.name) },
    });
    return out;
  },
});

/** Distinct (customer, product) pairs bought in an approved order: orders exist only for approved payments. */
export function boughtPairs(orders: DataFrame, orderLines: DataFrame): DataFrame {
  return orders
    .where(F.col("customer_id").isNotNull())
    .select("order_id", "customer_id")
    .join(orderLines.select("order_id", "product_id"), "order_id")
    .select("customer_id", "product_id")
    .distinct();
}

/** Distinct (customer, product) pairs of product views by signed-in customers. */
export function viewedPairs(clickstream: DataFrame): DataFrame {
  return clickstream
    .where(F.col("event_type").eq("product_view").and(F.col("customer_id").isNotNull()))
    .select("customer_id", "product_id")
    .distinct();
}

/**
 * For each product B outside the anchor set: customers who bought the anchor (A) and viewed B without ever
 * buying it. support = n_AB / N, confidence = n_AB / n_A, lift = confidence / (n_B / N), where N counts every
 * customer with a product view and n_B every such customer who viewed B without buying it.
 */
export function opportunities(
  anchorProducts: DataFrame,
  products: DataFrame,
  bought: DataFrame,
  viewed: DataFrame,
  top: number,
): DataFrame {
  const anchorIds = anchorProducts.select("product_id");
  const anchorBuyers = bought.join(anchorIds, "product_id", "left_semi").select("customer_id").distinct();
  const viewedNotBought = viewed
    .join(bought, ["customer_id", "product_id"], "left_anti")
    .join(anchorIds, "product_id", "left_anti");
  const totals = viewed
    .agg(F.count_distinct("customer_id").alias("n_customers"))
    .crossJoin(anchorBuyers.agg(F.count(F.lit(1)).alias("n_anchor")));
  const base = viewedNotBought.groupBy("product_id").agg(F.count(F.lit(1)).alias("n_b"));
  const pairs = viewedNotBought
    .join(anchorBuyers, "customer_id", "left_semi")
    .groupBy("product_id")
    .agg(F.count(F.lit(1)).alias("customers"));
  const unitMargin = F.col("unit_price").minus(F.col("unit_cost"));
  return pairs
    .join(base, "product_id")
    .join(products, "product_id")
    .crossJoin(totals)
    .select(
      "product_id",
      "name",
      "category",
      "customers",
      F.round(unitMargin.divide(F.col("unit_price")).multiply(100), 1).alias("margin_pct"),
      unitMargin.multiply(F.col("customers")).alias("margin_x_intent"),
      F.round(F.col("customers").divide(F.col("n_customers")), 4).alias("support"),
      F.round(F.col("customers").divide(F.col("n_anchor")), 4).alias("confidence"),
      F.round(
        F.col("customers")
          .divide(F.col("n_anchor"))
          .divide(F.col("n_b").divide(F.col("n_customers"))),
        2,
      ).alias("lift"),
    )
    .orderBy(F.col("margin_x_intent").desc(), F.col("product_id"))
    .limit(top);
}
