/**
 * Killing the local Spark Connect server in the middle of `retail-lab run` fails the command within seconds
 * with an error that says what happened and what to do (instead of the client's ten minutes of retries),
 * leaves only the results of jobs that finished, whole; `retail-lab spark start` then works again and a
 * rerun writes every job's results. Uses a deployment of its own (state directory and port).
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort, isOurProcess, readState, sparkStateLayout, stopDeployment } from "../../../src/runtime/index.ts";
import { runCli } from "../runtime/run-cli.ts";
import { generateSmallDataset, type SmallDataset } from "../support/small-dataset.ts";

const JOBS = ["aov-daily", "funnel", "cross-sell"];
const dir = join(process.cwd(), ".retail-lab", "test-runs", `server-lost-${process.pid}`);
const layout = sparkStateLayout(dir);
let data: SmallDataset;
let port: number;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function start() {
  return runCli(["spark", "start", "--port", String(port), "--master", "local[2]", "--memory", "1g"], {
    stateDir: dir,
  });
}

beforeAll(async () => {
  data = await generateSmallDataset("server-lost");
  port = await findFreePort("127.0.0.1");
  const started = await start();
  expect(started.code, started.stderr).toBe(0);
});

afterAll(async () => {
  const left = readState(layout);
  if (left) await stopDeployment(layout, left, { graceMs: 5000 });
  rmSync(dir, { recursive: true, force: true });
  data?.remove();
});

/** Job folders in an output directory, and any staging folder a failed run could have left. */
function outputFolders(out: string): string[] {
  return existsSync(out) ? readdirSync(out).sort() : [];
}

describe("the Connect server dies mid-job", () => {
  const out = () => data.scratch("out");

  it("fails the command within seconds with a clear error, leaving only whole results of finished jobs", async () => {
    let secondJobStarted = false;
    const run = runCli(["run", ...JOBS, "--data", data.dir, "--out", out()], {
      stateDir: dir,
      onStderr: (text) => {
        secondJobStarted ||= text.includes("[2/3] funnel");
      },
    });
    while (!secondJobStarted) await sleep(100);
    await sleep(1000);
    const state = readState(layout);
    const connect = state?.processes.find((p) => p.role === "connect");
    expect(connect && isOurProcess(connect.pid, state?.instanceId ?? "")).toBe(true);
    process.kill(connect!.pid, "SIGKILL");
    const killedAt = Date.now();
    const result = await run;
    const seconds = (Date.now() - killedAt) / 1000;

    expect(result.code).toBe(1);
    expect(seconds).toBeLessThan(10);
    expect(result.stderr).toContain(
      `error: The Spark Connect server at sc://127.0.0.1:${port} (pid ${connect!.pid}) exited while this command was running, ` +
        `so the command was stopped; results of unfinished steps were not written. Its log: ${connect!.log}. ` +
        "Start it again with `retail-lab spark start`, then rerun the command.",
    );
    expect(outputFolders(out())).toEqual(["aov-daily"]);
    expect(readdirSync(join(out(), "aov-daily")).sort()).toEqual([
      "by_channel.json",
      "by_channel.parquet",
      "daily.json",
      "daily.parquet",
      "findings.json",
    ]);
  });

  it("then `spark start` works again and a rerun writes every job's results", async () => {
    const status = await runCli(["spark", "status"], { stateDir: dir });
    expect(status.code).toBe(1);
    const started = await start();
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain(`sc://127.0.0.1:${port}`);

    const rerun = await runCli(["run", ...JOBS, "--data", data.dir, "--out", out()], { stateDir: dir });
    expect(rerun.stderr).not.toMatch(/error/i);
    expect(rerun.code).toBe(0);
    expect(outputFolders(out())).toEqual([...JOBS].sort());
    for (const job of JOBS) expect(readdirSync(join(out(), job)), job).toContain("findings.json");

    const stop = await runCli(["spark", "stop"], { stateDir: dir });
    expect(stop.code).toBe(0);
  });
});
