/**
 * `npm run bench:jobs`: the analysis job suite on generated datasets of about 1M and 10M events (clickstream +
 * cart_events + payment_attempts) on the local Spark server. Prints, per job, the wall time at each size, the
 * 10M/1M ratio (goal ≤ 10: linear or better) and the share of wall time the client process spent on its own
 * CPU (goal ≤ 5%: process.cpuUsage() around the job against its wall time), then the reference study's funnel
 * SQL beside our funnel job on the same data.
 *
 * SPARK_REMOTE selects the server, else the local one is used (started for the run and stopped after it when
 * none is running). BENCH_EVENTS (default 1000000,10000000), BENCH_SEED (42), BENCH_GEN_WORKERS (one per core),
 * BENCH_SPARK_MEMORY (driver heap when the bench starts Spark, default 4g), BENCH_WARMUP=0 skips the untimed
 * warm-up pass on a small dataset. Datasets are kept under <state dir>/bench-data and reused while the
 * generator version, seed and size match.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { GENERATOR_VERSION, generate, MANIFEST_FILE, type Manifest, resolveScenario } from "../generators/index.ts";
import { referenceStageCounts } from "../jobs/funnel.ts";
import { REFERENCE_FUNNEL_SQL } from "../jobs/reference-sql.ts";
import { selectJobs } from "../jobs/registry.ts";
import { runJobs } from "../jobs/runner.ts";
import { formatCount, formatDuration, note, print, renderTable } from "../src/cli/output.ts";
import { SparkSession } from "../src/index.ts";
import { ensureLocalSpark, findFreePort, SPARK_PIN, stateDir } from "../src/runtime/index.ts";

/** The jobs timed, in order: extend this list to bench more jobs (ids from jobs/registry.ts). */
export const BENCH_JOBS: string[] = [
  "funnel",
  "payment-failures",
  "cross-sell",
  "aov-daily",
  "channel-growth",
  "data-quality",
  "reference-sql",
  // Issue 6 (M): the mart writes its star schema, kpis builds it in its plan, customer-profiles writes documents.
  "mart",
  "kpis",
  "customer-profiles",
];

const EVENTS = (process.env.BENCH_EVENTS ?? "1000000,10000000").split(",").map((s) => Number(s.trim()));
const SEED = Number(process.env.BENCH_SEED ?? 42);
const GEN_WORKERS = process.env.BENCH_GEN_WORKERS ? Number(process.env.BENCH_GEN_WORKERS) : undefined;
const WARMUP = process.env.BENCH_WARMUP !== "0";
const REPEAT_SQL = 3;
const CPU_GOAL = 0.05;

if (EVENTS.length < 2 || EVENTS.some((n) => !Number.isInteger(n) || n < 10_000)) {
  throw new Error(`BENCH_EVENTS must list at least two event counts ≥ 10000, got "${process.env.BENCH_EVENTS}"`);
}

interface Timing {
  wallMs: number;
  cpuMs: number;
  rowsScanned: bigint | undefined;
}

interface SizeResult {
  events: number;
  sessions: number;
  jobs: Map<string, Timing>;
  referenceSqlMs: number;
  referenceCountsMs: number;
}

/** Events per session of the scenario, from a small generation (the size knob is sessions, not events). */
async function eventsPerSession(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "retail-lab-bench-calibrate-"));
  try {
    const { scenario, preset } = resolveScenario({ preset: "seed", overrides: { sessions: 5_000, seed: SEED } });
    const result = await generate({ scenario, preset, out: join(dir, "data"), workers: 1 });
    return result.events / 5_000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A dataset of about `events` events (seed preset's world, more sessions), generated once and then reused. */
async function dataset(events: number, perSession: number): Promise<{ dir: string; manifest: Manifest }> {
  const sessions = Math.max(1, Math.round(events / perSession));
  const dir = join(stateDir(), "bench-data", `jobs-${sessions}-sessions-seed-${SEED}`);
  const manifestPath = join(dir, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    if (manifest.generator.version === GENERATOR_VERSION && manifest.scenario.sessions === sessions) {
      note(`Reusing ${dir} (${formatCount(manifest.events)} events)`);
      return { dir, manifest };
    }
  }
  note(`Generating ${formatCount(events)} events (${formatCount(sessions)} sessions) into ${dir}…`);
  const { scenario, preset } = resolveScenario({ preset: "seed", overrides: { sessions, seed: SEED } });
  const started = performance.now();
  const result = await generate({
    scenario,
    preset,
    out: dir,
    force: true,
    ...(GEN_WORKERS ? { workers: GEN_WORKERS } : {}),
  });
  note(`  generated ${formatCount(result.events)} events in ${formatDuration(performance.now() - started)}`);
  return { dir, manifest: result.manifest };
}

/** Runs one job as `retail-lab run` does (results written), timing its wall and this process's CPU. */
async function timeJob(spark: SparkSession, dataDir: string, outDir: string, id: string): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const [run] = await runJobs({ spark, dataDir, jobs: selectJobs([id]), outDir });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, rowsScanned: run?.rowsScanned };
}

