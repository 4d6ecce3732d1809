/**
 * How a command gets a Spark session: --remote or SPARK_REMOTE when given; else the local server that
 * `retail-lab spark start` runs; else one is installed and started for this command and stopped after it.
 * Ctrl-C aborts the command's AbortSignal, which interrupts the running Spark operation. On a local server
 * the command also fails fast when the server process dies, and on a local standalone cluster it reports
 * executors lost and tasks retried (deployment-watch.ts).
 */
import type { SparkSession } from "../index.ts";
import { type ClusterEvents, isQuiet } from "../runtime/driver-ui.ts";
import type { InstallEvent, LaunchEvent } from "../runtime/index.ts";
import { note, progressBar, style } from "./output.ts";

export interface SessionOptions {
  remote?: string;
  appName?: string;
}

export const remoteOption = {
  type: "string",
  describe: "Spark Connect server to use (sc://host:port); default $SPARK_REMOTE, else the local server",
} as const;

/** Runs `work` with a session and an abort signal wired to Ctrl-C; cleans up whatever it started. */
export async function withSession<T>(
  options: SessionOptions,
  work: (spark: SparkSession, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { ensureLocalSpark } = await import("../runtime/index.ts");
  const { SparkSession } = await import("../index.ts");
  const bar = progressBar({ label: "Spark", unit: "steps" });
  let steps = 0;
  const onEvent = (event: InstallEvent | LaunchEvent) => {
    if (event.kind === "note") note(style.yellow(event.message));
    else if (event.kind === "resolving") bar.update(steps, { status: "resolving jars with Maven" });
    else if (event.kind === "copied") bar.update(steps, { status: `copied ${event.count} jars` });
    else if (event.kind === "checking") bar.update(steps, { status: `verifying jars ${event.done}/${event.total}` });
    else if (event.kind === "spawned") bar.update(steps, { status: `${event.name} started (pid ${event.pid})` });
    else if (event.kind === "waiting") bar.update(steps, { status: `waiting for ${event.name}` });
    else bar.update(++steps, { status: `${event.name} ready` });
  };
  const local = await ensureLocalSpark({ ...(options.remote ? { remote: options.remote } : {}), onEvent });
  if (local.startedByUs) {
    bar.finish(`started at ${local.remote}`);
    note(style.dim("Tip: `retail-lab spark start` keeps a server running between commands."));
  }
  const controller = new AbortController();
  const onSigint = () => {
    note(style.yellow("Interrupted: cancelling the running Spark operation…"));
    controller.abort(new Error("interrupted by Ctrl-C"));
  };
  process.once("SIGINT", onSigint);
  const { watchServerProcess, watchCluster } = await import("./deployment-watch.ts");
  let serverLost: Error | undefined;
  const serverWatch = local.deployment
    ? watchServerProcess(
        local.deployment,
        (error) => {
          serverLost = error;
          controller.abort(error);
        },
        { startedForCommand: local.startedByUs },
      )
    : undefined;
  let spark: SparkSession | undefined;
  let cluster: Awaited<ReturnType<typeof watchCluster>>;
  try {
    spark = await SparkSession.builder()
      .remote(local.remote)
      .appName(options.appName ?? "retail-lab")
      .getOrCreate();
    if (local.deployment?.mode === "standalone") {
      cluster = await watchCluster(spark, {
        onLost: (e) =>
          note(
            style.yellow(
              `Executor ${e.id} (${e.hostPort}) was lost: ${e.reason}. Spark re-runs what it still needs of its work.`,
            ),
          ),
      });
    }
    const result = await work(spark, controller.signal);
    const events = await cluster?.finish();
    if (events) reportClusterEvents(events);
    return result;
  } catch (error) {
    // Whatever the aborted call threw, the cause is the server's death.
    throw serverLost ?? error;
  } finally {
    process.removeListener("SIGINT", onSigint);
    serverWatch?.stop();
    cluster?.stop();
    await spark?.stop().catch(() => {});
    await local.stop();
  }
}

/** After a command on a standalone cluster: what Spark survived to produce its results, if anything. */
function reportClusterEvents(events: ClusterEvents): void {
  if (isQuiet(events)) return;
  const lost = events.lostExecutors.map((e) => `executor ${e.id} (${e.hostPort}: ${e.reason})`);
  const n = events.failedTasks;
  const parts = [
    ...(lost.length > 0 ? [`lost ${lost.join(", ")}`] : []),
    n === 0 ? "no task attempt failed" : `${n} task attempt${n === 1 ? "" : "s"} failed and ran again`,
    ...(events.stageRetries.length > 0
      ? [`re-ran ${events.stageRetries.map((s) => `stage ${s.stageId} (attempt ${s.attemptId})`).join(", ")}`]
      : []),
  ];
  note(style.yellow(`Cluster: ${parts.join("; ")}. The results are complete.`));
}
