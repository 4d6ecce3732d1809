/**
 * Starts a local Spark deployment: one Spark Connect server in local mode, or a standalone cluster
 * (Master + N Workers from the same jars, all on 127.0.0.1) with the Connect server as its driver.
 * Each JVM is detached so it outlives the CLI, logs to its own file under the state directory, and is
 * recorded in the state file as soon as it exists. Start-up is done when the Connect server answers a
 * real RPC; a JVM that exits first fails the start with the tail of its log, and whatever was already
 * started is stopped again.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { SparkInstall } from "./install.ts";
import type { JavaRuntime } from "./java.ts";
import {
  connectServerCommand,
  type JvmBase,
  type JvmCommand,
  javaModuleOptions,
  LOOPBACK,
  masterCommand,
  workerCommand,
} from "./jvm-command.ts";
import type { SparkStateLayout } from "./paths.ts";
import { assertPortFree, findFreePort } from "./ports.ts";
import { probeSparkConnect, type ReadinessProbe } from "./probe.ts";
import {
  deploymentStatus,
  type ProcessRecord,
  readState,
  type SparkRole,
  type SparkState,
  stopDeployment,
  writeState,
} from "./state.ts";

export const DEFAULT_PORT = 15002;
export const DEFAULT_MASTER = "local[*]";
export const DEFAULT_MEMORY = "2g";
export const DEFAULT_EXECUTOR_MEMORY = "1g";
/** Heap of the Master and Worker daemons; they only schedule, so half a gigabyte is plenty. */
export const DEFAULT_DAEMON_MEMORY = "512m";
const MAX_WORKERS = 16;

export interface StartOptions {
  install: SparkInstall;
  java: JavaRuntime;
  layout: SparkStateLayout;
  /** Connect server port on 127.0.0.1 (default 15002). */
  port?: number;
  /** Spark master for local mode: local, local[N], local[*], local-cluster[…] or an existing spark:// URL. */
  master?: string;
  /** Start a standalone cluster with this many workers (0 = local mode). */
  workers?: number;
  /** Heap of the Connect server JVM (the driver), e.g. "2g". */
  memory?: string;
  /** Standalone: heap of each executor (default 1g). */
  executorMemory?: string;
  /** Standalone: cores each worker offers (default: the machine's cores divided among the workers). */
  workerCores?: number;
  /** Heap of Master and Worker JVMs (default 512m). */
  daemonMemory?: string;
  /** Extra Spark confs for the Connect server, applied after ours. */
  conf?: Record<string, string>;
  /** How long to wait for the whole deployment to come up (default 300 s). */
  timeoutMs?: number;
  /** Aborting stops the start: every JVM started so far is stopped again and the call rejects. */
  signal?: AbortSignal;
  /** How readiness is proved; defaults to an AnalyzePlan(spark_version) RPC. */
  probe?: ReadinessProbe;
  onEvent?: (event: LaunchEvent) => void;
}

export type LaunchEvent =
  | { kind: "note"; message: string }
  | { kind: "spawned"; name: string; pid: number; log: string }
  | { kind: "waiting"; name: string; waitingFor: string; elapsedMs: number }
  | { kind: "ready"; name: string; elapsedMs: number };

/** The Connect server or a daemon could not be started; `logTail` holds the end of its log. */
export class SparkStartError extends Error {
  override name = "SparkStartError";
  constructor(
    message: string,
    readonly logTail?: string,
  ) {
    super(logTail ? `${message}\n${logTail}` : message);
  }
}

export class AlreadyRunningError extends Error {
  override name = "AlreadyRunningError";
  constructor(readonly state: SparkState) {
    super(
      `Spark is already running at ${state.remote} (${state.mode}, pids ${state.processes.map((p) => p.pid).join(", ")}). ` +
        "Use it, or run `retail-lab spark stop` first.",
    );
  }
}

/** A validated, fully defaulted start request. */
export interface StartSettings {
  port: number;
  master: string;
  workers: number;
  memory: string;
  executorMemory: string;
  workerCores: number;
  daemonMemory: string;
  timeoutMs: number;
}

