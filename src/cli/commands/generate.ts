/**
 * `retail-lab generate`: writes the synthetic retail dataset as Parquet. Parses flags, resolves the
 * scenario, runs the generator with a progress bar and prints a per-table summary; all generation logic
 * lives in generators/, loaded lazily so that `--help` stays fast.
 */
import type { Argv, CommandModule } from "yargs";
import type { GenerateOptions, GenerateResult } from "../../../generators/index.ts";
import { formatBytes, formatCount, formatDuration, note, printRows, progressBar, style } from "../output.ts";

interface GenerateArgs {
  preset?: string;
  sessions?: string;
  days?: string;
  start?: string;
  seed?: string;
  workers?: string;
  compression: string;
  scenario?: string;
  out?: string;
  force: boolean;
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "Generate the synthetic retail dataset (Parquet + _manifest.json)",
  builder: (yargs: Argv) =>
    yargs
      .option("preset", {
        type: "string",
        describe:
          "Size preset: demo (seconds), seed (~150,000 payment attempts, like the reference study), large (50M+ events). Default demo, or none with --scenario",
      })
      .option("sessions", { type: "string", describe: "Online sessions (overrides the preset)" })
      .option("days", { type: "string", describe: "Days in the window (default 90)" })
      .option("start", { type: "string", describe: "First day, YYYY-MM-DD (default 2025-01-01)" })
      .option("seed", { type: "string", describe: "Seed; same seed and scenario give byte-identical files" })
      .option("workers", {
        type: "string",
        describe:
          "Most threads to use (default: one per core; a dataset gets one per 200,000 sessions); never changes the output",
      })
      .option("compression", {
        type: "string",
        choices: ["snappy", "zstd"],
        default: "snappy",
        describe: "Parquet codec",
      })
      .option("scenario", {
        type: "string",
        describe: "Scenario JSON file (any subset of generators/scenarios/default.json)",
      })
      .option("out", { type: "string", describe: "Output directory (default data/<preset>)" })
      .option("force", {
        type: "boolean",
        default: false,
        describe: "Replace an existing dataset at --out",
      }) as Argv<GenerateArgs>,
  handler: async (args) => {
    const { resolveScenario, defaultWorkers } = await import("../../../generators/index.ts");
    const { scenario, preset } = resolveScenario({
      preset: args.preset,
      scenarioFile: args.scenario,
      overrides: { sessions: args.sessions, days: args.days, start: args.start, seed: args.seed },
    });
    const workers = args.workers === undefined ? defaultWorkers() : parseWorkers(args.workers);
    const out = args.out ?? `data/${preset ?? "custom"}`;
    note(
      `${style.bold("generate")} ${preset ? `preset ${preset}` : "custom scenario"}: ${scenario.sessions.toLocaleString("en-US")} sessions ` +
        `over ${scenario.days} days from ${scenario.start}, seed ${scenario.seed}, up to ${workers} thread${workers === 1 ? "" : "s"} → ${out}`,
    );

    await generateWithProgress({
      scenario,
      preset,
      out,
      force: args.force,
      workers,
      compression: args.compression === "zstd" ? "zstd" : "snappy",
    });
  },
};

function parseWorkers(raw: string): number {
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isInteger(value) && value >= 1 && value <= 256) return value;
  throw new Error(`--workers: ${JSON.stringify(raw)} is not allowed; expected an integer from 1 to 256`);
}

/**
 * Generates a dataset with a progress bar, Ctrl-C handling (nothing is left at `out`) and the per-table
 * summary; used by `generate` and `reproduce`.
 */
export async function generateWithProgress(options: GenerateOptions): Promise<GenerateResult> {
  const { generate } = await import("../../../generators/index.ts");
  const out = options.out;
  const controller = new AbortController();
  const interrupt = (signal: NodeJS.Signals) =>
    controller.abort(
      Object.assign(new Error(`interrupted by ${signal}; nothing was written to ${out}`), { exitCode: 130 }),
    );
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const bar = progressBar({ label: "generate", unit: "rows" });
  try {
    const result = await generate(options, {
      signal: controller.signal,
      onProgress: (p) =>
        bar.update(p.rowsDone, {
          total: Math.round(p.rowsEstimate),
          status: `${formatCount(p.entitiesDone)}/${formatCount(p.entitiesTotal)} entities`,
        }),
    });
    bar.finish(`done in ${formatDuration(result.elapsedMs)}`);
    const totals = result.tables.reduce(
      (t, r) => ({
        rows: t.rows + r.rows,
        files: t.files + r.files,
        bytes: t.bytes + r.bytes,
        encodeMs: t.encodeMs + r.encodeMs,
      }),
      { rows: 0, files: 0, bytes: 0, encodeMs: 0 },
    );
    printRows(
      [...result.tables, { table: "total", ...totals }].map((t) => ({
        table: t.table,
        rows: t.rows,
        files: t.files,
        bytes: formatBytes(t.bytes),
        "encode time": formatDuration(t.encodeMs),
      })),
      "table",
      { title: `Dataset written to ${result.out}` },
    );
    const payments = result.manifest.groundTruth.payments;
    const planted = result.manifest.planted.failingGateway;
    note(
      `${formatCount(result.events)} events in ${formatDuration(result.elapsedMs)} ` +
        `(${formatCount(result.events / (result.elapsedMs / 1000))} events/s, ${result.workers} thread${result.workers === 1 ? "" : "s"}); ` +
        `${payments.attempts.toLocaleString("en-US")} payment attempts, ${(payments.approvalRate * 100).toFixed(2)}% approved; ` +
        `planted: ${planted.gateway} timing out on ${planted.channel}`,
    );
    return result;
  } catch (error) {
    bar.finish("failed");
    throw error;
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }
}
