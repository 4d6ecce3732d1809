import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkClasspath,
  InstallError,
  type InstallEvent,
  type InstallManifest,
  installSpark,
  pomDigest,
  sparkHomeInstall,
  verifyInstall,
} from "../../../src/runtime/install.ts";
import { SPARK_PIN } from "../../../src/runtime/spark-pin.ts";

const V = SPARK_PIN.version;
const GOOD = [
  `spark-connect_2.13-${V}.jar`,
  `spark-sql_2.13-${V}.jar`,
  `spark-core_2.13-${V}.jar`,
  `spark-catalyst_2.13-${V}.jar`,
  `spark-launcher_2.13-${V}.jar`,
  "guava-33.4.8-jre.jar",
  "protobuf-java-4.33.0.jar",
  "netty-codec-protobuf-4.2.7.Final.jar",
];

describe("checkClasspath", () => {
  it("accepts the server classpath and reports its version", () => {
    expect(checkClasspath(GOOD, "test")).toEqual({ version: V });
  });

  it.each([
    [
      `spark-connect-shims_2.13-${V}.jar`,
      /spark-connect-shims_2\.13-.*must not be on the server classpath \(placeholder classes/,
    ],
    [`spark-connect-common_2.13-${V}.jar`, /spark-connect-common_2\.13-.*already shaded into the Connect server jar/],
    [`spark-connect-client-jvm_2.13-${V}.jar`, /spark-connect-client-jvm.*the JVM client/],
    ["grpc-netty-1.76.0.jar", /grpc-netty-1\.76\.0\.jar must not be on the server classpath \(unshaded gRPC/],
    [`spark-avro_2.12-${V}.jar`, /spark-avro_2\.12-.* is built for Scala 2\.12, not 2\.13/],
    ["spark-avro_2.13-4.0.1.jar", /spark-avro_2\.13-4\.0\.1\.jar is Spark 4\.0\.1, not /],
  ])("rejects %s", (extra, message) => {
    expect(() => checkClasspath([...GOOD, extra], "the test jars")).toThrow(message);
  });

  it("lists every missing module and a missing server jar", () => {
    const error = (() => {
      try {
        checkClasspath(["guava-33.4.8-jre.jar", `spark-core_2.13-${V}.jar`], "dir X");
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected a failure");
    })();
    expect(error).toBeInstanceOf(InstallError);
    expect(error.message).toMatch(/^dir X cannot run the Spark Connect server/);
    expect(error.message).toContain("no spark-connect_2.13-<version>.jar");
    expect(error.message).toContain("missing spark-sql_2.13 jar");
    expect(error.message).toContain("missing spark-launcher_2.13 jar");
  });

  it("rejects Spark 3", () => {
    const spark3 = GOOD.map((name) => name.replace(V, "3.5.5"));
    expect(() => checkClasspath(spark3, "t")).toThrow(/Spark 3\.5\.5 is not a Spark 4\.x/);
  });
});

describe("verifyInstall", () => {
  const root = mkdtempSync(join(tmpdir(), "rl-install-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const INSTALLED_AT = 1_700_000_000;

  /** A fake cached install whose manifest matches its files. */
  function fakeInstall(name: string, files: Record<string, string>): string {
    const home = join(root, name);
    mkdirSync(join(home, "jars"), { recursive: true });
    const jars = Object.entries(files).map(([file, content]) => {
      const path = join(home, "jars", file);
      writeFileSync(path, content);
      // A whole-second mtime, so the test can restore it exactly after editing the file.
      utimesSync(path, INSTALLED_AT, INSTALLED_AT);
      const stat = statSync(path);
      return {
        name: file,
        size: stat.size,
        mtimeMs: stat.mtimeMs,
        sha256: createHash("sha256").update(content).digest("hex"),
      };
    });
    const manifest: InstallManifest = {
      format: 1,
      spark: V,
      scala: "2.13",
      pom: pomDigest(),
      resolvedAt: "2026-01-01T00:00:00Z",
      jars,
    };
    writeFileSync(join(home, "manifest.json"), JSON.stringify(manifest));
    return home;
  }

  it("accepts an install that matches its manifest, quick and full", () => {
    const home = fakeInstall("ok", { "a.jar": "alpha", "b.jar": "beta" });
    expect(verifyInstall(home, "quick")).toBeUndefined();
    const events: InstallEvent[] = [];
    expect(verifyInstall(home, "full", (e) => events.push(e))).toBeUndefined();
    expect(events.at(-1)).toEqual({ kind: "checking", done: 2, total: 2 });
  });

  it("notices a missing manifest, a missing jar and an extra jar", () => {
    expect(verifyInstall(join(root, "nothing"), "quick")).toMatch(/manifest\.json is missing/);
    const home = fakeInstall("missing", { "a.jar": "alpha", "b.jar": "beta" });
    rmSync(join(home, "jars", "b.jar"));
    expect(verifyInstall(home, "quick")).toBe("1 jar(s) missing, e.g. b.jar");
    const extra = fakeInstall("extra", { "a.jar": "alpha" });
    writeFileSync(join(extra, "jars", "spark-connect-shims_2.13-4.1.3.jar"), "x");
    expect(verifyInstall(extra, "quick")).toBe("1 unexpected jar(s), e.g. spark-connect-shims_2.13-4.1.3.jar");
  });

  it("quick mode catches size and mtime changes; full mode catches same-size edits with the old mtime", () => {
    const home = fakeInstall("edited", { "a.jar": "alpha" });
    const path = join(home, "jars", "a.jar");
    writeFileSync(path, "alphabet");
    expect(verifyInstall(home, "quick")).toMatch(/a\.jar is 8 bytes, the manifest says 5/);
    writeFileSync(path, "ALPHA");
    expect(verifyInstall(home, "quick")).toMatch(/a\.jar was modified after install/);
    utimesSync(path, INSTALLED_AT, INSTALLED_AT);
    expect(verifyInstall(home, "quick")).toBeUndefined();
    expect(verifyInstall(home, "full")).toMatch(/a\.jar has sha256 [0-9a-f]{64}, the manifest says/);
  });

  it("rejects an install resolved from another pom (a jar added to the classpath since)", () => {
    const home = fakeInstall("old-pom", { "a.jar": "alpha" });
    const manifest = JSON.parse(readFileSync(join(home, "manifest.json"), "utf8")) as InstallManifest;
    writeFileSync(join(home, "manifest.json"), JSON.stringify({ ...manifest, pom: undefined }));
    expect(verifyInstall(home, "quick")).toMatch(/resolved from another jar list than src\/runtime\/maven\/pom\.xml/);
  });

  it("rejects a manifest for another Spark version", () => {
    const home = fakeInstall("other", { "a.jar": "alpha" });
    writeFileSync(join(home, "manifest.json"), JSON.stringify({ format: 1, spark: "4.0.0", scala: "2.13", jars: [] }));
    expect(verifyInstall(home, "quick")).toMatch(/describes Spark 4\.0\.0/);
  });
});

describe("SPARK_HOME", () => {
  const root = mkdtempSync(join(tmpdir(), "rl-sparkhome-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function fakeHome(name: string, jars: string[]): string {
    const home = join(root, name);
    mkdirSync(join(home, "jars"), { recursive: true });
    for (const jar of jars) writeFileSync(join(home, "jars", jar), "");
    return home;
  }

  it("uses a pip-installed pyspark folder (jars/ with the 4.x Connect server), noting a version other than the pin", () => {
    const home = fakeHome(
      "pyspark",
      GOOD.map((name) => name.replace(V, "4.2.0")),
    );
    const notes: InstallEvent[] = [];
    const install = sparkHomeInstall(home, (e) => notes.push(e));
    expect(install).toEqual({
      home,
      jarsDir: join(home, "jars"),
      version: "4.2.0",
      source: "SPARK_HOME",
      connectJar: join(home, "jars", "spark-connect_2.13-4.2.0.jar"),
      launcherJar: join(home, "jars", "spark-launcher_2.13-4.2.0.jar"),
    });
    expect(notes).toEqual([
      { kind: "note", message: expect.stringMatching(/SPARK_HOME has Spark 4\.2\.0; retail-lab is pinned to/) },
    ]);
  });

  it("falls back, with a note, for a Spark 3 home or a folder without jars", () => {
    const notes: string[] = [];
    const onEvent = (e: InstallEvent) => e.kind === "note" && notes.push(e.message);
    expect(
      sparkHomeInstall(
        fakeHome(
          "spark3",
          GOOD.map((n) => n.replace(V, "3.5.5")),
        ),
        onEvent,
      ),
    ).toBeUndefined();
    expect(sparkHomeInstall(join(root, "empty"), onEvent)).toBeUndefined();
    expect(notes[0]).toMatch(/has no spark-connect_2\.13-4\.x jar .* using retail-lab's own Spark/);
    expect(notes[1]).toMatch(/has no jars\/ folder/);
  });

  it("refuses a Spark 4 home whose classpath is polluted", () => {
    const home = fakeHome("polluted", [...GOOD, `spark-connect-shims_2.13-${V}.jar`]);
    expect(() => sparkHomeInstall(home)).toThrow(/SPARK_HOME=.*polluted cannot run the Spark Connect server/);
  });

  it("installSpark returns a valid SPARK_HOME without resolving anything", async () => {
    const home = fakeHome("dist", GOOD);
    const cache = join(root, "cache-untouched");
    const install = await installSpark({ env: { SPARK_HOME: home, RETAIL_LAB_CACHE: cache } });
    expect(install.source).toBe("SPARK_HOME");
    expect(install.home).toBe(home);
    expect(() => statSync(cache)).toThrow(/ENOENT/);
  });
});
