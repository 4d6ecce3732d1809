/**
 * `retail-lab sql "<query>"`: runs one SQL statement on Spark and prints its result as a table, JSON or
 * CSV, with a progress bar while Spark works; `--explain` prints the plan instead.
 */
import type { ArgumentsCamelCase, CommandModule } from "yargs";
import { OUTPUT_FORMATS, type OutputFormat, print, printRows } from "../output.ts";
import { sparkProgressBar } from "../progress.ts";
import { remoteOption, withSession } from "../session.ts";

interface SqlArgs {
  query: string;
  format: OutputFormat;
  explain: boolean;
  remote?: string;
}

export const sqlCommand: CommandModule<object, SqlArgs> = {
  command: "sql <query>",
  describe: "Run a SQL query on Spark and print the result",
  builder: (yargs) =>
    yargs
      .positional("query", { type: "string", demandOption: true, describe: "The SQL text" })
      .option("format", { choices: OUTPUT_FORMATS, default: "table" as OutputFormat, describe: "Output format" })
      .option("explain", { type: "boolean", default: false, describe: "Print the query plan (formatted) instead" })
      .option("remote", remoteOption),
  handler: async (args: ArgumentsCamelCase<SqlArgs>) => {
    await withSession({ remote: args.remote }, async (spark, signal) => {
      const progress = sparkProgressBar("query");
      try {
        const df = await spark.sql(args.query, undefined, { signal, onProgress: progress.onProgress });
        if (args.explain) {
          progress.finish();
          print(await df.explain("formatted", { signal }));
          return;
        }
        const rows = await df.collect({ signal, onProgress: progress.onProgress });
        progress.finish();
        printRows(rows, args.format, { columns: await df.columns({ signal }) });
      } catch (error) {
        progress.finish();
        throw error;
      }
    });
  },
};
