/**
 * `explain` for a job: the physical plan Spark chose for each of its steps and, when analysing, the same
 * steps executed with the metrics Spark reports for the final (adaptive) plan, the Spark counterpart of the
 * reference study's EXPLAIN ANALYZE. The job's `write` step never runs here.
 */
import type { ExplainMode, PlanNodeMetrics, ProgressHandler, SparkSession } from "../src/index.ts";
import type { Job, ParamSpecs, ParamValue } from "./job.ts";
import { catalogDatabase, type Layout, lakePath, readLakeManifest } from "./lake-layout.ts";
import { type QueryMetrics, summarizeMetrics } from "./plan-metrics.ts";
import { planJob } from "./runner.ts";

export interface ExplainedStep {
  name: string;
  title: string;
  /** Spark's EXPLAIN text in the requested mode (before execution). */
  plan: string;
  /** With `analyze`: what executing the step measured. */
  analysis?: {
    wallMs: number;
    metrics: QueryMetrics;
    /** The executed plan's nodes with all their metrics (for a tree view or tools). */
    nodes: PlanNodeMetrics[];
  };
}

export interface ExplainRequest {
  spark: SparkSession;
  dataDir: string;
  job: Job<ParamSpecs>;
  params: Record<string, ParamValue>;
  layout?: Layout;
  mode?: ExplainMode;
  analyze?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressHandler;
  onStepStart?(name: string, title: string): void;
}

/** Partitions per lake table (`db.table`), for counting pruned partitions; empty for the raw layout. */
async function partitionTotals(
  spark: SparkSession,
  dataDir: string,
  layout: Layout,
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  if (layout !== "lake") return totals;
  const dir = lakePath(dataDir);
  const manifest = await readLakeManifest(spark, dir, signal);
  if (!manifest) return totals;
  const database = catalogDatabase(dir, manifest.buildId);
  for (const [table, entry] of Object.entries(manifest.tables)) {
    if (entry?.partitions != null) totals.set(`${database}.${table}`, entry.partitions);
  }
  return totals;
}

/** Explains (and with `analyze`, executes and measures) every step of a job. */
export async function explainJob(request: ExplainRequest): Promise<ExplainedStep[]> {
  const { spark, dataDir, job, params, signal } = request;
  const layout = request.layout ?? "raw";
  const plans = await planJob(spark, dataDir, job, params, signal, layout);
  const totals = request.analyze ? await partitionTotals(spark, dataDir, layout, signal) : new Map<string, number>();
  const steps: ExplainedStep[] = [];
  for (const [name, spec] of Object.entries(plans)) {
    request.onStepStart?.(name, spec.title);
    const plan = await spec.frame.explain(request.mode ?? "formatted", { signal });
    const step: ExplainedStep = { name, title: spec.title, plan };
    if (request.analyze) {
      const nodes: PlanNodeMetrics[] = [];
      const started = performance.now();
      await spec.frame.toArrow({
        ...(signal ? { signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        onMetrics: (reported) => nodes.push(...reported),
      });
      step.analysis = { wallMs: performance.now() - started, metrics: summarizeMetrics(nodes, totals), nodes };
    }
    steps.push(step);
  }
  return steps;
}
