/**
 * The lake on a real server: job `lake` writes every row once, one file per partition or bucket, each file
 * holding only its partition's rows in (session, ts) order and each customer in the same bucket of orders,
 * order_lines and customers (checked by reading the files with hyparquet, not Spark); rebuilding is
 * idempotent; every job answers identically on both layouts; a country and a week prune partitions and the
 * customer join runs without a shuffle, also after the catalog forgot the tables; a missing, unfinished or
 * stale lake is refused with a message saying how to build it.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { defaultSettings, lakeQuestions, type TableSource } from "../../../bench/lake-questions.ts";
import { TABLE_NAMES, type TableName } from "../../../generators/schema.ts";
import { InputError, openInputs } from "../../../jobs/inputs.ts";
import {
  catalogDatabase,
  dropCatalogEntries,
  LAKE_TABLES,
  type LakeManifest,
  lakePath,
  openLake,
  readLakeManifest,
  writeLakeManifest,
} from "../../../jobs/lake-layout.ts";
import { ParamError } from "../../../jobs/params.ts";
import { joinShuffles, summarizeMetrics } from "../../../jobs/plan-metrics.ts";
import { selectJobs } from "../../../jobs/registry.ts";
import { type JobRun, runJobs } from "../../../jobs/runner.ts";
import { type DataFrame, type PlanNodeMetrics, type Row, SparkSession } from "../../../src/index.ts";
import { runCli } from "../runtime/run-cli.ts";
import { generateSmallDataset, type SmallDataset } from "../support/small-dataset.ts";

let data: SmallDataset;
let spark: SparkSession;
let built: JobRun;

async function buildLake(): Promise<JobRun> {
  const [run] = await runJobs({ spark, dataDir: data.dir, jobs: selectJobs(["lake"]) });
  if (!run) throw new Error("the lake job did not run");
  return run;
}

async function manifest(): Promise<LakeManifest> {
  const m = await readLakeManifest(spark, lakePath(data.dir));
  if (!m) throw new Error("no lake manifest");
  return m;
}

beforeAll(async () => {
  data = await generateSmallDataset("lake");
  spark = await SparkSession.builder()
    .remote(inject("sparkRemote"))
    .appName("lake tests")
    .config({ "spark.sql.shuffle.partitions": 4 })
    .create();
  built = await buildLake();
});

afterAll(async () => {
  if (spark) {
    const m = await readLakeManifest(spark, lakePath(data.dir)).catch(() => undefined);
    if (m) await dropCatalogEntries(spark, lakePath(data.dir), m);
    await spark.stop();
  }
  data?.remove();
});

/** Parquet files under a folder, recursively, as paths relative to it. */
function parquetFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".parquet"))
    .sort();
}

async function readParquet(path: string, columns: string[]): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({
    file: await asyncBufferFromFile(path),
    columns,
    parsers: { timestampFromMicroseconds: (micros: bigint) => micros },
  });
}

async function readRawTable(table: TableName, columns: string[]): Promise<Record<string, unknown>[]> {
  const dir = join(data.dir, table);
  const rows: Record<string, unknown>[] = [];
  for (const file of parquetFiles(dir)) rows.push(...(await readParquet(join(dir, file), columns)));
  return rows;
}

const utcDay = (micros: bigint) => new Date(Number(micros / 1000n)).toISOString().slice(0, 10);

async function collectWithMetrics(frame: DataFrame): Promise<{ rows: Row[]; nodes: PlanNodeMetrics[] }> {
  const nodes: PlanNodeMetrics[] = [];
  const rows = await frame.collect({ onMetrics: (reported) => nodes.push(...reported) });
  return { rows, nodes };
}

