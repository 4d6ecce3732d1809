/**
 * Job `lake`: rewrites the generated tables as a tuned lake under `<data>/lake` (layout in lake-layout.ts),
 * the Spark counterparts of the reference study's indexes (module 01) and geographic shards with co-located
 * joins (module 02): partition pruning by country and day, and customer-level joins without a shuffle.
 * A build is idempotent (every table is overwritten, one file per partition or bucket, so repeated builds
 * never pile up small files) and marked incomplete until its last write, so a failed build is never read.
 */
import { randomUUID } from "node:crypto";
import { TABLE_NAMES, TABLES, type TableName } from "../generators/schema.ts";
import { type Column, type DataFrame, functions as F, type SparkSession } from "../src/index.ts";
import { defineJob, type JobWriteOptions } from "./job.ts";
import {
  BUCKET_COLUMN,
  catalogDatabase,
  createCatalogDatabase,
  datasetFingerprint,
  describeLayout,
  dropCatalogEntries,
  LAKE_FORMAT,
  LAKE_TABLES,
  LakeError,
  type LakeManifest,
  type LakeTableEntry,
  lakePath,
  lakeTablePath,
  PARTITION_COLUMNS,
  readLakeManifest,
  writeLakeManifest,
} from "./lake-layout.ts";

const MICROS_PER_DAY = 86_400_000_000n;

/** The UTC calendar day of a timestamp, computed from epoch microseconds so the session time zone cannot shift it. */
export function utcDay(ts: Column): Column {
  return F.date_from_unix_date(F.floor(F.unix_micros(ts).divide(F.lit(MICROS_PER_DAY))).cast("int"));
}

/** A generated table reshaped for the lake: its columns plus the layout columns, partitioned or bucketed as written. */
export function lakeFrame(table: TableName, input: (table: TableName) => DataFrame, buckets: number): DataFrame {
  const layout = LAKE_TABLES[table];
  const columns = TABLES[table].columns.map((c) => c.name);
  const raw = input(table).select(...columns);
  switch (layout.kind) {
    case "partitioned": {
      const withCountry =
        layout.countryFrom === "self"
          ? raw
          : raw
              .join(input("sessions").select("session_id", "country"), "session_id", "left")
              .select(...columns, "country");
      return withCountry
        .withColumn("event_date", utcDay(F.col(layout.time)))
        .repartition(F.col(PARTITION_COLUMNS[0]), F.col(PARTITION_COLUMNS[1]))
        .sortWithinPartitions(...layout.sortBy);
    }
    case "bucketed": {
      const withCustomer =
        layout.customerFrom === "self"
          ? raw
          : raw
              .join(input("orders").select("order_id", BUCKET_COLUMN), "order_id", "left")
              .select(...columns, BUCKET_COLUMN);
      // Hash-partitioning by the bucket column into as many partitions as buckets is exactly Spark's bucket
      // assignment, so each task writes one whole bucket: one file per bucket.
      return withCustomer.repartition(buckets, F.col(BUCKET_COLUMN));
    }
    case "compacted":
      return raw.coalesce(1).sortWithinPartitions(...layout.sortBy);
  }
}

/** Writes one lake table as an external catalog table over its folder (overwriting a previous build). */
async function writeTable(
  frame: DataFrame,
  table: TableName,
  target: { lakeDir: string; database: string; buckets: number },
  options: JobWriteOptions,
): Promise<void> {
  const layout = LAKE_TABLES[table];
  let writer = frame.write
    .mode("overwrite")
    .format("parquet")
    .option("path", lakeTablePath(target.lakeDir, table))
    // Parquet v2 pages bring delta encodings for ids and timestamps: half the bytes of Spark's v1 default on
    // the event tables, about the size of the generator's files.
    .option("parquet.writer.version", "v2");
  if (layout.kind === "partitioned") writer = writer.partitionBy(...PARTITION_COLUMNS);
  if (layout.kind === "bucketed") writer = writer.bucketBy(target.buckets, BUCKET_COLUMN).sortBy(layout.sortBy);
  await writer.saveAsTable(`${target.database}.${table}`, undefined, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/**
 * Files, bytes, rows and partitions of every lake table, read back from the files Spark wrote (through the
 * `_metadata` columns of the file source), in one Spark job.
 */
async function tableStats(
  spark: SparkSession,
  database: string,
  signal?: AbortSignal,
): Promise<Map<TableName, Omit<LakeTableEntry, "columns">>> {
  const perTable = TABLE_NAMES.map((table) => {
    const partitioned = LAKE_TABLES[table].kind === "partitioned";
    const files = spark
      .table(`${database}.${table}`)
      .select(
        F.col("_metadata.file_path").alias("file"),
        F.col("_metadata.file_size").alias("size"),
        partitioned
          ? F.concat_ws("/", ...PARTITION_COLUMNS.map((c) => F.col(c).cast("string"))).alias("partition")
          : F.lit(null).cast("string").alias("partition"),
      )
      .groupBy("file")
      .agg(F.count(F.lit(1)).alias("rows"), F.first("size").alias("size"), F.first("partition").alias("partition"));
    return files.agg(
      F.lit(table).alias("table"),
      F.coalesce(F.sum("rows"), F.lit(0n)).alias("rows"),
      F.count("file").alias("files"),
      F.coalesce(F.sum("size"), F.lit(0n)).alias("bytes"),
      F.count_distinct(F.col("partition")).alias("partitions"),
    );
  });
  const all = perTable.reduce((a, b) => a.unionByName(b));
  const stats = new Map<TableName, Omit<LakeTableEntry, "columns">>();
  for (const row of await all.collect({ signal })) {
    const table = row.table as TableName;
    stats.set(table, {
      rows: Number(row.rows),
      files: Number(row.files),
      bytes: Number(row.bytes),
      partitions: LAKE_TABLES[table].kind === "partitioned" ? Number(row.partitions) : null,
    });
  }
  return stats;
}

/**
 * Spark writes timestamps as legacy INT96 unless told otherwise; the lake keeps the generator's microsecond
 * TIMESTAMP columns, which every Parquet reader understands.
 */
const TIMESTAMP_CONF = { "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS" };

/** Runs `work` with session confs set, restoring their previous values afterwards (the session is the caller's). */
async function withSessionConf<T>(
  spark: SparkSession,
  conf: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const previous = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(conf)) {
    previous.set(key, await spark.conf.getOption(key));
    await spark.conf.set(key, value);
  }
  try {
    return await work();
  } finally {
    for (const [key, value] of previous) {
      if (value === undefined) await spark.conf.unset(key);
      else await spark.conf.set(key, value);
    }
  }
}

/** Column definitions of a written table, as DDL, for registering it again later. */
async function columnDefinitions(spark: SparkSession, name: string, signal?: AbortSignal): Promise<string[]> {
  const schema = await spark.table(name).schema({ signal });
  return schema.fields.map((f) => `\`${f.name.replace(/`/g, "``")}\` ${f.dataType.toDDL()}`);
}

