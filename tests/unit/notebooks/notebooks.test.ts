/**
 * The committed notebooks: outputs stripped, the Deno kernelspec, and the shape issue 8 asks of each one (a
 * question first, parameters from environment variables in one cell, a conclusion computed last) using only
 * the public API, the jobs, the generators' entry point and the notebooks' display helpers.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type CodeCell,
  cellSource,
  codeCells,
  DENO_KERNELSPEC,
  isStripped,
  readNotebook,
} from "../../../scripts/notebooks/notebook-file.ts";

const DIR = join(import.meta.dirname, "..", "..", "..", "notebooks");
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".ipynb"))
  .sort();

/** What a notebook may import: the public client, jobs, the generators' entry point, its helpers, Node built-ins. */
const ALLOWED_IMPORT =
  /^(node:[a-z/_]+|\.\.\/src\/index\.ts|\.\.\/jobs\/[a-z-]+\.ts|\.\.\/generators\/index\.ts|\.\/display\.ts)$/;

describe("committed notebooks", () => {
  it("are the four of the study, in order", () => {
    expect(FILES).toEqual([
      "01-generate-and-explore.ipynb",
      "02-checkout-failure.ipynb",
      "03-cross-sell.ipynb",
      "04-mart-and-kpis.ipynb",
    ]);
  });

  for (const file of FILES) {
    describe(file, () => {
      const notebook = readNotebook(join(DIR, file));
      const code = codeCells(notebook);

      it("has no outputs or execution counts (npm run notebooks:strip)", () => {
        expect(isStripped(notebook)).toBe(true);
      });

      it("names the Deno kernel and has unique cell ids", () => {
        expect(notebook.metadata.kernelspec).toMatchObject(DENO_KERNELSPEC);
        const ids = notebook.cells.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
      });

      it("opens with the question it answers", () => {
        const first = notebook.cells[0]!;
        expect(first.cell_type).toBe("markdown");
        expect(cellSource(first)).toMatch(/^# .+\n[\s\S]*\*\*Question: [^*]+\?\*\*/);
      });

      it("reads its parameters from environment variables in its first code cell only", () => {
        const [params, ...rest] = code;
        const source = cellSource(params!);
        for (const name of ["SPARK_REMOTE", "RETAIL_LAB_DATA", "RETAIL_LAB_SEED"]) {
          expect(source).toContain(`Deno.env.get("${name}")`);
        }
        for (const cell of rest) expect(cellSource(cell)).not.toContain("Deno.env.get(");
      });

      it("imports only the public API, jobs, the generators' entry point and the display helpers", () => {
        const specifiers = code.flatMap((cell: CodeCell) =>
          [...cellSource(cell).matchAll(/^import [^"]*"([^"]+)";?$/gm)].map((m) => m[1]!),
        );
        expect(specifiers.length).toBeGreaterThan(0);
        expect(specifiers.filter((s) => !ALLOWED_IMPORT.test(s))).toEqual([]);
      });

      it("ends with a conclusion computed from the results", () => {
        const heading = notebook.cells[notebook.cells.length - 2]!;
        const last = notebook.cells[notebook.cells.length - 1]!;
        expect(heading.cell_type).toBe("markdown");
        expect(cellSource(heading)).toMatch(/^## Conclusion/);
        expect(last.cell_type).toBe("code");
        expect(cellSource(last)).toMatch(/markdown\(/);
        // The text is built from values (template substitutions), not written out.
        expect(cellSource(last)).toMatch(/\$\{/);
      });
    });
  }
});
