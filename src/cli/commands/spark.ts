/**
 * `retail-lab spark install|start|status|stop`: provisions the pinned Spark from Maven Central and runs
 * it on loopback (local mode or a standalone cluster), tracked in the project's state directory. With
 * SPARK_REMOTE or --remote set, nothing local is started: that server is used instead.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { InstallEvent, LaunchEvent, SparkInstall } from "../../runtime/index.ts";
import { formatBytes, formatDuration, note, print, printRows, progressBar, style } from "../output.ts";

interface StartArgs {
  port: number;
  master?: string;
  workers: number;
  memory: string;
  remote?: string;
  install: boolean;
}

interface StatusArgs {
  remote?: string;
  format: "table" | "json";
}

interface InstallArgs {
  verify: boolean;
  force: boolean;
}

const remoteOption = {
  type: "string",
  describe: "Use this Spark Connect server (sc://host:port) instead of a local one; defaults to $SPARK_REMOTE",
} as const;

/** A connection string fit for the terminal: its token replaced by `***`. */
function shown(remote: string): string {
  return remote.replace(/(;token=)[^;]*/g, "$1***");
}

/** The remote to use instead of a local server, if any: --remote wins over SPARK_REMOTE. */
function explicitRemote(remote: string | undefined): { remote: string; from: string } | undefined {
  if (remote) return { remote, from: "--remote" };
  if (process.env.SPARK_REMOTE) return { remote: process.env.SPARK_REMOTE, from: "SPARK_REMOTE" };
  return undefined;
}

/** Installs (or re-checks) Spark with a progress bar; returns the install. */
async function installWithProgress(options: { verify?: "quick" | "full"; force?: boolean }): Promise<SparkInstall> {
  const { installSpark, findCachedInstall, SPARK_PIN } = await import("../../runtime/index.ts");
  const needsWork = options.force || options.verify === "full" || (!process.env.SPARK_HOME && !findCachedInstall());
  const bar = needsWork ? progressBar({ label: `Spark ${SPARK_PIN.version}`, unit: "jars" }) : undefined;
  const onEvent = (event: InstallEvent) => {
    if (event.kind === "note") note(style.yellow(event.message));
    else if (event.kind === "resolving") {
      bar?.update(0, { status: event.attempt === 1 ? "resolving with Maven" : "resolving again with -U" });
    } else if (event.kind === "copied") bar?.update(event.count, { status: "copying from the Maven repository" });
    else bar?.update(event.done, { total: event.total, status: "verifying" });
  };
  const install = await installSpark({ ...options, onEvent });
  bar?.finish("done");
  return install;
}

interface ProbeAnswer {
  reachable: boolean;
  sparkVersion?: string;
  error?: string;
}

/** Asks the server for its Spark version: the one check that proves it serves sessions. */
async function probe(remote: string): Promise<ProbeAnswer> {
  const { probeSparkConnect } = await import("../../runtime/index.ts");
  try {
    return { reachable: true, sparkVersion: await probeSparkConnect(remote, AbortSignal.timeout(10_000)) };
  } catch (error) {
    return { reachable: false, error: (error as Error).message };
  }
}

function describeAnswer(answer: ProbeAnswer): string {
  return answer.reachable
    ? style.green(`answers (Spark ${answer.sparkVersion})`)
    : style.red(`does not answer: ${answer.error}`);
}

function describeInstall(install: SparkInstall): string {
  const jars = readdirSync(install.jarsDir).filter((name) => name.endsWith(".jar"));
  const bytes = jars.reduce((sum, name) => sum + statSync(join(install.jarsDir, name)).size, 0);
  const from = install.source === "SPARK_HOME" ? "SPARK_HOME" : "cache";
  return `Spark ${install.version} (${from}): ${install.home} · ${jars.length} jars · ${formatBytes(bytes)}`;
}

const install: CommandModule<object, InstallArgs> = {
  command: "install",
  describe: "Resolve the pinned Spark jars from Maven Central into the cache (idempotent)",
  builder: (yargs) =>
    yargs
      .option("verify", { type: "boolean", default: false, describe: "Re-hash every cached jar against the manifest" })
      .option("force", { type: "boolean", default: false, describe: "Resolve again even if a valid install exists" }),
  handler: async (args: ArgumentsCamelCase<InstallArgs>) => {
    const { findJava } = await import("../../runtime/index.ts");
    const java = findJava();
    if (java.warning) note(style.yellow(java.warning));
    const result = await installWithProgress({ verify: args.verify ? "full" : "quick", force: args.force });
    print(describeInstall(result));
  },
};

