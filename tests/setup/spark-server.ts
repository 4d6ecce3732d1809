/**
 * Vitest global setup for integration tests: provides `sparkRemote` (an sc:// URL) to every test file.
 * Uses SPARK_REMOTE when set; otherwise installs (if needed) and starts one local Spark Connect server
 * on a free loopback port, in a state directory of its own, and stops exactly that server when the run
 * ends. A run killed before its teardown leaves a state file whose owner is dead: the next run stops
 * that server first, so no JVM outlives more than one run. RETAIL_LAB_TEST_WORKERS=N starts a standalone
 * cluster of N workers (one core each) instead of local mode: CI runs the jobs tests on it a second time.
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import {
  ensureLocalSpark,
  findFreePort,
  isOurProcess,
  processAlive,
  readState,
  sparkStateLayout,
  stopDeployment,
} from "../../src/runtime/index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    sparkRemote: string;
  }
}

/** Where test runs keep their Spark state: one `run-<pid>` folder per vitest process. */
export const TEST_RUNS_DIR = join(process.cwd(), ".retail-lab", "test-runs");

/**
 * Stops servers left by test runs that died before their teardown, and removes their folders. A folder
 * without a state file is only removed once it is old: a concurrent run may be about to write one.
 */
async function cleanUpAbandonedRuns(): Promise<void> {
  if (!existsSync(TEST_RUNS_DIR)) return;
  for (const entry of readdirSync(TEST_RUNS_DIR)) {
    const dir = join(TEST_RUNS_DIR, entry);
    const layout = sparkStateLayout(dir);
    let state: ReturnType<typeof readState>;
    try {
      state = readState(layout);
    } catch {
      state = undefined; // a corrupt state file names no processes we could stop
    }
    if (state && processAlive(state.ownerPid)) continue;
    if (!state && Date.now() - statSync(dir).mtimeMs < 3_600_000) continue;
    if (state) await stopDeployment(layout, state, { graceMs: 5000 });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RETAIL_LAB_TEST_WORKERS: 0 or unset for local mode, else the workers of a loopback standalone cluster. */
export function testWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.RETAIL_LAB_TEST_WORKERS ?? "0";
  if (!/^\d+$/.test(raw) || Number(raw) > 8) {
    throw new RangeError(`RETAIL_LAB_TEST_WORKERS=${raw} is not allowed; use 0 (local mode) to 8 workers`);
  }
  return Number(raw);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const remote = process.env.SPARK_REMOTE;
  if (remote) {
    project.provide("sparkRemote", remote);
    return async () => {};
  }
  await cleanUpAbandonedRuns();
  const dir = join(TEST_RUNS_DIR, `run-${process.pid}`);
  const workers = testWorkers();
  const spark = await ensureLocalSpark({
    env: { ...process.env, RETAIL_LAB_STATE: dir },
    port: await findFreePort("127.0.0.1"),
    memory: "2g",
    ...(workers > 0 ? { workers, workerCores: 1, executorMemory: "1g" } : {}),
    // Two cores: a handful of shuffle partitions keeps multi-stage test queries fast (the dev server uses 4 too).
    conf: { "spark.sql.shuffle.partitions": "4" },
  });
  const state = readState(sparkStateLayout(dir));
  // Last resort when vitest exits without running the teardown (e.g. process.exit in a worker crash):
  // signal our JVMs synchronously; the next run's clean-up catches anything still left.
  const onExit = () => {
    for (const p of state?.processes ?? []) {
      if (isOurProcess(p.pid, state?.instanceId ?? "")) process.kill(p.pid, "SIGTERM");
    }
  };
  process.once("exit", onExit);
  project.provide("sparkRemote", spark.remote);
  return async () => {
    process.removeListener("exit", onExit);
    await spark.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
