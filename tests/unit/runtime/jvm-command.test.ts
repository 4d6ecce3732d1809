import { describe, expect, it } from "vitest";
import type { SparkInstall } from "../../../src/runtime/install.ts";
import {
  CONNECT_SERVER_CLASS,
  connectServerCommand,
  type JvmBase,
  MASTER_CLASS,
  masterCommand,
  parseLauncherCommand,
  quoteJavaOption,
  WORKER_CLASS,
  workerCommand,
} from "../../../src/runtime/jvm-command.ts";

const install: SparkInstall = {
  home: "/cache/spark-4.1.3",
  jarsDir: "/cache/spark-4.1.3/jars",
  version: "4.1.3",
  source: "cache",
  connectJar: "/cache/spark-4.1.3/jars/spark-connect_2.13-4.1.3.jar",
  launcherJar: "/cache/spark-4.1.3/jars/spark-launcher_2.13-4.1.3.jar",
};

const base: JvmBase = {
  java: { path: "/jdk/bin/java", javaHome: "/jdk", major: 17, version: "17.0.15" },
  install,
  moduleOptions: ["-XX:+IgnoreUnrecognizedVMOptions", "--add-opens=java.base/java.lang=ALL-UNNAMED"],
  instanceId: "iid",
  tmpDir: "/state/spark/tmp",
  localDir: "/state/spark/local",
  confDir: "/state/spark/conf",
};

const JVM_PREFIX = [
  "-XX:+IgnoreUnrecognizedVMOptions",
  "--add-opens=java.base/java.lang=ALL-UNNAMED",
  "-Xmx2g",
  "-Djava.io.tmpdir=/state/spark/tmp",
  "-Dretail-lab.instance=iid",
  "-cp",
  "/cache/spark-4.1.3/jars/*",
];

describe("parseLauncherCommand", () => {
  // What `java -cp spark-launcher.jar org.apache.spark.launcher.Main <class>` prints: NUL-separated argv.
  const printed = [
    "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
    "-cp",
    "/home/conf:/home/jars/slf4j-api-2.0.17.jar:/home/jars/*",
    "-Xmx1g",
    "-XX:+IgnoreUnrecognizedVMOptions",
    "--add-modules=jdk.incubator.vector",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--enable-native-access=ALL-UNNAMED",
    MASTER_CLASS,
  ].join("\0");

  it("keeps the JVM options and drops classpath and heap", () => {
    expect(parseLauncherCommand(`${printed}\0`, MASTER_CLASS)).toEqual([
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-modules=jdk.incubator.vector",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "-Dio.netty.tryReflectionSetAccessible=true",
      "--enable-native-access=ALL-UNNAMED",
    ]);
  });

  it("fails when the launcher printed something else", () => {
    expect(() => parseLauncherCommand("Error: Could not find or load main class", MASTER_CLASS)).toThrow(
      /Spark's launcher printed no command for org\.apache\.spark\.deploy\.master\.Master/,
    );
  });
});

