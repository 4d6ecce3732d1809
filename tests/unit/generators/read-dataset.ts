/**
 * Test helpers that read a generated dataset back with hyparquet (an independent Parquet reader), so the
 * assertions check what a consumer such as Spark would see, not the generator's own buffers.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type FileMetaData, parquetMetadata, parquetReadObjects } from "hyparquet";
import type { Manifest } from "../../../generators/index.ts";

export type Row = Record<string, unknown>;

function arrayBufferOf(path: string): ArrayBuffer {
  const buffer = readFileSync(path);
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

/** The part files of a table, in name order. */
export function partFiles(dir: string, table: string): string[] {
  return readdirSync(join(dir, table))
    .filter((f) => f.endsWith(".parquet"))
    .sort()
    .map((f) => join(dir, table, f));
}

/** Every row of a table (optionally only some columns), parts concatenated in order. */
export async function readTable(dir: string, table: string, columns?: string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const file of partFiles(dir, table)) {
    const part = await parquetReadObjects({ file: arrayBufferOf(file), columns });
    for (const row of part) rows.push(row);
  }
  return rows;
}

export function readMetadata(file: string): FileMetaData {
  return parquetMetadata(arrayBufferOf(file));
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "_manifest.json"), "utf8")) as Manifest;
}

/** sha256 of every file under dir, keyed by relative path. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

/** A decimal read back by hyparquet (a JS number) as integer cents. */
export function cents(value: unknown): number {
  return Math.round(Number(value) * 100);
}

export function num(value: unknown): number {
  return typeof value === "bigint" ? Number(value) : Number(value);
}

export function ms(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number.NaN;
}
