/**
 * How `spark start` fails: a taken port is refused before any JVM starts, and a JVM that dies during
 * start-up fails the start with the tail of its log, leaving no process and no state file behind.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findFreePort,
  findJava,
  installSpark,
  PortBusyError,
  processCommandLine,
  readState,
  type SparkInstall,
  SparkStartError,
  sparkStateLayout,
  startSpark,
} from "../../../src/runtime/index.ts";
import { runCli } from "./run-cli.ts";

const root = join(process.cwd(), ".retail-lab", "test-runs");
let dir: string;
let install: SparkInstall;
let blocker: Server;
let busyPort: number;

beforeAll(async () => {
  install = await installSpark();
  dir = mkdtempSync(join(root, `failures-${process.pid}-`));
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const address = blocker.address();
  busyPort = typeof address === "object" && address ? address.port : 0;
});

afterAll(() => {
  blocker.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("spark start failures", () => {
  it("refuses a busy port with a clear message, starting nothing", async () => {
    const layout = sparkStateLayout(join(dir, "api"));
    const error = await startSpark({ install, java: findJava(), layout, port: busyPort }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortBusyError);
    expect((error as PortBusyError).port).toBe(busyPort);
    expect(readState(layout)).toBeUndefined();

    const cli = await runCli(["spark", "start", "--port", String(busyPort)], { stateDir: join(dir, "cli") });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(
      `error: port ${busyPort} on 127.0.0.1 is already in use (needed for the Spark Connect server).`,
    );
    expect(cli.stdout).toBe("");
  });

  it("reports a server that dies on start with its log tail, and cleans up", async () => {
    const layout = sparkStateLayout(join(dir, "crash"));
    // 64 MiB is below Spark's minimum heap: the driver exits while creating its SparkContext.
    const error = await startSpark({
      install,
      java: findJava(),
      layout,
      port: await findFreePort("127.0.0.1"),
      memory: "64m",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SparkStartError);
    const message = (error as SparkStartError).message;
    expect(message).toMatch(/^The Spark connect JVM exited with code \d+ while starting\./);
    expect((error as SparkStartError).logTail).toMatch(/--- last \d+ lines of .*crash\/spark\/logs\/connect\.log ---/);
    expect(message).toMatch(/System memory \d+ must be at least \d+/);
    expect(readState(layout)).toBeUndefined();

    const cli = await runCli(["spark", "start", "--port", String(await findFreePort("127.0.0.1")), "--memory", "64m"], {
      stateDir: join(dir, "crash-cli"),
    });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/error: The Spark connect JVM exited with code \d+ while starting\./);
    expect(cli.stderr).toMatch(/System memory \d+ must be at least \d+/);
  });

  it("stops what it started when the start is cancelled", async () => {
    const layout = sparkStateLayout(join(dir, "cancelled"));
    const controller = new AbortController();
    let instancePid = 0;
    const error = await startSpark({
      install,
      java: findJava(),
      layout,
      port: await findFreePort("127.0.0.1"),
      memory: "1g",
      signal: controller.signal,
      onEvent: (event) => {
        if (event.kind === "spawned") {
          instancePid = event.pid;
          controller.abort(new Error("test cancel"));
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SparkStartError);
    expect((error as Error).message).toBe(
      "Starting Spark was cancelled (test cancel) while the connect JVM was starting.",
    );
    expect(instancePid).toBeGreaterThan(0);
    expect(processCommandLine(instancePid)).toBeUndefined();
    expect(readState(layout)).toBeUndefined();
  });
});
