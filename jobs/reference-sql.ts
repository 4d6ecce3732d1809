/**
 * Job `reference-sql`: the reference study's own Spark SQL, adapted only to our table and column names, so
 * its numbers can be compared with ours on the same data. Its funnel counts events of separate tables (and
 * orders stages by label); its cross-sell counts repeated views of customers who *added* product 102 to a
 * cart, minus anything they ever added, top 10. The `funnel` and `cross-sell` jobs are the corrected forms.
 */
import { defineJob } from "./job.ts";
import { words } from "./text.ts";

/** The reference funnel: four CTE counts UNION ALLed, ordered by stage label. */
export const REFERENCE_FUNNEL_SQL = `
WITH views_cte AS (SELECT COUNT(*) AS value FROM clickstream WHERE event_type = 'product_view'),
     cart_cte AS (SELECT COUNT(*) AS value FROM cart_events WHERE action = 'add'),
     attempts_cte AS (SELECT COUNT(*) AS value FROM payment_attempts),
     approved_cte AS (SELECT COUNT(*) AS value FROM payment_attempts WHERE result = 'approved')
SELECT '1. Product views' AS stage, value FROM views_cte
UNION ALL SELECT '2. Cart adds' AS stage, value FROM cart_cte
UNION ALL SELECT '3. Payment attempts' AS stage, value FROM attempts_cte
UNION ALL SELECT '4. Approved payments' AS stage, value FROM approved_cte
ORDER BY stage`;

/** The reference cross-sell anti-join, anchored on product 102 (Mineral Water in both catalogs). */
export const REFERENCE_CROSS_SELL_SQL = `
WITH key_customers AS (
  SELECT DISTINCT customer_id FROM cart_events
  WHERE action = 'add' AND product_id = 102 AND customer_id IS NOT NULL
),
views_of_key_customers AS (
  SELECT c.customer_id, c.product_id, p.name
  FROM clickstream c
  JOIN key_customers k ON c.customer_id = k.customer_id
  JOIN products p ON c.product_id = p.product_id
  WHERE c.event_type = 'product_view' AND c.product_id <> 102
),
added AS (
  SELECT DISTINCT customer_id, product_id FROM cart_events WHERE action = 'add'
)
SELECT v.name AS product, COUNT(*) AS times_viewed_not_bought
FROM views_of_key_customers v
LEFT JOIN added a ON v.customer_id = a.customer_id AND v.product_id = a.product_id
WHERE a.customer_id IS NULL
GROUP BY v.name
ORDER BY times_viewed_not_bought DESC, product
LIMIT 10`;

export const referenceSqlJob = defineJob({
  id: "reference-sql",
  title: "Reference study's SQL",
  description: "The reference study's funnel and cross-sell SQL on our data, for comparison with the corrected jobs.",
  inputs: [
    { table: "clickstream", columns: ["customer_id", "event_type", "product_id"] },
    { table: "cart_events", columns: ["customer_id", "action", "product_id"] },
    { table: "payment_attempts", columns: ["result"] },
    { table: "products", columns: ["product_id", "name"] },
  ],
  params: {},
  inputsAsViews: true,
  async plan({ spark }) {
    return {
      funnel: { title: "Reference funnel SQL", frame: await spark.sql(REFERENCE_FUNNEL_SQL) },
      cross_sell: {
        title: "Reference cross-sell SQL (anchor product 102)",
        frame: await spark.sql(REFERENCE_CROSS_SELL_SQL),
      },
    };
  },
  findings(results) {
    const funnel = results.funnel ?? [];
    const value = (stage: string) => funnel.find((r) => String(r.stage).startsWith(stage))?.value;
    const attempts = value("3.");
    const approved = value("4.");
    if (attempts === undefined || approved === undefined) return [];
    const rate = Number(attempts) > 0 ? ((Number(approved) / Number(attempts)) * 100).toFixed(2) : "n/a";
    return [
      {
        id: "reference_success_rate",
        text: words`By the reference study's definitions: ${approved} approved of ${attempts} payment attempts, a ${rate}% success rate.`,
        values: { attempts, approved, success_pct: rate },
      },
    ];
  },
});
