/**
 * Builds the java command lines of the JVMs a local deployment runs: the Spark Connect server (through
 * SparkSubmit, as `sbin/start-connect-server.sh` does), a standalone Master and Workers. Pure functions,
 * so the exact arguments are unit-tested. The module options come from Spark's own launcher
 * (`javaModuleOptions`), so they always match the jars being run.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { SparkInstall } from "./install.ts";
import type { JavaRuntime } from "./java.ts";
import { instanceMarker } from "./state.ts";

export const CONNECT_SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer";
export const MASTER_CLASS = "org.apache.spark.deploy.master.Master";
export const WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
const SUBMIT_CLASS = "org.apache.spark.deploy.SparkSubmit";

/** Every JVM of a deployment binds here; nothing listens on other interfaces. */
export const LOOPBACK = "127.0.0.1";

export interface JvmCommand {
  command: string;
  args: string[];
  /** Variables added to the inherited environment. */
  env: Record<string, string>;
}

/** Settings shared by every JVM of one deployment. */
export interface JvmBase {
  java: JavaRuntime;
  install: SparkInstall;
  /** From `javaModuleOptions`: the --add-opens and -D flags Spark's launcher adds for this version. */
  moduleOptions: string[];
  instanceId: string;
  /** `java.io.tmpdir` of the JVM (and of executors). */
  tmpDir: string;
  /** `spark.local.dir`. */
  localDir: string;
  /** SPARK_CONF_DIR. */
  confDir: string;
}

/** Environment of every JVM: loopback only, our empty conf dir, SPARK_HOME for executors launched by workers. */
export function sparkEnv(base: JvmBase): Record<string, string> {
  return {
    SPARK_HOME: base.install.home,
    // Worker.scala launches executors through the launcher, which needs the Scala binary version
    // (normally exported by bin/load-spark-env.sh) and fails with "Cannot find any build directories" without it.
    SPARK_SCALA_VERSION: "2.13",
    SPARK_LOCAL_IP: LOOPBACK,
    SPARK_CONF_DIR: base.confDir,
    // The Connect server must run the classic API itself; an inherited SPARK_REMOTE must not flip it.
    SPARK_CONNECT_MODE: "0",
    ...(base.java.javaHome ? { JAVA_HOME: base.java.javaHome } : {}),
  };
}

function jvmPrefix(base: JvmBase, heap: string): string[] {
  return [
    ...base.moduleOptions,
    `-Xmx${heap}`,
    `-Djava.io.tmpdir=${base.tmpDir}`,
    instanceMarker(base.instanceId),
    "-cp",
    `${join(base.install.jarsDir, "*")}`,
  ];
}