describe("job lake", () => {
  it("writes every row once: one file per partition of the event tables, per bucket, or per small table", async () => {
    const report = built.results.find((r) => r.name === "tables")?.rows ?? [];
    expect(report.map((r) => r.table)).toEqual([...TABLE_NAMES]);
    const lake = lakePath(data.dir);
    for (const row of report) {
      const table = row.table as TableName;
      const files = parquetFiles(join(lake, table));
      expect(row.rows, table).toBe(BigInt(data.manifest.tables[table].rows));
      expect(row.files, table).toBe(BigInt(files.length));
      const layout = LAKE_TABLES[table];
      if (layout.kind === "partitioned") {
        const folders = new Set(files.map((f) => f.split("/").slice(0, 2).join("/")));
        expect(
          [...folders].every((f) => /^country=[^/]+\/event_date=\d{4}-\d{2}-\d{2}$/.test(f)),
          table,
        ).toBe(true);
        expect(row.partitions, table).toBe(BigInt(folders.size));
        expect(files.length, `${table}: one file per partition`).toBe(folders.size);
      } else if (layout.kind === "bucketed") {
        expect(row.buckets).toBe(8n);
        expect(files.map((f) => /_(\d{5})\.c000/.exec(f)?.[1])).toEqual([
          "00000",
          "00001",
          "00002",
          "00003",
          "00004",
          "00005",
          "00006",
          "00007",
        ]);
      } else {
        expect(files, table).toHaveLength(1);
      }
    }
    expect(built.findings[0]?.text).toMatch(/^Wrote \d+ files/);
  });

  it("puts each payment attempt in its session's country and its UTC day, sorted by (session_id, ts) in each file", async () => {
    const countryOf = new Map(
      (await readRawTable("sessions", ["session_id", "country"])).map((r) => [r.session_id as bigint, r.country]),
    );
    const dir = join(lakePath(data.dir), "payment_attempts");
    let total = 0;
    for (const file of parquetFiles(dir)) {
      const [, country, day] = /^country=([^/]+)\/event_date=([^/]+)\//.exec(file) ?? [];
      const rows = await readParquet(join(dir, file), ["session_id", "ts"]);
      total += rows.length;
      for (const row of rows) {
        expect(countryOf.get(row.session_id as bigint)).toBe(decodeURIComponent(country ?? ""));
        expect(utcDay(row.ts as bigint)).toBe(day);
      }
      const keys = rows.map((r) => [r.session_id as bigint, r.ts as bigint] as const);
      const sorted = [...keys].sort((a, b) => (a[0] === b[0] ? Number(a[1] - b[1]) : Number(a[0] - b[0])));
      expect(keys, file).toEqual(sorted);
    }
    expect(total).toBe(data.manifest.tables.payment_attempts.rows);
  });

  it("co-locates each customer: the same bucket in customers, orders and order_lines", async () => {
    const lake = lakePath(data.dir);
    const bucketOf = new Map<string, Map<string, string>>();
    for (const table of ["customers", "orders", "order_lines"] as const) {
      const buckets = new Map<string, string>();
      for (const file of parquetFiles(join(lake, table))) {
        const bucket = /_(\d{5})\.c000/.exec(file)?.[1] ?? "?";
        const rows = await readParquet(join(lake, table, file), ["customer_id"]);
        const ids = rows.map((r) => r.customer_id as bigint | null);
        const nonNull = ids.filter((id): id is bigint => id !== null);
        expect(nonNull, `${table} ${file} sorted by customer_id`).toEqual([...nonNull].sort((a, b) => Number(a - b)));
        for (const id of nonNull) {
          const seen = buckets.get(String(id));
          if (seen !== undefined) expect(seen, `${table}: customer ${id} in one bucket`).toBe(bucket);
          buckets.set(String(id), bucket);
        }
      }
      bucketOf.set(table, buckets);
    }
    const customers = bucketOf.get("customers")!;
    for (const table of ["orders", "order_lines"]) {
      for (const [id, bucket] of bucketOf.get(table)!)
        expect(customers.get(id), `${table} customer ${id}`).toBe(bucket);
    }
    expect(bucketOf.get("order_lines")!.size).toBeGreaterThan(0);
  });

  it("is idempotent: a rebuild writes the same tables, leaves no file of the previous build and forgets its catalog entries", async () => {
    const before = await manifest();
    const rebuilt = await buildLake();
    const after = await manifest();
    expect(after.buildId).not.toBe(before.buildId);
    expect(after.status).toBe("complete");
    const counts = (m: LakeManifest) =>
      Object.fromEntries(TABLE_NAMES.map((t) => [t, { ...m.tables[t], columns: m.tables[t]?.columns.length }]));
    const sizeless = (m: LakeManifest) =>
      Object.fromEntries(Object.entries(counts(m)).map(([t, e]) => [t, { ...e, bytes: undefined }]));
    expect(sizeless(after)).toEqual(sizeless(before));
    expect(rebuilt.results[0]?.rows.map((r) => ({ ...r, bytes: undefined }))).toEqual(
      built.results[0]?.rows.map((r) => ({ ...r, bytes: undefined })),
    );
    for (const table of TABLE_NAMES) {
      expect(parquetFiles(join(lakePath(data.dir), table)), table).toHaveLength(after.tables[table]?.files ?? -1);
    }
    expect(await spark.catalog.databaseExists(catalogDatabase(lakePath(data.dir), before.buildId))).toBe(false);
    expect(await spark.catalog.databaseExists(catalogDatabase(lakePath(data.dir), after.buildId))).toBe(true);
  });
});

