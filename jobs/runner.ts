/**
 * Runs jobs: validates inputs and parameters, builds each job's plans, executes them through the client
 * (cancellable with an AbortSignal, which interrupts the running Spark operation), collects the result
 * tables, reads them as findings and writes them atomically under the output directory.
 */
import { join } from "node:path";
import {
  type DataFrame,
  type PlanNodeMetrics,
  type ProgressUpdate,
  rowsFromTable,
  type SparkSession,
} from "../src/index.ts";
import { type Dataset, type DatasetOptions, materializeDatasets } from "./datasets.ts";
import { openInputs } from "./inputs.ts";
import { type JdbcLoad, type JdbcTableSpec, type JdbcTarget, loadIntoPostgres } from "./jdbc-sink.ts";
import type { Finding, Job, JobWriteOptions, ParamSpecs, ParamValue, ResultSpec } from "./job.ts";
import type { Layout } from "./lake-layout.ts";
import { ParamError, resolveParams } from "./params.ts";
import { type ResultFile, removeStaging, stagingPath, writeResultFolder } from "./result-files.ts";

/** A job's checks failed (`Job.verify`): its output is not published. */
export class JobCheckError extends Error {
  override name = "JobCheckError";
}

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
  /** Data sets the job wrote with Spark (paths inside `outputPath` once published). */
  datasets?: Array<{ name: string; title: string; path: string }>;
  /** Tables loaded into the `jdbc` database, with PostgreSQL's row counts. */
  jdbc?: JdbcLoad[];
}

