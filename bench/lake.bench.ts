/**
 * `npm run bench:lake`: the same questions on the raw generated tables and on the lake, side by side in one
 * run, with what Spark measured (files, bytes and partitions read, rows scanned, shuffles and their bytes,
 * exchanges below each join) and the raw/lake ratios. Runs alternate between layouts; times are medians of
 * BENCH_REPEAT runs (default 3). Results must be identical on both layouts, or the bench fails.
 *
 * Env: SPARK_REMOTE (else the local Spark is used, started for the run if needed); BENCH_DATA, a dataset
 * (default: the `seed` preset, generated once under the state directory); BENCH_COUNTRY, BENCH_CHANNEL.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generate, resolveScenario } from "../generators/index.ts";
import { tablePath } from "../jobs/data-paths.ts";
import type { Job, ParamSpecs } from "../jobs/job.ts";
import { lakeJob } from "../jobs/lake.ts";
import { LakeError, openLake } from "../jobs/lake-layout.ts";
import { joinShuffles, type QueryMetrics, summarizeMetrics } from "../jobs/plan-metrics.ts";
import { toJson } from "../jobs/result-files.ts";
import { runJobs } from "../jobs/runner.ts";
import { formatBytes, formatCount, formatDuration, note, print, renderTable } from "../src/cli/output.ts";
import { type DataFrame, type PlanNodeMetrics, rowsFromTable, SparkSession } from "../src/index.ts";
import { ensureLocalSpark, stateDir } from "../src/runtime/index.ts";
import { defaultSettings, type LakeQuestion, lakeQuestions, type TableSource } from "./lake-questions.ts";

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

interface Measured {
  ms: number[];
  rows: string;
  metrics: QueryMetrics;
  joins: Array<{ join: string; exchangesBelow: number }>;
}

/** The dataset to measure: BENCH_DATA, or the seed preset generated once. */
async function dataset(): Promise<string> {
  if (process.env.BENCH_DATA) return process.env.BENCH_DATA;
  const dir = join(stateDir(), "bench", "seed");
  if (!existsSync(join(dir, "_manifest.json"))) {
    note(`Generating the seed preset into ${dir}…`);
    const { scenario, preset } = resolveScenario({ preset: "seed" });
    await generate({ scenario, preset, out: dir });
  }
  return dir;
}

