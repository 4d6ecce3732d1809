/**
 * Output safety through the real CLI: a run killed mid-way leaves nothing that looks like a dataset (and
 * the next run cleans up after it), Ctrl-C removes the staging directory, existing output needs --force,
 * and bad flags are refused with a message naming the value.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, OutputExistsError, resolveScenario } from "../../../generators/index.ts";

const CLI = new URL("../../../bin/retail-lab.js", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "retail-lab-atomic-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = () => resolveScenario({ preset: "demo", overrides: { sessions: 500 } }).scenario;

function runCli(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, "generate", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.resume();
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stderr })),
  );
  return { child, done };
}

const stagingDirs = (name: string) => readdirSync(root).filter((e) => e.startsWith(`.${name}.staging-`));

/** Waits until the run has written Parquet bytes into its staging directory. */
async function waitForPartialOutput(name: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const staging of stagingDirs(name)) {
      const dir = join(root, staging, "clickstream");
      if (existsSync(dir) && readdirSync(dir).some((f) => statSync(join(dir, f)).size > 0)) return join(root, staging);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no partial output for ${name} within ${timeoutMs} ms`);
}

describe("atomic output", () => {
  it("leaves no complete-looking output when killed mid-run, and the next run removes the leftovers", async () => {
    const out = join(root, "killed");
    const { child, done } = runCli(["--preset", "seed", "--workers", "2", "--out", out]);
    const staging = await waitForPartialOutput("killed");
    child.kill("SIGKILL");
    const { code } = await done;
    expect(code).toBeNull();
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(staging, "_manifest.json"))).toBe(false);
    expect(stagingDirs("killed")).toHaveLength(1);

    await generate({ scenario: tiny(), out, workers: 1 });
    expect(existsSync(join(out, "_manifest.json"))).toBe(true);
    expect(stagingDirs("killed")).toHaveLength(0);
  }, 120_000);

  it("removes its staging directory and exits 130 on SIGINT", async () => {
    const out = join(root, "interrupted");
    const { child, done } = runCli(["--preset", "seed", "--workers", "2", "--out", out]);
    await waitForPartialOutput("interrupted");
    child.kill("SIGINT");
    const { code, stderr } = await done;
    expect(code).toBe(130);
    expect(stderr).toContain("interrupted by SIGINT");
    expect(existsSync(out)).toBe(false);
    expect(stagingDirs("interrupted")).toHaveLength(0);
  }, 120_000);

  it("refuses an existing output without force, replaces a dataset with force, never a foreign directory", async () => {
    const out = join(root, "existing");
    await generate({ scenario: tiny(), out, workers: 1 });
    await expect(generate({ scenario: tiny(), out, workers: 1 })).rejects.toThrow(
      new OutputExistsError(`output directory ${out} already exists; pass --force to replace it`),
    );
    const reseeded = { ...tiny(), seed: 9 };
    const result = await generate({ scenario: reseeded, out, workers: 1, force: true });
    expect(result.manifest.seed).toBe(9);
    expect(readdirSync(root).filter((e) => e.startsWith(".existing."))).toEqual([]);

    const foreign = join(root, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "notes.txt"), "keep me");
    await expect(generate({ scenario: tiny(), out: foreign, workers: 1, force: true })).rejects.toThrow(
      /refusing to replace .*foreign: it is not empty and has no _manifest.json/,
    );
    expect(readdirSync(foreign)).toEqual(["notes.txt"]);
  }, 60_000);
});

describe("CLI flags", () => {
  it.each([
    [["--sessions", "abc"], '--sessions: "abc" is not allowed; expected an integer from 1 to 500,000,000'],
    [["--workers", "0"], '--workers: "0" is not allowed; expected an integer from 1 to 256'],
    [["--start", "2025-13-01"], '--start: "2025-13-01" is not allowed; expected a date YYYY-MM-DD'],
    [["--compression", "lz4"], "Invalid values:"],
    [["--preset", "huge"], '--preset: "huge" is not a preset; choose one of demo, seed, large'],
  ])(
    "refuses %j",
    async (args, message) => {
      const { done } = runCli([...args, "--out", join(root, "never")]);
      const { code, stderr } = await done;
      expect(code).toBe(1);
      expect(stderr).toContain(message);
      expect(existsSync(join(root, "never"))).toBe(false);
    },
    30_000,
  );

  it("generates and prints a per-table summary", async () => {
    const out = join(root, "cli");
    const child = spawn(process.execPath, [CLI, "generate", "--sessions", "800", "--workers", "2", "--out", out], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.resume();
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^clickstream\s+\d+\s+1\s+/m);
    expect(stdout).toMatch(/^total\s+\d+/m);
    expect(existsSync(join(out, "_manifest.json"))).toBe(true);
  }, 60_000);
});
