/**
 * `retail-lab jobs`, `retail-lab run <job…|all>` and `retail-lab explain <job>`: list the analyses, run them
 * on a generated dataset (tables printed, results written as Parquet + JSON), or show their physical plans.
 */
import type { ArgumentsCamelCase, CommandModule } from "yargs";
import type { JobRun, RunRequest } from "../../../jobs/runner.ts";
import { formatCount, formatDuration, jsonReplacer, note, print, printRows, renderTable, style } from "../output.ts";
import { sparkProgressBar } from "../progress.ts";
import { remoteOption, withSession } from "../session.ts";

export const jobsCommand: CommandModule<object, { format: "table" | "json" }> = {
  command: "jobs",
  describe: "List the analysis jobs, their inputs and parameters",
  builder: (yargs) => yargs.option("format", { choices: ["table", "json"] as const, default: "table" as const }),
  handler: async (args) => {
    const { JOBS } = await import("../../../jobs/registry.ts");
    const rows = JOBS.map((job) => ({
      job: job.id,
      description: job.description,
      inputs: job.inputs.map((i) => i.table).join(", "),
      parameters: Object.entries(job.params)
        .map(([name, spec]) => `${name}=${spec.default}`)
        .join(", "),
    }));
    printRows(rows, args.format);
  },
};

/** `--layout`: where jobs read their tables (the generated Parquet, or the lake that job `lake` builds from it). */
const layoutOption = {
  choices: ["raw", "lake"] as const,
  default: "raw" as const,
  describe: "Read the generated tables (raw) or their tuned lake under <data>/lake (built by `run lake`)",
};

interface RunArgs {
  jobs: string[];
  data: string;
  layout: "raw" | "lake";
  out?: string;
  jdbc?: string;
  remote?: string;
  param: string[];
  format: "table" | "json";
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: "run <jobs..>",
  describe: "Run jobs (or all) on a generated dataset; print results and write them under --out",
  builder: (yargs) =>
    yargs
      .positional("jobs", { type: "string", array: true, demandOption: true, describe: "Job ids, or all" })
      .option("data", {
        type: "string",
        demandOption: true,
        describe: "Data directory written by `retail-lab generate`",
      })
      .option("out", { type: "string", describe: "Write results here (Parquet + JSON per job, atomically)" })
      .option("jdbc", {
        type: "string",
        describe:
          "Also load the mart into PostgreSQL at this JDBC URL (jdbc:postgresql://host:port/db); credentials from RETAIL_LAB_JDBC_USER/RETAIL_LAB_JDBC_PASSWORD or PGUSER/PGPASSWORD",
      })
      .option("param", {
        type: "string",
        array: true,
        default: [] as string[],
        describe: "Job parameter key=value (or job.key=value); repeatable",
      })
      .option("format", { choices: ["table", "json"] as const, default: "table" as const })
      .option("layout", layoutOption)
      .option("remote", remoteOption),
  handler: async (args: ArgumentsCamelCase<RunArgs>) => {
    const { selectJobs } = await import("../../../jobs/registry.ts");
    const { splitParamArgs } = await import("../../../jobs/params.ts");
    const { paramsByJob } = await import("../../../jobs/runner.ts");
    const jobs = selectJobs(args.jobs);
    const params = splitParamArgs(args.param);
    paramsByJob(jobs, params); // reject bad parameters before starting Spark
    const { jdbcTargetFromEnv } = await import("../../../jobs/jdbc-sink.ts");
    const jdbc = args.jdbc === undefined ? undefined : jdbcTargetFromEnv(args.jdbc);
    const runs = await withSession({ remote: args.remote }, (spark, signal) =>
      runJobsWithProgress(
        {
          spark,
          signal,
          dataDir: args.data,
          jobs,
          params,
          layout: args.layout,
          ...(args.out ? { outDir: args.out } : {}),
          ...(jdbc ? { jdbc } : {}),
        },
        { printEach: args.format === "table" },
      ),
    );
    if (args.format === "json") print(runsAsJson(runs));
    else printSummary(runs, args.out);
  },
};

/** Runs jobs with a job header, a Spark progress bar per result and (optionally) each job's tables as it ends. */
export async function runJobsWithProgress(
  request: Omit<RunRequest, "hooks">,
  options: { printEach: boolean },
): Promise<JobRun[]> {
  const { runJobs } = await import("../../../jobs/runner.ts");
  let progress = sparkProgressBar("spark");
  return runJobs({
    ...request,
    hooks: {
      onJobStart: (job, i, n) => note(style.bold(`[${i + 1}/${n}] ${job.id}: ${job.title}`)),
      onResultStart: (_job, name) => {
        progress.finish();
        progress = sparkProgressBar(`  ${name}`);
      },
      onWriteStart: (_job, name, title) => {
        progress.finish();
        note(style.dim(`  writing ${title}`));
        progress = sparkProgressBar(`  ${name}`);
      },
      onProgress: (update) => progress.onProgress(update),
      onJobDone: (run) => {
        progress.finish();
        if (options.printEach) printRun(run);
      },
    },
  });
}