async function run(frame: DataFrame): Promise<{ ms: number; rows: string; nodes: PlanNodeMetrics[] }> {
  const nodes: PlanNodeMetrics[] = [];
  const started = performance.now();
  const table = await frame.toArrow({ onMetrics: (reported) => nodes.push(...reported) });
  return { ms: performance.now() - started, rows: toJson(rowsFromTable(table)), nodes };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const ratio = (raw: number | bigint, lake: number | bigint) =>
  Number(lake) === 0 ? "–" : `${(Number(raw) / Number(lake)).toFixed(Number(raw) / Number(lake) >= 10 ? 0 : 1)}×`;

async function main(): Promise<void> {
  const dataDir = await dataset();
  const windowStart = (
    JSON.parse(readFileSync(tablePath(dataDir, "_manifest.json"), "utf8")) as {
      window: { start: string };
    }
  ).window.start;
  const local = await ensureLocalSpark();
  const spark = await SparkSession.builder().remote(local.remote).appName("retail-lab bench:lake").create();
  try {
    let lake = await openLake(spark, dataDir).catch((error: unknown) => {
      if (error instanceof LakeError) return undefined;
      throw error;
    });
    if (!lake) {
      note(`Building the lake under ${dataDir}/lake…`);
      const [built] = await runJobs({ spark, dataDir, jobs: [lakeJob as unknown as Job<ParamSpecs>] });
      note(`Lake built in ${formatDuration(built?.wallMs ?? 0)}.`);
      lake = await openLake(spark, dataDir);
    }
    const opened = lake;
    const totals = new Map<string, number>();
    for (const [table, entry] of Object.entries(opened.manifest.tables)) {
      if (entry?.partitions != null) totals.set(`${opened.database}.${table}`, entry.partitions);
    }
    const sources: Record<"raw" | "lake", TableSource> = {
      raw: (table) => spark.read.parquet(tablePath(dataDir, table)),
      lake: (table) => opened.table(table),
    };
    const settings = {
      ...defaultSettings(windowStart),
      ...(process.env.BENCH_COUNTRY ? { country: process.env.BENCH_COUNTRY } : {}),
      ...(process.env.BENCH_CHANNEL ? { channel: process.env.BENCH_CHANNEL } : {}),
    };
    const questions = lakeQuestions(settings);
    const results = new Map<LakeQuestion, Record<"raw" | "lake", Measured>>();
    for (const question of questions) {
      note(`${question.id}: ${question.title}`);
      for (const [key, value] of Object.entries(question.conf ?? {})) await spark.conf.set(key, value);
      const measured: Partial<Record<"raw" | "lake", Measured>> = {};
      for (let i = 0; i < REPEAT; i++) {
        for (const layout of ["raw", "lake"] as const) {
          const frame = layout === "raw" ? question.raw(sources.raw) : question.lake(sources.lake);
          const once = await run(frame);
          // Plans and metrics are those of the first run; only the times are repeated.
          measured[layout] ??= {
            ms: [],
            rows: once.rows,
            metrics: summarizeMetrics(once.nodes, totals),
            joins: joinShuffles(once.nodes),
          };
          const entry = measured[layout];
          entry.ms.push(once.ms);
        }
      }
      for (const key of Object.keys(question.conf ?? {})) await spark.conf.unset(key);
      const both = measured as Record<"raw" | "lake", Measured>;
      if (both.raw.rows !== both.lake.rows) {
        throw new Error(
          `${question.id}: the lake answered differently from the raw tables:\n${both.raw.rows}\n${both.lake.rows}`,
        );
      }
      results.set(question, both);
    }
    report(dataDir, settings, results);
  } finally {
    await spark.stop();
    await local.stop();
  }
}

function report(
  dataDir: string,
  settings: ReturnType<typeof defaultSettings>,
  results: Map<LakeQuestion, Record<"raw" | "lake", Measured>>,
): void {
  const rows: Record<string, unknown>[] = [];
  for (const [question, both] of results) {
    for (const layout of ["raw", "lake"] as const) {
      const { ms, metrics: m, joins } = both[layout];
      rows.push({
        question: layout === "raw" ? question.id : "",
        layout,
        time: formatDuration(median(ms)),
        files: formatCount(Number(m.filesRead)),
        "bytes read": formatBytes(Number(m.bytesRead)),
        partitions:
          m.partitionsRead === null
            ? "–"
            : `${m.partitionsRead} read${m.partitionsPruned === null ? "" : `, ${m.partitionsPruned} pruned`}`,
        "rows scanned": formatCount(Number(m.rowsScanned)),
        shuffles: m.exchanges,
        "shuffle bytes": formatBytes(Number(m.shuffleBytes)),
        "exchanges below joins": joins.length === 0 ? "–" : joins.map((j) => j.exchangesBelow).join(", "),
      });
    }
    const raw = both.raw;
    const lake = both.lake;
    rows.push({
      question: "",
      layout: "raw/lake",
      time: ratio(median(raw.ms), median(lake.ms)),
      files: ratio(raw.metrics.filesRead, lake.metrics.filesRead),
      "bytes read": ratio(raw.metrics.bytesRead, lake.metrics.bytesRead),
      partitions: "",
      "rows scanned": ratio(raw.metrics.rowsScanned, lake.metrics.rowsScanned),
      shuffles: "",
      "shuffle bytes": ratio(raw.metrics.shuffleBytes, lake.metrics.shuffleBytes),
      "exchanges below joins": "",
    });
  }
  print(renderTable(rows, { title: `bench:lake on ${dataDir} (median of ${REPEAT} runs per layout)` }));
  print();
  print(`Questions (${settings.country}, week of ${settings.weekStart}, channel ${settings.channel}):`);
  for (const [question, both] of results) {
    const raw = both.raw;
    const lake = both.lake;
    print(
      `  ${question.id}: ${question.title}. Expected: ${question.expectation}. Measured: ` +
        `${formatDuration(median(raw.ms))} raw vs ${formatDuration(median(lake.ms))} lake; ` +
        `${formatBytes(Number(raw.metrics.bytesRead))} vs ${formatBytes(Number(lake.metrics.bytesRead))} read; ` +
        `${formatCount(Number(raw.metrics.rowsScanned))} vs ${formatCount(Number(lake.metrics.rowsScanned))} rows scanned; ` +
        `${raw.metrics.exchanges} vs ${lake.metrics.exchanges} shuffles. Same rows on both layouts.`,
    );
  }
}

await main();