describe("--layout lake", () => {
  it("gives every job the same results as the raw tables", { timeout: 900_000 }, async () => {
    const jobs = selectJobs(["all"]);
    const raw = await runJobs({ spark, dataDir: data.dir, jobs });
    const lake = await runJobs({ spark, dataDir: data.dir, jobs, layout: "lake" });
    expect(lake.map((r) => r.job.id)).toEqual(raw.map((r) => r.job.id));
    for (const [i, run] of raw.entries()) {
      const other = lake[i]!;
      expect(other.results.map((r) => r.name)).toEqual(run.results.map((r) => r.name));
      for (const [j, result] of run.results.entries()) {
        expect(other.results[j]?.rows, `${run.job.id} / ${result.name}`).toEqual(result.rows);
      }
      expect(other.findings, run.job.id).toEqual(run.findings);
    }
  });

  it("hands jobs exactly the generated columns, in order", async () => {
    const inputs = TABLE_NAMES.map((table) => ({ table, columns: [] }));
    const raw = await openInputs(spark, data.dir, inputs);
    const lake = await openInputs(spark, data.dir, inputs, { layout: "lake" });
    for (const table of TABLE_NAMES) expect(await lake(table).dtypes(), table).toEqual(await raw(table).dtypes());
  });

  it("refuses the lake job itself", async () => {
    await expect(runJobs({ spark, dataDir: data.dir, jobs: selectJobs(["lake"]), layout: "lake" })).rejects.toThrow(
      ParamError,
    );
  });
});

