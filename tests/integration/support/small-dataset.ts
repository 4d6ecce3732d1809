/**
 * A small generated dataset for tests that rewrite or re-read every table many times (lake, cluster, remote):
 * 3,000 sessions over 14 days, so the lake has about 40 partitions per event table and builds in seconds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate, type Manifest, resolveScenario } from "../../../generators/index.ts";

export interface SmallDataset {
  /** The data directory (`--data`). */
  dir: string;
  manifest: Manifest;
  /** A fresh path under the same temp root (outputs, state directories, copies). */
  scratch(name: string): string;
  remove(): void;
}

export async function generateSmallDataset(prefix: string): Promise<SmallDataset> {
  const root = mkdtempSync(join(tmpdir(), `retail-lab-${prefix}-`));
  const { scenario, preset } = resolveScenario({ preset: "demo", overrides: { sessions: 3000, days: 14 } });
  const dir = join(root, "data");
  const result = await generate({ scenario, preset, out: dir, workers: 2 });
  return {
    dir,
    manifest: result.manifest,
    scratch: (name) => join(root, name),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