const start: CommandModule<object, StartArgs> = {
  command: "start",
  describe: "Start a Spark Connect server on 127.0.0.1 (local mode, or a standalone cluster with --workers)",
  builder: (yargs) =>
    yargs
      .option("port", { type: "number", default: 15002, describe: "Spark Connect port on 127.0.0.1" })
      .option("master", { type: "string", describe: "Spark master for local mode, e.g. local[2] (default local[*])" })
      .option("workers", {
        type: "number",
        default: 0,
        describe: "Start a standalone cluster with N workers on loopback",
      })
      .option("memory", { type: "string", default: "2g", describe: "Heap of the Connect server (the Spark driver)" })
      .option("install", {
        type: "boolean",
        default: true,
        describe: "Install Spark first when it is missing (--no-install: fail instead)",
      })
      .option("remote", remoteOption),
  handler: async (args: ArgumentsCamelCase<StartArgs>) => {
    const given = explicitRemote(args.remote);
    if (given) {
      note(`${given.from} is set: using ${shown(given.remote)}; no local Spark started.`);
      print(given.remote);
      return;
    }
    const runtime = await import("../../runtime/index.ts");
    const layout = runtime.sparkStateLayout(runtime.stateDir());
    const java = runtime.findJava();
    if (java.warning) note(style.yellow(java.warning));
    let installed: SparkInstall | undefined;
    if (!args.install && !process.env.SPARK_HOME) {
      installed = runtime.findCachedInstall();
      if (!installed) {
        throw new Error(
          `Spark ${runtime.SPARK_PIN.version} is not installed in ${runtime.sparkInstallDir()}; run \`retail-lab spark install\` (or drop --no-install).`,
        );
      }
    }
    installed ??= await installWithProgress({});

    const steps = 2 + (args.workers > 0 ? args.workers + 1 : 0);
    const bar = progressBar({
      label: args.workers > 0 ? `Spark cluster (${args.workers} workers)` : "Spark",
      total: steps,
      unit: "steps",
    });
    let done = 0;
    const onEvent = (event: LaunchEvent) => {
      if (event.kind === "note") note(style.yellow(event.message));
      else if (event.kind === "spawned") bar.update(done, { status: `${event.name} started (pid ${event.pid})` });
      else if (event.kind === "waiting") bar.update(done, { status: `waiting for ${event.name}: ${event.waitingFor}` });
      else bar.update(++done, { status: `${event.name} ready` });
    };
    const started = performance.now();
    // Ctrl-C while starting: stop the JVMs started so far instead of leaving them half up.
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error("Ctrl-C"));
    process.once("SIGINT", onSigint);
    let state: Awaited<ReturnType<typeof runtime.startSpark>>;
    try {
      state = await runtime.startSpark({
        install: installed,
        java,
        layout,
        port: args.port,
        workers: args.workers,
        memory: args.memory,
        ...(args.master !== undefined ? { master: args.master } : {}),
        onEvent,
        signal: controller.signal,
      });
    } catch (error) {
      bar.finish("failed");
      throw error;
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
    bar.finish(`ready in ${formatDuration(performance.now() - started)}`);
    note(
      `Spark ${state.sparkVersion} Connect server on ${state.master} · logs in ${layout.logs} · stop it with \`retail-lab spark stop\``,
    );
    print(state.remote);
  },
};

const status: CommandModule<object, StatusArgs> = {
  command: "status",
  describe: "Show whether the local Spark (or the --remote / SPARK_REMOTE server) is up; exit code 1 when not",
  builder: (yargs) =>
    yargs
      .option("remote", remoteOption)
      .option("format", { choices: ["table", "json"] as const, default: "table" as const, describe: "Output format" }),
  handler: async (args: ArgumentsCamelCase<StatusArgs>) => {
    const given = explicitRemote(args.remote);
    if (given) {
      const answer = await probe(given.remote);
      if (args.format === "json") print(JSON.stringify({ remote: shown(given.remote), managed: false, ...answer }));
      else print(`${shown(given.remote)} (from ${given.from}, not managed by retail-lab): ${describeAnswer(answer)}`);
      if (!answer.reachable) process.exitCode = 1;
      return;
    }
    const runtime = await import("../../runtime/index.ts");
    const layout = runtime.sparkStateLayout(runtime.stateDir());
    const state = runtime.readState(layout);
    if (!state) {
      if (args.format === "json") print(JSON.stringify({ running: false, stateFile: layout.stateFile }));
      else print(`No local Spark is running (no ${layout.stateFile}). Start one with \`retail-lab spark start\`.`);
      process.exitCode = 1;
      return;
    }
    const { processes, running } = runtime.deploymentStatus(state);
    const answer = running ? await probe(state.remote) : undefined;
    const healthy = running && state.ready && answer?.reachable === true;
    if (args.format === "json") {
      print(JSON.stringify({ running: healthy, ...state, processes, rpc: answer }, null, 2));
    } else {
      const uptime = formatDuration(Date.now() - Date.parse(state.startedAt));
      const verdict = healthy
        ? style.green("running")
        : running
          ? style.yellow(state.ready ? "not answering" : "starting")
          : style.red(
              processes.some((p) => p.alive) ? "degraded (some processes died)" : "stopped (all processes died)",
            );
      print(
        `${state.remote} · ${verdict} · ${state.mode} on ${state.master} · Spark ${state.sparkVersion} · up ${uptime}`,
      );
      if (answer) print(`RPC: ${describeAnswer(answer)}`);
      printRows(
        processes.map((p) => ({
          name: p.name,
          pid: p.pid,
          port: p.port ?? "",
          alive: p.alive ? "yes" : "no",
          log: p.log,
        })),
        "table",
      );
      if (!running) note("Run `retail-lab spark stop` to clean up, then `retail-lab spark start`.");
    }
    if (!healthy) process.exitCode = 1;
  },
};

const stop: CommandModule<object, object> = {
  command: "stop",
  describe: "Stop exactly the Spark processes `spark start` started here (by pid)",
  handler: async () => {
    const runtime = await import("../../runtime/index.ts");
    const layout = runtime.sparkStateLayout(runtime.stateDir());
    const state = runtime.readState(layout);
    if (!state) {
      print(`No local Spark to stop (no ${layout.stateFile}).`);
      return;
    }
    const report = await runtime.stopDeployment(layout, state);
    printRows(report.processes, "table");
    if (report.strays.length > 0)
      note(`Also stopped ${report.strays.length} executor JVM(s): ${report.strays.join(", ")}`);
    print(`Stopped the Spark at ${state.remote}.`);
  },
};

export const sparkCommand: CommandModule<object, object> = {
  command: "spark <command>",
  describe: "Install, start, inspect and stop the local Spark runtime",
  builder: (yargs: Argv) =>
    yargs
      .command(install)
      .command(start)
      .command(status)
      .command(stop)
      .demandCommand(1, "Name a spark command: install, start, status or stop."),
  handler: () => {},
};
