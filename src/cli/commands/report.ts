/**
 * `retail-lab report --results DIR [--out FILE.html]`: the insights report, one self-contained HTML file
 * built from written job results (no Spark needed).
 */
import type { ArgumentsCamelCase, CommandModule } from "yargs";
import { formatBytes, note, print, style } from "../output.ts";

interface ReportArgs {
  results: string;
  out?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: "report",
  describe: "Write the insights report (one offline HTML file) from results written by `run --out`",
  builder: (yargs) =>
    yargs
      .option("results", {
        type: "string",
        demandOption: true,
        describe: "Results folder written by `retail-lab run … --out DIR`",
      })
      .option("out", { type: "string", describe: "HTML file to write (default <results>/report.html)" }),
  handler: async (args: ArgumentsCamelCase<ReportArgs>) => {
    if (args.out !== undefined && !/\.html?$/i.test(args.out)) {
      throw new Error(`--out ${JSON.stringify(args.out)} must name an .html file`);
    }
    const { writeReport } = await import("../../../report/write-report.ts");
    const summary = await writeReport(args.results, args.out);
    for (const missing of summary.missing) note(style.yellow(`not in the results: ${missing}`));
    for (const warning of summary.warnings) note(style.yellow(`chart warning: ${warning}`));
    print(`Report: ${summary.path} (${formatBytes(summary.bytes)}, ${summary.charts.length} charts)`);
  },
};
