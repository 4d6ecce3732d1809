/** How the CLI reports a failure: one readable line on stderr, the stack only with DEBUG=1, exit code 1. */
import { note, style } from "./output.ts";

export function fail(error: unknown): never {
  const err = error instanceof Error ? error : new Error(String(error));
  // Spark's messages can carry a whole logical plan: show its head unless DEBUG asks for everything.
  const lines = err.message.split("\n");
  const shown =
    process.env.DEBUG || lines.length <= 6
      ? lines
      : [...lines.slice(0, 4), style.dim(`… ${lines.length - 4} more lines (DEBUG=1 shows them)`)];
  note(`${style.red("error:")} ${shown.join("\n")}`);
  if (process.env.DEBUG && err.stack) note(style.dim(err.stack));
  const exitCode = (err as Error & { exitCode?: unknown }).exitCode;
  process.exit(typeof exitCode === "number" ? exitCode : 1);
}
