/**
 * The job runner against the real server: result folders appear whole or not at all (a failure mid-job leaves
 * none, an existing folder is replaced only by a complete one), a bad parameter names the allowed values, a
 * missing input table or column names it and the generate command, and aborting (Ctrl-C) interrupts the running
 * Spark operation and leaves no partial results.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineJob, type Job, type ParamSpecs } from "../../../jobs/job.ts";
import { selectJobs } from "../../../jobs/registry.ts";
import { runJobs } from "../../../jobs/runner.ts";
import { F, type SparkSession } from "../../../src/index.ts";
import { connect, copyDataset, type Dataset, generateDemo } from "./fixtures.ts";

let spark: SparkSession;
let data: Dataset;

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-runner-test");
  data = await generateDemo({ sessions: 2_000 });
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

const asJob = <S extends ParamSpecs>(job: Job<S>) => job as unknown as Job<ParamSpecs>;

/** A job whose first result succeeds and whose second fails inside Spark, or succeeds when `fail` is false. */
const twoStepJob = (fail: boolean) =>
  asJob(
    defineJob({
      id: "two-step",
      title: "Two results",
      description: "A count, then a result that fails in Spark when asked to.",
      inputs: [{ table: "sessions", columns: ["session_id", "channel"] }],
      params: {},
      plan: ({ input }) => ({
        count: { title: "Sessions", frame: input("sessions").agg(F.count(F.lit(1)).alias("sessions")) },
        channels: {
          title: "Channels",
          frame: fail
            ? input("sessions").select(F.raise_error(F.lit("planted failure in the second result")))
            : input("sessions")
                .groupBy("channel")
                .agg(F.count(F.lit(1)).alias("sessions"))
                .orderBy("channel"),
        },
      }),
      findings: (results) => [{ id: "rows", text: `${results.count?.[0]?.sessions} sessions` }],
    }),
  );

/** Entries of a folder other than the given job folders: staging or previous copies left behind. */
const leftovers = (out: string, keep: string[]) => readdirSync(out).filter((name) => !keep.includes(name));

describe("result folders are written atomically", () => {
  it("a completed job's folder holds Parquet and JSON for every result plus findings.json", async () => {
    const out = data.scratch("out-complete");
    const [run] = await runJobs({ spark, dataDir: data.dir, jobs: [twoStepJob(false)], outDir: out });
    expect(run?.outputPath).toBe(join(out, "two-step"));
    expect(readdirSync(join(out, "two-step")).sort()).toEqual([
      "channels.json",
      "channels.parquet",
      "count.json",
      "count.parquet",
      "findings.json",
    ]);
    expect(leftovers(out, ["two-step"])).toEqual([]);
    const parquet = await parquetReadObjects({
      file: await asyncBufferFromFile(join(out, "two-step", "count.parquet")),
    });
    expect(parquet).toEqual([{ sessions: 2000n }]);
    const json = JSON.parse(readFileSync(join(out, "two-step", "channels.json"), "utf8"));
    expect(json.title).toBe("Channels");
    expect(json.rows.map((r: { channel: string }) => r.channel)).toEqual(["app", "web"]);
    expect(json.rows.reduce((n: number, r: { sessions: number }) => n + r.sessions, 0)).toBe(2000);
    const findings = JSON.parse(readFileSync(join(out, "two-step", "findings.json"), "utf8"));
    expect(findings).toEqual({ job: "two-step", params: {}, findings: [{ id: "rows", text: "2000 sessions" }] });
  });

  it("a failure in a job's second result leaves no folder for it, and earlier jobs' folders intact", async () => {
    const out = data.scratch("out-failure");
    const jobs = [...selectJobs(["aov-daily"]), twoStepJob(true)];
    await expect(runJobs({ spark, dataDir: data.dir, jobs, outDir: out })).rejects.toThrow(
      /planted failure in the second result/,
    );
    expect(readdirSync(out)).toEqual(["aov-daily"]);
    expect(readdirSync(join(out, "aov-daily"))).toContain("findings.json");
  });

  it("an existing folder is replaced only by a complete one", async () => {
    const out = data.scratch("out-replace");
    mkdirSync(join(out, "two-step"), { recursive: true });
    writeFileSync(join(out, "two-step", "previous-run.json"), "{}");
    await expect(runJobs({ spark, dataDir: data.dir, jobs: [twoStepJob(true)], outDir: out })).rejects.toThrow(
      /planted failure/,
    );
    expect(readdirSync(join(out, "two-step"))).toEqual(["previous-run.json"]);
    expect(leftovers(out, ["two-step"])).toEqual([]);
    await runJobs({ spark, dataDir: data.dir, jobs: [twoStepJob(false)], outDir: out });
    expect(readdirSync(join(out, "two-step"))).not.toContain("previous-run.json");
    expect(readdirSync(join(out, "two-step"))).toContain("channels.parquet");
    expect(leftovers(out, ["two-step"])).toEqual([]);
  });
});

