/**
 * retail-lab's command line: yargs wiring only. Each command lives in commands/<name>.ts and exports a
 * yargs CommandModule; errors reach the user as one readable line (a stack trace only with DEBUG=1).
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { commands } from "./commands/index.ts";
import { fail } from "./errors.ts";

export async function main(argv: string[]): Promise<void> {
  const cli = yargs(hideBin(argv))
    .scriptName("retail-lab")
    .usage("$0 <command> [options]")
    .strict()
    .demandCommand(1, "Name a command; see the list above.")
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(message ?? "invalid command line");
    });
  for (const command of commands) cli.command(command);
  try {
    await cli.parseAsync();
  } catch (error) {
    fail(error);
  }
}

/** A bad command line: yargs already explained what is wrong. */
export class UsageError extends Error {
  override name = "UsageError";
}
