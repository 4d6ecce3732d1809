/** Runs the real `retail-lab` CLI in a child process, as a user would, with its own state directory. */
import { spawn } from "node:child_process";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "../../../bin/retail-lab.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `retail-lab <args>` with RETAIL_LAB_STATE=stateDir and without SPARK_REMOTE (unless given);
 * `onStderr` sees stderr as it arrives (all of it so far), for tests that act mid-command.
 */
export function runCli(
  args: string[],
  options: { stateDir: string; env?: NodeJS.ProcessEnv; onStderr?: (stderrSoFar: string) => void },
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, RETAIL_LAB_STATE: options.stateDir, NO_COLOR: "1" };
  delete env.SPARK_REMOTE;
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr);
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