/** Best of REPEAT_SQL runs of an action, in ms. */
async function best(action: () => Promise<unknown>): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPEAT_SQL; i++) {
    const started = performance.now();
    await action();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

async function benchSize(spark: SparkSession, dir: string, manifest: Manifest, label: string): Promise<SizeResult> {
  const out = mkdtempSync(join(tmpdir(), "retail-lab-bench-results-"));
  try {
    const jobs = new Map<string, Timing>();
    for (const id of BENCH_JOBS) {
      const timing = await timeJob(spark, dir, out, id);
      note(
        `  ${label} ${id}: ${formatDuration(timing.wallMs)}, client CPU ${formatDuration(timing.cpuMs)} (${percent(timing.cpuMs / timing.wallMs)})`,
      );
      jobs.set(id, timing);
    }
    const read = (table: string) => spark.read.parquet(join(dir, table));
    for (const table of ["clickstream", "cart_events", "payment_attempts"]) {
      await read(table).createOrReplaceTempView(table);
    }
    const referenceSqlMs = await best(async () => (await spark.sql(REFERENCE_FUNNEL_SQL)).toArrow());
    const referenceCountsMs = await best(() =>
      referenceStageCounts(read("clickstream"), read("cart_events"), read("payment_attempts")).toArrow(),
    );
    return { events: manifest.events, sessions: manifest.scenario.sessions, jobs, referenceSqlMs, referenceCountsMs };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const seconds = (ms: number) => (ms / 1000).toFixed(1);

const perSession = await eventsPerSession();
const sets = [];
for (const events of EVENTS) sets.push(await dataset(events, perSession));

const local = await ensureLocalSpark({
  port: await findFreePort("127.0.0.1"),
  memory: process.env.BENCH_SPARK_MEMORY ?? "4g",
  onEvent: (e) => {
    if (e.kind === "note") note(e.message);
  },
});
const spark = await SparkSession.builder().remote(local.remote).appName("retail-lab bench:jobs").getOrCreate();
try {
  const master = await spark.conf.get("spark.master");
  if (WARMUP) {
    note("Warm-up pass (untimed) on a 20,000-session dataset…");
    const warm = mkdtempSync(join(tmpdir(), "retail-lab-bench-warmup-"));
    try {
      const { scenario, preset } = resolveScenario({ preset: "demo", overrides: { seed: SEED } });
      await generate({ scenario, preset, out: join(warm, "data"), workers: 1 });
      await runJobs({ spark, dataDir: join(warm, "data"), jobs: selectJobs(BENCH_JOBS), outDir: join(warm, "out") });
    } finally {
      rmSync(warm, { recursive: true, force: true });
    }
  }
  const results: SizeResult[] = [];
  for (const set of sets) {
    const label = `${formatCount(set.manifest.events)} events`;
    note(`Timing the job suite on ${label}…`);
    results.push(await benchSize(spark, set.dir, set.manifest, label));
  }

  const first = results[0]!;
  const last = results[results.length - 1]!;
  const scale = last.events / first.events;
  const sizeLabel = (r: SizeResult) => formatCount(r.events);
  const rows: Record<string, unknown>[] = [];
  const total = (r: SizeResult) => {
    let wallMs = 0;
    let cpuMs = 0;
    for (const t of r.jobs.values()) {
      wallMs += t.wallMs;
      cpuMs += t.cpuMs;
    }
    return { wallMs, cpuMs, rowsScanned: undefined };
  };
  for (const id of [...BENCH_JOBS, "suite"]) {
    const timing = (r: SizeResult) => (id === "suite" ? total(r) : r.jobs.get(id)!);
    const row: Record<string, unknown> = { job: id };
    for (const r of results) row[`wall s @${sizeLabel(r)}`] = seconds(timing(r).wallMs);
    const ratio = timing(last).wallMs / timing(first).wallMs;
    row[`ratio ${sizeLabel(last)}/${sizeLabel(first)}`] = `${ratio.toFixed(2)} ${ratio <= scale ? "met" : "NOT met"}`;
    for (const r of results) {
      const share = timing(r).cpuMs / timing(r).wallMs;
      row[`client CPU @${sizeLabel(r)}`] = `${percent(share)} ${share <= CPU_GOAL ? "met" : "NOT met"}`;
    }
    const scanned = timing(last).rowsScanned;
    row[`rows scanned @${sizeLabel(last)}`] = scanned === undefined ? "–" : formatCount(Number(scanned));
    rows.push(row);
  }
  print(
    renderTable(rows, {
      title: `Job suite on Spark ${SPARK_PIN.version} (${master}, ${local.remote}); goals: ratio ≤ ${scale.toFixed(1)} (events ratio), client CPU ≤ ${percent(CPU_GOAL)}`,
    }),
  );
  print();
  print(
    renderTable(
      results.map((r) => {
        const funnel = r.jobs.get("funnel");
        return {
          events: formatCount(r.events),
          sessions: formatCount(r.sessions),
          "reference funnel SQL s": seconds(r.referenceSqlMs),
          "our reference_counts s": seconds(r.referenceCountsMs),
          "our funnel job s": funnel ? seconds(funnel.wallMs) : "–",
          "funnel job / reference SQL": funnel ? (funnel.wallMs / r.referenceSqlMs).toFixed(2) : "–",
        };
      }),
      {
        title: `Reference study's funnel SQL (best of ${REPEAT_SQL}) vs ours: the same four counts, and the whole funnel job (event counts, ordered session funnel, time to convert, three breakdowns)`,
      },
    ),
  );
  print();
  print(
    `Load average (1/5/15 min) at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" / ")}`,
  );
} finally {
  await spark.stop();
  await local.stop();
}
