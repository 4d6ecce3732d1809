/**
 * Job `customer-profiles`: one nested document per customer (customer-documents.ts), written as Parquet and
 * as JSON Lines for `mongoimport` (`_id` = customer id, extended-JSON dates, exact decimals). Its checks read
 * the written documents back: every embedded order's items add up to its subtotal and its amounts to its
 * total (the reference's sample document did not), one document per customer, lifetime orders all counted.
 */
import { type DataFrame, functions as F } from "../src/index.ts";
import { checkTable } from "./check-table.ts";
import { customerDocuments, DOCUMENT_INPUTS, embeddedOrderChecks } from "./customer-documents.ts";
import { EXTENDED_JSON_WRITE_OPTIONS, toExtendedJson } from "./extended-json.ts";
import { defineJob } from "./job.ts";

/** The documents' checks as (check, expected, actual, passed) rows. */
export function documentChecks(
  documents: DataFrame,
  customers: DataFrame,
  orders: DataFrame,
  recentOrders: number,
): DataFrame {
  const embedded = embeddedOrderChecks(documents).agg(
    F.count(F.lit(1)).alias("embedded_orders"),
    F.count_if(F.col("items_total").notEqual(F.col("subtotal"))).alias("items_mismatch"),
    F.count_if(F.col("computed_total").notEqual(F.col("total"))).alias("total_mismatch"),
    F.count_if(F.col("item_count").eqNullSafe(0)).alias("without_items"),
  );
  const docs = documents.agg(
    F.count(F.lit(1)).alias("documents"),
    F.count_distinct(F.col("_id")).alias("distinct_ids"),
    F.coalesce(F.sum("lifetime_value.orders"), F.lit(0n)).alias("lifetime_orders"),
    F.count_if(F.size(F.col("recent_orders")).gt(recentOrders)).alias("too_many_embedded"),
  );
  const truth = customers
    .agg(F.count(F.lit(1)).alias("customers"))
    .crossJoin(orders.agg(F.count(F.col("customer_id")).alias("customer_orders")));
  const checks: Array<[string, string, string]> = [
    ["documents = customers", "customers", "documents"],
    ["distinct _id = documents", "documents", "distinct_ids"],
    ["Σ lifetime_value.orders = orders with a customer", "customer_orders", "lifetime_orders"],
    ["embedded orders whose items do not add up to the subtotal", "zero", "items_mismatch"],
    ["embedded orders whose subtotal − discount + tax ≠ total", "zero", "total_mismatch"],
    ["embedded orders without items", "zero", "without_items"],
    [`documents embedding more than ${recentOrders} orders`, "zero", "too_many_embedded"],
  ];
  return checkTable(
    [embedded, docs, truth.withColumn("zero", F.lit(0n))],
    checks.map(([name, expected, actual]) => [name, F.col(expected), F.col(actual)]),
  );
}

export const customerProfilesJob = defineJob({
  id: "customer-profiles",
  title: "Customer documents",
  description:
    "One nested document per customer (profile, home store, membership, lifetime value, recent orders with items, interactions) as Parquet and mongoimport-ready JSON Lines.",
  inputs: DOCUMENT_INPUTS,
  params: {
    recent_orders: {
      type: "integer",
      description: "Orders embedded per customer, most recent first.",
      default: 5,
      min: 1,
      max: 100,
    },
  },
  datasets({ input, params }) {
    return {
      profiles: {
        title: "Customer documents (Parquet)",
        frame: customerDocuments(input, { recentOrders: params.recent_orders }).orderBy("_id"),
        format: "parquet",
      },
      profiles_jsonl: {
        title: "Customer documents (JSON Lines for mongoimport)",
        frame: async (dataset) => (await toExtendedJson(dataset("profiles"))).orderBy("_id").coalesce(1),
        format: "json",
        options: EXTENDED_JSON_WRITE_OPTIONS,
      },
    };
  },
  plan({ input, dataset, params }) {
    const documents = dataset("profiles");
    return {
      checks: {
        title: "Document checks (on the documents as written)",
        frame: documentChecks(documents, input("customers"), input("orders"), params.recent_orders),
      },
      summary: {
        title: "Documents by segment",
        frame: documents
          .groupBy(F.col("membership.segment").alias("segment"))
          .agg(
            F.count(F.lit(1)).alias("customers"),
            F.count_if(F.col("lifetime_value.orders").gt(0)).alias("with_orders"),
            F.round(F.avg("lifetime_value.orders"), 2).alias("avg_orders"),
            F.round(F.avg("lifetime_value.revenue"), 2).alias("avg_lifetime_revenue"),
            F.round(F.avg(F.size(F.col("recent_orders"))), 2).alias("avg_embedded_orders"),
            F.round(F.avg("interactions.sessions"), 2).alias("avg_sessions"),
          )
          .orderBy(F.col("customers").desc(), F.col("segment")),
      },
      top_customers: {
        title: "Customers with the most orders",
        frame: documents
          .orderBy(F.col("lifetime_value.orders").desc(), F.col("_id"))
          .limit(10)
          .select(
            F.col("_id").alias("customer_id"),
            F.concat_ws(" ", F.col("profile.first_name"), F.col("profile.last_name")).alias("name"),
            F.col("membership.segment").alias("segment"),
            F.col("lifetime_value.orders").alias("orders"),
            F.col("lifetime_value.revenue").alias("revenue"),
            F.size(F.col("recent_orders")).alias("embedded_orders"),
            F.col("interactions.last_seen").alias("last_seen"),
            F.array_join(F.col("interactions.favourite_categories"), ", ").alias("favourite_categories"),
          ),
      },
    };
  },
  verify(results) {
    return (results.checks ?? [])
      .filter((r) => r.passed !== true)
      .map((r) => `${r.check}: expected ${r.expected}, got ${r.actual}`);
  },
  findings(results) {
    const checks = results.checks ?? [];
    const value = (prefix: string) => checks.find((c) => String(c.check).startsWith(prefix))?.actual;
    const segments = results.summary ?? [];
    return [
      {
        id: "documents",
        text: `${value("documents =")} customer documents embed up to their last orders with items; all ${checks.length} checks pass, including every embedded order's items adding up to its subtotal.`,
        values: Object.fromEntries(checks.map((c) => [String(c.check), c.actual])),
      },
      {
        id: "segments",
        text: `Lifetime revenue by segment: ${segments.map((s) => `${s.segment} ${s.avg_lifetime_revenue} over ${s.avg_orders} orders (${s.customers} customers)`).join("; ")}.`,
        values: Object.fromEntries(segments.map((s) => [String(s.segment), s.avg_lifetime_revenue])),
      },
    ];
  },
});
