/**
 * Runs Maven for the runtime installer and the proto fetch script, with the repo's own pom and the
 * pinned Spark version, and a clear error when `mvn` is not installed.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { SPARK_PIN } from "./spark-pin.ts";

export const SPARK_POM = join(import.meta.dirname, "maven", "pom.xml");

export class MissingToolError extends Error {
  override name = "MissingToolError";
}

export interface MavenResult {
  ok: boolean;
  output: string;
}

/** Runs `mvn -B -f <our pom> -Dspark.version=… <args>` and returns its combined output. */
export function runMaven(args: string[], options: { onLine?: (line: string) => void } = {}): Promise<MavenResult> {
  const fullArgs = [
    "-B",
    "--no-transfer-progress",
    "-f",
    SPARK_POM,
    `-Dspark.version=${SPARK_PIN.version}`,
    `-Dscala.binary=${SPARK_PIN.scala}`,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("mvn", fullArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (options.onLine) for (const line of text.split("\n")) if (line.trim()) options.onLine(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") {
        reject(
          new MissingToolError(
            "Maven (mvn) is not installed or not on PATH. Install Apache Maven 3.6+ (Debian/Ubuntu: apt-get install maven; macOS: brew install maven) and try again.",
          ),
        );
      } else reject(err);
    });
    child.on("close", (code) => resolve({ ok: code === 0, output }));
  });
}
