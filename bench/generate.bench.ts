/**
 * `npm run bench:generate`: the generator's throughput and memory, beside a naive Faker-per-row generator
 * writing the same tables, in the same run. Each run is a fresh process (bench/generate-run.ts) measured
 * by /usr/bin/time -v (peak RSS of the whole process, worker threads included). Goals:
 * ≥ 10× the naive events/s, peak RSS at 20M events ≤ 1.3× that at 1M, both cores busy.
 *
 * Wall-clock figures need two idle cores; on a shared machine compare the events-per-CPU-second column too. Both
 * cover the same work: from after the imports to the end of the run, the CPU time summed over the process's
 * threads (V8's compiler and garbage collector included). The load average is printed with the results.
 * The generator uses one thread per 200,000 sessions (SESSIONS_PER_THREAD) up to --workers, so the threads
 * column says how many it used; memory is compared at equal worker counts, where only the data size differs.
 *
 * BENCH_SMALL / BENCH_LARGE set the event counts (default 1,000,000 and 20,000,000); BENCH_NAIVE_LARGE=1
 * also times the naive generator at the large size (slow: minutes).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { formatCount, print, renderTable } from "../src/cli/output.ts";

const ROOT = resolve(import.meta.dirname, "..");
const SMALL = Number(process.env.BENCH_SMALL ?? 1_000_000);
const LARGE = Number(process.env.BENCH_LARGE ?? 20_000_000);
const WORKERS = availableParallelism();

interface Figures {
  events: number;
  /** Threads the generator used (it uses fewer than --workers on small datasets). */
  threads?: number;
  rows: Record<string, number>;
  bytes: number;
  seconds: number;
  events_per_s: number;
  max_rss_mb: number;
  /** CPU time of all the process's threads over the same span as `seconds`. */
  cpu_seconds: number;
}

function run(args: string[]): Figures {
  const script = [join(ROOT, "bench", "generate-run.ts"), ...args];
  const timed = existsSync("/usr/bin/time");
  const [command, argv] = timed
    ? ["/usr/bin/time", ["-v", process.execPath, "--import", "tsx", ...script]]
    : [process.execPath, ["--import", "tsx", ...script]];
  const result = spawnSync(command, argv, { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`generate-run ${args.join(" ")} failed:\n${result.stderr}`);
  const figures = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as Figures;
  if (timed) {
    const field = (label: string) => result.stderr.match(new RegExp(`${label}: (.+)`))?.[1]?.trim() ?? "";
    figures.max_rss_mb = Number(field("Maximum resident set size \\(kbytes\\)")) / 1024;
  }
  return figures;
}

const dir = mkdtempSync(join(tmpdir(), "retail-lab-bench-"));
try {
  const rows: Record<string, unknown>[] = [];
  const record = (name: string, f: Figures) => {
    rows.push({
      run: name,
      events: f.events,
      threads: f.threads ?? 1,
      seconds: f.seconds.toFixed(1),
      "events/s": formatCount(f.events_per_s),
      "events/CPU-s": formatCount(f.events / f.cpu_seconds),
      "peak RSS MB": f.max_rss_mb.toFixed(0),
      "CPU %": Math.round((100 * f.cpu_seconds) / f.seconds),
    });
    process.stderr.write(`${name}: ${formatCount(f.events)} events in ${f.seconds.toFixed(1)} s\n`);
    return f;
  };
  const fastSmall = record(
    `generator ${formatCount(SMALL)}, ${WORKERS} workers`,
    run(["fast", String(SMALL), String(WORKERS), join(dir, "fast-small")]),
  );
  const fastSmallOne = record(
    `generator ${formatCount(SMALL)}, 1 worker`,
    run(["fast", String(SMALL), "1", join(dir, "fast-small-1")]),
  );
  rmSync(join(dir, "fast-small-1"), { recursive: true, force: true });
  const fastLarge = record(
    `generator ${formatCount(LARGE)}, ${WORKERS} workers`,
    run(["fast", String(LARGE), String(WORKERS), join(dir, "fast-large")]),
  );
  rmSync(join(dir, "fast-large"), { recursive: true, force: true });
  const fastLargeOne = record(
    `generator ${formatCount(LARGE)}, 1 worker`,
    run(["fast", String(LARGE), "1", join(dir, "fast-large-1")]),
  );
  rmSync(join(dir, "fast-large-1"), { recursive: true, force: true });
  const naiveSmall = record(
    `naive Faker-per-row ${formatCount(SMALL)}`,
    run(["naive", join(dir, "naive-small"), JSON.stringify(fastSmall.rows)]),
  );
  let naiveLarge: Figures | undefined;
  if (process.env.BENCH_NAIVE_LARGE === "1") {
    naiveLarge = record(
      `naive Faker-per-row ${formatCount(LARGE)}`,
      run(["naive", join(dir, "naive-large"), JSON.stringify(fastLarge.rows)]),
    );
  }
  print(
    renderTable(rows, {
      title: `Generator benchmark (each run a fresh process; peak RSS includes worker threads; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")})`,
    }),
  );
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  print();
  print(
    renderTable(
      [
        {
          figure: `events/s vs naive at ${formatCount(SMALL)} (${WORKERS} workers)`,
          value: ratio(fastSmall.events_per_s, naiveSmall.events_per_s),
          goal: "≥ 10×",
        },
        {
          figure: `events/s vs naive at ${formatCount(SMALL)}, 1 worker each`,
          value: ratio(fastSmallOne.events_per_s, naiveSmall.events_per_s),
          goal: "",
        },
        {
          figure: `events per CPU-second vs naive at ${formatCount(SMALL)} (load-independent)`,
          value: ratio(fastSmall.events / fastSmall.cpu_seconds, naiveSmall.events / naiveSmall.cpu_seconds),
          goal: "",
        },
        {
          figure: `events/s vs naive, generator at ${formatCount(LARGE)}`,
          value: ratio(fastLarge.events_per_s, (naiveLarge ?? naiveSmall).events_per_s),
          goal: "≥ 10×",
        },
        {
          figure: `peak RSS ${formatCount(LARGE)} / ${formatCount(SMALL)}, 1 worker each (data size alone)`,
          value: ratio(fastLargeOne.max_rss_mb, fastSmallOne.max_rss_mb),
          goal: "≤ 1.3×",
        },
        {
          figure: `peak RSS ${formatCount(LARGE)} / ${formatCount(SMALL)}, ${WORKERS} workers (threads ${fastLarge.threads ?? "?"} / ${fastSmall.threads ?? "?"})`,
          value: ratio(fastLarge.max_rss_mb, fastSmall.max_rss_mb),
          goal: "",
        },
        {
          figure: `CPU use at ${formatCount(LARGE)} (cores busy)`,
          value: `${(fastLarge.cpu_seconds / fastLarge.seconds).toFixed(2)} of ${WORKERS}`,
          goal: `${WORKERS}`,
        },
      ],
      { title: "Ratios" },
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
