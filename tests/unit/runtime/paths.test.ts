import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cacheDir, sparkInstallDir, sparkStateLayout, stateDir } from "../../../src/runtime/paths.ts";
import { SPARK_PIN } from "../../../src/runtime/spark-pin.ts";

describe("cacheDir", () => {
  it.each([
    { env: { RETAIL_LAB_CACHE: "/opt/rl-cache", XDG_CACHE_HOME: "/xdg" }, expected: "/opt/rl-cache" },
    { env: { RETAIL_LAB_CACHE: "rel/cache" }, expected: "/work/project/rel/cache" },
    { env: { XDG_CACHE_HOME: "/xdg", HOME: "/home/u" }, expected: "/xdg/retail-lab" },
    // A relative XDG_CACHE_HOME is invalid per the XDG spec and ignored.
    { env: { XDG_CACHE_HOME: "xdg", HOME: "/home/u" }, expected: "/home/u/.cache/retail-lab" },
    { env: { HOME: "/home/u" }, expected: "/home/u/.cache/retail-lab" },
  ])("$env -> $expected", ({ env, expected }) => {
    expect(cacheDir(env, "/work/project")).toBe(expected);
  });

  it("falls back to the OS home directory without HOME", () => {
    expect(cacheDir({}, "/x")).toBe(join(homedir(), ".cache", "retail-lab"));
  });
});

describe("stateDir", () => {
  it("defaults to .retail-lab under the working directory", () => {
    expect(stateDir({}, "/work/project")).toBe("/work/project/.retail-lab");
  });
  it("honours RETAIL_LAB_STATE, relative to the working directory", () => {
    expect(stateDir({ RETAIL_LAB_STATE: "/tmp/s" }, "/work/project")).toBe("/tmp/s");
    expect(stateDir({ RETAIL_LAB_STATE: "runs/a" }, "/work/project")).toBe("/work/project/runs/a");
  });
});

describe("install and state layout", () => {
  it("keeps the pinned Spark under a versioned folder of the cache", () => {
    expect(sparkInstallDir("/c")).toBe(`/c/spark-${SPARK_PIN.version}`);
  });
  it("puts every runtime file under <state>/spark", () => {
    const layout = sparkStateLayout("/p/.retail-lab");
    expect(layout).toEqual({
      root: "/p/.retail-lab/spark",
      stateFile: "/p/.retail-lab/spark/state.json",
      logs: "/p/.retail-lab/spark/logs",
      local: "/p/.retail-lab/spark/local",
      tmp: "/p/.retail-lab/spark/tmp",
      work: "/p/.retail-lab/spark/work",
      conf: "/p/.retail-lab/spark/conf",
    });
  });
});
