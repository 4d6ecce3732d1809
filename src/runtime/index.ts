/**
 * The local Spark runtime: find Java, install the pinned Spark jars, start a Connect server (local or a
 * standalone cluster on loopback), report and stop it. The CLI and the test setup use only this module.
 */
export { type EnsureLocalSparkOptions, ensureLocalSpark, type LocalSpark } from "./ensure-local-spark.ts";
export {
  findCachedInstall,
  InstallError,
  type InstallEvent,
  type InstallManifest,
  type InstallOptions,
  installSpark,
  type SparkInstall,
  verifyInstall,
} from "./install.ts";
export { findJava, JavaError, type JavaRuntime } from "./java.ts";
export {
  AlreadyRunningError,
  DEFAULT_MASTER,
  DEFAULT_MEMORY,
  DEFAULT_PORT,
  type LaunchEvent,
  logTail,
  SparkStartError,
  type StartOptions,
  startSpark,
} from "./launch.ts";
export { cacheDir, type SparkStateLayout, sparkInstallDir, sparkStateLayout, stateDir } from "./paths.ts";
export { findFreePort, isPortBusy, PortBusyError } from "./ports.ts";
export { probeSparkConnect, type ReadinessProbe } from "./probe.ts";
export { SPARK_PIN } from "./spark-pin.ts";
export {
  deploymentStatus,
  findMarkedProcesses,
  isOurProcess,
  type ProcessStatus,
  processAlive,
  processCommandLine,
  readState,
  type SparkState,
  type StopReport,
  stopDeployment,
} from "./state.ts";
