/**
 * The state file of a local Spark deployment: which JVMs were started (pid, role, port, log), in what
 * mode, and the sc:// address clients use. Stopping signals exactly those pids, and only after checking
 * that each still runs a JVM carrying this deployment's instance marker on its command line, so a
 * reused pid or someone else's Spark is never touched.
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SparkStateLayout } from "./paths.ts";

export type SparkRole = "connect" | "master" | "worker";

export interface ProcessRecord {
  role: SparkRole;
  /** Unique within a deployment: "connect", "master", "worker-1", … */
  name: string;
  pid: number;
  /** The port it serves clients on (Connect gRPC, Master RPC); workers pick a random one. */
  port?: number;
  log: string;
}

export interface SparkState {
  format: 1;
  /** Put on every JVM's command line as `-Dretail-lab.instance=<id>`; executors inherit it too. */
  instanceId: string;
  mode: "local" | "standalone";
  /** The sc:// address of the Connect server. */
  remote: string;
  /** What the Connect server runs on: local[*], spark://127.0.0.1:<port>, … */
  master: string;
  /** The jars' version at start, replaced by the version the server reports once it answers. */
  sparkVersion: string;
  sparkHome: string;
  startedAt: string;
  /** The Node process that started the deployment (used to find deployments orphaned by a dead test run). */
  ownerPid: number;
  /** False while starting; true once the Connect server answered an RPC. */
  ready: boolean;
  processes: ProcessRecord[];
}

/** The system property that marks our JVMs; part of every command line we build. */
export const INSTANCE_PROPERTY = "retail-lab.instance";

export function instanceMarker(instanceId: string): string {
  return `-D${INSTANCE_PROPERTY}=${instanceId}`;
}

export class StateError extends Error {
  override name = "StateError";
}

