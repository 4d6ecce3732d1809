/**
 * `retail-lab reproduce` end to end through the real CLI at demo scale against the test server: it generates
 * the dataset, runs the jobs, prints the reference numbers beside ours with the planted top cause, writes
 * every job's results and the report; a second run reuses the dataset; a foreign directory is refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { REPRODUCE_JOBS } from "../../../jobs/reproduce.ts";
import { runCli } from "../runtime/run-cli.ts";

const work = mkdtempSync(join(tmpdir(), "retail-lab-reproduce-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const remote = inject("sparkRemote");
const run = (args: string[]) =>
  runCli(["reproduce", "--preset", "demo", ...args], { stateDir: join(work, "state"), env: { SPARK_REMOTE: remote } });

describe("retail-lab reproduce", () => {
  const data = join(work, "data");
  const out = join(work, "results");

  it("generates the data, runs the study and writes results and the report", async () => {
    const result = await run(["--data", data, "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(data, "_manifest.json"), "utf8"));
    const attempts: number = manifest.groundTruth.payments.attempts;
    expect(result.stdout).toContain("The reference study's numbers beside ours");
    expect(result.stdout).toMatch(/payment attempts\s+150,000\s+/);
    expect(result.stdout).toContain(attempts.toLocaleString("en-US"));
    const planted = manifest.planted.failingGateway;
    expect(result.stdout).toContain(`Top cause: ${planted.gateway} × ${planted.channel} (gateway × channel)`);
    expect(result.stdout).toContain("All 28 data-quality checks pass");
    for (const job of REPRODUCE_JOBS) {
      expect(existsSync(join(out, job, "findings.json")), job).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(out, "payment-failures", "summary.json"), "utf8"));
    expect(summary.rows[0].attempts).toBe(attempts);
    const report = join(out, "report.html");
    expect(result.stdout).toContain(`Report: ${report}`);
    expect(readFileSync(report, "utf8")).toContain("<svg");
  });

  it("reuses a dataset made from the same scenario", async () => {
    const result = await run(["--data", data, "--out", join(work, "again")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Reusing the dataset in ${data}`);
  });

  it("refuses a data directory that is not a retail-lab dataset, and writes nothing", async () => {
    writeFileSync(join(work, "marker"), "x");
    const result = await run(["--data", work, "--out", join(work, "never")]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("is not a retail-lab dataset");
    expect(existsSync(join(work, "never"))).toBe(false);
  });
});