const MEMORY = /^[1-9]\d*[kmgt]$/i;
const MASTER =
  /^(local(\[(\*|[1-9]\d*)(,[1-9]\d*)?\])?|local-cluster\[[1-9]\d*,[1-9]\d*,[1-9]\d*\]|spark:\/\/[^\s/]+:\d+)$/;

function checkMemory(flag: string, value: string): string {
  if (!MEMORY.test(value)) {
    throw new RangeError(
      `${flag} "${value}" is not a JVM memory size; use a whole number with k, m, g or t, e.g. 2g or 1536m`,
    );
  }
  return value.toLowerCase();
}

/** Validates and defaults start options; every error names the bad value and what is allowed. */
export function resolveStartSettings(options: Omit<StartOptions, "install" | "java" | "layout">): StartSettings {
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`--port ${String(port)} is not a TCP port; use a whole number from 1 to 65535`);
  }
  const workers = options.workers ?? 0;
  if (!Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS) {
    throw new RangeError(`--workers ${String(workers)} is not allowed; use 0 (local mode) to ${MAX_WORKERS}`);
  }
  if (workers > 0 && options.master !== undefined) {
    throw new RangeError(
      `--master ${options.master} and --workers ${workers} exclude each other: --workers starts its own standalone master`,
    );
  }
  const master = options.master ?? DEFAULT_MASTER;
  if (!MASTER.test(master)) {
    throw new RangeError(
      `--master "${master}" is not supported; use local, local[N], local[*], local-cluster[W,C,M] or spark://host:port`,
    );
  }
  const workerCores = options.workerCores ?? Math.max(1, Math.floor(availableParallelism() / Math.max(1, workers)));
  if (!Number.isInteger(workerCores) || workerCores < 1) {
    throw new RangeError(`worker cores ${String(workerCores)} must be a whole number of at least 1`);
  }
  const timeoutMs = options.timeoutMs ?? 300_000;
  if (!(timeoutMs > 0)) throw new RangeError(`timeout ${String(timeoutMs)} ms must be positive`);
  return {
    port,
    master,
    workers,
    workerCores,
    timeoutMs,
    memory: checkMemory("--memory", options.memory ?? DEFAULT_MEMORY),
    executorMemory: checkMemory("executor memory", options.executorMemory ?? DEFAULT_EXECUTOR_MEMORY),
    daemonMemory: checkMemory("daemon memory", options.daemonMemory ?? DEFAULT_DAEMON_MEMORY),
  };
}

/** The last `lines` lines of a log file, indented, for error messages. */
export function logTail(path: string, lines = 30): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return `  (no log at ${path})`;
  }
  const tail = text.trimEnd().split("\n").slice(-lines);
  return [`  --- last ${tail.length} lines of ${path} ---`, ...tail.map((line) => `  ${line}`)].join("\n");
}

