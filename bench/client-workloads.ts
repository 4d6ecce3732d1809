/**
 * The client benchmark's workloads through retail-lab's client, mirroring bench/pyspark/workloads.py line
 * by line. Usage: tsx bench/client-workloads.ts <workload> <sc://remote> <arg>. Prints one JSON object with
 * the figures and this process's peak RSS.
 */
import { functions as F, SparkSession } from "../src/index.ts";
import { sixColumns } from "./six-columns.ts";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function timed<T extends { length: number } | { numRows: number }>(work: () => Promise<T>) {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const rows = "numRows" in result ? result.numRows : result.length;
  return { rows, seconds, rows_per_s: seconds === 0 ? 0 : rows / seconds };
}

const WORKLOADS: Record<string, (spark: SparkSession, arg: string) => Promise<Record<string, number>>> = {
  async latency(spark, arg) {
    const n = Number(arg);
    await spark.range(1).collect();
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await spark.range(i, i + 1).collect();
      samples.push(performance.now() - t);
    }
    return { queries: n, median_ms: median(samples) };
  },
  "collect-arrow": (spark, arg) => timed(() => sixColumns(spark, Number(arg)).toArrow()),
  "collect-rows": (spark, arg) => timed(() => sixColumns(spark, Number(arg)).collect()),
  dataframe(spark, path) {
    return timed(() => {
      const events = spark.read.parquet(path);
      const perKey = events
        .where(F.col("d").notEqual(3))
        .groupBy("d")
        .agg(F.count("*").alias("n"), F.sum("a").alias("s"));
      const joined = events.where(F.col("id").mod(100).eq(0)).join(perKey, "d").select("id", "d", "n", "s");
      return joined.toArrow();
    });
  },
  async iterate(spark, path) {
    const started = performance.now();
    let rows = 0;
    for await (const _row of spark.read.parquet(path).toLocalIterator()) rows++;
    const seconds = (performance.now() - started) / 1000;
    return { rows, seconds, rows_per_s: rows / seconds };
  },
};

const [workload, remote, arg] = process.argv.slice(2);
const run = workload ? WORKLOADS[workload] : undefined;
if (!run || !remote || arg === undefined) {
  throw new Error(`usage: client-workloads.ts <${Object.keys(WORKLOADS).join("|")}> <sc://remote> <arg>`);
}
const spark = await SparkSession.builder().remote(remote).appName("bench").getOrCreate();
const cpuStarted = process.cpuUsage(); // every thread of the process
const result = await run(spark, arg);
const cpu = process.cpuUsage(cpuStarted);
await spark.stop();
process.stdout.write(
  `${JSON.stringify({ ...result, cpu_seconds: (cpu.user + cpu.system) / 1e6, peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
