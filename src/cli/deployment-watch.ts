/**
 * Watches the local Spark a command runs on. The client retries an unreachable server for about ten
 * minutes, as PySpark does, to ride out a restarting remote; but when the server is a local process that
 * has exited, no retry can succeed, so `watchServerProcess` aborts the command within a second with an error
 * saying so. On a standalone cluster, `watchCluster` follows the driver's REST API and reports executors
 * lost and tasks retried while the command ran.
 */
import type { SparkSession } from "../index.ts";
import {
  type ClusterEvents,
  type ClusterSnapshot,
  clusterEventsBetween,
  type DriverUi,
  readClusterSnapshot,
} from "../runtime/driver-ui.ts";
import { isOurProcess, type SparkState } from "../runtime/index.ts";

/** The command's Connect server exited while the command ran. */
export class SparkServerLostError extends Error {
  override name = "SparkServerLostError";
}

export interface Watch {
  stop(): void;
}

/**
 * Polls the deployment's Connect server process every `intervalMs` (only a pid carrying the deployment's
 * marker counts as alive); calls `onLost` once, with a ready-made error, when it is gone.
 */
export function watchServerProcess(
  state: SparkState,
  onLost: (error: SparkServerLostError) => void,
  options: { intervalMs?: number; startedForCommand?: boolean } = {},
): Watch {
  const connect = state.processes.find((p) => p.role === "connect");
  if (!connect) return { stop() {} };
  const timer = setInterval(() => {
    if (isOurProcess(connect.pid, state.instanceId)) return;
    clearInterval(timer);
    const next = options.startedForCommand
      ? "Rerun the command (it starts a new server)"
      : "Start it again with `retail-lab spark start`, then rerun the command";
    onLost(
      new SparkServerLostError(
        `The Spark Connect server at ${state.remote} (pid ${connect.pid}) exited while this command was running, ` +
          `so the command was stopped; results of unfinished steps were not written. Its log: ${connect.log}. ${next}.`,
      ),
    );
  }, options.intervalMs ?? 500);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export interface ClusterWatch extends Watch {
  /** Reads the cluster a last time and returns what happened since the watch started. */
  finish(): Promise<ClusterEvents | undefined>;
}

/** Where the session's driver serves its REST API, from the session's conf; undefined when its UI is off. */
export async function driverUi(spark: SparkSession, signal?: AbortSignal): Promise<DriverUi | undefined> {
  const [enabled, port, appId, host] = await Promise.all(
    ["spark.ui.enabled", "spark.ui.port", "spark.app.id", "spark.driver.host"].map((key) =>
      spark.conf.getOption(key, { ...(signal ? { signal } : {}) }),
    ),
  );
  if (enabled !== "true" || !port || !appId) return undefined;
  return { url: `http://${host ?? "127.0.0.1"}:${port}`, appId };
}

/**
 * Follows the driver's executors and stages while a command runs: `onLost` hears of each executor lost as
 * it is noticed (polling every `intervalMs`); `finish` tells what the command lived through. Resolves to
 * undefined when the driver serves no REST API (local mode, or a remote whose UI is not reachable).
 */
export async function watchCluster(
  spark: SparkSession,
  options: { intervalMs?: number; onLost?(executor: ClusterEvents["lostExecutors"][number]): void } = {},
): Promise<ClusterWatch | undefined> {
  const ui = await driverUi(spark).catch(() => undefined);
  if (!ui) return undefined;
  let before: ClusterSnapshot;
  try {
    before = await readClusterSnapshot(ui);
  } catch {
    return undefined;
  }
  const reported = new Set<string>();
  let polling = false;
  const timer = setInterval(async () => {
    if (polling) return;
    polling = true;
    try {
      const events = clusterEventsBetween(before, await readClusterSnapshot(ui));
      for (const lost of events.lostExecutors) {
        if (reported.has(lost.id)) continue;
        reported.add(lost.id);
        options.onLost?.(lost);
      }
    } catch {
      // A missed reading is not worth failing the command for; `finish` reads again.
    } finally {
      polling = false;
    }
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    async finish() {
      clearInterval(timer);
      try {
        return clusterEventsBetween(before, await readClusterSnapshot(ui));
      } catch {
        return undefined;
      }
    },
  };
}