describe("plans on the lake", () => {
  const questions = () => lakeQuestions(defaultSettings(data.manifest.window.start));
  const sources = async (): Promise<Record<"raw" | "lake", TableSource>> => {
    const lake = await openLake(spark, data.dir);
    return { raw: (t) => spark.read.parquet(join(data.dir, t)), lake: (t) => lake.table(t) };
  };
  const totals = async () => {
    const m = await manifest();
    const db = catalogDatabase(lakePath(data.dir), m.buildId);
    return new Map(
      Object.entries(m.tables).flatMap(([t, e]) => (e?.partitions != null ? [[`${db}.${t}`, e.partitions]] : [])),
    ) as Map<string, number>;
  };

  async function expectPruning(): Promise<void> {
    const question = questions().find((q) => q.id === "country_week")!;
    const settings = defaultSettings(data.manifest.window.start);
    const src = await sources();
    const lake = await collectWithMetrics(question.lake(src.lake));
    const raw = await collectWithMetrics(question.raw(src.raw));
    expect(lake.rows).toEqual(raw.rows);
    expect(lake.rows.length).toBeGreaterThan(0);
    // The day folders of that country and week, counted on disk.
    const days = new Set(
      Array.from({ length: 7 }, (_, i) =>
        new Date(Date.parse(`${settings.weekStart}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
      ),
    );
    const expected = readdirSync(join(lakePath(data.dir), "payment_attempts", `country=${settings.country}`)).filter(
      (d) => days.has(d.replace("event_date=", "")),
    ).length;
    const m = (await manifest()).tables.payment_attempts!;
    const summary = summarizeMetrics(lake.nodes, await totals());
    expect(summary.scans).toHaveLength(1);
    expect(summary.partitionsRead).toBe(BigInt(expected));
    expect(summary.partitionsPruned).toBe(BigInt((m.partitions ?? 0) - expected));
    expect(summary.filesRead).toBe(BigInt(expected));
    expect(summarizeMetrics(raw.nodes).partitionsRead).toBeNull();
  }

  async function expectShuffleFreeJoin(): Promise<void> {
    const question = questions().find((q) => q.id === "segment_revenue")!;
    const src = await sources();
    for (const [key, value] of Object.entries(question.conf ?? {})) await spark.conf.set(key, value);
    try {
      const lake = await collectWithMetrics(question.lake(src.lake));
      const raw = await collectWithMetrics(question.raw(src.raw));
      expect(lake.rows).toEqual(raw.rows);
      expect(joinShuffles(lake.nodes)).toEqual([{ join: "SortMergeJoin", exchangesBelow: 0 }]);
      expect(joinShuffles(raw.nodes)).toEqual([{ join: "SortMergeJoin", exchangesBelow: 2 }]);
      expect(await question.lake(src.lake).explain("formatted")).toMatch(/SelectedBucketsCount: 8 out of 8/);
    } finally {
      for (const key of Object.keys(question.conf ?? {})) await spark.conf.unset(key);
    }
  }

  it("reads only one country's days of the week: partitions pruned, same answer as the raw tables", expectPruning);

  it("joins orders and customers without a shuffle below the join (raw needs one on each side)", expectShuffleFreeJoin);

  it("registers the tables again on a server that forgot them (as after a restart), keeping pruning and buckets", async () => {
    const dir = lakePath(data.dir);
    const m = await manifest();
    await dropCatalogEntries(spark, dir, m);
    expect(await spark.catalog.databaseExists(catalogDatabase(dir, m.buildId))).toBe(false);
    await expectPruning();
    await expectShuffleFreeJoin();
  });

  it("`explain --analyze --format json` reports what each step read and shuffled", async () => {
    const result = await runCli(
      ["explain", "aov-daily", "--data", data.dir, "--layout", "lake", "--analyze", "--format", "json"],
      { stateDir: data.scratch("state"), env: { SPARK_REMOTE: inject("sparkRemote") } },
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const steps = JSON.parse(result.stdout) as Array<{
      name: string;
      layout: string;
      plan: string;
      analysis: { wallMs: number; metrics: Record<string, unknown>; nodes: unknown[] };
    }>;
    expect(steps.map((s) => s.name).sort()).toEqual(["by_channel", "daily"]);
    for (const step of steps) {
      expect(step.layout).toBe("lake");
      expect(step.plan).toMatch(/Scan parquet spark_catalog\.retail_lab_lake_\w+\.orders/);
      expect(step.analysis.metrics).toMatchObject({
        filesRead: "8",
        rowsScanned: String(data.manifest.tables.orders.rows),
        exchanges: 2,
      });
      expect(Number(step.analysis.metrics.shuffleBytes)).toBeGreaterThan(0);
      expect(step.analysis.nodes.length).toBeGreaterThan(5);
    }
  });
});

describe("a lake that cannot be read", () => {
  it("is refused when missing, unfinished or built from another version of the dataset", async () => {
    const bare = data.scratch("bare");
    mkdirSync(bare);
    for (const table of TABLE_NAMES) symlinkSync(join(data.dir, table), join(bare, table), "dir");
    const inputs = [{ table: "orders" as const, columns: ["order_id"] }];
    await expect(openInputs(spark, bare, inputs, { layout: "lake" })).rejects.toThrow(
      new InputError(`there is no lake at ${join(bare, "lake")}; build it with \`retail-lab run lake --data ${bare}\``),
    );

    const dir = lakePath(data.dir);
    const complete = await manifest();
    await writeLakeManifest(spark, dir, { ...complete, status: "building" });
    try {
      await expect(openInputs(spark, data.dir, inputs, { layout: "lake" })).rejects.toThrow(
        /the lake at .* is incomplete: its build \(started .*\) did not finish; build it with `retail-lab run lake --data .*` again/,
      );
    } finally {
      await writeLakeManifest(spark, dir, complete);
    }

    const datasetManifest = join(data.dir, "_manifest.json");
    const original = readFileSync(datasetManifest, "utf8");
    writeFileSync(datasetManifest, JSON.stringify({ ...JSON.parse(original), seed: 7 }));
    try {
      await expect(openInputs(spark, data.dir, inputs, { layout: "lake" })).rejects.toThrow(
        /was built from another version of the dataset/,
      );
    } finally {
      writeFileSync(datasetManifest, original);
    }
    await expect(openInputs(spark, data.dir, inputs, { layout: "lake" })).resolves.toBeTypeOf("function");
  });
});