describe("bad parameters and inputs are rejected before any Spark job runs", () => {
  const run = (ids: string[], params: Array<[string, string]>, dataDir = data.dir) => {
    const out = data.scratch(`out-rejected-${ids.join("-")}`);
    return {
      out,
      promise: runJobs({ spark, dataDir, jobs: selectJobs(ids), params, outDir: out }),
    };
  };

  it.each([
    [["funnel"], "window_minutes", "abc", /parameter window_minutes of job funnel is "abc"; expected a whole number/],
    [["funnel"], "window_minutes", "0", /parameter window_minutes of job funnel is 0; allowed range: 1 to 525600/],
    [
      ["cross-sell"],
      "segment",
      "gold",
      /parameter segment of job cross-sell is "gold"; allowed: all, vip, regular, occasional, new/,
    ],
    [
      ["funnel", "cross-sell"],
      "nope",
      "1",
      /no selected job has a parameter "nope"; parameters: funnel\.window_minutes, cross-sell\.anchor/,
    ],
  ])("%j with %s=%s", async (ids, key, value, message) => {
    const { out, promise } = run(ids, [[key, value]]);
    await expect(promise).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });

  it("a missing input table names it and the generate command", async () => {
    const copy = data.scratch("without-orders");
    await copyDataset(data.dir, copy, {});
    rmSync(join(copy, "orders"));
    const { out, promise } = run(["aov-daily"], [], copy);
    await expect(promise).rejects.toThrow(
      `input table orders is missing: ${join(copy, "orders")} does not exist; run \`retail-lab generate --out ${copy}\` to produce it`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("a missing input column names it and the generate command", async () => {
    const copy = data.scratch("without-device");
    await copyDataset(data.dir, copy, { sessions: spark.read.parquet(join(data.dir, "sessions")).drop("device") });
    const { promise } = run(["funnel"], [], copy);
    await expect(promise).rejects.toThrow(
      new RegExp(
        `input table sessions at ${join(copy, "sessions")} lacks column device \\(it has: session_id, customer_id, channel, country, started_at, ended_at\\); run \`retail-lab generate --out ${copy}\``,
      ),
    );
  });
});

describe("aborting (Ctrl-C)", () => {
  it("stops a real job between its results and leaves no partial results", async () => {
    const out = data.scratch("out-abort");
    const controller = new AbortController();
    const started: string[] = [];
    const promise = runJobs({
      spark,
      dataDir: data.dir,
      jobs: selectJobs(["payment-failures"]),
      outDir: out,
      signal: controller.signal,
      hooks: {
        onResultStart: (_job, name) => {
          started.push(name);
          if (started.length === 3) controller.abort(new Error("interrupted by Ctrl-C"));
        },
      },
    });
    await expect(promise).rejects.toThrow(/interrupted by Ctrl-C|abort/i);
    expect(started).toHaveLength(3);
    expect(existsSync(join(out, "payment-failures"))).toBe(false);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("interrupts the running Spark operation: the query stops and its tasks free the cores", async () => {
    // 2 partitions × 20 rows × 1 s of sleep: 20 s on both cores unless the operation is interrupted.
    const sleepy = asJob(
      defineJob({
        id: "sleepy",
        title: "Sleeps",
        description: "Keeps both cores busy for 20 s.",
        inputs: [],
        params: {},
        plan: ({ spark: s }) => ({
          slow: {
            title: "Slow",
            frame: s
              .range(0, 40, 1, 2)
              .select(F.reflect(F.lit("java.lang.Thread"), F.lit("sleep"), F.lit(1000n)).alias("slept")),
          },
        }),
      }),
    );
    const out = data.scratch("out-interrupt");
    const controller = new AbortController();
    let abortedAt = 0;
    const promise = runJobs({
      spark,
      dataDir: data.dir,
      jobs: [sleepy],
      outDir: out,
      signal: controller.signal,
      hooks: {
        onResultStart: () => {
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort(new Error("interrupted by Ctrl-C"));
          }, 3000);
        },
      },
    });
    await expect(promise).rejects.toThrow(/interrupted by Ctrl-C|abort/i);
    expect(performance.now() - abortedAt).toBeLessThan(5000);
    expect(existsSync(join(out, "sleepy"))).toBe(false);
    // Had the tasks kept sleeping, both cores would stay busy for about 17 s more.
    const probeStarted = performance.now();
    expect(await spark.range(0, 10, 1, 2).count()).toBe(10n);
    expect(performance.now() - probeStarted).toBeLessThan(10_000);
  });
});
