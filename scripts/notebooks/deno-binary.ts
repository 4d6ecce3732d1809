/**
 * Finds the Deno executable of the pinned `deno` dev dependency. Its postinstall script is not needed (and
 * not allowed in package.json): the package's own `install_api.cjs` resolves the platform package's binary
 * on first use and links it into `node_modules/deno/`, which is what the postinstall would have done.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The absolute path of the Deno binary; throws with the package manager's fix when it is missing. */
export function denoExecutable(): string {
  let api: { runInstall(): string };
  try {
    api = require("deno/install_api.cjs") as { runInstall(): string };
  } catch (error) {
    throw new Error(`the deno dev dependency is not installed (${(error as Error).message}); run npm ci`);
  }
  return api.runInstall();
}
