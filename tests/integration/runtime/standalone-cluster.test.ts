/**
 * A standalone cluster on loopback (Master + 2 Workers + the Connect server as driver) answers a query
 * through our client, and `retail-lab spark stop` leaves none of its JVMs (executors included) behind.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relationPlan } from "../../../src/connect/plan/commands.ts";
import { sql } from "../../../src/connect/plan/relations.ts";
import { createClient } from "../../../src/connect/transport/index.ts";
import {
  AlreadyRunningError,
  findFreePort,
  findJava,
  findMarkedProcesses,
  installSpark,
  isOurProcess,
  isPortBusy,
  readState,
  type SparkInstall,
  type SparkState,
  sparkStateLayout,
  startSpark,
  stopDeployment,
} from "../../../src/runtime/index.ts";
import { runCli } from "./run-cli.ts";

const dir = join(process.cwd(), ".retail-lab", "test-runs", `cluster-${process.pid}`);
const layout = sparkStateLayout(dir);
let install: SparkInstall;
let state: SparkState;

beforeAll(async () => {
  install = await installSpark();
});

afterAll(async () => {
  const left = readState(layout);
  if (left) await stopDeployment(layout, left, { graceMs: 5000 });
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("standalone cluster", () => {
  it("starts a Master and 2 Workers on loopback and answers a query on their executors", async () => {
    state = await startSpark({
      install,
      java: findJava(),
      layout,
      port: await findFreePort("127.0.0.1"),
      workers: 2,
      workerCores: 1,
      memory: "1g",
      executorMemory: "1g",
      conf: { "spark.sql.shuffle.partitions": "4" },
    });
    expect(state.mode).toBe("standalone");
    expect(state.master).toMatch(/^spark:\/\/127\.0\.0\.1:\d+$/);
    expect(state.processes.map((p) => p.name)).toEqual(["master", "worker-1", "worker-2", "connect"]);
    expect(readState(layout)).toEqual(state);

    const client = createClient(state.remote);
    try {
      const plan = relationPlan(sql("SELECT count(*) AS n, sum(id) AS total FROM range(0, 1000000, 1, 8)"));
      const rows: Record<string, unknown>[] = [];
      for await (const event of client.executePlan(plan)) {
        if (event.kind === "arrow")
          rows.push(
            ...tableFromIPC(event.ipc)
              .toArray()
              .map((row) => row.toJSON()),
          );
      }
      expect(rows).toEqual([{ n: 1_000_000n, total: 499_999_500_000n }]);
    } finally {
      await client.close();
    }

    // Each worker launched one executor for the Connect server's application; both carry our marker.
    for (const worker of state.processes.filter((p) => p.role === "worker")) {
      expect(readFileSync(worker.log, "utf8")).toMatch(
        /Asked to launch executor app-\S+ for retail-lab Spark Connect server/,
      );
    }
    let marked = findMarkedProcesses(state.instanceId);
    for (let i = 0; i < 120 && marked.length < 6; i++) {
      await sleep(500);
      marked = findMarkedProcesses(state.instanceId);
    }
    expect(marked).toHaveLength(6);
    expect(marked).toEqual(expect.arrayContaining(state.processes.map((p) => p.pid)));
  });

  it("refuses to start a second deployment in the same state directory", async () => {
    await expect(startSpark({ install, java: findJava(), layout, port: 1 })).rejects.toThrow(AlreadyRunningError);
  });

  it("`retail-lab spark status` and `spark stop` report and stop exactly that cluster, leaving no process behind", async () => {
    const status = await runCli(["spark", "status"], { stateDir: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${state.remote} · running · standalone on ${state.master}`);
    expect(status.stdout).toMatch(/RPC: answers \(Spark 4\.\d+\.\d+\)/);

    const executors = findMarkedProcesses(state.instanceId).filter(
      (pid) => !state.processes.some((p) => p.pid === pid),
    );
    expect(executors).toHaveLength(2);
    const stop = await runCli(["spark", "stop"], { stateDir: dir });
    expect(stop.stderr).not.toMatch(/error/i);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`Stopped the Spark at ${state.remote}.`);
    for (const name of ["master", "worker-1", "worker-2", "connect"])
      expect(stop.stdout).toMatch(new RegExp(`${name}\\s+\\d+\\s+(stopped|killed)`));

    for (const pid of [...state.processes.map((p) => p.pid), ...executors]) {
      expect(isOurProcess(pid, state.instanceId), `pid ${pid}`).toBe(false);
    }
    expect(findMarkedProcesses(state.instanceId)).toEqual([]);
    expect(readState(layout)).toBeUndefined();
    expect(await isPortBusy(Number(new URL(state.remote.replace("sc:", "http:")).port), "127.0.0.1")).toBe(false);

    const after = await runCli(["spark", "status"], { stateDir: dir });
    expect(after.code).toBe(1);
    expect(after.stdout).toContain("No local Spark is running");
  });
});
