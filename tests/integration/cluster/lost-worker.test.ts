/**
 * A job on a loopback standalone cluster (Master + 2 Workers, one executor each) survives losing an executor:
 * the test SIGKILLs the executor JVM that is running tasks (a process our deployment started, found by its
 * instance marker) in the middle of `retail-lab run`, and the run still finishes with results identical to a
 * clean run on the same cluster and to local mode, while the CLI reports the lost executor and the task
 * attempts Spark ran again.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { selectJobs } from "../../../jobs/registry.ts";
import { runJobs } from "../../../jobs/runner.ts";
import { SparkSession } from "../../../src/index.ts";
import {
  findFreePort,
  findJava,
  findMarkedProcesses,
  installSpark,
  isOurProcess,
  processCommandLine,
  readState,
  type SparkState,
  sparkStateLayout,
  startSpark,
  stopDeployment,
} from "../../../src/runtime/index.ts";
import { type CliResult, runCli } from "../runtime/run-cli.ts";
import { generateSmallDataset, type SmallDataset } from "../support/small-dataset.ts";

/** Jobs with shuffle stages (joins, aggregations, windows), so lost map output must be recomputed. */
const JOBS = ["cross-sell", "aov-daily", "channel-growth"];

const dir = join(process.cwd(), ".retail-lab", "test-runs", `lost-worker-${process.pid}`);
const layout = sparkStateLayout(dir);
let state: SparkState;
let data: SmallDataset;

beforeAll(async () => {
  data = await generateSmallDataset("cluster");
  state = await startSpark({
    install: await installSpark(),
    java: findJava(),
    layout,
    port: await findFreePort("127.0.0.1"),
    workers: 2,
    workerCores: 1,
    memory: "1g",
    executorMemory: "1g",
    conf: { "spark.sql.shuffle.partitions": "4" },
  });
});

afterAll(async () => {
  const left = readState(layout);
  if (left) await stopDeployment(layout, left, { graceMs: 5000 });
  rmSync(dir, { recursive: true, force: true });
  data?.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RunOutput {
  job: string;
  results: Record<string, unknown[]>;
}

function runOnCluster(out: string, onStderr?: (text: string) => void): Promise<CliResult> {
  return runCli(["run", ...JOBS, "--data", data.dir, "--out", out, "--format", "json"], {
    stateDir: dir,
    ...(onStderr ? { onStderr } : {}),
  });
}

function results(result: CliResult): Record<string, Record<string, unknown[]>> {
  expect(result.stderr, result.stderr).not.toMatch(/error:/);
  expect(result.code).toBe(0);
  const runs = JSON.parse(result.stdout) as RunOutput[];
  return Object.fromEntries(runs.map((r) => [r.job, r.results]));
}

/** The driver's view of its executors, from the REST API the standalone deployment serves on loopback. */
async function executors(ui: string): Promise<Array<{ id: string; isActive: boolean; activeTasks: number }>> {
  const apps = (await (await fetch(`${ui}/api/v1/applications`)).json()) as Array<{ id: string }>;
  const app = apps[0]?.id ?? "";
  return (await (await fetch(`${ui}/api/v1/applications/${app}/allexecutors`)).json()) as Array<{
    id: string;
    isActive: boolean;
    activeTasks: number;
  }>;
}

/** The pid of the executor JVM with the given executor id: one of ours (marker), started by a worker. */
function executorPid(executorId: string): number | undefined {
  const ours = new Set(state.processes.map((p) => p.pid));
  return findMarkedProcesses(state.instanceId).find((pid) => {
    if (ours.has(pid)) return false;
    const argv = processCommandLine(pid) ?? [];
    return argv[argv.indexOf("--executor-id") + 1] === executorId;
  });
}

describe("a lost executor", () => {
  let clean: Record<string, Record<string, unknown[]>>;

  it("a clean run on the cluster gives the same results as local mode", { timeout: 600_000 }, async () => {
    clean = results(await runOnCluster(data.scratch("clean")));
    const local = await SparkSession.builder().remote(inject("sparkRemote")).appName("lost-worker reference").create();
    try {
      const runs = await runJobs({ spark: local, dataDir: data.dir, jobs: selectJobs(JOBS) });
      for (const run of runs) {
        // As `run --format json` prints them: bigints as strings, values as their JSON form.
        const printed = JSON.stringify(
          Object.fromEntries(run.results.map((r) => [r.name, r.rows])),
          (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
        );
        expect(clean[run.job.id], run.job.id).toEqual(JSON.parse(printed));
      }
    } finally {
      await local.stop();
    }
  });

  it("killed mid-job: the run completes with the same results and the CLI reports the loss and the retries", {
    timeout: 900_000,
  }, async () => {
    const probe = await SparkSession.builder().remote(state.remote).create();
    const ui = `http://127.0.0.1:${await probe.conf.get("spark.ui.port")}`;
    await probe.stop();
    // The executor is killed while the REST API shows it running tasks, but a short task can finish between that
    // check and the kill; then nothing has to run again. Such a run must still complete with the same results
    // and report the loss, and it is repeated (up to three times) until a kill lands on running tasks.
    let retried = 0;
    for (let attempt = 1; attempt <= 3 && retried === 0; attempt++) {
      let started = false;
      const run = runOnCluster(data.scratch(`killed-${attempt}`), (text) => {
        started ||= text.includes("[1/3]");
      });
      let finished = false;
      void run.finally(() => {
        finished = true;
      });
      let killed: { id: string; pid: number } | undefined;
      while (!killed && !finished) {
        if (!started) {
          await sleep(100);
          continue;
        }
        const busy = (await executors(ui).catch(() => [])).find(
          (e) => e.id !== "driver" && e.isActive && e.activeTasks > 0,
        );
        const pid = busy ? executorPid(busy.id) : undefined;
        if (busy && pid !== undefined && isOurProcess(pid, state.instanceId)) {
          process.kill(pid, "SIGKILL");
          killed = { id: busy.id, pid };
        } else await sleep(100);
      }
      expect(killed, "an executor was running tasks at some point").toBeDefined();
      const result = await run;
      expect(isOurProcess(killed!.pid, state.instanceId)).toBe(false);
      expect(results(result)).toEqual(clean);
      expect(result.stderr).toMatch(
        new RegExp(
          `Executor ${killed!.id} \\(127\\.0\\.0\\.1:\\d+\\) was lost: .+\\. Spark re-runs what it still needs of its work\\.`,
        ),
      );
      const summary =
        /Cluster: lost executor (\S+) .*; (no task attempt failed|(\d+) task attempts? failed and ran again).*\. The results are complete\./.exec(
          result.stderr,
        );
      expect(summary?.[1], result.stderr).toBe(killed!.id);
      retried = Number(summary?.[3] ?? 0);
      // The worker replaced the executor: the cluster has two live executors again.
      const live = (await executors(ui)).filter((e) => e.id !== "driver" && e.isActive);
      expect(live.map((e) => e.id)).not.toContain(killed!.id);
      expect(live).toHaveLength(2);
    }
    expect(retried, "a kill landed on running tasks, which ran again").toBeGreaterThan(0);
  });
});
