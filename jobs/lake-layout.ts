/**
 * The tuned lake that job `lake` writes under `<data>/lake` and `--layout lake` reads: event tables
 * partitioned by country and UTC event date, sorted by (session_id, time) within files; orders, order_lines
 * and customers bucketed and sorted by customer_id (the Spark form of co-located shards); the small tables
 * compacted to one file. Each lake table is an external catalog table over its folder, so the catalog only
 * holds metadata: the lake's manifest (`<lake>/_lake`) carries what is needed to register the tables again
 * on a fresh server, and no data lives in Spark's warehouse.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TABLE_NAMES, TABLES, type TableName } from "../generators/schema.ts";
import { AnalysisException, type DataFrame, type SparkSession } from "../src/index.ts";
import { isUri, tablePath } from "./data-paths.ts";

export const LAYOUTS = ["raw", "lake"] as const;
/** Where jobs read their tables from: the generated Parquet (`raw`) or the tuned lake (`lake`). */
export type Layout = (typeof LAYOUTS)[number];

/** The lake's folder under a data directory. */
export const LAKE_FOLDER = "lake";
/** Partition columns of the event tables, in directory order. */
export const PARTITION_COLUMNS = ["country", "event_date"] as const;
/** The bucketing (shard) key of orders, order_lines and customers. */
export const BUCKET_COLUMN = "customer_id";
export const LAKE_FORMAT = "retail-lab-lake/1";

/** How one table is laid out in the lake. */
export type LakeTableLayout =
  /** Partitioned by PARTITION_COLUMNS; `time` gives event_date (its UTC day); `countryFrom` the table holding country. */
  | { kind: "partitioned"; time: string; countryFrom: "self" | "sessions"; sortBy: readonly string[] }
  /** Bucketed by BUCKET_COLUMN; `customerFrom` "orders" when the table lacks customer_id and takes its order's. */
  | { kind: "bucketed"; customerFrom: "self" | "orders"; sortBy: readonly string[] }
  /** Small tables: one file, in the generator's order. */
  | { kind: "compacted"; sortBy: readonly string[] };

export const LAKE_TABLES: { readonly [T in TableName]: LakeTableLayout } = {
  sessions: { kind: "partitioned", time: "started_at", countryFrom: "self", sortBy: ["session_id", "started_at"] },
  clickstream: { kind: "partitioned", time: "ts", countryFrom: "sessions", sortBy: ["session_id", "ts"] },
  cart_events: { kind: "partitioned", time: "ts", countryFrom: "sessions", sortBy: ["session_id", "ts"] },
  payment_attempts: { kind: "partitioned", time: "ts", countryFrom: "sessions", sortBy: ["session_id", "ts"] },
  orders: { kind: "bucketed", customerFrom: "self", sortBy: ["customer_id", "order_id"] },
  order_lines: { kind: "bucketed", customerFrom: "orders", sortBy: ["customer_id", "order_id", "line_no"] },
  customers: { kind: "bucketed", customerFrom: "self", sortBy: ["customer_id"] },
  stores: { kind: "compacted", sortBy: TABLES.stores.sortedBy },
  products: { kind: "compacted", sortBy: TABLES.products.sortedBy },
  session_truth: { kind: "compacted", sortBy: TABLES.session_truth.sortedBy },
};

/** A table's layout in words, e.g. "partitioned by country, event_date; sorted by session_id, ts". */
export function describeLayout(table: TableName, buckets: number): string {
  const layout = LAKE_TABLES[table];
  const sorted = `sorted by ${layout.sortBy.join(", ")}`;
  if (layout.kind === "partitioned") return `partitioned by ${PARTITION_COLUMNS.join(", ")}; ${sorted}`;
  if (layout.kind === "bucketed") return `${buckets} buckets by ${BUCKET_COLUMN}; ${sorted}`;
  return `one file; ${sorted}`;
}

/** What was written for one table. */
export interface LakeTableEntry {
  /** Column definitions as DDL (`\`name\` TYPE`), in the table's order; needed to register bucketed tables. */
  columns: string[];
  rows: number;
  files: number;
  bytes: number;
  /** Partition directories (partitioned tables only). */
  partitions: number | null;
}

/** `<lake>/_lake`: one JSON line saying whether the lake is complete and how to register it. */
export interface LakeManifest {
  format: typeof LAKE_FORMAT;
  /** "building" from the first byte a build writes until its last: such a lake is never read. */
  status: "building" | "complete";
  /** New for every build: catalog names derive from it, so entries of an older build never alias a newer one. */
  buildId: string;
  startedAt: string;
  completedAt?: string;
  /** SHA-256 of the dataset's `_manifest.json` the lake was built from (null when it had none). */
  source: string | null;
  buckets: number;
  tables: Partial<Record<TableName, LakeTableEntry>>;
}

export class LakeError extends Error {
  override name = "LakeError";
}

const BUILD_HINT = (dataDir: string) => `build it with \`retail-lab run lake --data ${dataDir}\``;

/** The lake folder of a data directory. */
export function lakePath(dataDir: string): string {
  return tablePath(dataDir, LAKE_FOLDER);
}

