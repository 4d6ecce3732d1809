import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findJava } from "../../../src/runtime/java.ts";
import { sparkStateLayout } from "../../../src/runtime/paths.ts";
import {
  deploymentStatus,
  findMarkedProcesses,
  instanceMarker,
  isOurProcess,
  processAlive,
  processCommandLine,
  readState,
  type SparkState,
  StateError,
  stopDeployment,
  terminate,
  writeState,
} from "../../../src/runtime/state.ts";

const dir = mkdtempSync(join(tmpdir(), "rl-state-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function sampleState(overrides: Partial<SparkState> = {}): SparkState {
  return {
    format: 1,
    instanceId: "11111111-2222-3333-4444-555555555555",
    mode: "local",
    remote: "sc://127.0.0.1:15002",
    master: "local[*]",
    sparkVersion: "4.1.3",
    sparkHome: "/cache/spark-4.1.3",
    startedAt: "2026-01-01T00:00:00.000Z",
    ownerPid: process.pid,
    ready: true,
    processes: [],
    ...overrides,
  };
}

describe("state file", () => {
  it("round-trips through an atomic write", () => {
    const layout = sparkStateLayout(join(dir, "roundtrip"));
    expect(readState(layout)).toBeUndefined();
    const state = sampleState({ processes: [{ role: "connect", name: "connect", pid: 42, port: 15002, log: "/l" }] });
    writeState(layout, state);
    expect(readState(layout)).toEqual(state);
    expect(existsSync(`${layout.stateFile}.${process.pid}.tmp`)).toBe(false);
  });

  it("names the file when it is corrupt or not ours", () => {
    const layout = sparkStateLayout(join(dir, "corrupt"));
    mkdirSync(layout.root, { recursive: true });
    writeFileSync(layout.stateFile, "{ not json");
    expect(() => readState(layout)).toThrow(StateError);
    expect(() => readState(layout)).toThrow(/corrupt\/spark\/state\.json is not valid JSON/);
    writeFileSync(layout.stateFile, JSON.stringify({ format: 7 }));
    expect(() => readState(layout)).toThrow(/is not a retail-lab Spark state file \(format 7\)/);
  });
});

it("processAlive tells a live pid from one that has exited", async () => {
  expect(processAlive(process.pid)).toBe(true);
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  expect(processAlive(child.pid ?? -1)).toBe(false);
});

describe("processes", () => {
  let java: string;
  const sleeper = join(dir, "Sleeper.java");

  beforeAll(() => {
    java = findJava().path;
    // A JVM that just waits; "stubborn" makes its shutdown hook hang so only SIGKILL ends it.
    writeFileSync(
      sleeper,
      `public class Sleeper {
        public static void main(String[] args) throws Exception {
          if (args.length > 0) Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            while (true) { try { Thread.sleep(1000); } catch (InterruptedException e) { } }
          }));
          System.out.println("ready");
          Thread.sleep(600_000);
        }
      }`,
    );
  });

  /** Starts a marked JVM and resolves with its pid once it runs main(). */
  function startJvm(instanceId: string, stubborn = false): Promise<number> {
    const child = spawn(java, ["-Xmx32m", instanceMarker(instanceId), sleeper, ...(stubborn ? ["stubborn"] : [])], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.stdout?.once("data", () => resolve(child.pid ?? -1));
      child.once("exit", (code) => reject(new Error(`test JVM exited early with ${code}`)));
    });
  }

  it("recognises only live JVMs carrying the deployment's marker", async () => {
    const pid = await startJvm("aaaa");
    expect(processCommandLine(pid)).toContain(instanceMarker("aaaa"));
    expect(isOurProcess(pid, "aaaa")).toBe(true);
    expect(isOurProcess(pid, "bbbb")).toBe(false);
    expect(isOurProcess(process.pid, "aaaa")).toBe(false);
    expect(isOurProcess(2 ** 22 + 7, "aaaa")).toBe(false);
    expect(findMarkedProcesses("aaaa")).toEqual([pid]);
    const outcome = await terminate([pid], "aaaa", 10_000);
    expect(outcome.get(pid)).toBe("stopped");
    expect(isOurProcess(pid, "aaaa")).toBe(false);
  }, 30_000);

  it("escalates to SIGKILL after the grace period, and never signals a pid that is not ours", async () => {
    const stubborn = await startJvm("cccc", true);
    const stranger = spawn("sleep", ["30"]);
    children.push(stranger);
    const strangerPid = stranger.pid ?? -1;
    const outcome = await terminate([stubborn, strangerPid], "cccc", 1000);
    expect(outcome.get(stubborn)).toBe("killed");
    expect(outcome.get(strangerPid)).toBe("not running");
    expect(isOurProcess(stubborn, "cccc")).toBe(false);
    expect(processCommandLine(strangerPid)).toEqual(["sleep", "30"]);
  }, 30_000);

  it("reports liveness and stops a whole deployment, removing state and scratch but keeping logs", async () => {
    const layout = sparkStateLayout(join(dir, "deployment"));
    for (const d of [layout.logs, layout.local, layout.tmp, layout.work]) mkdirSync(d, { recursive: true });
    writeFileSync(join(layout.logs, "connect.log"), "log");
    const instanceId = "dddd";
    const [master, connect] = [await startJvm(instanceId), await startJvm(instanceId)];
    const stray = await startJvm(instanceId);
    const state = sampleState({
      instanceId,
      mode: "standalone",
      processes: [
        { role: "master", name: "master", pid: master, log: "m" },
        { role: "connect", name: "connect", pid: connect, log: "c" },
      ],
    });
    writeState(layout, state);
    expect(deploymentStatus(state).running).toBe(true);

    const report = await stopDeployment(layout, state, { graceMs: 10_000 });
    expect(report.processes).toEqual([
      { name: "master", pid: master, outcome: "stopped" },
      { name: "connect", pid: connect, outcome: "stopped" },
    ]);
    expect(report.strays).toEqual([stray]);
    expect(findMarkedProcesses(instanceId)).toEqual([]);
    expect(deploymentStatus(state)).toMatchObject({ running: false, processes: [{ alive: false }, { alive: false }] });
    expect(readState(layout)).toBeUndefined();
    expect([layout.local, layout.tmp, layout.work].map(existsSync)).toEqual([false, false, false]);
    expect(existsSync(join(layout.logs, "connect.log"))).toBe(true);
  }, 60_000);
});
