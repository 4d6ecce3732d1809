/**
 * `retail-lab reproduce`: the whole study in one command. Generates the seed-preset dataset (or reuses it
 * when its manifest matches), starts the local Spark unless a remote is given (and stops it at the end),
 * runs funnel, payment-failures, cross-sell and data-quality (and the jobs the report charts) through our
 * Spark Connect client, prints the findings beside the reference study's published numbers, and writes
 * the insights report.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ArgumentsCamelCase, CommandModule } from "yargs";
import { note, print, printRows, style } from "../output.ts";
import { remoteOption, withSession } from "../session.ts";
import { generateWithProgress } from "./generate.ts";
import { runJobsWithProgress } from "./jobs.ts";

interface ReproduceArgs {
  preset: "seed" | "demo";
  data?: string;
  out?: string;
  remote?: string;
  seed: number;
  verbose: boolean;
}

export const reproduceCommand: CommandModule<object, ReproduceArgs> = {
  command: "reproduce",
  describe: "Reproduce the reference study end to end: Spark, data, analyses, findings",
  builder: (yargs) =>
    yargs
      .option("preset", {
        choices: ["seed", "demo"] as const,
        default: "seed" as const,
        describe: "Dataset size: seed (the reference study's 150,000 payment attempts) or demo (seconds)",
      })
      .option("data", {
        type: "string",
        describe: "Dataset directory (default data/<preset>-<seed>); generated if missing",
      })
      .option("out", { type: "string", describe: "Results directory (default results/<preset>-<seed>)" })
      .option("seed", { type: "number", default: 42, describe: "Generator seed" })
      .option("verbose", { type: "boolean", default: false, describe: "Also print every result table" })
      .option("remote", remoteOption),
  handler: async (args: ArgumentsCamelCase<ReproduceArgs>) => {
    if (!Number.isInteger(args.seed) || args.seed < 0) {
      throw new Error(`--seed ${args.seed} is not allowed; expected a whole number ≥ 0`);
    }
    const dataDir = resolve(args.data ?? `data/${args.preset}-${args.seed}`);
    const outDir = resolve(args.out ?? `results/${args.preset}-${args.seed}`);
    await ensureDataset(dataDir, args.preset, args.seed);

    const { selectJobs } = await import("../../../jobs/registry.ts");
    const { REPRODUCE_JOBS, compareWithReference, headlineFindings } = await import("../../../jobs/reproduce.ts");
    const runs = await withSession({ remote: args.remote, appName: "retail-lab reproduce" }, (spark, signal) =>
      runJobsWithProgress(
        { spark, signal, dataDir, outDir, jobs: selectJobs(REPRODUCE_JOBS) },
        { printEach: args.verbose },
      ),
    );

    print();
    printRows(compareWithReference(runs) as unknown as Record<string, unknown>[], "table", {
      title: "The reference study's numbers beside ours",
    });
    print();
    print(style.bold("Why customers don't buy"));
    for (const finding of headlineFindings(runs)) print(`  • ${finding.text}`);
    const { writeReport } = await import("../../../report/write-report.ts");
    const report = await writeReport(outDir);
    print();
    note(`Results (Parquet + JSON per job, with findings.json) are in ${outDir}`);
    print(`Report: ${report.path}`);
  },
};

/** Generates the preset into `dataDir`, or reuses it when its manifest was made from the same scenario. */
async function ensureDataset(dataDir: string, presetName: "seed" | "demo", seed: number): Promise<void> {
  const { resolveScenario, MANIFEST_FILE, GENERATOR_VERSION } = await import("../../../generators/index.ts");
  const { scenario, preset } = resolveScenario({ preset: presetName, overrides: { seed: String(seed) } });
  const manifestPath = join(dataDir, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      generator: { version: string };
      scenario: unknown;
    };
    if (
      manifest.generator.version === GENERATOR_VERSION &&
      JSON.stringify(manifest.scenario) === JSON.stringify(scenario)
    ) {
      note(`Reusing the dataset in ${dataDir} (same scenario, seed ${seed}, generator ${GENERATOR_VERSION}).`);
      return;
    }
    throw new Error(
      `${dataDir} holds a dataset made from another scenario or generator version; pass --data with another directory, or remove it to regenerate`,
    );
  }
  if (existsSync(dataDir)) {
    throw new Error(
      `${dataDir} exists but is not a retail-lab dataset (no ${MANIFEST_FILE}); pass --data with another directory`,
    );
  }
  await generateWithProgress({ scenario, preset, out: dataDir });
}