/** Where a lake table's files are. */
export function lakeTablePath(lakeDir: string, table: TableName): string {
  return tablePath(lakeDir, table);
}

function manifestPath(lakeDir: string): string {
  return tablePath(lakeDir, "_lake");
}

/**
 * The catalog database holding one build's tables: named from the lake's location and build id, so two lakes
 * (or two builds of one lake) on the same server never share names, and a rebuilt lake never meets the
 * metadata (bucket spec, file listing) of its predecessor.
 */
export function catalogDatabase(lakeDir: string, buildId: string): string {
  const digest = createHash("sha256").update(`${lakeDir}\n${buildId}`).digest("hex");
  return `retail_lab_lake_${digest.slice(0, 12)}`;
}

/**
 * The location given to that database: an empty folder of its own. Dropping a database deletes its location
 * (the in-memory and Hive catalogs both do), so it must never be the lake folder itself.
 */
export function catalogLocation(lakeDir: string, database: string): string {
  return tablePath(lakeDir, `_catalog/${database}.db`);
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Parses and checks a lake manifest; `where` names it in errors. */
export function parseLakeManifest(text: string, where: string): LakeManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LakeError(`${where} is not valid JSON (${(error as Error).message})`);
  }
  const m = value as Partial<LakeManifest> | null;
  if (!m || typeof m !== "object" || m.format !== LAKE_FORMAT) {
    throw new LakeError(`${where} is not a ${LAKE_FORMAT} manifest (format ${JSON.stringify(m?.format)})`);
  }
  if (m.status !== "building" && m.status !== "complete")
    throw new LakeError(`${where} has status ${JSON.stringify(m.status)}; expected "building" or "complete"`);
  if (typeof m.buildId !== "string" || !Number.isInteger(m.buckets) || typeof m.tables !== "object" || !m.tables)
    throw new LakeError(`${where} lacks buildId, buckets or tables`);
  return m as LakeManifest;
}

/**
 * Reads a small text file, or the part files of a folder Spark wrote, as one string; undefined if absent.
 * Local paths are read directly; URIs (shared storage a remote server sees) through Spark.
 */
async function readText(spark: SparkSession, path: string, signal?: AbortSignal): Promise<string | undefined> {
  if (!isUri(path)) {
    if (!existsSync(path)) return undefined;
    if (!statSync(path).isDirectory()) return readFileSync(path, "utf8");
    // Spark's own readers skip files starting with "_" or "." (_SUCCESS, checksums); so does this one.
    const parts = readdirSync(path)
      .filter((f) => !f.startsWith("_") && !f.startsWith("."))
      .sort();
    return parts.map((f) => readFileSync(join(path, f), "utf8")).join("");
  }
  try {
    const rows = await spark.read.text(path, { wholetext: true }).collect({ signal });
    return rows.map((r) => String(r.value)).join("");
  } catch (error) {
    if (error instanceof AnalysisException && error.errorClass === "PATH_NOT_FOUND") return undefined;
    throw error;
  }
}

/** The lake's manifest, or undefined when there is no lake at `lakeDir`. */
export async function readLakeManifest(
  spark: SparkSession,
  lakeDir: string,
  signal?: AbortSignal,
): Promise<LakeManifest | undefined> {
  const path = manifestPath(lakeDir);
  const text = await readText(spark, path, signal);
  return text === undefined || text.trim() === "" ? undefined : parseLakeManifest(text, path);
}

/** Replaces the lake's manifest (one line of JSON, written by Spark next to the tables). */
export async function writeLakeManifest(
  spark: SparkSession,
  lakeDir: string,
  manifest: LakeManifest,
  signal?: AbortSignal,
): Promise<void> {
  const frame = await spark.createDataFrame([{ value: JSON.stringify(manifest) }], "value string", { signal });
  await frame.coalesce(1).write.mode("overwrite").text(manifestPath(lakeDir), undefined, { signal });
}

/** SHA-256 of the dataset's `_manifest.json`, or null when the dataset has none. */
export async function datasetFingerprint(
  spark: SparkSession,
  dataDir: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const text = await readText(spark, tablePath(dataDir, "_manifest.json"), signal);
  if (text === undefined) return null;
  // Hash the parsed content, so how the file was read (directly or through Spark's text source) cannot matter.
  let canonical = text;
  try {
    canonical = JSON.stringify(JSON.parse(text));
  } catch {
    // not JSON: hash the text as it is
  }
  return createHash("sha256").update(canonical).digest("hex");
}

async function run(spark: SparkSession, statement: string, signal?: AbortSignal): Promise<void> {
  await (await spark.sql(statement, undefined, { signal })).collect({ signal });
}

/** Creates the build's catalog database (idempotent). */
export async function createCatalogDatabase(
  spark: SparkSession,
  lakeDir: string,
  database: string,
  signal?: AbortSignal,
): Promise<void> {
  await run(
    spark,
    `CREATE DATABASE IF NOT EXISTS ${database} LOCATION ${sqlString(catalogLocation(lakeDir, database))}`,
    signal,
  );
}

