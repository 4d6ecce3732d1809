/**
 * Where retail-lab keeps things on disk: a per-user cache for the Spark jars (shared by every checkout,
 * large, safe to delete) and a per-project state directory for the running server's state file, logs and
 * scratch space (so Spark's temp files never fill /tmp). Both are overridable through the environment.
 */
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { SPARK_PIN } from "./spark-pin.ts";

/** The environment variables this module reads; a subset of `process.env`, injectable for tests. */
export interface PathEnv {
  RETAIL_LAB_CACHE?: string;
  RETAIL_LAB_STATE?: string;
  XDG_CACHE_HOME?: string;
  HOME?: string;
}

/**
 * The user-level cache directory: `$RETAIL_LAB_CACHE`, else `$XDG_CACHE_HOME/retail-lab`, else
 * `~/.cache/retail-lab`. Relative overrides are resolved against `cwd`.
 */
export function cacheDir(env: PathEnv = process.env, cwd = process.cwd()): string {
  if (env.RETAIL_LAB_CACHE) return resolve(cwd, env.RETAIL_LAB_CACHE);
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, "retail-lab");
  return join(env.HOME || homedir(), ".cache", "retail-lab");
}

/** The project state directory: `$RETAIL_LAB_STATE`, else `.retail-lab/` under `cwd`. */
export function stateDir(env: PathEnv = process.env, cwd = process.cwd()): string {
  return env.RETAIL_LAB_STATE ? resolve(cwd, env.RETAIL_LAB_STATE) : join(cwd, ".retail-lab");
}

/** Where `installSpark` puts the pinned Spark: `<cache>/spark-<version>`, holding `jars/` and `manifest.json`. */
export function sparkInstallDir(cache: string = cacheDir()): string {
  return join(cache, `spark-${SPARK_PIN.version}`);
}

/** The files and folders of one local Spark deployment inside a state directory. */
export interface SparkStateLayout {
  /** `<state>/spark`: everything below belongs to the local Spark runtime. */
  root: string;
  /** The JSON state file describing the running processes. */
  stateFile: string;
  /** One log file per JVM (connect.log, master.log, worker-1.log, …). */
  logs: string;
  /** `spark.local.dir`: shuffle files, block manager and spilled data. */
  local: string;
  /** `java.io.tmpdir` of every JVM: native libraries (netty, zstd, snappy) are extracted here. */
  tmp: string;
  /** Standalone workers' work dirs (executor sandboxes and their logs). */
  work: string;
  /** SPARK_CONF_DIR, kept empty so a stray `spark-defaults.conf` elsewhere cannot leak in. */
  conf: string;
}

export function sparkStateLayout(state: string = stateDir()): SparkStateLayout {
  const root = join(state, "spark");
  return {
    root,
    stateFile: join(root, "state.json"),
    logs: join(root, "logs"),
    local: join(root, "local"),
    tmp: join(root, "tmp"),
    work: join(root, "work"),
    conf: join(root, "conf"),
  };
}
