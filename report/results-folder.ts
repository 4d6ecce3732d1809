/**
 * Reads the result folders that `retail-lab run --out DIR` writes (`DIR/<job>/<name>.json` and
 * `DIR/<job>/findings.json`), so the report is built from written results alone, without Spark.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Finding } from "../jobs/job.ts";
import type { JobRun } from "../jobs/runner.ts";

export type ResultRow = Record<string, unknown>;

export interface JobResults {
  job: string;
  params: Record<string, unknown>;
  findings: Finding[];
  results: Map<string, { title: string; rows: ResultRow[] }>;
}

export class ResultsError extends Error {
  override name = "ResultsError";
}

/** Every job folder under `dir` that has a findings.json, by job id. */
export function readResults(dir: string): Map<string, JobResults> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ResultsError(
      `results folder ${root} does not exist; write one with \`retail-lab run <jobs> --out ${dir}\``,
    );
  }
  const jobs = new Map<string, JobResults>();
  for (const entry of readdirSync(root).sort()) {
    const folder = join(root, entry);
    const findingsFile = join(folder, "findings.json");
    if (entry.startsWith(".") || !existsSync(findingsFile)) continue;
    const findings = readJson(findingsFile) as { job?: string; params?: Record<string, unknown>; findings?: Finding[] };
    const results = new Map<string, { title: string; rows: ResultRow[] }>();
    for (const file of readdirSync(folder).sort()) {
      if (!file.endsWith(".json") || file === "findings.json") continue;
      const content = readJson(join(folder, file)) as { title?: string; rows?: ResultRow[] };
      if (!Array.isArray(content.rows)) continue;
      results.set(file.slice(0, -".json".length), { title: content.title ?? file, rows: content.rows });
    }
    const job = findings.job ?? entry;
    jobs.set(job, { job, params: findings.params ?? {}, findings: findings.findings ?? [], results });
  }
  if (jobs.size === 0) {
    throw new ResultsError(
      `${root} holds no job results (no <job>/findings.json); run \`retail-lab run <jobs> --out ${dir}\``,
    );
  }
  return jobs;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ResultsError(`${path} is not readable JSON: ${(error as Error).message}`);
  }
}

/** The rows of one result, or undefined when that job or result was not written. */
export function rowsOf(jobs: Map<string, JobResults>, job: string, result: string): ResultRow[] | undefined {
  return jobs.get(job)?.results.get(result)?.rows;
}

/**
 * The written results in the shape of runner JobRuns (ids, result rows and findings only), so that functions
 * written against runs, such as reproduce's comparison, read written results too.
 */
export function asJobRuns(jobs: Map<string, JobResults>): JobRun[] {
  return [...jobs.values()].map(
    (j) =>
      ({
        job: { id: j.job },
        params: j.params,
        findings: j.findings,
        results: [...j.results.entries()].map(([name, r]) => ({ name, title: r.title, rows: r.rows })),
      }) as unknown as JobRun,
  );
}
