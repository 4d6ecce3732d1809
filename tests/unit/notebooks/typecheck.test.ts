/** Notebook type checking: cells joined into one module, Deno's diagnostics mapped back to cells. */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { denoExecutable } from "../../../scripts/notebooks/deno-binary.ts";
import { type Notebook, writeNotebook } from "../../../scripts/notebooks/notebook-file.ts";
import { checkModuleSource, parseDenoDiagnostics, typecheckNotebooks } from "../../../scripts/notebooks/typecheck.ts";

const notebook = (cells: Array<["code" | "markdown", string]>): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: cells.map(([kind, source], i) =>
    kind === "code"
      ? { cell_type: "code", id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null }
      : { cell_type: "markdown", id: `c${i}`, metadata: {}, source },
  ),
});

describe("checkModuleSource", () => {
  it("joins code cells and maps each line back to its cell", () => {
    const { source, lines } = checkModuleSource(
      notebook([
        ["markdown", "# t"],
        ["code", "const a = 1;\nconst b = 2;"],
        ["code", "a + b"],
      ]),
    );
    expect(source).toBe("// cell 2\nconst a = 1;\nconst b = 2;\n// cell 3\na + b\n");
    expect(lines).toEqual([undefined, { cell: 2, line: 1 }, { cell: 2, line: 2 }, undefined, { cell: 3, line: 1 }]);
  });
});

describe("parseDenoDiagnostics", () => {
  it("reads errors with their file position and ignores the summary", () => {
    const output = [
      "Check file:///p/notebooks/x.ts\nTS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\nconst n: number = \"x\";\n      ^\n    at file:///p/notebooks/.x.1.check.ts:3:7",
      "Found 1 error.",
      "error: Type checking failed.",
    ].join("\n\n");
    expect(parseDenoDiagnostics(output)).toEqual([
      {
        file: "/p/notebooks/.x.1.check.ts",
        line: 3,
        column: 7,
        text: "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\nconst n: number = \"x\";\n      ^",
      },
    ]);
  });
});

describe("typecheckNotebooks", () => {
  const dir = mkdtempSync(join(tmpdir(), "retail-lab-nb-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds a type error, names its cell and line, and cleans up", async () => {
    const bad = join(dir, "bad.ipynb");
    const good = join(dir, "good.ipynb");
    writeNotebook(
      bad,
      notebook([
        ["markdown", "# bad"],
        ["code", "const ok: number = 1;"],
        ["code", '// a comment\nconst wrong: number = "text";\nconsole.log(ok, wrong);'],
      ]),
    );
    writeNotebook(good, notebook([["code", "const n: number = 2;\nconsole.log(Deno.jupyter.md, n);"]]));
    const result = await typecheckNotebooks({ deno: denoExecutable(), root: dir, notebooks: [bad, good] });
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.location).toBe("bad.ipynb cell 3, line 2:7");
    expect(result.diagnostics[0]!.text).toMatch(/TS2322/);
    expect(readdirSync(dir).sort()).toEqual(["bad.ipynb", "good.ipynb"]);
  });
});
