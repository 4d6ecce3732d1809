/**
 * Opens a job's input tables from a data directory written by `retail-lab generate` (or from its lake, with
 * layout "lake") and checks, before any Spark job runs, that every table and column the job needs is there.
 * A missing one is an error naming it and the command that produces it.
 */
import { existsSync } from "node:fs";
import type { TableName } from "../generators/schema.ts";
import type { DataFrame, SparkSession } from "../src/index.ts";
import { isUri, tablePath } from "./data-paths.ts";
import type { InputSpec } from "./job.ts";
import { type Lake, LakeError, type Layout, openLake } from "./lake-layout.ts";

export { tablePath };

export class InputError extends Error {
  override name = "InputError";
}

const GENERATE_HINT = (dataDir: string) => `run \`retail-lab generate --out ${dataDir}\` to produce it`;

/**
 * Reads each needed table once and verifies its columns against the server's view of its schema.
 * Returns a lookup that hands out the validated DataFrames.
 */
export async function openInputs(
  spark: SparkSession,
  dataDir: string,
  inputs: readonly InputSpec[],
  options: { signal?: AbortSignal; layout?: Layout } = {},
): Promise<(table: TableName) => DataFrame> {
  const needed = new Map<TableName, Set<string>>();
  for (const input of inputs) {
    const columns = needed.get(input.table) ?? new Set<string>();
    for (const c of input.columns) columns.add(c);
    needed.set(input.table, columns);
  }
  const frames = new Map<TableName, DataFrame>();
  let lake: Lake | undefined;
  if (options.layout === "lake" && needed.size > 0) {
    try {
      lake = await openLake(spark, dataDir, { signal: options.signal, tables: [...needed.keys()] });
    } catch (error) {
      if (error instanceof LakeError) throw new InputError(error.message);
      throw error;
    }
  }
  for (const [table, columns] of needed) {
    // The lake hands out its tables with exactly the generated columns, so jobs see one schema on either layout.
    const path = lake ? lake.tableName(table) : tablePath(dataDir, table);
    if (!lake && !isUri(dataDir) && !existsSync(path)) {
      throw new InputError(`input table ${table} is missing: ${path} does not exist; ${GENERATE_HINT(dataDir)}`);
    }
    const frame = lake ? lake.asRaw(table) : spark.read.parquet(path);
    let present: string[];
    try {
      present = await frame.columns({ signal: options.signal });
    } catch (error) {
      throw new InputError(
        `input table ${table} at ${path} cannot be read: ${(error as Error).message}; ${GENERATE_HINT(dataDir)}`,
      );
    }
    const missing = [...columns].filter((c) => !present.includes(c));
    if (missing.length > 0) {
      throw new InputError(
        `input table ${table} at ${path} lacks column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (it has: ${present.join(", ")}); ${GENERATE_HINT(dataDir)} with this version of retail-lab`,
      );
    }
    frames.set(table, frame);
  }
  return (table: TableName) => {
    const frame = frames.get(table);
    if (!frame) throw new InputError(`the job read table ${table} without declaring it among its inputs`);
    return frame;
  };
}
