/**
 * How a command gets a Spark session: --remote or SPARK_REMOTE when given; else the local server that
 * `retail-lab spark start` runs; else one is installed and started for this command and stopped after it.
 * Ctrl-C aborts the command's AbortSignal, which interrupts the running Spark operation.
 */
import type { SparkSession } from "../index.ts";
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
  let spark: SparkSession | undefined;
  try {
    spark = await SparkSession.builder()
      .remote(local.remote)
      .appName(options.appName ?? "retail-lab")
      .getOrCreate();
    return await work(spark, controller.signal);
  } finally {
    process.removeListener("SIGINT", onSigint);
    await spark?.stop().catch(() => {});
    await local.stop();
  }
}
