/**
 * `npm run notebooks:test`: type-checks every notebook, then executes them headless in order (each in a
 * fresh Deno kernel) against Spark, failing on the first cell error. Spark is SPARK_REMOTE when set;
 * otherwise a local server is started on a free port in a state folder of this run, and stopped at the
 * end. The notebooks write their data to a folder of the run (removed afterwards). `--out DIR` writes the
 * executed notebooks there, with all outputs, for publishing.
 *
 *   npm run notebooks:test [-- [--out DIR] [--keep-data] [--cell-timeout SECONDS] [--skip-typecheck] [NAME…]]
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatDuration, note, print, style } from "../../src/cli/output.ts";
import {
  ensureLocalSpark,
  findFreePort,
  type LocalSpark,
  processAlive,
  readState,
  sparkStateLayout,
  stopDeployment,
} from "../../src/runtime/index.ts";
import { denoExecutable } from "./deno-binary.ts";
import { executeNotebook, type NotebookRun } from "./execute-notebook.ts";
import { writeNotebook } from "./notebook-file.ts";
import { typecheckNotebooks } from "./typecheck.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const NOTEBOOKS_DIR = join(ROOT, "notebooks");
/** One `run-<pid>` folder per run: Spark state and logs, the notebooks' data and results. */
const RUNS_DIR = join(ROOT, ".retail-lab", "notebook-runs");

/** Stops the Spark of runs that were killed before they could (their pid is gone) and removes their folders. */
async function cleanUpAbandonedRuns(): Promise<void> {
  if (!existsSync(RUNS_DIR)) return;
  for (const entry of readdirSync(RUNS_DIR)) {
    const pid = Number(/^run-(\d+)$/.exec(entry)?.[1]);
    if (!pid || processAlive(pid)) continue;
    const layout = sparkStateLayout(join(RUNS_DIR, entry, "state"));
    let state: ReturnType<typeof readState>;
    try {
      state = readState(layout);
    } catch {
      state = undefined; // a corrupt state file names no process we could stop
    }
    if (state) await stopDeployment(layout, state, { graceMs: 5000 });
    rmSync(join(RUNS_DIR, entry), { recursive: true, force: true });
  }
}

function usage(message: string): never {
  note(
    `${message}\nusage: npm run notebooks:test -- [--out DIR] [--keep-data] [--cell-timeout SECONDS] [--skip-typecheck] [NAME…]`,
  );
  process.exit(2);
}

/** The notebooks to run, in file-name order; a name may be the file name, its stem, or a unique prefix ("02"). */
export function selectNotebooks(all: readonly string[], names: readonly string[]): string[] {
  if (names.length === 0) return [...all];
  const picked = names.map((name) => {
    const stem = basename(name).replace(/\.ipynb$/, "");
    const matches = all.filter((path) => basename(path, ".ipynb") === stem || basename(path).startsWith(stem));
    const exact = matches.find((path) => basename(path, ".ipynb") === stem);
    if (!exact && matches.length !== 1) {
      const known = all.map((p) => basename(p)).join(", ");
      usage(
        `${matches.length === 0 ? "no" : "more than one"} notebook matches ${JSON.stringify(name)}; notebooks: ${known}`,
      );
    }
    return exact ?? matches[0]!;
  });
  return all.filter((path) => picked.includes(path));
}

