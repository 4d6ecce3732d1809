/**
 * Executes one notebook headless in a fresh Deno kernel started in the notebook's folder: code cells in
 * order, stopping at the first failing cell, and returns the executed copy with every output (late ones
 * included, see deno-kernel.ts) and execution counts, ready to be written for publishing.
 */
import { dirname } from "node:path";
import { type CellResult, DenoKernel } from "./deno-kernel.ts";
import { type CodeCell, cellSource, type Notebook, readNotebook, sourceLines } from "./notebook-file.ts";

export interface CellFailure {
  /** 1-based position of the cell among all cells (as Jupyter shows it). */
  cell: number;
  ename: string;
  evalue: string;
  traceback: string[];
  source: string;
}

export interface NotebookRun {
  path: string;
  /** The notebook with outputs and execution counts (cells after a failure keep no outputs). */
  executed: Notebook;
  codeCells: number;
  cellsRun: number;
  failure?: CellFailure;
  /** Outputs the kernel published after reporting the cell idle, which were recovered. */
  lateOutputs: number;
  durationMs: number;
  /** Per cell wall time in ms, by cell position (1-based). */
  cellMs: Map<number, number>;
}

export interface ExecuteOptions {
  deno: string;
  env?: NodeJS.ProcessEnv;
  cellTimeoutMs?: number;
  /** Called before each code cell runs (1-based cell position, code cells in total). */
  onCell?(cell: number, index: number, total: number): void;
  signal?: AbortSignal;
}

export async function executeNotebook(path: string, options: ExecuteOptions): Promise<NotebookRun> {
  const started = performance.now();
  const notebook = readNotebook(path);
  const executed: Notebook = structuredClone(notebook);
  const codeIndexes = executed.cells.flatMap((cell, i) => (cell.cell_type === "code" ? [i] : []));
  for (const i of codeIndexes) {
    const cell = executed.cells[i] as CodeCell;
    cell.outputs = [];
    cell.execution_count = null;
  }
  const kernel = await DenoKernel.start({ deno: options.deno, cwd: dirname(path), env: options.env ?? process.env });
  const onAbort = () => void kernel.shutdown(0);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const results: Array<{ index: number; result: CellResult }> = [];
  const cellMs = new Map<number, number>();
  let failure: CellFailure | undefined;
  try {
    for (const [n, index] of codeIndexes.entries()) {
      options.signal?.throwIfAborted();
      const cell = executed.cells[index] as CodeCell;
      options.onCell?.(index + 1, n + 1, codeIndexes.length);
      const source = cellSource(cell);
      const result = await kernel.execute(source, { timeoutMs: options.cellTimeoutMs ?? 600_000 });
      results.push({ index, result });
      cellMs.set(index + 1, result.durationMs);
      if (result.status === "error") {
        failure = {
          cell: index + 1,
          ename: result.error?.ename ?? "Error",
          evalue: result.error?.evalue ?? "",
          traceback: result.error?.traceback ?? [],
          source,
        };
        break;
      }
    }
    await kernel.settle();
    let lateOutputs = 0;
    for (const { index, result } of results) {
      const cell = executed.cells[index] as CodeCell;
      const { outputs, late } = kernel.outputs(result);
      cell.outputs = outputs;
      cell.execution_count = result.executionCount;
      lateOutputs += late;
    }
    for (const cell of executed.cells) cell.source = sourceLines(cellSource(cell));
    return {
      path,
      executed,
      codeCells: codeIndexes.length,
      cellsRun: results.length,
      ...(failure ? { failure } : {}),
      lateOutputs,
      durationMs: performance.now() - started,
      cellMs,
    };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await kernel.shutdown();
  }
}