export interface RunHooks {
  onJobStart?(job: Job<ParamSpecs>, index: number, total: number): void;
  onResultStart?(job: Job<ParamSpecs>, name: string, title: string): void;
  /** A data set starts being written (`name`), or a table starts loading into the JDBC database (`jdbc:<table>`). */
  onWriteStart?(job: Job<ParamSpecs>, name: string, title: string): void;
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
  /** Read the inputs from the generated tables (default) or from their lake (`retail-lab run lake`). */
  layout?: Layout;
  /** Also load the jobs' JDBC data sets (the mart) into this database. */
  jdbc?: JdbcTarget;
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

/**
 * Rows read by the scan nodes of an executed plan (file scans, and scans of frames a job cached), or
 * undefined when it has none.
 */
export function scannedRows(nodes: readonly PlanNodeMetrics[]): bigint | undefined {
  let total: bigint | undefined;
  for (const node of nodes) {
    if (!node.name.startsWith("Scan") && !node.name.startsWith("InMemoryTableScan")) continue;
    const rows = node.values.numOutputRows;
    if (rows !== undefined) total = (total ?? 0n) + rows;
  }
  return total;
}

/**
 * Opens and validates a job's inputs (as temp views if it asks) and builds its result plans, for explain:
 * nothing is cached, so each step's plan (and with --analyze, its measured scans) stands on its own.
 */
export async function planJob(
  spark: SparkSession,
  dataDir: string,
  job: Job<ParamSpecs>,
  params: Record<string, ParamValue>,
  signal?: AbortSignal,
  layout: Layout = "raw",
): Promise<Record<string, ResultSpec>> {
  return (await prepareJob(spark, dataDir, job, params, { signal, cache: false }, layout)).plans;
}

/** How long dropping a job's cached frames may take before the run moves on (the server then drops them). */
const RELEASE_TIMEOUT_MS = 10_000;

/** Rejects a layout the job does not read (e.g. `lake`, which builds the lake from the generated tables). */
export function checkLayout(job: Job<ParamSpecs>, layout: Layout): void {
  if (job.layouts && !job.layouts.includes(layout)) {
    throw new ParamError(
      `job ${job.id} reads only the ${job.layouts.join(" or ")} layout, not ${layout}; run it without --layout ${layout}`,
    );
  }
}

/** Validates inputs, builds (and, given `dir`, writes) the job's data sets, then builds its result plans. */
async function prepareJob(
  spark: SparkSession,
  dataDir: string,
  job: Job<ParamSpecs>,
  params: Record<string, ParamValue>,
  options: DatasetOptions & { cache?: boolean },
  layout: Layout = "raw",
  write?: JobWriteOptions,
): Promise<{ plans: Record<string, ResultSpec>; datasets: Map<string, Dataset>; release: () => Promise<void> }> {
  const { cache = true, ...datasetOptions } = options;
  const signal = options.signal;
  checkLayout(job, layout);
  const input = await openInputs(spark, dataDir, job.inputs, { signal, layout });
  if (job.inputsAsViews) {
    for (const { table } of job.inputs) await input(table).createOrReplaceTempView(table, { signal });
  }
  const persisted: DataFrame[] = [];
  const persist = async (frame: DataFrame) => {
    if (!cache) return frame;
    const cached = await frame.persist(undefined, { signal });
    persisted.push(cached);
    return cached;
  };
  // Bounded, and skipped once the run is aborted: a dead or unreachable server must not hold the command
  // in the client's retries (about ten minutes) just to drop a cache.
  const release = async () => {
    const bounded = AbortSignal.any([...(signal ? [signal] : []), AbortSignal.timeout(RELEASE_TIMEOUT_MS)]);
    await Promise.all(persisted.splice(0).map((frame) => frame.unpersist(false, { signal: bounded })));
  };
  const context = { spark, input, params: params as never, dataDir, layout, persist };
  // Only runs write (explain plans without writing); what was written is then described by `plan`.
  if (write && job.write) await job.write(context, write);
  const specs = (await job.datasets?.(context)) ?? {};
  const datasets = await materializeDatasets(spark, specs, datasetOptions);
  const dataset = (name: string) => {
    const found = datasets.get(name);
    if (!found) throw new Error(`job ${job.id} has no data set ${JSON.stringify(name)}`);
    return found.frame;
  };
  try {
    return { plans: await job.plan({ ...context, dataset }), datasets, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/** The job's data sets that go to the JDBC database, in load order. */
function jdbcTables(datasets: Map<string, Dataset>): Array<{ spec: JdbcTableSpec; frame: Dataset["frame"] }> {
  return [...datasets.values()].flatMap((d) => (d.spec.jdbc ? [{ spec: d.spec.jdbc, frame: d.frame }] : []));
}

/** Runs the jobs in order; stops at the first failure or when the signal aborts (no partial output). */
export async function runJobs(request: RunRequest): Promise<JobRun[]> {
  const { spark, dataDir, jobs, outDir, signal, hooks } = request;
  const pairs = paramsByJob(jobs, request.params ?? []);
  const resolved = jobs.map((job) => resolveParams(job.id, job.params, pairs.get(job.id) ?? []));
  const layout = request.layout ?? "raw";
  for (const job of jobs) checkLayout(job, layout);
  if (request.jdbc && !jobs.some((job) => job.datasets)) {
    throw new ParamError(
      `--jdbc loads data sets such as the mart's, but none of the selected jobs (${jobs.map((j) => j.id).join(", ")}) writes any; run the mart job`,
    );
  }
  const runs: JobRun[] = [];
  for (const [index, job] of jobs.entries()) {
    signal?.throwIfAborted();
    hooks?.onJobStart?.(job, index, jobs.length);
    const started = performance.now();
    const params = resolved[index]!;
    let rowsScanned: bigint | undefined;
    const execute = {
      signal,
      onProgress: hooks?.onProgress,
      onMetrics: (metrics: PlanNodeMetrics[]) => {
        const scanned = scannedRows(metrics);
        if (scanned !== undefined) rowsScanned = (rowsScanned ?? 0n) + scanned;
      },
    };
    try {
      const { plans, datasets, release } = await prepareJob(
        spark,
        dataDir,
        job,
        params,
        {
          ...execute,
          ...(outDir ? { dir: stagingPath(outDir, job.id) } : {}),
          onStart: (name, title) => hooks?.onWriteStart?.(job, name, title),
        },
        layout,
        {
          ...execute,
          onStep: (name, title) => hooks?.onWriteStart?.(job, name, title),
        },
      );
      const results: ResultFile[] = [];
      try {
        for (const [name, spec] of Object.entries(plans)) {
          hooks?.onResultStart?.(job, name, spec.title);
          const table = await spec.frame.toArrow(execute);
          const rows = rowsFromTable(table);
          results.push({ name, title: spec.title, table, rows });
        }
      } finally {
        await release().catch(() => {});
      }
      const byName = Object.fromEntries(results.map((r) => [r.name, r.rows]));
      const failures = job.verify?.(byName) ?? [];
      if (failures.length > 0) {
        throw new JobCheckError(`job ${job.id} failed ${failures.length} check(s):\n  - ${failures.join("\n  - ")}`);
      }
      const findings = job.findings?.(byName, params) ?? [];
      const run: JobRun = { job, params, results, findings, wallMs: 0, rowsScanned };
      const toLoad = jdbcTables(datasets);
      if (request.jdbc && toLoad.length > 0) {
        run.jdbc = await loadIntoPostgres(spark, request.jdbc, toLoad, {
          ...execute,
          onTable: (table) => hooks?.onWriteStart?.(job, `jdbc:${table}`, `load ${table} into the JDBC database`),
        });
      }
      if (outDir) {
        run.outputPath = writeResultFolder(
          outDir,
          job.id,
          results,
          { "findings.json": { job: job.id, params, findings } },
          { keepStaging: datasets.size > 0 },
        );
        const written = [...datasets.values()].filter((d) => d.path);
        if (written.length > 0) {
          run.datasets = written.map((d) => ({
            name: d.name,
            title: d.spec.title,
            path: join(run.outputPath!, d.name),
          }));
        }
      }
      run.wallMs = performance.now() - started;
      run.rowsScanned = rowsScanned;
      hooks?.onJobDone?.(run);
      runs.push(run);
    } catch (error) {
      if (outDir) removeStaging(outDir, job.id);
      throw error;
    }
  }
  return runs;
}
