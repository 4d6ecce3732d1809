/**
 * Job `aov-daily`: average order value by day and channel, in calendar order, with the number of orders
 * behind each average (the reference dashboard showed averages without their sample sizes).
 */
import { functions as F } from "../src/index.ts";
import { defineJob } from "./job.ts";
import { words } from "./text.ts";

export const aovDailyJob = defineJob({
  id: "aov-daily",
  title: "Average order value by day",
  description: "Average order value (AOV) per day and channel, chronological, with order counts.",
  inputs: [{ table: "orders", columns: ["ordered_at", "channel", "total"] }],
  params: {},
  plan({ input }) {
    const daily = input("orders")
      .withColumn("day", F.to_date("ordered_at"))
      .groupBy("day", "channel")
      .agg(F.count(F.lit(1)).alias("orders"), F.sum("total").alias("revenue"), F.round(F.avg("total"), 2).alias("aov"))
      .orderBy("day", "channel");
    const overall = input("orders")
      .groupBy("channel")
      .agg(F.count(F.lit(1)).alias("orders"), F.sum("total").alias("revenue"), F.round(F.avg("total"), 2).alias("aov"))
      .orderBy("channel");
    return {
      by_channel: { title: "AOV by channel over the whole period", frame: overall },
      daily: { title: "AOV by day and channel", frame: daily, display: 21 },
    };
  },
  findings(results) {
    const rows = results.by_channel ?? [];
    if (rows.length === 0) return [{ id: "no_orders", text: "There are no orders in the data." }];
    return [
      {
        id: "aov_by_channel",
        text: words`Average order value by channel: ${rows.map((r) => words`${r.channel} ${r.aov} over ${r.orders} orders`).join(", ")}.`,
        values: Object.fromEntries(rows.map((r) => [String(r.channel), r.aov])),
      },
    ];
  },
});
