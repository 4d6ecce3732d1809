import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkJavaVersion, findJava, JavaError, parseJavaVersion, whichOnPath } from "../../../src/runtime/java.ts";

describe("parseJavaVersion", () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', "17.0.15", 17],
    ['openjdk version "21" 2023-09-19', "21", 21],
    ['java version "1.8.0_392"\nJava(TM) SE Runtime Environment', "1.8.0_392", 8],
    ['openjdk version "25.0.3" 2026-04-21 LTS', "25.0.3", 25],
    ['openjdk version "26-ea" 2026-03-17', "26-ea", 26],
    ['Picked up JAVA_TOOL_OPTIONS: -Xss2m\nopenjdk version "11.0.2" 2019-01-15', "11.0.2", 11],
  ])("%j -> %s (major %i)", (output, version, major) => {
    expect(parseJavaVersion(output)).toEqual({ version, major });
  });

  it("rejects output without a version", () => {
    expect(() => parseJavaVersion("Error: could not create the Java Virtual Machine")).toThrow(JavaError);
  });
});

describe("checkJavaVersion", () => {
  it("refuses Java older than 17 and says what to install", () => {
    expect(() => checkJavaVersion(11, "11.0.2", "/usr/bin/java")).toThrow(
      /Spark 4 needs Java 17 or newer, but \/usr\/bin\/java is Java 11\.0\.2\. Install a JDK 17 or 21/,
    );
  });
  it("accepts 17 and 21 silently", () => {
    expect(checkJavaVersion(17, "17.0.15", "j")).toBeUndefined();
    expect(checkJavaVersion(21, "21.0.4", "j")).toBeUndefined();
  });
  it("warns about releases newer than Spark 4.1 is tested on", () => {
    expect(checkJavaVersion(25, "25.0.3", "/jdk25/bin/java")).toMatch(
      /Java 25\.0\.3 .* newer than Spark 4\.1 is tested on/,
    );
  });
});

describe("findJava", () => {
  const dir = mkdtempSync(join(tmpdir(), "rl-java-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fakeJdk(name: string, versionLine: string): string {
    const home = join(dir, name);
    mkdirSync(join(home, "bin"), { recursive: true });
    const java = join(home, "bin", "java");
    writeFileSync(java, `#!/bin/sh\necho '${versionLine}' >&2\n`);
    chmodSync(java, 0o755);
    return home;
  }

  it("uses JAVA_HOME before PATH and reports its version", () => {
    const home = fakeJdk("jdk21", 'openjdk version "21.0.4" 2024-07-16');
    expect(findJava({ JAVA_HOME: home, PATH: "" })).toEqual({
      path: join(home, "bin", "java"),
      javaHome: home,
      major: 21,
      version: "21.0.4",
    });
  });

  it("fails clearly for an old JAVA_HOME", () => {
    const home = fakeJdk("jdk11", 'openjdk version "11.0.2" 2019-01-15');
    expect(() => findJava({ JAVA_HOME: home })).toThrow(/needs Java 17 or newer.*Java 11\.0\.2/);
  });

  it("fails clearly when JAVA_HOME has no java", () => {
    expect(() => findJava({ JAVA_HOME: join(dir, "nowhere") })).toThrow(/JAVA_HOME is .*nowhere.*does not exist/);
  });

  it("fails clearly when there is no java at all", () => {
    expect(() => findJava({ PATH: dir })).toThrow(/Java was not found.*Install a JDK 17 or 21/);
  });

  it("finds java on PATH without JAVA_HOME", () => {
    const home = fakeJdk("jdk17", 'openjdk version "17.0.15" 2025-04-15');
    const found = findJava({ PATH: `${join(dir, "empty")}:${join(home, "bin")}` });
    expect(found).toMatchObject({ path: join(home, "bin", "java"), major: 17 });
    expect(found.javaHome).toBeUndefined();
    expect(whichOnPath("java", join(home, "bin"))).toBe(join(home, "bin", "java"));
  });
});