describe("connectServerCommand", () => {
  it("runs SparkSubmit with the Connect server bound to loopback, marked and sandboxed", () => {
    const command = connectServerCommand(base, { port: 15002, master: "local[*]", memory: "2g", name: "rl" });
    expect(command.command).toBe("/jdk/bin/java");
    expect(command.args).toEqual([
      ...JVM_PREFIX,
      "org.apache.spark.deploy.SparkSubmit",
      "--class",
      CONNECT_SERVER_CLASS,
      "--name",
      "rl",
      "--master",
      "local[*]",
      "--conf",
      "spark.connect.grpc.binding.address=127.0.0.1",
      "--conf",
      "spark.connect.grpc.binding.port=15002",
      "--conf",
      "spark.connect.grpc.port.maxRetries=0",
      "--conf",
      "spark.ui.enabled=false",
      "--conf",
      "spark.local.dir=/state/spark/local",
      "--conf",
      "spark.driver.host=127.0.0.1",
      "--conf",
      "spark.driver.bindAddress=127.0.0.1",
      "spark-internal",
    ]);
    expect(command.env).toEqual({
      SPARK_HOME: "/cache/spark-4.1.3",
      SPARK_SCALA_VERSION: "2.13",
      SPARK_LOCAL_IP: "127.0.0.1",
      SPARK_CONF_DIR: "/state/spark/conf",
      SPARK_CONNECT_MODE: "0",
      JAVA_HOME: "/jdk",
    });
  });

  it("sizes and marks executors on a standalone master, and lets user confs override ours", () => {
    const { args } = connectServerCommand(
      { ...base, tmpDir: "/my state/tmp" },
      {
        port: 15010,
        master: "spark://127.0.0.1:7077",
        memory: "1g",
        name: "rl",
        executor: { memory: "1g", cores: 1 },
        conf: { "spark.ui.enabled": "true", "spark.sql.shuffle.partitions": "4" },
      },
    );
    const confs = args.flatMap((arg, i) => (args[i - 1] === "--conf" ? [arg] : []));
    expect(confs).toContain("spark.executor.memory=1g");
    expect(confs).toContain("spark.executor.cores=1");
    expect(confs).toContain(
      'spark.executor.extraJavaOptions="-Djava.io.tmpdir=/my state/tmp" -Dretail-lab.instance=iid',
    );
    expect(confs).toContain("spark.ui.enabled=true");
    expect(confs).not.toContain("spark.ui.enabled=false");
    expect(confs.at(-1)).toBe("spark.sql.shuffle.partitions=4");
    expect(args.at(-1)).toBe("spark-internal");
  });

  it("serves the driver UI and its REST API on the given loopback port when asked", () => {
    const { args } = connectServerCommand(base, {
      port: 15010,
      master: "spark://127.0.0.1:7077",
      memory: "1g",
      name: "rl",
      uiPort: 4141,
    });
    const confs = args.flatMap((arg, i) => (args[i - 1] === "--conf" ? [arg] : []));
    expect(confs).toContain("spark.ui.enabled=true");
    expect(confs).toContain("spark.ui.port=4141");
    expect(confs).not.toContain("spark.ui.enabled=false");
  });
});

describe("standalone daemons", () => {
  it("starts a Master on loopback without the REST server", () => {
    const { args, env } = masterCommand(base, { port: 7077, webUiPort: 18080, memory: "512m" });
    expect(args).toEqual([
      ...JVM_PREFIX.map((a) => (a === "-Xmx2g" ? "-Xmx512m" : a)),
      "-Dspark.master.rest.enabled=false",
      MASTER_CLASS,
      "--host",
      "127.0.0.1",
      "--port",
      "7077",
      "--webui-port",
      "18080",
    ]);
    expect(env.SPARK_LOCAL_IP).toBe("127.0.0.1");
  });

  it("starts a Worker that offers executor memory, keeps its sandbox in the state dir and joins the master", () => {
    const { args, env } = workerCommand(base, {
      masterUrl: "spark://127.0.0.1:7077",
      cores: 1,
      offeredMemory: "1g",
      memory: "512m",
      workDir: "/state/spark/work/worker-1",
      webUiPort: 18081,
    });
    expect(args.slice(JVM_PREFIX.length)).toEqual([
      "-Dspark.local.dir=/state/spark/local",
      WORKER_CLASS,
      "--host",
      "127.0.0.1",
      "--cores",
      "1",
      "--memory",
      "1g",
      "--work-dir",
      "/state/spark/work/worker-1",
      "--webui-port",
      "18081",
      "spark://127.0.0.1:7077",
    ]);
    // Executors are launched through Spark's launcher, which needs both.
    expect(env).toMatchObject({ SPARK_HOME: "/cache/spark-4.1.3", SPARK_SCALA_VERSION: "2.13" });
  });
});

describe("quoteJavaOption", () => {
  it.each([
    ["-Dx=1", "-Dx=1"],
    ["-Dpath=/a b", '"-Dpath=/a b"'],
    ['-Dq=say "hi"', '"-Dq=say \\"hi\\""'],
  ])("%s -> %s", (input, expected) => expect(quoteJavaOption(input)).toBe(expected));
});
