/**
 * Writes a job's results where users and tools can read them: each result table as Parquet (exact types,
 * written from the Arrow data Spark returned) and as JSON rows, plus the findings. A job's folder appears
 * whole or not at all: files go to a staging folder that is renamed into place.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Table, tableToIPC } from "apache-arrow";
import { Table as WasmTable, writeParquet } from "parquet-wasm/node";
import type { Row } from "../src/index.ts";

/** JSON for result values: safe integers as numbers, larger int64 as strings, Maps as objects, bytes as base64. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "bigint")
        return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
      return v;
    },
    2,
  );
}

/** Parquet bytes of an Arrow table (Snappy-compressed by default). */
export function parquetBytes(table: Table): Uint8Array {
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, "stream"));
  return writeParquet(wasmTable);
}

export interface ResultFile {
  name: string;
  title: string;
  table: Table;
  rows: Row[];
}

/**
 * Writes `<out>/<folder>/` atomically: `<name>.parquet` and `<name>.json` per result, and `extra` files
 * (e.g. findings.json) as given. An existing folder of the same name is replaced only once the new one is
 * complete.
 */
export function writeResultFolder(
  out: string,
  folder: string,
  results: ResultFile[],
  extra: Record<string, unknown>,
  options: { keepStaging?: boolean } = {},
): string {
  const target = join(out, folder);
  const staging = stagingPath(out, folder);
  // keepStaging: the job already wrote data sets there with Spark (see datasets.ts).
  if (!options.keepStaging) rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    for (const r of results) {
      writeFileSync(join(staging, `${r.name}.parquet`), parquetBytes(r.table));
      writeFileSync(join(staging, `${r.name}.json`), `${toJson({ title: r.title, rows: r.rows })}\n`);
    }
    for (const [file, content] of Object.entries(extra)) writeFileSync(join(staging, file), `${toJson(content)}\n`);
    replaceDirectory(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return target;
}

/** Moves `staging` to `target`, replacing an existing `target` only after the move succeeded. */
export function replaceDirectory(staging: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  const previous = `${target}.previous-${process.pid}`;
  let hadPrevious = false;
  try {
    renameSync(target, previous);
    hadPrevious = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    if (hadPrevious) renameSync(previous, target);
    throw error;
  }
  if (hadPrevious) rmSync(previous, { recursive: true, force: true });
}

/** The folder a job's output is assembled in before it is renamed into place. */
export function stagingPath(out: string, folder: string): string {
  return join(out, `.${folder}.staging-${process.pid}`);
}

/** Removes staging folders this process left behind (after an interrupt). */
export function removeStaging(out: string, folder: string): void {
  rmSync(stagingPath(out, folder), { recursive: true, force: true });
}
