/**
 * Shared fixtures of the job tests: a demo dataset generated into a temp dir through the generators' public
 * function, a session on the test server, a plain-JS reader of the dataset's Parquet files (hyparquet, so that
 * expected values never come from Spark), exact money helpers, and the means to write hand-made or corrupted
 * copies of tables with Spark.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { inject } from "vitest";
import { generate, type Manifest, resolveScenario, TABLE_NAMES, type TableName } from "../../../generators/index.ts";
import { selectJobs } from "../../../jobs/registry.ts";
import { type JobRun, runJobs } from "../../../jobs/runner.ts";
import { type DataFrame, Decimal, LocalDate, type Row, SparkSession } from "../../../src/index.ts";

export interface Dataset {
  /** The data directory jobs read (`--data`). */
  dir: string;
  manifest: Manifest;
  /** Removes the dataset and everything else under its temp root. */
  remove(): void;
  /** A fresh folder under the same temp root, for corrupted copies and job outputs. */
  scratch(name: string): string;
}

/** Generates the `demo` preset (20,000 sessions, seed 42 unless told otherwise) into a new temp dir. */
export async function generateDemo(options: { seed?: number; sessions?: number } = {}): Promise<Dataset> {
  const root = mkdtempSync(join(tmpdir(), "retail-lab-jobs-test-"));
  const { scenario, preset } = resolveScenario({
    preset: "demo",
    overrides: {
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.sessions !== undefined ? { sessions: options.sessions } : {}),
    },
  });
  const dir = join(root, "data");
  const result = await generate({ scenario, preset, out: dir, workers: 2 });
  return {
    dir,
    manifest: result.manifest,
    remove: () => rmSync(root, { recursive: true, force: true }),
    scratch: (name: string) => join(root, name),
  };
}

/** A session on the test server with UTC as its time zone, so that days and hours match the generator's. */
export async function connect(appName: string): Promise<SparkSession> {
  return SparkSession.builder()
    .remote(inject("sparkRemote"))
    .appName(appName)
    .config({ "spark.sql.session.timeZone": "UTC", "spark.sql.shuffle.partitions": 4 })
    .create();
}

export type Rows = Record<string, Row[]>;

/** Runs one registered job through the runner (no output directory) and returns its result rows by name. */
export async function runJob(
  spark: SparkSession,
  dataDir: string,
  jobId: string,
  params: Record<string, string> = {},
): Promise<{ run: JobRun; results: Rows }> {
  const [run] = await runJobs({ spark, dataDir, jobs: selectJobs([jobId]), params: Object.entries(params) });
  if (!run) throw new Error(`job ${jobId} did not run`);
  return { run, results: Object.fromEntries(run.results.map((r) => [r.name, r.rows])) };
}

/** A plain-JS row of a generated table: int64 as bigint, timestamps as epoch microseconds (bigint), decimals as numbers. */
export type DataRow = Record<string, unknown>;

/** Reads every part file of a table with hyparquet (independently of Spark), in file order. */
export async function readTable(dataDir: string, table: TableName, columns?: string[]): Promise<DataRow[]> {
  const dir = join(dataDir, table);
  const parts = readdirSync(dir)
    .filter((f) => f.endsWith(".parquet"))
    .sort();
  const rows: DataRow[] = [];
  for (const part of parts) {
    const file = await asyncBufferFromFile(join(dir, part));
    const read = await parquetReadObjects({
      file,
      ...(columns ? { columns } : {}),
      parsers: { timestampFromMicroseconds: (micros: bigint) => micros },
    });
    for (const row of read) rows.push(row);
  }
  return rows;
}

/**
 * Money as an exact count of cents: a Spark result Decimal of scale 2, or a hyparquet decimal(·,2) value (a float
 * that is exactly some number of cents, so rounding recovers it).
 */
export function cents(value: unknown): bigint {
  if (value instanceof Decimal) {
    if (value.scale !== 2) throw new Error(`expected a Decimal of scale 2, got scale ${value.scale} (${value})`);
    return value.unscaled;
  }
  if (typeof value === "number") return BigInt(Math.round(value * 100));
  throw new Error(`not a money value: ${String(value)}`);
}

/** Cents as Spark prints a decimal(·,2): "-12.05". */
export function centsText(c: bigint): string {
  const negative = c < 0n;
  const abs = negative ? -c : c;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/**
 * The jobs' `percent`: 100 × part / whole in doubles, rounded half-up to 2 decimals the way Spark's `round` does
 * it (on the double's shortest decimal text), or null for a zero whole.
 */
export function pct(part: number | bigint, whole: number | bigint): number | null {
  if (Number(whole) === 0) return null;
  return roundHalfUp((Number(part) * 100) / Number(whole), 2);
}

/** Spark's `round(x, scale)` of a double: half-up on its shortest decimal representation. */
export function roundHalfUp(x: number, scale: number): number {
  return Number(Decimal.parse(String(x), undefined, scale).toString());
}

/** Result rows with exact values (Decimal, LocalDate) as their text, so whole rows compare with toEqual. */
export function plain(rows: readonly Row[] | undefined): Row[] {
  return (rows ?? []).map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, v instanceof Decimal || v instanceof LocalDate ? String(v) : v]),
    ),
  );
}

/**
 * A copy of a dataset in `target` where every table is a symlink to the original, except those in `replace`:
 * each of those is written by Spark from the given DataFrame (a corrupted or filtered copy).
 */
export async function copyDataset(
  source: string,
  target: string,
  replace: Partial<Record<TableName, DataFrame>>,
): Promise<void> {
  mkdirSync(target, { recursive: true });
  for (const table of TABLE_NAMES) {
    const frame = replace[table];
    if (frame) await frame.write.mode("overwrite").parquet(join(target, table));
    else {
      rmSync(join(target, table), { recursive: true, force: true });
      symlinkSync(join(source, table), join(target, table), "dir");
    }
  }
}