/** Reads the state file; undefined when there is none. A corrupt file is an error naming the file. */
export function readState(layout: SparkStateLayout): SparkState | undefined {
  let text: string;
  try {
    text = readFileSync(layout.stateFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let state: SparkState;
  try {
    state = JSON.parse(text) as SparkState;
  } catch (error) {
    throw new StateError(
      `${layout.stateFile} is not valid JSON (${(error as Error).message}); delete it if no Spark is running`,
    );
  }
  if (state.format !== 1 || !Array.isArray(state.processes) || typeof state.instanceId !== "string") {
    throw new StateError(`${layout.stateFile} is not a retail-lab Spark state file (format ${String(state.format)})`);
  }
  return state;
}

/** Writes the state file atomically (temp file + rename), so a reader never sees half a file. */
export function writeState(layout: SparkStateLayout, state: SparkState): void {
  mkdirSync(dirname(layout.stateFile), { recursive: true });
  const temp = `${layout.stateFile}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, layout.stateFile);
}

export function removeState(layout: SparkStateLayout): void {
  rmSync(layout.stateFile, { force: true });
}

/**
 * The command line of a process as argv, or undefined when it does not exist (or is a zombie, whose
 * cmdline is empty). Uses /proc where present, `ps` elsewhere (macOS), where arguments are split on spaces.
 */
export function processCommandLine(pid: number): string[] | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    const argv = raw.split("\0").filter((part) => part.length > 0);
    return argv.length > 0 ? argv : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ESRCH") {
      // No such pid, or no /proc at all: only the latter needs `ps`.
      if (processFsAvailable()) return undefined;
    } else if (code !== "EACCES") {
      throw error;
    }
  }
  const ps = spawnSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" });
  const line = ps.stdout?.trim();
  return ps.status === 0 && line ? line.split(/\s+/) : undefined;
}

let procAvailable: boolean | undefined;
function processFsAvailable(): boolean {
  if (procAvailable === undefined) {
    try {
      readdirSync("/proc/self");
      procAvailable = true;
    } catch {
      procAvailable = false;
    }
  }
  return procAvailable;
}

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when `pid` is alive and is a JVM carrying this deployment's instance marker. */
export function isOurProcess(pid: number, instanceId: string): boolean {
  const argv = processCommandLine(pid);
  if (!argv) return false;
  const marker = instanceMarker(instanceId);
  return /(^|\/)java$/.test(argv[0] ?? "") && argv.includes(marker);
}

/** Every live process carrying the marker: the JVMs we started and the executors their workers spawned. */
export function findMarkedProcesses(instanceId: string): number[] {
  const marker = instanceMarker(instanceId);
  if (processFsAvailable()) {
    return readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .filter((pid) => pid !== process.pid && isOurProcess(pid, instanceId));
  }
  const ps = spawnSync("ps", ["-axo", "pid=,command="], { encoding: "utf8" });
  return (ps.stdout ?? "")
    .split("\n")
    .filter((line) => line.includes(marker))
    .map((line) => Number.parseInt(line.trim(), 10))
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid);
}

export interface ProcessStatus extends ProcessRecord {
  alive: boolean;
}

/** The deployment's processes with their liveness; `running` only when every one of them is alive. */
export function deploymentStatus(state: SparkState): { processes: ProcessStatus[]; running: boolean } {
  const processes = state.processes.map((record) => ({ ...record, alive: isOurProcess(record.pid, state.instanceId) }));
  return { processes, running: processes.length > 0 && processes.every((p) => p.alive) };
}

export type StopOutcome = "stopped" | "killed" | "not running";

export interface StopReport {
  processes: { name: string; pid: number; outcome: StopOutcome }[];
  /** Executor JVMs (spawned by workers, not by us) found with our marker and stopped. */
  strays: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends SIGTERM to the given pids (only those still ours), waits up to `graceMs` for them to exit, then
 * SIGKILLs the rest. Returns, per pid, whether it stopped by itself, had to be killed or was already gone.
 */
export async function terminate(
  pids: number[],
  instanceId: string,
  graceMs: number,
): Promise<Map<number, StopOutcome>> {
  const outcome = new Map<number, StopOutcome>();
  const live = pids.filter((pid) => {
    if (isOurProcess(pid, instanceId)) return true;
    outcome.set(pid, "not running");
    return false;
  });
  for (const pid of live) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  let remaining = live;
  while (remaining.length > 0 && Date.now() < deadline) {
    await sleep(100);
    remaining = remaining.filter((pid) => {
      if (isOurProcess(pid, instanceId)) return true;
      outcome.set(pid, "stopped");
      return false;
    });
  }
  for (const pid of remaining) {
    // Re-checked right before the signal: the pid may have exited and been reused meanwhile.
    if (isOurProcess(pid, instanceId)) signal(pid, "SIGKILL");
    outcome.set(pid, "killed");
  }
  const killDeadline = Date.now() + 5000;
  while (remaining.some((pid) => isOurProcess(pid, instanceId)) && Date.now() < killDeadline) await sleep(50);
  return outcome;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/**
 * Stops a deployment: the Connect server first (so it can end its application and release executors),
 * then workers and master, then any executor JVM still carrying our marker. Removes the state file and
 * the scratch directories; logs are kept for inspection.
 */
export async function stopDeployment(
  layout: SparkStateLayout,
  state: SparkState,
  options: { graceMs?: number } = {},
): Promise<StopReport> {
  const graceMs = options.graceMs ?? 20_000;
  const byName = new Map<string, StopOutcome>();
  const connect = state.processes.filter((p) => p.role === "connect");
  const daemons = state.processes.filter((p) => p.role !== "connect");
  for (const group of [connect, daemons]) {
    const outcomes = await terminate(
      group.map((p) => p.pid),
      state.instanceId,
      graceMs,
    );
    for (const p of group) byName.set(p.name, outcomes.get(p.pid) ?? "not running");
  }
  const strays = findMarkedProcesses(state.instanceId);
  if (strays.length > 0) await terminate(strays, state.instanceId, 5000);
  removeState(layout);
  for (const dir of [layout.local, layout.tmp, layout.work]) rmSync(dir, { recursive: true, force: true });
  return {
    processes: state.processes.map((p) => ({ name: p.name, pid: p.pid, outcome: byName.get(p.name) ?? "not running" })),
    strays,
  };
}
