/**
 * `installSpark` against the real Maven repository, into a throwaway cache: a fresh install publishes a
 * verified jars folder with a manifest, a second call reuses it without Maven, and a damaged jar is
 * noticed and repaired by resolving again.
 */
import { readFileSync, rmSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type InstallEvent,
  type InstallManifest,
  installSpark,
  SPARK_PIN,
  verifyInstall,
} from "../../../src/runtime/index.ts";

const cache = join(process.cwd(), ".retail-lab", "test-runs", `install-${process.pid}`);
const env = { ...process.env, RETAIL_LAB_CACHE: cache, SPARK_HOME: "" };
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe("installSpark", () => {
  it("resolves, verifies and publishes the pinned jars, then reuses and repairs them", async () => {
    const events: InstallEvent[] = [];
    const install = await installSpark({ env, onEvent: (e) => events.push(e) });
    const home = join(cache, `spark-${SPARK_PIN.version}`);
    expect(install).toMatchObject({ home, jarsDir: join(home, "jars"), version: SPARK_PIN.version, source: "cache" });
    expect(events.some((e) => e.kind === "resolving")).toBe(true);

    const manifest = JSON.parse(readFileSync(join(home, "manifest.json"), "utf8")) as InstallManifest;
    const names = manifest.jars.map((j) => j.name);
    expect(names).toContain(`spark-connect_2.13-${SPARK_PIN.version}.jar`);
    expect(names).toContain(`spark-sql_2.13-${SPARK_PIN.version}.jar`);
    expect(names.filter((n) => /^(spark-connect-(shims|common)_|grpc-)/.test(n))).toEqual([]);
    expect(manifest.jars.every((j) => /^[0-9a-f]{64}$/.test(j.sha256) && j.size > 0)).toBe(true);
    expect(verifyInstall(home, "full")).toBeUndefined();

    const again: InstallEvent[] = [];
    await installSpark({ env, onEvent: (e) => again.push(e) });
    expect(again).toEqual([]);

    const victim = manifest.jars.find((j) => j.name.startsWith("spark-core_"));
    if (!victim) throw new Error("no spark-core jar in the manifest");
    truncateSync(join(home, "jars", victim.name), 100);
    expect(verifyInstall(home, "quick")).toBe(`${victim.name} is 100 bytes, the manifest says ${victim.size}`);
    const repair: InstallEvent[] = [];
    await installSpark({ env, onEvent: (e) => repair.push(e) });
    expect(repair[0]).toEqual({
      kind: "note",
      message: expect.stringMatching(/failed verification \(spark-core_.* is 100 bytes.*\); resolving it again/),
    });
    expect(verifyInstall(home, "full")).toBeUndefined();
  });
});
