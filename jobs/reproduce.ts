/**
 * What `retail-lab reproduce` compares: the reference study's published numbers beside ours computed with
 * its definitions (event counts) and beside the corrected session-level view, each number taken from a
 * job's result table so that it can be traced to the written results.
 */
import type { Row } from "../src/index.ts";
import type { Finding } from "./job.ts";
import type { JobRun } from "./runner.ts";
import { formatWord, groupDigits } from "./text.ts";

/**
 * The jobs reproduce runs, in order: the four of the study, then the ones the insights report charts
 * besides them (AOV by day, growth by channel, margin by category from the dashboard KPIs).
 */
export const REPRODUCE_JOBS = [
  "funnel",
  "payment-failures",
  "cross-sell",
  "data-quality",
  "aov-daily",
  "channel-growth",
  "kpis",
] as const;

/** The reference study's published figures (module 05, its Databricks funnel). */
export const REFERENCE = {
  productViews: 14_898n,
  cartAdds: 29_954n,
  paymentAttempts: 150_000n,
  approvedPayments: 37_293n,
  successPct: "24.86",
} as const;

export interface ComparisonRow {
  metric: string;
  reference: string;
  ours_same_definition: string;
  ours_session_level: string;
  /** Where our numbers come from: job/result table. */
  source: string;
}

function resultRows(runs: readonly JobRun[], job: string, result: string): Row[] {
  const run = runs.find((r) => r.job.id === job);
  const found = run?.results.find((r) => r.name === result);
  if (!found) throw new Error(`reproduce needs result ${result} of job ${job}, which did not run`);
  return found.rows;
}

const str = (v: unknown) => (v === null || v === undefined ? "-" : formatWord(v));

/** Builds the side-by-side table from the runs of REPRODUCE_JOBS. */
export function compareWithReference(runs: readonly JobRun[]): ComparisonRow[] {
  const reference = resultRows(runs, "funnel", "reference_counts");
  const steps = resultRows(runs, "funnel", "session_funnel");
  const payments = resultRows(runs, "payment-failures", "summary")[0] ?? {};
  const count = (stage: string) => reference.find((r) => r.stage === stage)?.count;
  const reached = (step: string) => steps.find((r) => r.step_name === step)?.sessions;
  const monotonic = reference.every((r) => r.monotonic !== false);
  return [
    {
      metric: "product views",
      reference: groupDigits(REFERENCE.productViews.toString()),
      ours_same_definition: str(count("product views")),
      ours_session_level: `${str(reached("product_view"))} sessions`,
      source: "funnel/reference_counts, funnel/session_funnel",
    },
    {
      metric: "cart adds",
      reference: groupDigits(REFERENCE.cartAdds.toString()),
      ours_same_definition: str(count("cart adds")),
      ours_session_level: `${str(reached("cart_add"))} sessions`,
      source: "funnel/reference_counts, funnel/session_funnel",
    },
    {
      metric: "payment attempts",
      reference: groupDigits(REFERENCE.paymentAttempts.toString()),
      ours_same_definition: str(payments.attempts),
      ours_session_level: `${str(payments.checkouts)} checkouts`,
      source: "payment-failures/summary",
    },
    {
      metric: "approved payments",
      reference: groupDigits(REFERENCE.approvedPayments.toString()),
      ours_same_definition: str(payments.approved),
      ours_session_level: `${str(payments.paid_checkouts)} paid checkouts`,
      source: "payment-failures/summary",
    },
    {
      metric: "payment success rate",
      reference: `${REFERENCE.successPct}%`,
      ours_same_definition: `${str(payments.attempt_success_pct)}%`,
      ours_session_level: `${str(payments.checkout_success_pct)}% of checkouts paid`,
      source: "payment-failures/summary",
    },
    {
      metric: "funnel shape",
      reference: "inverted (attempts ≫ views)",
      ours_same_definition: monotonic ? "monotonic" : "not monotonic",
      ours_session_level: "monotonic by construction",
      source: "funnel/reference_counts",
    },
  ];
}

/** The headline findings of the reproduce jobs, in reading order. */
export function headlineFindings(runs: readonly JobRun[]): Finding[] {
  const pick = (job: string, ids: readonly string[]) =>
    ids.flatMap((id) => runs.find((r) => r.job.id === job)?.findings.filter((f) => f.id === id) ?? []);
  return [
    ...pick("payment-failures", ["attempt_success", "checkout_success", "top_cause"]),
    ...pick("funnel", ["overall_conversion", "largest_drop", "reference_monotonic"]),
    ...pick("cross-sell", ["top_opportunities"]),
    ...pick("data-quality", ["checks_passed"]),
  ];
}
