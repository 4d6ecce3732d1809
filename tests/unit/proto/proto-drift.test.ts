/**
 * The pinned protocol stays pinned: proto/ holds exactly the files recorded in PROVENANCE.json
 * (unmodified, with their license headers), and regenerating TypeScript from them changes nothing.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SPARK_PIN } from "../../../src/runtime/spark-pin.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const provenance = JSON.parse(readFileSync(join(ROOT, "proto", "PROVENANCE.json"), "utf8")) as {
  sparkVersion: string;
  artifact: string;
  files: Record<string, string>;
};

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe("pinned Spark Connect protocol", () => {
  it("matches the pinned Spark version", () => {
    expect(provenance.sparkVersion).toBe(SPARK_PIN.version);
    expect(provenance.artifact).toMatch(
      new RegExp(`^org\\.apache\\.spark:spark-connect(-common)?_${SPARK_PIN.scala}:${SPARK_PIN.version}$`),
    );
  });

  it("holds exactly the recorded, unmodified .proto files with their license headers", () => {
    const onDisk = listFiles(join(ROOT, "proto", "spark")).map((f) => `spark/${f}`);
    expect(onDisk).toEqual(Object.keys(provenance.files).sort());
    for (const [file, sha] of Object.entries(provenance.files)) {
      const bytes = readFileSync(join(ROOT, "proto", file));
      expect(createHash("sha256").update(bytes).digest("hex"), file).toBe(sha);
      expect(bytes.toString("utf8"), file).toContain("Licensed to the Apache Software Foundation");
    }
  });

  const out = mkdtempSync(join(tmpdir(), "retail-lab-gen-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("regenerates to exactly the committed TypeScript", () => {
    execFileSync(join(ROOT, "node_modules", ".bin", "buf"), ["generate", "-o", out], { cwd: ROOT, stdio: "pipe" });
    const committedDir = join(ROOT, "src", "connect", "gen");
    const regeneratedDir = join(out, "src", "connect", "gen");
    const committed = listFiles(committedDir);
    expect(listFiles(regeneratedDir)).toEqual(committed);
    for (const file of committed) {
      expect(readFileSync(join(regeneratedDir, file), "utf8"), file).toBe(
        readFileSync(join(committedDir, file), "utf8"),
      );
    }
  });
});