interface Started {
  record: ProcessRecord;
  child: ChildProcess;
  exit?: { code: number | null; signal: NodeJS.Signals | null; error?: Error };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the deployment described by `options` and returns its state once the Connect server answers.
 * Throws AlreadyRunningError when the state directory already has a live deployment, PortBusyError when
 * the Connect port is taken, and SparkStartError (with the log tail) when a JVM dies or times out.
 */
export async function startSpark(options: StartOptions): Promise<SparkState> {
  const settings = resolveStartSettings(options);
  const { layout, onEvent } = options;
  const previous = readState(layout);
  if (previous) {
    const status = deploymentStatus(previous);
    if (status.running && previous.ready) throw new AlreadyRunningError(previous);
    onEvent?.({
      kind: "note",
      message: `cleaning up a previous deployment that is no longer healthy (${previous.remote})`,
    });
    await stopDeployment(layout, previous, { graceMs: 5000 });
  }
  await assertPortFree(settings.port, LOOPBACK, "the Spark Connect server");

  for (const dir of [layout.logs, layout.local, layout.tmp, layout.work, layout.conf])
    mkdirSync(dir, { recursive: true });
  const base: JvmBase = {
    java: options.java,
    install: options.install,
    moduleOptions: javaModuleOptions(options.java, options.install),
    instanceId: randomUUID(),
    tmpDir: layout.tmp,
    localDir: layout.local,
    confDir: layout.conf,
  };
  const standalone = settings.workers > 0;
  const remote = `sc://${LOOPBACK}:${settings.port}`;
  const state: SparkState = {
    format: 1,
    instanceId: base.instanceId,
    mode: standalone ? "standalone" : "local",
    remote,
    master: settings.master,
    sparkVersion: options.install.version,
    sparkHome: options.install.home,
    startedAt: new Date().toISOString(),
    ownerPid: process.pid,
    ready: false,
    processes: [],
  };
  writeState(layout, state);

  const started: Started[] = [];
  const launch = (role: SparkRole, name: string, command: JvmCommand, port?: number): Started => {
    const entry = spawnJvm(role, name, command, join(layout.logs, `${name}.log`), layout.root, port);
    started.push(entry);
    state.processes.push(entry.record);
    writeState(layout, state);
    onEvent?.({ kind: "spawned", name, pid: entry.record.pid, log: entry.record.log });
    return entry;
  };
  const wait: Wait = {
    deadline: Date.now() + settings.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(onEvent ? { onEvent } : {}),
  };

  try {
    if (standalone) {
      const masterPort = await findFreePort(LOOPBACK);
      const master = launch(
        "master",
        "master",
        masterCommand(base, {
          port: masterPort,
          webUiPort: await findFreePort(LOOPBACK),
          memory: settings.daemonMemory,
        }),
        masterPort,
      );
      await waitForLog(master, "leader election", (log) => log.includes("New state: ALIVE"), wait);
      state.master = `spark://${LOOPBACK}:${masterPort}`;
      const workers: Started[] = [];
      for (let i = 1; i <= settings.workers; i++) {
        const command = workerCommand(base, {
          masterUrl: state.master,
          cores: settings.workerCores,
          offeredMemory: settings.executorMemory,
          memory: settings.daemonMemory,
          workDir: join(layout.work, `worker-${i}`),
          webUiPort: await findFreePort(LOOPBACK),
        });
        workers.push(launch("worker", `worker-${i}`, command));
      }
      for (const worker of workers) {
        await waitForLog(
          worker,
          "registration with the master",
          (log) => log.includes("Successfully registered with master"),
          wait,
        );
      }
    }
    const connect = launch(
      "connect",
      "connect",
      connectServerCommand(base, {
        port: settings.port,
        master: state.master,
        memory: settings.memory,
        name: "retail-lab Spark Connect server",
        ...(standalone
          ? {
              executor: { memory: settings.executorMemory, cores: settings.workerCores },
              uiPort: await findFreePort(LOOPBACK),
            }
          : {}),
        ...(options.conf ? { conf: options.conf } : {}),
      }),
      settings.port,
    );
    await waitForLog(connect, "the gRPC server", (log) => log.includes("Spark Connect server started at"), wait);
    state.sparkVersion = await waitForProbe(connect, remote, options.probe ?? probeSparkConnect, wait);
  } catch (error) {
    // Leave nothing half-started behind (logs stay for inspection). Our own children are signalled through
    // their handles first: a JVM spawned a moment ago may not show its java command line in /proc yet.
    await stopChildren(started, 5000);
    await stopDeployment(layout, state, { graceMs: 5000 });
    throw error;
  }
  for (const entry of started) entry.child.unref();
  state.ready = true;
  writeState(layout, state);
  return state;
}

function spawnJvm(
  role: SparkRole,
  name: string,
  command: JvmCommand,
  log: string,
  cwd: string,
  port?: number,
): Started {
  const fd = openSync(log, "w");
  // The exact command heads the log, so a failed start can be reproduced by hand.
  writeSync(fd, `$ ${command.command} ${command.args.join(" ")}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...command.env };
  delete env.SPARK_REMOTE;
  let child: ChildProcess;
  try {
    // detached: the JVM gets its own process group, so it survives the CLI and a Ctrl-C in its terminal.
    child = spawn(command.command, command.args, { cwd, env, detached: true, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) {
    throw new SparkStartError(`could not start ${command.command} for the Spark ${name}`);
  }
  const entry: Started = { child, record: { role, name, pid: child.pid, log, ...(port ? { port } : {}) } };
  child.on("exit", (code, signal) => {
    entry.exit = { code, signal };
  });
  child.on("error", (error) => {
    entry.exit = { code: null, signal: null, error };
  });
  return entry;
}

/** SIGTERM to every child still running, SIGKILL to those that outlive `graceMs`; resolves when all exited. */
async function stopChildren(started: Started[], graceMs: number): Promise<void> {
  const running = started.filter((entry) => !entry.exit);
  const exited = running.map(
    (entry) => new Promise<void>((resolve) => (entry.exit ? resolve() : entry.child.once("exit", () => resolve()))),
  );
  for (const entry of running) entry.child.kill("SIGTERM");
  const timer = setTimeout(() => {
    for (const entry of running) if (!entry.exit) entry.child.kill("SIGKILL");
  }, graceMs);
  await Promise.all(exited);
  clearTimeout(timer);
}

function exitDescription(exit: NonNullable<Started["exit"]>): string {
  if (exit.error) return `failed: ${exit.error.message}`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Limits of every wait during one start: an overall deadline and the caller's abort signal. */
interface Wait {
  deadline: number;
  signal?: AbortSignal;
  onEvent?: (event: LaunchEvent) => void;
}

/** Throws when the JVM died, the start was aborted or the deadline passed. */
function checkStillStarting(entry: Started, wait: Wait, late: () => string): void {
  const { name, log } = entry.record;
  if (entry.exit) {
    throw new SparkStartError(`The Spark ${name} JVM ${exitDescription(entry.exit)} while starting.`, logTail(log));
  }
  if (wait.signal?.aborted) {
    const reason = wait.signal.reason instanceof Error ? wait.signal.reason.message : "aborted";
    throw new SparkStartError(`Starting Spark was cancelled (${reason}) while the ${name} JVM was starting.`);
  }
  if (Date.now() > wait.deadline) throw new SparkStartError(late(), logTail(log));
}

/** Polls a JVM's log until `ready` matches, failing early when the JVM exits or the deadline passes. */
async function waitForLog(
  entry: Started,
  waitingFor: string,
  ready: (log: string) => boolean,
  wait: Wait,
): Promise<void> {
  const { onEvent } = wait;
  const { name, log } = entry.record;
  const start = Date.now();
  let lastEvent = 0;
  for (;;) {
    let text = "";
    try {
      text = readFileSync(log, "utf8");
    } catch {
      // not created yet
    }
    if (ready(text)) {
      onEvent?.({ kind: "ready", name, elapsedMs: Date.now() - start });
      return;
    }
    checkStillStarting(entry, wait, () => `The Spark ${name} did not finish ${waitingFor} in time.`);
    if (Date.now() - lastEvent >= 1000) {
      lastEvent = Date.now();
      onEvent?.({ kind: "waiting", name, waitingFor, elapsedMs: lastEvent - start });
    }
    await sleep(250);
  }
}

/** Retries the readiness probe until it succeeds and returns the Spark version the server reports. */
async function waitForProbe(entry: Started, remote: string, probe: ReadinessProbe, wait: Wait): Promise<string> {
  const { onEvent } = wait;
  const start = Date.now();
  let lastError: unknown;
  for (;;) {
    checkStillStarting(
      entry,
      wait,
      () =>
        `The Spark Connect server at ${remote} did not answer an RPC in time (last error: ${(lastError as Error)?.message ?? "none"}).`,
    );
    const timeout = AbortSignal.timeout(Math.max(1, Math.min(wait.deadline - Date.now(), 15_000)));
    try {
      const version = await probe(remote, wait.signal ? AbortSignal.any([timeout, wait.signal]) : timeout);
      onEvent?.({ kind: "ready", name: `${entry.record.name} RPC`, elapsedMs: Date.now() - start });
      return version;
    } catch (error) {
      lastError = error;
      onEvent?.({
        kind: "waiting",
        name: entry.record.name,
        waitingFor: "its first RPC",
        elapsedMs: Date.now() - start,
      });
      await sleep(500);
    }
  }
}
