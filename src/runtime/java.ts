/**
 * Finds the Java runtime that will run Spark and checks it is new enough. Spark 4 needs Java 17+
 * (4.1 is built and tested on 17 and 21). JAVA_HOME wins over PATH, as in Spark's own launcher scripts.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The oldest Java major version Spark 4 runs on. */
export const MIN_JAVA_MAJOR = 17;
/** The newest Java major version Spark 4.1 is tested on; newer ones get a warning, not a refusal. */
export const MAX_TESTED_JAVA_MAJOR = 21;

export interface JavaRuntime {
  /** Absolute path of the `java` executable. */
  path: string;
  /** JAVA_HOME when it was used to find `path`. */
  javaHome?: string;
  /** Feature release number: 17 for "17.0.15", 8 for "1.8.0_392". */
  major: number;
  /** The version string as `java -version` prints it, e.g. "17.0.15". */
  version: string;
  /** Set when the runtime is newer than what Spark 4.1 is tested on. */
  warning?: string;
}

export class JavaError extends Error {
  override name = "JavaError";
}

const INSTALL_HINT =
  "Install a JDK 17 or 21 (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless; macOS: brew install openjdk@17; " +
  "or Temurin from adoptium.net) and put it on PATH or point JAVA_HOME at it.";

/**
 * Parses the first line of `java -version` output into its version string and major number.
 * Handles both schemes: "1.8.0_392" (major 8) and "17.0.15" / "21" / "25-ea" (major 17, 21, 25).
 */
export function parseJavaVersion(output: string): { version: string; major: number } {
  const match = /version "([^"]+)"/.exec(output);
  if (!match?.[1]) throw new JavaError(`could not read a Java version from: ${output.trim().split("\n")[0] ?? ""}`);
  const version = match[1];
  const parts = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!parts?.[1]) throw new JavaError(`unrecognised Java version string "${version}"`);
  const first = Number(parts[1]);
  const major = first === 1 && parts[2] !== undefined ? Number(parts[2]) : first;
  return { version, major };
}

/** Checks a parsed version against Spark's floor; returns a warning for untested newer releases. */
export function checkJavaVersion(major: number, version: string, path: string): string | undefined {
  if (major < MIN_JAVA_MAJOR) {
    throw new JavaError(
      `Spark 4 needs Java ${MIN_JAVA_MAJOR} or newer, but ${path} is Java ${version}. ${INSTALL_HINT}`,
    );
  }
  if (major > MAX_TESTED_JAVA_MAJOR) {
    return `Java ${version} (${path}) is newer than Spark 4.1 is tested on (17 and 21); if the server fails to start, point JAVA_HOME at a JDK 17 or 21.`;
  }
  return undefined;
}

/** Looks up `name` on a PATH string the way a shell would; undefined when absent. */
export function whichOnPath(name: string, pathVariable = process.env.PATH ?? ""): string | undefined {
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Finds java (JAVA_HOME first, then PATH), runs `java -version` and checks it is at least Java 17. */
export function findJava(env: { JAVA_HOME?: string; PATH?: string } = process.env): JavaRuntime {
  let path: string | undefined;
  let javaHome: string | undefined;
  if (env.JAVA_HOME) {
    javaHome = env.JAVA_HOME;
    path = join(javaHome, "bin", "java");
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new JavaError(`JAVA_HOME is ${javaHome}, but ${path} does not exist or is not executable. ${INSTALL_HINT}`);
    }
  } else {
    path = whichOnPath("java", env.PATH);
    if (!path) throw new JavaError(`Java was not found (JAVA_HOME is unset and no java on PATH). ${INSTALL_HINT}`);
  }
  const run = spawnSync(path, ["-version"], { encoding: "utf8", timeout: 30_000 });
  if (run.error) throw new JavaError(`could not run ${path} -version: ${run.error.message}`);
  // `java -version` prints to stderr; some wrappers print to stdout.
  const { version, major } = parseJavaVersion(`${run.stderr}\n${run.stdout}`);
  const warning = checkJavaVersion(major, version, path);
  return { path, ...(javaHome ? { javaHome } : {}), major, version, ...(warning ? { warning } : {}) };
}