/** Prints a job's result tables (the first rows of each) and findings. */
export function printRun(run: JobRun): void {
  for (const result of run.results) {
    const limit = 20;
    print();
    print(
      renderTable(result.rows.slice(0, limit), {
        title: result.title,
        columns: result.table.schema.fields.map((f) => f.name),
      }),
    );
    if (result.rows.length > limit)
      print(style.dim(`… ${result.rows.length - limit} more rows in the written results`));
  }
  for (const dataset of run.datasets ?? []) note(style.dim(`  wrote ${dataset.title}: ${dataset.path}`));
  if (run.jdbc?.length) {
    note(
      style.dim(
        `  loaded into PostgreSQL: ${run.jdbc.map((t) => `${t.table} ${formatCount(Number(t.rows))} rows`).join(", ")}`,
      ),
    );
  }
  if (run.findings.length > 0) {
    print();
    print(style.bold("Findings"));
    for (const finding of run.findings) print(`  • ${finding.text}`);
  }
  print();
}

function printSummary(runs: JobRun[], out: string | undefined): void {
  print(
    renderTable(
      runs.map((r) => ({
        job: r.job.id,
        time: formatDuration(r.wallMs),
        "rows scanned": r.rowsScanned === undefined ? "n/a" : formatCount(Number(r.rowsScanned)),
        results: r.results.length,
        written: r.outputPath ?? "-",
      })),
      { title: "Run summary" },
    ),
  );
  if (out) note(`Results written under ${out}`);
}

function runsAsJson(runs: JobRun[]): string {
  return JSON.stringify(
    runs.map((r) => ({
      job: r.job.id,
      params: r.params,
      wallMs: Math.round(r.wallMs),
      rowsScanned: r.rowsScanned?.toString() ?? null,
      findings: r.findings,
      results: Object.fromEntries(r.results.map((x) => [x.name, x.rows])),
      outputPath: r.outputPath ?? null,
    })),
    (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
    2,
  );
}

interface ExplainArgs {
  job: string;
  data: string;
  remote?: string;
  param: string[];
  mode: "simple" | "extended" | "formatted" | "cost" | "codegen";
  layout: "raw" | "lake";
  analyze: boolean;
  format: "table" | "json";
}

export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: "explain <job>",
  describe: "Print the physical plan of each step of a job; with --analyze, run it and show Spark's metrics",
  builder: (yargs) =>
    yargs
      .positional("job", { type: "string", demandOption: true })
      .option("data", {
        type: "string",
        demandOption: true,
        describe: "Data directory written by `retail-lab generate`",
      })
      .option("param", { type: "string", array: true, default: [] as string[], describe: "Job parameter key=value" })
      .option("mode", {
        choices: ["simple", "extended", "formatted", "cost", "codegen"] as const,
        default: "formatted" as const,
      })
      .option("layout", layoutOption)
      .option("analyze", {
        type: "boolean",
        default: false,
        describe: "Execute each step and report files, bytes and partitions read, rows, shuffle, spill and time",
      })
      .option("format", { choices: ["table", "json"] as const, default: "table" as const })
      .option("remote", remoteOption),
  handler: async (args: ArgumentsCamelCase<ExplainArgs>) => {
    const { selectJobs } = await import("../../../jobs/registry.ts");
    const { splitParamArgs, resolveParams } = await import("../../../jobs/params.ts");
    const { checkLayout } = await import("../../../jobs/runner.ts");
    const { explainJob } = await import("../../../jobs/explain-job.ts");
    const view = await import("../plan-view.ts");
    const [job] = selectJobs([args.job]);
    if (!job) return;
    const params = resolveParams(job.id, job.params, splitParamArgs(args.param));
    checkLayout(job, args.layout);
    const steps = await withSession({ remote: args.remote }, async (spark, signal) => {
      let progress = sparkProgressBar("spark");
      try {
        return await explainJob({
          spark,
          dataDir: args.data,
          job,
          params,
          layout: args.layout,
          mode: args.mode,
          analyze: args.analyze,
          signal,
          onProgress: (update) => progress.onProgress(update),
          onStepStart: (name) => {
            progress.finish();
            progress = sparkProgressBar(`  ${name}`);
          },
        });
      } finally {
        progress.finish();
      }
    });
    if (args.format === "json") {
      const json = steps.map((s) => ({ job: job.id, layout: args.layout, params, ...s }));
      print(JSON.stringify(json, jsonReplacer, 2));
      return;
    }
    for (const step of steps) {
      print(style.bold(`== ${job.id} / ${step.name}: ${step.title} (${args.layout}) ==`));
      print(step.plan);
      if (step.analysis) {
        print(style.bold(`-- ${view.summaryLine(step)}`));
        print(view.renderMetricsTree(step));
        print();
      }
    }
    if (args.analyze)
      print(renderTable(steps.map(view.summaryRow), { title: `${job.id} on the ${args.layout} layout` }));
  },
};
