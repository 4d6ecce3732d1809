/** How the CLI reports a failure: a readable message on stderr, the stack only with DEBUG=1, exit code 1. */
import { note, style } from "./output.ts";

/**
 * Spark's analysis errors append the whole logical plan after the line that names the SQLSTATE; the CLI
 * shows the message up to that line unless DEBUG asks for everything. Other messages are shown whole.
 */
export function displayMessage(err: Error, debug = Boolean(process.env.DEBUG)): string {
  const lines = err.message.split("\n");
  const fromSpark = typeof (err as Error & { errorClass?: unknown }).errorClass === "string";
  const end = lines.findIndex((line) => line.includes("SQLSTATE"));
  if (debug || !fromSpark || end < 0 || end >= lines.length - 1) return err.message;
  const hidden = lines.length - end - 1;
  return [
    ...lines.slice(0, end + 1),
    style.dim(`… the plan follows in ${hidden} more lines (DEBUG=1 shows them)`),
  ].join("\n");
}

export function fail(error: unknown): never {
  const err = error instanceof Error ? error : new Error(String(error));
  note(`${style.red("error:")} ${displayMessage(err)}`);
  if (process.env.DEBUG && err.stack) note(style.dim(err.stack));
  const exitCode = (err as Error & { exitCode?: unknown }).exitCode;
  process.exit(typeof exitCode === "number" ? exitCode : 1);
}
