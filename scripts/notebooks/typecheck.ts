/**
 * Type-checks notebooks: the kernel runs cells without checking types, and `deno check` cannot read .ipynb
 * JSON, so each notebook's code cells are joined into one module beside it (same folder, so relative
 * imports resolve as in the kernel) and checked with Deno and the root deno.json. Diagnostics are mapped
 * back to notebook cells. Only the notebooks' own code counts: the project modules they import are
 * checked by `tsc` with the project's settings, and Deno's libraries (DOM-style globals) see them differently.
 */
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { cellSource, type Notebook, readNotebook } from "./notebook-file.ts";

export interface NotebookDiagnostic {
  /** Where: `notebooks/02-checkout-failure.ipynb cell 7, line 3:12`, or a notebooks/*.ts file and line. */
  location: string;
  /** The diagnostic's text as Deno printed it (code, message and the source excerpt). */
  text: string;
}

export interface TypecheckResult {
  diagnostics: NotebookDiagnostic[];
  /** Diagnostics Deno reported in imported project modules, which do not fail the check (see above). */
  ignoredElsewhere: number;
  durationMs: number;
}

interface CheckModule {
  path: string;
  notebookPath: string;
  /** For each line of the module (0-based): the cell number (1-based, all cells counted) and line in it. */
  lines: Array<{ cell: number; line: number } | undefined>;
}

/** Joins a notebook's code cells into one module, remembering which cell each line came from. */
export function checkModuleSource(notebook: Notebook): { source: string; lines: CheckModule["lines"] } {
  const out: string[] = [];
  const lines: CheckModule["lines"] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    out.push(`// cell ${index + 1}`);
    lines.push(undefined);
    cellSource(cell)
      .split("\n")
      .forEach((text, i) => {
        out.push(text);
        lines.push({ cell: index + 1, line: i + 1 });
      });
  });
  return { source: `${out.join("\n")}\n`, lines };
}

/** Splits Deno's check output into diagnostics, each ending with its `at file:///…:line:col` line. */
export function parseDenoDiagnostics(
  output: string,
): Array<{ file: string; line: number; column: number; text: string }> {
  const found: Array<{ file: string; line: number; column: number; text: string }> = [];
  const blocks = output.split(/\n\s*\n/);
  for (const block of blocks) {
    const at = /^\s*at (file:\/\/\S+?):(\d+):(\d+)\s*$/m.exec(block);
    if (!at || !/\[ERROR\]/.test(block)) continue;
    found.push({
      file: decodeURIComponent(new URL(at[1]!).pathname),
      line: Number(at[2]),
      column: Number(at[3]),
      // Deno may print its "Check <file>" progress line right above the first diagnostic.
      text: block
        .replace(at[0], "")
        .replace(/^Check \S+\n/gm, "")
        .trim(),
    });
  }
  return found;
}

export async function typecheckNotebooks(options: {
  deno: string;
  root: string;
  notebooks: readonly string[];
}): Promise<TypecheckResult> {
  const started = performance.now();
  const modules: CheckModule[] = options.notebooks.map((notebookPath) => {
    const { source, lines } = checkModuleSource(readNotebook(notebookPath));
    const path = join(dirname(notebookPath), `.${basename(notebookPath, ".ipynb")}.${process.pid}.check.ts`);
    writeFileSync(path, source);
    return { path, notebookPath, lines };
  });
  try {
    const output = await runDeno(options.deno, ["check", ...modules.map((m) => m.path)], options.root);
    const diagnostics: NotebookDiagnostic[] = [];
    let ignoredElsewhere = 0;
    const notebooksDir = resolve(dirname(options.notebooks[0] ?? join(options.root, "notebooks")));
    for (const d of parseDenoDiagnostics(output.text)) {
      const module = modules.find((m) => resolve(m.path) === resolve(d.file));
      if (module) {
        const origin = module.lines[d.line - 1];
        const where = origin ? `cell ${origin.cell}, line ${origin.line}:${d.column}` : `line ${d.line}`;
        diagnostics.push({ location: `${relative(options.root, module.notebookPath)} ${where}`, text: d.text });
      } else if (resolve(dirname(d.file)) === notebooksDir) {
        diagnostics.push({ location: `${relative(options.root, d.file)}:${d.line}:${d.column}`, text: d.text });
      } else ignoredElsewhere += 1;
    }
    if (output.code !== 0 && diagnostics.length === 0 && ignoredElsewhere === 0) {
      // Deno failed without a diagnostic we could read (e.g. a module that does not resolve): report it whole.
      diagnostics.push({ location: "deno check", text: output.text.trim().slice(-4000) });
    }
    return { diagnostics, ignoredElsewhere, durationMs: performance.now() - started };
  } finally {
    for (const m of modules) rmSync(m.path, { force: true });
  }
}

function runDeno(deno: string, args: string[], cwd: string): Promise<{ code: number | null; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(deno, args, { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, text }));
  });
}