/** The CREATE TABLE statement that registers an existing lake table again (external: dropping keeps the files). */
export function registerStatement(
  database: string,
  table: TableName,
  entry: LakeTableEntry,
  lakeDir: string,
  buckets: number,
): string {
  const layout = LAKE_TABLES[table];
  const clauses = [`CREATE TABLE IF NOT EXISTS ${database}.${table} (${entry.columns.join(", ")}) USING parquet`];
  if (layout.kind === "partitioned") clauses.push(`PARTITIONED BY (${PARTITION_COLUMNS.join(", ")})`);
  if (layout.kind === "bucketed") {
    clauses.push(`CLUSTERED BY (${BUCKET_COLUMN}) SORTED BY (${layout.sortBy.join(", ")}) INTO ${buckets} BUCKETS`);
  }
  clauses.push(`LOCATION ${sqlString(lakeTablePath(lakeDir, table))}`);
  return clauses.join(" ");
}

/** Drops a build's catalog entries (tables are external: their files stay) and its empty database folder. */
export async function dropCatalogEntries(
  spark: SparkSession,
  lakeDir: string,
  manifest: LakeManifest,
  signal?: AbortSignal,
): Promise<void> {
  const database = catalogDatabase(lakeDir, manifest.buildId);
  if (!(await spark.catalog.databaseExists(database, { signal }))) return;
  for (const table of TABLE_NAMES) await run(spark, `DROP TABLE IF EXISTS ${database}.${table}`, signal);
  await run(spark, `DROP DATABASE IF EXISTS ${database}`, signal);
}

/** An opened lake: its manifest and its tables as DataFrames. */
export interface Lake {
  dir: string;
  manifest: LakeManifest;
  database: string;
  /** The table's qualified catalog name, as it appears in plans (`Scan parquet spark_catalog.<db>.<table>`). */
  tableName(table: TableName): string;
  /** The lake table with its layout columns (country and event_date on event tables, customer_id on order_lines). */
  table(table: TableName): DataFrame;
  /** The lake table with exactly the generated table's columns, in its order: what `--layout lake` gives jobs. */
  asRaw(table: TableName): DataFrame;
}

/**
 * Opens the lake of a data directory: refuses a missing, unfinished or stale lake with an error saying how
 * to build it, and registers `tables` (default: all) in the catalog if this server does not know them yet
 * (after a restart, or on another server sharing the storage).
 */
export async function openLake(
  spark: SparkSession,
  dataDir: string,
  options: { signal?: AbortSignal; tables?: readonly TableName[] } = {},
): Promise<Lake> {
  const { signal } = options;
  const dir = lakePath(dataDir);
  const manifest = await readLakeManifest(spark, dir, signal);
  if (!manifest) throw new LakeError(`there is no lake at ${dir}; ${BUILD_HINT(dataDir)}`);
  if (manifest.status !== "complete") {
    throw new LakeError(
      `the lake at ${dir} is incomplete: its build (started ${manifest.startedAt}) did not finish; ${BUILD_HINT(dataDir)} again`,
    );
  }
  const missing = TABLE_NAMES.filter((t) => !manifest.tables[t]);
  if (missing.length > 0)
    throw new LakeError(`the lake at ${dir} lacks table(s) ${missing.join(", ")}; ${BUILD_HINT(dataDir)} again`);
  const source = await datasetFingerprint(spark, dataDir, signal);
  if (manifest.source !== null && source !== null && manifest.source !== source) {
    throw new LakeError(
      `the lake at ${dir} was built from another version of the dataset (its _manifest.json changed since); ${BUILD_HINT(dataDir)} again`,
    );
  }
  const database = catalogDatabase(dir, manifest.buildId);
  await registerLake(spark, dir, database, manifest, options.tables ?? TABLE_NAMES, signal);
  const tableName = (table: TableName) => `${database}.${table}`;
  return {
    dir,
    manifest,
    database,
    tableName,
    table: (table) => spark.table(tableName(table)),
    asRaw: (table) => spark.table(tableName(table)).select(...TABLES[table].columns.map((c) => c.name)),
  };
}

async function registerLake(
  spark: SparkSession,
  dir: string,
  database: string,
  manifest: LakeManifest,
  tables: readonly TableName[],
  signal?: AbortSignal,
): Promise<void> {
  const known = (await spark.catalog.databaseExists(database, { signal }))
    ? new Set((await spark.catalog.listTables(database, undefined, { signal })).map((t) => t.name))
    : new Set<string>();
  if (tables.every((table) => known.has(table))) return;
  await createCatalogDatabase(spark, dir, database, signal);
  for (const table of tables) {
    if (known.has(table)) continue;
    const entry = manifest.tables[table] as LakeTableEntry;
    await run(spark, registerStatement(database, table, entry, dir, manifest.buckets), signal);
    // A partitioned table registered over existing folders knows no partitions until they are discovered.
    if (LAKE_TABLES[table].kind === "partitioned")
      await spark.catalog.recoverPartitions(`${database}.${table}`, { signal });
  }
}
