/**
 * The notebook runner against the real Deno kernel of the pinned dev dependency: every cell gets exactly its own
 * outputs, including those the kernel publishes after reporting idle, errors stop a notebook, and the executed
 * copy is a complete notebook. No Spark is involved.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { denoExecutable } from "../../../scripts/notebooks/deno-binary.ts";
import { DenoKernel } from "../../../scripts/notebooks/deno-kernel.ts";
import { executeNotebook } from "../../../scripts/notebooks/execute-notebook.ts";
import { type CodeCell, type Notebook, writeNotebook } from "../../../scripts/notebooks/notebook-file.ts";

const deno = denoExecutable();

describe("DenoKernel", () => {
  let kernel: DenoKernel;
  beforeAll(async () => {
    kernel = await DenoKernel.start({ deno, cwd: tmpdir() });
  });
  afterAll(async () => {
    await kernel.shutdown();
  });

  it("gives every cell exactly its own output, late ones included", async () => {
    // Bare values, console output and displays: the kinds the kernel was seen to publish after idle.
    for (let i = 0; i < 45; i++) {
      const kind = i % 3;
      const code =
        kind === 0
          ? `${i} * 1000`
          : kind === 1
            ? `console.log("line-${i}")`
            : `await Deno.jupyter.display({ "text/plain": "shown-${i}" }, { raw: true })`;
      const cell = await kernel.execute(code);
      expect(cell.status).toBe("ok");
      const { outputs } = kernel.outputs(cell);
      const expected =
        kind === 0
          ? { output_type: "execute_result", data: { "text/plain": String(i * 1000) } }
          : kind === 1
            ? { output_type: "stream", name: "stdout", text: `line-${i}\n` }
            : { output_type: "display_data", data: { "text/plain": `shown-${i}` } };
      expect(outputs).toHaveLength(1);
      expect(outputs[0]).toMatchObject(expected);
    }
  });

  it("reports a throwing cell as an error with its name, message and traceback", async () => {
    const cell = await kernel.execute('throw new RangeError("boom from cell")');
    expect(cell.status).toBe("error");
    expect(cell.error).toMatchObject({ ename: "RangeError", evalue: "boom from cell" });
    expect(kernel.outputs(cell).outputs).toEqual([
      expect.objectContaining({ output_type: "error", ename: "RangeError", evalue: "boom from cell" }),
    ]);
  });

  it("keeps rich MIME bundles intact and plain text free of colour codes", async () => {
    const cell = await kernel.execute(
      'await Deno.jupyter.display({ "application/vnd.vegalite.v5+json": { mark: "bar" }, "text/plain": "chart" }, { raw: true }); ({ n: 1n, s: "x" })',
    );
    const { outputs } = kernel.outputs(cell);
    expect(outputs[0]).toMatchObject({ data: { "application/vnd.vegalite.v5+json": { mark: "bar" } } });
    expect(outputs[1]).toMatchObject({ output_type: "execute_result" });
    const text = String((outputs[1] as { data: Record<string, unknown> }).data["text/plain"]);
    expect(text).toContain("1n");
    expect(text).not.toContain("\u001b[");
  });
});

describe("executeNotebook", () => {
  const dir = mkdtempSync(join(tmpdir(), "retail-lab-nb-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const notebook = (sources: string[]): Notebook => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    cells: [
      { cell_type: "markdown", id: "m1", metadata: {}, source: ["# title"] },
      ...sources.map(
        (source, i): CodeCell => ({
          cell_type: "code",
          id: `c${i}`,
          metadata: {},
          source,
          outputs: [],
          execution_count: null,
        }),
      ),
    ],
  });

  it("runs the cells in order in one kernel and returns the executed copy", async () => {
    const path = join(dir, "ok.ipynb");
    writeNotebook(path, notebook(["const x = 20;", 'console.log("x is", x); x + 1', "Deno.cwd()"]));
    const run = await executeNotebook(path, { deno });
    expect(run.failure).toBeUndefined();
    expect(run.cellsRun).toBe(3);
    const cells = run.executed.cells.filter((c): c is CodeCell => c.cell_type === "code");
    expect(cells.map((c) => c.execution_count)).toEqual([1, 2, 3]);
    expect(cells[1]!.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "x is 20\n" },
      { output_type: "execute_result", execution_count: 2, data: { "text/plain": "21" }, metadata: {} },
    ]);
    // The kernel runs in the notebook's folder, so relative imports resolve as in Jupyter.
    expect(cells[2]!.outputs[0]).toMatchObject({ data: { "text/plain": JSON.stringify(dir) } });
  });

  it("stops at the first failing cell and names it", async () => {
    const path = join(dir, "fails.ipynb");
    writeNotebook(path, notebook(["1", 'throw new Error("cell two fails")', "3"]));
    const run = await executeNotebook(path, { deno });
    expect(run.cellsRun).toBe(2);
    expect(run.failure).toMatchObject({ cell: 3, ename: "Error", evalue: "cell two fails" });
    const last = run.executed.cells[3] as CodeCell;
    expect(last.outputs).toEqual([]);
    expect(last.execution_count).toBeNull();
  });
});