/** Type-checks the notebooks, printing any error by notebook, cell and line; true when there is none. */
async function typecheck(deno: string, notebooks: readonly string[]): Promise<boolean> {
  note(style.bold(`Type-checking ${notebooks.length} notebook(s) with deno check…`));
  const check = await typecheckNotebooks({ deno, root: ROOT, notebooks });
  for (const d of check.diagnostics) note(`${style.red(d.location)}\n${d.text}\n`);
  if (check.diagnostics.length > 0) {
    note(`${check.diagnostics.length} type error(s) in the notebooks`);
    return false;
  }
  const elsewhere = check.ignoredElsewhere
    ? ` (${check.ignoredElsewhere} in imported project modules, left to tsc)`
    : "";
  note(`  no type errors in the notebooks${elsewhere}, ${formatDuration(check.durationMs)}`);
  return true;
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  const OPTIONS = {
    out: { type: "string" },
    "keep-data": { type: "boolean", default: false },
    "cell-timeout": { type: "string", default: "600" },
    "skip-typecheck": { type: "boolean", default: false },
  } as const;
  try {
    parsed = parseArgs({ options: OPTIONS, allowPositionals: true });
  } catch (error) {
    usage((error as Error).message);
  }
  const cellTimeout = Number(parsed.values["cell-timeout"]);
  if (!Number.isFinite(cellTimeout) || cellTimeout <= 0) {
    usage(`--cell-timeout: ${JSON.stringify(parsed.values["cell-timeout"])} is not a positive number of seconds`);
  }
  const all = readdirSync(NOTEBOOKS_DIR)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join(NOTEBOOKS_DIR, f));
  if (all.length === 0) usage(`no notebooks in ${NOTEBOOKS_DIR}`);
  const notebooks = selectNotebooks(all, parsed.positionals);
  const outDir = parsed.values.out ? resolve(parsed.values.out) : undefined;
  const deno = denoExecutable();
  const started = performance.now();

  await cleanUpAbandonedRuns();
  const runDir = join(RUNS_DIR, `run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const abort = new AbortController();
  let spark: LocalSpark | undefined;
  const interrupted = () => abort.abort(new Error("interrupted"));
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const runs: NotebookRun[] = [];
  try {
    // Type checking and starting Spark are independent: do both at once, and give up on Spark if the check fails.
    const checking = parsed.values["skip-typecheck"] ? Promise.resolve(true) : typecheck(deno, notebooks);
    if (process.env.SPARK_REMOTE) note(`Spark: ${process.env.SPARK_REMOTE} (SPARK_REMOTE)`);
    else note("Starting a local Spark for the notebooks (installs the pinned Spark on first use)…");
    const starting = ensureLocalSpark({
      env: { ...process.env, RETAIL_LAB_STATE: join(runDir, "state") },
      port: await findFreePort("127.0.0.1"),
      memory: "2g",
      conf: { "spark.sql.shuffle.partitions": "4" },
      signal: abort.signal,
    });
    starting.catch(() => {}); // awaited below; this only keeps an early rejection from going unhandled
    const giveUpOnSpark = async (reason: string) => {
      abort.abort(new Error(reason));
      await starting.then(
        (started) => started.stop(),
        () => {},
      );
    };
    const checked = await checking.catch(async (error: unknown) => {
      await giveUpOnSpark("type checking failed");
      throw error;
    });
    if (!checked) {
      await giveUpOnSpark("the notebooks have type errors");
      print(`notebooks: 0 passed, ${notebooks.length} failed`);
      return 1;
    }
    spark = await starting;
    if (spark.startedByUs) note(`  started ${spark.remote}, ${formatDuration(performance.now() - started)} so far`);
    const env = {
      ...process.env,
      SPARK_REMOTE: spark.remote,
      RETAIL_LAB_DATA: process.env.RETAIL_LAB_DATA ?? join(runDir, "data"),
      RETAIL_LAB_RESULTS: process.env.RETAIL_LAB_RESULTS ?? join(runDir, "results"),
    };
    if (outDir) mkdirSync(outDir, { recursive: true });
    for (const path of notebooks) {
      const name = basename(path);
      note(style.bold(`▶ ${name}`));
      const run = await executeNotebook(path, {
        deno,
        env,
        cellTimeoutMs: cellTimeout * 1000,
        signal: abort.signal,
        onCell: (cell, index, total) => note(style.dim(`  cell ${cell} (${index}/${total})`)),
      });
      runs.push(run);
      if (outDir) writeNotebook(join(outDir, name), run.executed);
      if (run.failure) {
        const f = run.failure;
        note(style.red(`✗ ${name}: cell ${f.cell} failed: ${f.ename}: ${f.evalue}`));
        note(f.traceback.slice(0, 12).join("\n"));
        note(style.dim(`cell ${f.cell} source:\n${f.source.split("\n").slice(0, 15).join("\n")}`));
        break;
      }
      const late = run.lateOutputs ? `, ${run.lateOutputs} late output(s) recovered` : "";
      const [slowCell, slowMs] = [...run.cellMs].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
      const slowest = slowCell ? `; slowest: cell ${slowCell}, ${formatDuration(slowMs)}` : "";
      note(style.green(`✓ ${name}: ${run.cellsRun} code cells in ${formatDuration(run.durationMs)}${late}${slowest}`));
    }
  } finally {
    process.removeListener("SIGINT", interrupted);
    process.removeListener("SIGTERM", interrupted);
    await spark?.stop();
    if (parsed.values["keep-data"]) note(`data and Spark logs kept in ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
  const passed = runs.filter((r) => !r.failure).length;
  const failed = notebooks.length - passed;
  if (outDir) note(`executed notebooks written to ${outDir}`);
  note(`notebooks took ${formatDuration(performance.now() - started)}`);
  print(`notebooks: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      note(style.red(`notebooks:test failed: ${error instanceof Error ? error.message : String(error)}`));
      process.exit(1);
    },
  );
}
