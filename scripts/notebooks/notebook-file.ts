/**
 * Notebook files (nbformat 4.5, the .ipynb JSON): reading, the code cells, outputs stripped for committing,
 * and writing in the layout Jupyter itself writes (one-space indentation, sources as lists of lines), so a
 * notebook saved by Jupyter and one written here diff cleanly.
 * @see https://nbformat.readthedocs.io/en/latest/format_description.html
 */
import { readFileSync, writeFileSync } from "node:fs";

export type NotebookOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | {
      output_type: "execute_result";
      execution_count: number | null;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface CodeCell {
  cell_type: "code";
  id: string;
  metadata: Record<string, unknown>;
  source: string | string[];
  outputs: NotebookOutput[];
  execution_count: number | null;
}

export interface MarkdownCell {
  cell_type: "markdown" | "raw";
  id: string;
  metadata: Record<string, unknown>;
  source: string | string[];
}

export type Cell = CodeCell | MarkdownCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown> & { kernelspec?: { name: string; display_name: string; language?: string } };
  cells: Cell[];
}

/** The kernelspec every notebook of the project names (what `deno jupyter --install` registers). */
export const DENO_KERNELSPEC = { name: "deno", display_name: "Deno", language: "typescript" } as const;

export function readNotebook(path: string): Notebook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not a readable notebook: ${(error as Error).message}`);
  }
  const notebook = parsed as Notebook;
  if (notebook?.nbformat !== 4 || !Array.isArray(notebook.cells)) {
    throw new Error(`${path} is not an nbformat 4 notebook (nbformat ${String(notebook?.nbformat)})`);
  }
  return notebook;
}

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** Splits a source into Jupyter's list-of-lines form (each line keeps its newline, the last has none). */
export function sourceLines(source: string): string[] {
  if (source === "") return [];
  return source.split(/(?<=\n)/);
}

export function codeCells(notebook: Notebook): CodeCell[] {
  return notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");
}

/** The notebook as committed: no outputs, no execution counts, sources as line lists. */
export function stripOutputs(notebook: Notebook): Notebook {
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      const base = { ...cell, source: sourceLines(cellSource(cell)) };
      return cell.cell_type === "code" ? { ...base, outputs: [], execution_count: null } : base;
    }),
  };
}

/** True when no code cell carries outputs or an execution count. */
export function isStripped(notebook: Notebook): boolean {
  return codeCells(notebook).every((cell) => cell.outputs.length === 0 && cell.execution_count === null);
}

/** JSON as Jupyter writes it: one-space indentation, a trailing newline. */
export function serializeNotebook(notebook: Notebook): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

export function writeNotebook(path: string, notebook: Notebook): void {
  writeFileSync(path, serializeNotebook(notebook));
}