/** Quotes one option for Spark's `extraJavaOptions`, which Spark splits like a shell would. */
export function quoteJavaOption(option: string): string {
  return /[\s"'\\]/.test(option) ? `"${option.replace(/(["\\])/g, "\\$1")}"` : option;
}

export interface ConnectServerSpec {
  port: number;
  master: string;
  /** Heap of the server JVM, which is also the Spark driver. */
  memory: string;
  name: string;
  /** Standalone only: executor heap and cores. */
  executor?: { memory: string; cores: number };
  /**
   * Serve the driver's web UI (and its REST API) on this loopback port; off when absent. Standalone
   * deployments turn it on so the CLI can report executors lost and tasks retried during a command.
   */
  uiPort?: number;
  /** Extra Spark confs, applied last. */
  conf?: Record<string, string>;
}

/** The Spark confs the Connect server starts with, in order; user confs override ours. */
export function connectServerConf(base: JvmBase, spec: ConnectServerSpec): Record<string, string> {
  const conf: Record<string, string> = {
    "spark.connect.grpc.binding.address": LOOPBACK,
    "spark.connect.grpc.binding.port": String(spec.port),
    // Fail fast on a taken port instead of silently serving on the next one.
    "spark.connect.grpc.port.maxRetries": "0",
    "spark.ui.enabled": spec.uiPort === undefined ? "false" : "true",
    ...(spec.uiPort === undefined ? {} : { "spark.ui.port": String(spec.uiPort) }),
    "spark.local.dir": base.localDir,
    "spark.driver.host": LOOPBACK,
    "spark.driver.bindAddress": LOOPBACK,
  };
  if (spec.executor) {
    conf["spark.executor.memory"] = spec.executor.memory;
    conf["spark.executor.cores"] = String(spec.executor.cores);
    // Executors are started by workers, not by us: the marker lets `stop` find any that outlive their worker.
    conf["spark.executor.extraJavaOptions"] = [`-Djava.io.tmpdir=${base.tmpDir}`, instanceMarker(base.instanceId)]
      .map(quoteJavaOption)
      .join(" ");
  }
  return { ...conf, ...spec.conf };
}

export function connectServerCommand(base: JvmBase, spec: ConnectServerSpec): JvmCommand {
  const conf = connectServerConf(base, spec);
  return {
    command: base.java.path,
    args: [
      ...jvmPrefix(base, spec.memory),
      SUBMIT_CLASS,
      "--class",
      CONNECT_SERVER_CLASS,
      "--name",
      spec.name,
      "--master",
      spec.master,
      ...Object.entries(conf).flatMap(([key, value]) => ["--conf", `${key}=${value}`]),
      // SparkSubmit's pseudo primary resource for built-in servers (the main class is already on the classpath).
      "spark-internal",
    ],
    env: sparkEnv(base),
  };
}

export interface MasterSpec {
  port: number;
  webUiPort: number;
  memory: string;
}

export function masterCommand(base: JvmBase, spec: MasterSpec): JvmCommand {
  return {
    command: base.java.path,
    args: [
      ...jvmPrefix(base, spec.memory),
      // The REST submission server would take the fixed port 6066; nothing here submits through it.
      "-Dspark.master.rest.enabled=false",
      MASTER_CLASS,
      "--host",
      LOOPBACK,
      "--port",
      String(spec.port),
      "--webui-port",
      String(spec.webUiPort),
    ],
    env: sparkEnv(base),
  };
}

export interface WorkerSpec {
  masterUrl: string;
  cores: number;
  /** Memory the worker offers to executors (not its own heap). */
  offeredMemory: string;
  /** The worker JVM's own heap. */
  memory: string;
  workDir: string;
  webUiPort: number;
}

export function workerCommand(base: JvmBase, spec: WorkerSpec): JvmCommand {
  return {
    command: base.java.path,
    args: [
      ...jvmPrefix(base, spec.memory),
      // Executors get their scratch dirs from the worker's spark.local.dir.
      `-Dspark.local.dir=${base.localDir}`,
      WORKER_CLASS,
      "--host",
      LOOPBACK,
      "--cores",
      String(spec.cores),
      "--memory",
      spec.offeredMemory,
      "--work-dir",
      spec.workDir,
      "--webui-port",
      String(spec.webUiPort),
      spec.masterUrl,
    ],
    env: sparkEnv(base),
  };
}

/**
 * Extracts the JVM options from a command printed by Spark's launcher (`org.apache.spark.launcher.Main`,
 * NUL-separated argv). Keeps what JavaModuleOptions contributes (--add-opens, --add-modules, -XX, -D…)
 * and drops the classpath and heap size, which we set ourselves.
 */
export function parseLauncherCommand(output: string, mainClass: string): string[] {
  const argv = output.split("\0").filter((part) => part.length > 0);
  const end = argv.indexOf(mainClass);
  if (end < 1)
    throw new Error(`Spark's launcher printed no command for ${mainClass}: ${JSON.stringify(output.slice(0, 300))}`);
  const options: string[] = [];
  for (let i = 1; i < end; i++) {
    const arg = argv[i] ?? "";
    if (arg === "-cp" || arg === "-classpath") {
      i++;
      continue;
    }
    if (/^-Xm[xs]/.test(arg)) continue;
    options.push(arg);
  }
  return options;
}

/**
 * Asks the installed Spark's launcher which JVM options it adds (JavaModuleOptions: --add-opens for
 * Spark's reflective access on Java 17+, Netty settings, …), so our command lines match `spark-class`.
 * The launcher runs in a clean environment so user variables like SPARK_DAEMON_JAVA_OPTS stay out.
 */
export function javaModuleOptions(java: JavaRuntime, install: SparkInstall): string[] {
  const run = spawnSync(
    java.path,
    ["-Xmx128m", "-cp", install.launcherJar, "org.apache.spark.launcher.Main", MASTER_CLASS],
    {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? "",
        SPARK_HOME: install.home,
        SPARK_SCALA_VERSION: "2.13",
        ...(java.javaHome ? { JAVA_HOME: java.javaHome } : {}),
      },
    },
  );
  if (run.error || run.status !== 0) {
    const reason = run.error?.message ?? run.stderr.trim().split("\n").slice(-5).join("\n");
    throw new Error(`could not ask Spark's launcher (${install.launcherJar}) for its JVM options: ${reason}`);
  }
  return parseLauncherCommand(run.stdout, MASTER_CLASS);
}
