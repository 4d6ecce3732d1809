/** How the CLI reports a failure: one readable line on stderr, the stack only with DEBUG=1, exit code 1. */
import { note, style } from "./output.ts";

export function fail(error: unknown): never {
  const err = error instanceof Error ? error : new Error(String(error));
  note(`${style.red("error:")} ${err.message}`);
  if (process.env.DEBUG && err.stack) note(style.dim(err.stack));
  const exitCode = (err as Error & { exitCode?: unknown }).exitCode;
  process.exit(typeof exitCode === "number" ? exitCode : 1);
}
