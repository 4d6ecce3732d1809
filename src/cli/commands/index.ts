/**
 * Every CLI command, in the order `--help` lists them. A command module parses its options and calls
 * into the library; it imports heavy modules (client, generators, jobs) lazily inside its handler so
 * that `retail-lab --help` stays fast.
 */
import type { CommandModule } from "yargs";
import { generateCommand } from "./generate.ts";
import { explainCommand, jobsCommand, runCommand } from "./jobs.ts";
import { profileCommand } from "./profile.ts";
import { reportCommand } from "./report.ts";
import { reproduceCommand } from "./reproduce.ts";
import { sparkCommand } from "./spark.ts";
import { sqlCommand } from "./sql.ts";

// biome-ignore lint/suspicious/noExplicitAny: yargs command modules differ in their argument types.
export const commands: CommandModule<any, any>[] = [
  sparkCommand,
  sqlCommand,
  generateCommand,
  jobsCommand,
  runCommand,
  explainCommand,
  reproduceCommand,
  profileCommand,
  reportCommand,
];
