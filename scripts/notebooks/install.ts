/**
 * `npm run notebooks:install`: registers the pinned Deno as the Jupyter kernel named `deno` (the kernelspec
 * every notebook names), for Jupyter and VS Code. `deno jupyter --install` writes the kernelspec into the
 * user's Jupyter data folder (it needs no Jupyter); we then add NO_COLOR to its environment, since without it
 * plain-text results carry ANSI colour codes.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { note, print, style } from "../../src/cli/output.ts";
import { denoExecutable } from "./deno-binary.ts";
import { DENO_KERNELSPEC } from "./notebook-file.ts";

/** The kernelspec folder named in Deno's success message ("… installed successfully at DIR."). */
export function installedAt(output: string): string | undefined {
  return /installed successfully at (.+?)\.?\s*$/m.exec(output)?.[1];
}

const deno = denoExecutable();
const result = spawnSync(
  deno,
  ["jupyter", "--install", "--name", DENO_KERNELSPEC.name, "--display", DENO_KERNELSPEC.display_name, "--force"],
  { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
);
const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
const dir = installedAt(output);
if (result.status !== 0 || !dir) {
  note(style.red(`deno jupyter --install failed (exit ${result.status}):\n${output.trim()}`));
  process.exit(1);
}
const specPath = join(dir, "kernel.json");
const spec = JSON.parse(readFileSync(specPath, "utf8")) as { argv: string[]; env?: Record<string, string> };
// Deno records the first `deno` on PATH that is itself; under npm that is node_modules/.bin/deno, which may be
// the package's Node wrapper. The kernel should be the binary itself.
spec.argv[0] = deno;
spec.env = { ...spec.env, NO_COLOR: "1" };
writeFileSync(specPath, `${JSON.stringify(spec, null, 2)}\n`);
print(
  `Jupyter kernel "${DENO_KERNELSPEC.name}" (${DENO_KERNELSPEC.display_name}, Deno at ${deno}) registered in ${dir}`,
);
print("Open notebooks/*.ipynb in Jupyter or VS Code and pick that kernel; see notebooks/README.md.");
