/**
 * The one call commands make to get a Spark Connect server: an explicit remote (option or SPARK_REMOTE)
 * is used as is; otherwise the deployment in the project state directory is reused when alive, or
 * Spark is installed (if needed) and started. The caller learns whether it started the server, so it
 * can stop exactly what it started.
 */
import { type InstallEvent, installSpark } from "./install.ts";
import { findJava } from "./java.ts";
import { type LaunchEvent, type StartOptions, startSpark } from "./launch.ts";
import { sparkStateLayout, stateDir } from "./paths.ts";
import { deploymentStatus, readState, type SparkState, stopDeployment } from "./state.ts";

export interface EnsureLocalSparkOptions extends Omit<StartOptions, "install" | "java" | "layout" | "onEvent"> {
  /** An sc:// address to use instead of a local server. Defaults to SPARK_REMOTE. */
  remote?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onEvent?: (event: InstallEvent | LaunchEvent) => void;
}

export interface LocalSpark {
  remote: string;
  /** True when this call started the server; `stop()` only stops servers it started. */
  startedByUs: boolean;
  /** The local deployment serving `remote` (its pids, log files, mode); absent for an explicit remote. */
  deployment?: SparkState;
  stop(): Promise<void>;
}

export async function ensureLocalSpark(options: EnsureLocalSparkOptions = {}): Promise<LocalSpark> {
  const { remote: explicitRemote, env = process.env, cwd = process.cwd(), onEvent, ...start } = options;
  const remote = explicitRemote ?? env.SPARK_REMOTE;
  if (remote) return { remote, startedByUs: false, stop: async () => {} };

  const layout = sparkStateLayout(stateDir(env, cwd));
  const existing = readState(layout);
  if (existing?.ready && deploymentStatus(existing).running) {
    return { remote: existing.remote, startedByUs: false, deployment: existing, stop: async () => {} };
  }
  const java = findJava(env);
  if (java.warning) onEvent?.({ kind: "note", message: java.warning });
  const install = await installSpark({ env, ...(onEvent ? { onEvent } : {}) });
  const state = await startSpark({ ...start, install, java, layout, ...(onEvent ? { onEvent } : {}) });
  let stopped = false;
  return {
    remote: state.remote,
    startedByUs: true,
    deployment: state,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopDeployment(layout, state);
    },
  };
}
