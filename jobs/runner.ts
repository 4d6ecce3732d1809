/**
 * Runs jobs: validates inputs and parameters, builds each job's plans, executes them through the client
 * (cancellable with an AbortSignal, which interrupts the running Spark operation), collects the result
 * tables, reads them as findings and writes them atomically under the output directory.
 */
import { type PlanNodeMetrics, type ProgressUpdate, rowsFromTable, type SparkSession } from "../src/index.ts";
import { openInputs } from "./inputs.ts";
import type { Finding, Job, ParamSpecs, ParamValue, ResultSpec } from "./job.ts";
import { ParamError, resolveParams } from "./params.ts";
import { type ResultFile, removeStaging, writeResultFolder } from "./result-files.ts";

export interface JobRun {
  job: Job<ParamSpecs>;
  params: Record<string, ParamValue>;
  results: ResultFile[];
  findings: Finding[];
  /** Wall time of the job, planning and collection included. */
  wallMs: number;
  /** Rows read by the scans of the job's queries, from Spark's metrics (undefined if none were reported). */
  rowsScanned: bigint | undefined;
  /** Folder the results were written to, when an output directory was given. */
  outputPath?: string;
}

export interface RunHooks {
  onJobStart?(job: Job<ParamSpecs>, index: number, total: number): void;
  onResultStart?(job: Job<ParamSpecs>, name: string, title: string): void;
  onProgress?(update: ProgressUpdate): void;
  onJobDone?(run: JobRun): void;
}

export interface RunRequest {
  spark: SparkSession;
  dataDir: string;
  jobs: readonly Job<ParamSpecs>[];
  /** `key=value` applies to every selected job with that parameter; `job.key=value` to one job. */
  params?: ReadonlyArray<[string, string]>;
  outDir?: string;
  signal?: AbortSignal;
  hooks?: RunHooks;
}

/** Splits parameter pairs by job, rejecting a key that no selected job declares. */
export function paramsByJob(
  jobs: readonly Job<ParamSpecs>[],
  pairs: ReadonlyArray<[string, string]>,
): Map<string, Array<[string, string]>> {
  const byJob = new Map<string, Array<[string, string]>>(jobs.map((j) => [j.id, []]));
  for (const [key, value] of pairs) {
    const dot = key.indexOf(".");
    const target = dot > 0 ? jobs.find((j) => j.id === key.slice(0, dot)) : undefined;
    if (target) {
      byJob.get(target.id)!.push([key.slice(dot + 1), value]);
      continue;
    }
    const takers = jobs.filter((j) => key in j.params);
    if (takers.length === 0) {
      const known = jobs.flatMap((j) => Object.keys(j.params).map((p) => `${j.id}.${p}`));
      throw new ParamError(
        `no selected job has a parameter ${JSON.stringify(key)}; parameters: ${known.length ? known.join(", ") : "none"}`,
      );
    }
    for (const job of takers) byJob.get(job.id)!.push([key, value]);
  }
  return byJob;
}

/** Rows read by the scan nodes of an executed plan, or undefined when it has none. */
export function scannedRows(nodes: readonly PlanNodeMetrics[]): bigint | undefined {
  let total: bigint | undefined;
  for (const node of nodes) {
    if (!node.name.startsWith("Scan")) continue;
    const rows = node.values.numOutputRows;
    if (rows !== undefined) total = (total ?? 0n) + rows;
  }
  return total;
}

/** Opens and validates a job's inputs (as temp views if it asks) and builds its result plans. */
export async function planJob(
  spark: SparkSession,
  dataDir: string,
  job: Job<ParamSpecs>,
  params: Record<string, ParamValue>,
  signal?: AbortSignal,
): Promise<Record<string, ResultSpec>> {
  const input = await openInputs(spark, dataDir, job.inputs, { signal });
  if (job.inputsAsViews) {
    for (const { table } of job.inputs) await input(table).createOrReplaceTempView(table, { signal });
  }
  return job.plan({ spark, input, params: params as never });
}

/** Runs the jobs in order; stops at the first failure or when the signal aborts (no partial output). */
export async function runJobs(request: RunRequest): Promise<JobRun[]> {
  const { spark, dataDir, jobs, outDir, signal, hooks } = request;
  const pairs = paramsByJob(jobs, request.params ?? []);
  const resolved = jobs.map((job) => resolveParams(job.id, job.params, pairs.get(job.id) ?? []));
  const runs: JobRun[] = [];
  for (const [index, job] of jobs.entries()) {
    signal?.throwIfAborted();
    hooks?.onJobStart?.(job, index, jobs.length);
    const started = performance.now();
    const params = resolved[index]!;
    const plans = await planJob(spark, dataDir, job, params, signal);
    let rowsScanned: bigint | undefined;
    const results: ResultFile[] = [];
    for (const [name, spec] of Object.entries(plans)) {
      hooks?.onResultStart?.(job, name, spec.title);
      const table = await spec.frame.toArrow({
        signal,
        onProgress: hooks?.onProgress,
        onMetrics: (metrics) => {
          const scanned = scannedRows(metrics);
          if (scanned !== undefined) rowsScanned = (rowsScanned ?? 0n) + scanned;
        },
      });
      const rows = rowsFromTable(table);
      results.push({ name, title: spec.title, table, rows });
    }
    const byName = Object.fromEntries(results.map((r) => [r.name, r.rows]));
    const findings = job.findings?.(byName, params) ?? [];
    const run: JobRun = { job, params, results, findings, wallMs: performance.now() - started, rowsScanned };
    if (outDir) {
      try {
        run.outputPath = writeResultFolder(outDir, job.id, results, {
          "findings.json": { job: job.id, params, findings },
        });
      } catch (error) {
        removeStaging(outDir, job.id);
        throw error;
      }
    }
    hooks?.onJobDone?.(run);
    runs.push(run);
  }
  return runs;
}
