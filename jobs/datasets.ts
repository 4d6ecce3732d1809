/**
 * Writes the data sets a job declares (e.g. the mart's star schema) with Spark into the job's staging folder,
 * and hands them back read from there, so the job's checks and result tables look at what was written rather
 * than at a second evaluation of its plan. Without an output folder the plans are handed back unwritten.
 */
import { join, resolve } from "node:path";
import type { DataFrame, ExecuteOptions, SparkSession } from "../src/index.ts";
import type { DatasetSpec } from "./job.ts";

export interface Dataset {
  name: string;
  spec: DatasetSpec;
  /** Read back from `path` when written as Parquet, else the plan. */
  frame: DataFrame;
  /** Where it was written (inside the staging folder while the job runs). */
  path?: string;
}

export interface DatasetOptions extends ExecuteOptions {
  /** The folder to write into; nothing is written when absent. */
  dir?: string;
  onStart?(name: string, title: string): void;
}

/** Builds (and, given a folder, writes) the data sets in declaration order. */
export async function materializeDatasets(
  spark: SparkSession,
  specs: Record<string, DatasetSpec>,
  options: DatasetOptions = {},
): Promise<Map<string, Dataset>> {
  const { dir, onStart, ...execute } = options;
  const done = new Map<string, Dataset>();
  const lookup = (name: string): DataFrame => {
    const found = done.get(name);
    if (!found) {
      throw new Error(
        `data set ${JSON.stringify(name)} is not declared before this one; declared: ${[...done.keys()].join(", ") || "none"}`,
      );
    }
    return found.frame;
  };
  for (const [name, spec] of Object.entries(specs)) {
    const plan = typeof spec.frame === "function" ? await spec.frame(lookup) : spec.frame;
    if (!dir) {
      done.set(name, { name, spec, frame: plan });
      continue;
    }
    onStart?.(name, spec.title);
    // Spark resolves relative paths against its own working directory, not ours.
    const path = resolve(join(dir, name));
    const writer = plan.write.format(spec.format).mode("overwrite");
    if (spec.partitionBy?.length) writer.partitionBy(...spec.partitionBy);
    if (spec.options) writer.options(spec.options);
    await writer.save(path, undefined, execute);
    const frame = spec.format === "parquet" ? spark.read.parquet(path) : plan;
    done.set(name, { name, spec, frame, path });
  }
  return done;
}