export const lakeJob = defineJob({
  id: "lake",
  title: "Tuned lake layout",
  description:
    "Writes <data>/lake: events partitioned by country and day, orders/order_lines/customers bucketed by customer_id.",
  inputs: TABLE_NAMES.map((table) => ({ table, columns: TABLES[table].columns.map((c) => c.name) })),
  layouts: ["raw"],
  params: {
    buckets: {
      type: "integer",
      description: "Buckets of orders, order_lines and customers (the same for all three, so their joins co-locate).",
      default: 8,
      min: 1,
      max: 4096,
    },
  },
  async write({ spark, input, dataDir, params }, options) {
    const { signal } = options;
    const lakeDir = lakePath(dataDir);
    const previous = await readLakeManifest(spark, lakeDir, signal).catch((error: unknown) => {
      // A damaged manifest belongs to a lake this build replaces anyway.
      if (error instanceof LakeError) return undefined;
      throw error;
    });
    const manifest: LakeManifest = {
      format: LAKE_FORMAT,
      status: "building",
      buildId: randomUUID(),
      startedAt: new Date().toISOString(),
      source: await datasetFingerprint(spark, dataDir, signal),
      buckets: params.buckets,
      tables: {},
    };
    // Marked unfinished before the first table is touched: readers refuse the lake until the last write is done.
    await writeLakeManifest(spark, lakeDir, manifest, signal);
    if (previous) await dropCatalogEntries(spark, lakeDir, previous, signal);
    const database = catalogDatabase(lakeDir, manifest.buildId);
    await createCatalogDatabase(spark, lakeDir, database, signal);
    await withSessionConf(spark, TIMESTAMP_CONF, async () => {
      for (const table of TABLE_NAMES) {
        options.onStep?.(table, `${table}: ${describeLayout(table, params.buckets)}`);
        await writeTable(
          lakeFrame(table, input, params.buckets),
          table,
          { lakeDir, database, buckets: params.buckets },
          options,
        );
      }
    });
    options.onStep?.("manifest", "the lake manifest (files, bytes and partitions read back from the lake)");
    const stats = await tableStats(spark, database, signal);
    for (const table of TABLE_NAMES) {
      const entry = stats.get(table);
      if (!entry) throw new LakeError(`no statistics came back for lake table ${table}`);
      manifest.tables[table] = { columns: await columnDefinitions(spark, `${database}.${table}`, signal), ...entry };
    }
    manifest.status = "complete";
    manifest.completedAt = new Date().toISOString();
    await writeLakeManifest(spark, lakeDir, manifest, signal);
  },
  async plan({ spark, dataDir }) {
    const lakeDir = lakePath(dataDir);
    const manifest = await readLakeManifest(spark, lakeDir);
    if (manifest?.status !== "complete")
      throw new LakeError(
        `there is no complete lake at ${lakeDir}; build it with \`retail-lab run lake --data ${dataDir}\``,
      );
    const rows = TABLE_NAMES.map((table) => {
      const entry = manifest.tables[table]!;
      return {
        table,
        layout: describeLayout(table, manifest.buckets),
        rows: BigInt(entry.rows),
        files: BigInt(entry.files),
        bytes: BigInt(entry.bytes),
        partitions: entry.partitions === null ? null : BigInt(entry.partitions),
        buckets: LAKE_TABLES[table].kind === "bucketed" ? BigInt(manifest.buckets) : null,
      };
    });
    const frame = await spark.createDataFrame(
      rows,
      "table string, layout string, rows bigint, files bigint, bytes bigint, partitions bigint, buckets bigint",
    );
    return { tables: { title: `Lake tables at ${lakeDir}`, frame, display: TABLE_NAMES.length } };
  },
  findings(results) {
    const rows = results.tables ?? [];
    const sum = (key: string) => rows.reduce((n, r) => n + Number(r[key] ?? 0), 0);
    const partitions = rows.filter((r) => r.partitions !== null);
    return [
      {
        id: "lake_written",
        text: `Wrote ${sum("files")} files (${sum("bytes")} bytes, ${sum("rows")} rows) for ${rows.length} tables; the ${partitions.length} event tables hold ${sum("partitions")} country × day partitions, one file each.`,
        values: { files: sum("files"), bytes: sum("bytes"), rows: sum("rows"), partitions: sum("partitions") },
      },
    ];
  },
});
