/** Every job, in the order `retail-lab jobs` lists them and `run all` runs them (`all` leaves out jobs that write data). */
import { aovDailyJob } from "./aov-daily.ts";
import { channelGrowthJob } from "./channel-growth.ts";
import { crossSellJob } from "./cross-sell.ts";
import { customerProfilesJob } from "./customer-profiles.ts";
import { dataQualityJob } from "./data-quality.ts";
import { funnelJob } from "./funnel.ts";
import type { Job, ParamSpecs } from "./job.ts";
import { kpisJob } from "./kpis.ts";
import { lakeJob } from "./lake.ts";
import { martJob } from "./mart.ts";
import { paymentFailuresJob } from "./payment-failures.ts";
import { referenceSqlJob } from "./reference-sql.ts";

export const JOBS: readonly Job<ParamSpecs>[] = [
  funnelJob,
  paymentFailuresJob,
  crossSellJob,
  aovDailyJob,
  channelGrowthJob,
  dataQualityJob,
  referenceSqlJob,
  lakeJob,
  martJob,
  kpisJob,
  customerProfilesJob,
] as unknown as readonly Job<ParamSpecs>[];

/** Looks up jobs by id; `all` selects every job. An unknown id names the known ones. */
export function selectJobs(ids: readonly string[]): Job<ParamSpecs>[] {
  if (ids.length === 0) throw new Error(`name at least one job (or all); jobs: ${JOBS.map((j) => j.id).join(", ")}`);
  // `all` means the analyses: a job that writes data (the lake) runs only when named.
  if (ids.includes("all")) return JOBS.filter((job) => !job.write);
  return ids.map((id) => {
    const job = JOBS.find((j) => j.id === id);
    if (!job) throw new Error(`unknown job ${JSON.stringify(id)}; jobs: ${JOBS.map((j) => j.id).join(", ")}, or all`);
    return job;
  });
}
