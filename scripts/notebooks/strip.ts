/**
 * `npm run notebooks:strip`: removes outputs and execution counts from notebooks/*.ipynb in place, so a
 * notebook saved after running it in Jupyter or VS Code can be committed (committed notebooks carry no
 * outputs; a unit test checks it). `--check` only reports, exiting 1 when a notebook has outputs.
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { note, print } from "../../src/cli/output.ts";
import { isStripped, readNotebook, stripOutputs, writeNotebook } from "./notebook-file.ts";

const dir = resolve(import.meta.dirname, "..", "..", "notebooks");
const check = process.argv.includes("--check");
let dirty = 0;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith(".ipynb"))
  .sort()) {
  const path = join(dir, file);
  const notebook = readNotebook(path);
  if (isStripped(notebook)) continue;
  dirty += 1;
  if (check) note(`${file} has outputs; run npm run notebooks:strip`);
  else {
    writeNotebook(path, stripOutputs(notebook));
    print(`stripped ${file}`);
  }
}
if (check && dirty > 0) process.exit(1);
if (!check && dirty === 0) print("no notebook had outputs");
