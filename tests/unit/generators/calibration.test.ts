/**
 * The default calibration at the seed preset reproduces the reference study's headline: about 150,000
 * payment attempts (within 1%) of which 24.86% are approved (within one percentage point), read back from
 * the Parquet files. Unlike the reference, the funnel is not upside down.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generate, type Manifest, resolveScenario } from "../../../generators/index.ts";
import { readManifest, readTable } from "./read-dataset.ts";

let root: string;
let dir: string;
let manifest: Manifest;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "retail-lab-seed-"));
  dir = join(root, "seed");
  const { scenario, preset } = resolveScenario({ preset: "seed" });
  await generate({ scenario, preset, out: dir });
  manifest = readManifest(dir);
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

it("lands within 1% of 150,000 payment attempts and within ±1 pp of 24.86% approved", async () => {
  const attempts = await readTable(dir, "payment_attempts", ["result"]);
  const approved = attempts.filter((a) => a.result === "approved").length;
  expect(Math.abs(attempts.length - 150_000)).toBeLessThanOrEqual(1_500);
  expect(Math.abs(approved / attempts.length - 0.2486)).toBeLessThanOrEqual(0.01);
  expect(manifest.groundTruth.payments.attempts).toBe(attempts.length);
  expect(manifest.groundTruth.payments.approved).toBe(approved);
}, 120_000);

it("keeps the funnel the right way up: views > cart adds > attempts > approvals", () => {
  const events = manifest.groundTruth.events;
  const payments = manifest.groundTruth.payments;
  expect(events.clickstream.product_view).toBeGreaterThan(events.cartAdds);
  expect(events.cartAdds).toBeGreaterThan(payments.attempts);
  expect(payments.attempts).toBeGreaterThan(payments.approved);
  const reach = Object.values(manifest.groundTruth.funnel.reach);
  for (let i = 1; i < reach.length; i++) expect(reach[i]).toBeLessThan(reach[i - 1] ?? 0);
});
