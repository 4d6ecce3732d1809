/**
 * Job `channel-growth`: month-over-month revenue and order growth by channel, in %, with a window lag per
 * channel in calendar order (the reference dashboard reported deltas, not growth rates).
 */
import { functions as F, Window } from "../src/index.ts";
import { defineJob } from "./job.ts";
import { growthPercent } from "./metrics.ts";
import { words } from "./text.ts";

export const channelGrowthJob = defineJob({
  id: "channel-growth",
  title: "Channel growth",
  description: "Month-over-month revenue and order growth by channel (window lag, growth in %).",
  inputs: [{ table: "orders", columns: ["ordered_at", "channel", "total"] }],
  params: {},
  plan({ input }) {
    const byMonth = Window.partitionBy("channel").orderBy("month");
    const monthly = input("orders")
      .withColumn("month", F.date_trunc("month", F.col("ordered_at")).cast("date"))
      .groupBy("channel", "month")
      .agg(F.count(F.lit(1)).alias("orders"), F.sum("total").alias("revenue"))
      .withColumn("previous_revenue", F.lag("revenue", 1).over(byMonth))
      .withColumn("previous_orders", F.lag("orders", 1).over(byMonth))
      .select(
        "month",
        "channel",
        "orders",
        "revenue",
        growthPercent(F.col("orders"), F.col("previous_orders")).alias("order_growth_pct"),
        growthPercent(F.col("revenue"), F.col("previous_revenue")).alias("revenue_growth_pct"),
      )
      .orderBy("month", "channel");
    return { monthly: { title: "Revenue and orders by month and channel", frame: monthly, display: 40 } };
  },
  findings(results) {
    const rows = results.monthly ?? [];
    const growth = new Map<string, number[]>();
    for (const r of rows) {
      if (r.revenue_growth_pct === null || r.revenue_growth_pct === undefined) continue;
      const list = growth.get(String(r.channel)) ?? [];
      list.push(Number(r.revenue_growth_pct));
      growth.set(String(r.channel), list);
    }
    if (growth.size === 0)
      return [{ id: "growth", text: "Less than two months of orders: no month-over-month growth to report." }];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ranked = [...growth.entries()].map(([channel, xs]) => ({ channel, mean: mean(xs), months: xs.length }));
    ranked.sort((a, b) => b.mean - a.mean);
    return [
      {
        id: "growth_by_channel",
        text: words`Mean month-over-month revenue growth: ${ranked.map((r) => words`${r.channel} ${r.mean.toFixed(1)}%`).join(", ")} (${ranked[0]!.months} month-to-month changes).`,
        values: Object.fromEntries(ranked.map((r) => [r.channel, Number(r.mean.toFixed(2))])),
      },
    ];
  },
});
