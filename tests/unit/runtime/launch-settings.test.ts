import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { resolveStartSettings } from "../../../src/runtime/launch.ts";

describe("resolveStartSettings", () => {
  it("defaults to local[*] on port 15002 with a 2g driver", () => {
    expect(resolveStartSettings({})).toEqual({
      port: 15002,
      master: "local[*]",
      workers: 0,
      workerCores: availableParallelism(),
      timeoutMs: 300_000,
      memory: "2g",
      executorMemory: "1g",
      daemonMemory: "512m",
    });
  });

  it("shares the cores among workers", () => {
    expect(resolveStartSettings({ workers: 2, workerCores: 1 })).toMatchObject({ workers: 2, workerCores: 1 });
    expect(resolveStartSettings({ workers: 2 }).workerCores).toBe(Math.max(1, Math.floor(availableParallelism() / 2)));
  });

  it.each(["local", "local[2]", "local[*]", "local[4,2]", "local-cluster[2,1,1024]", "spark://10.0.0.5:7077"])(
    "accepts master %s",
    (master) => {
      expect(resolveStartSettings({ master }).master).toBe(master);
    },
  );

  it.each([
    [{ port: 0 }, /--port 0 is not a TCP port; use a whole number from 1 to 65535/],
    [{ port: 70000 }, /--port 70000 is not a TCP port/],
    [{ port: 15002.5 }, /--port 15002\.5 is not a TCP port/],
    [{ memory: "2GB" }, /--memory "2GB" is not a JVM memory size; use a whole number with k, m, g or t, e\.g\. 2g/],
    [{ memory: "2048" }, /--memory "2048" is not a JVM memory size/],
    [{ workers: -1 }, /--workers -1 is not allowed; use 0 \(local mode\) to 16/],
    [{ workers: 1.5 }, /--workers 1\.5 is not allowed/],
    [
      { master: "yarn" },
      /--master "yarn" is not supported; use local, local\[N\], local\[\*\], local-cluster\[W,C,M\] or spark:\/\/host:port/,
    ],
    [{ master: "local[0]" }, /--master "local\[0\]" is not supported/],
    [{ master: "local[2]", workers: 2 }, /--master local\[2\] and --workers 2 exclude each other/],
    [{ workerCores: 0, workers: 1 }, /worker cores 0 must be a whole number of at least 1/],
  ])("rejects %j", (options, message) => {
    expect(() => resolveStartSettings(options)).toThrow(message);
  });

  it("normalises memory suffixes to lower case", () => {
    expect(resolveStartSettings({ memory: "1536M" }).memory).toBe("1536m");
  });
});
