/**
 * The generator worker's code as one plain JavaScript module. A worker that loads TypeScript through tsx
 * registers its own loader thread and transforms ~25 modules one round trip at a time: about 0.2 s idle and
 * well over that while the other threads generate, which is a whole small dataset's work. So the worker
 * entry is bundled with esbuild (the compiler tsx itself uses) once per version of the generator sources and
 * cached under node_modules/.cache, where the bundle's package imports resolve as they do from the sources.
 * When the cache cannot be written, workers fall back to loading the sources through tsx.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SOURCES = dirname(fileURLToPath(import.meta.url));
const ENTRY = join(SOURCES, "worker-main.ts");
/** The package root: node_modules sits next to generators/. */
const CACHE = join(SOURCES, "..", "node_modules", ".cache", "retail-lab");

/** Every TypeScript file under generators/, sorted, for the cache key. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith(".ts") ? [path] : [];
    })
    .sort();
}

/** The installed esbuild's version, read without loading esbuild (part of the cache key). */
function esbuildVersion(): string {
  const manifest = createRequire(import.meta.url).resolve("esbuild/package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/** Where the bundle of the current sources is (or will be) cached. */
function bundlePath(): string {
  const hash = createHash("sha256").update(`esbuild ${esbuildVersion()}\n`);
  for (const file of sourceFiles(SOURCES)) hash.update(`${relative(SOURCES, file)}\n`).update(readFileSync(file));
  return join(CACHE, `generator-worker-${hash.digest("hex").slice(0, 16)}.mjs`);
}

let located: URL | null | undefined;
/** The build under way, shared by every caller until it settles. */
let building: Promise<URL | null> | undefined;

/**
 * The file URL of the bundled worker entry of the current sources, or a promise while it is being built;
 * resolves to null when it cannot be built or cached (the caller then runs the sources through tsx). A cached
 * bundle is found synchronously, so a busy thread does not have to turn its event loop to get it.
 */
export function workerBundle(): URL | null | Promise<URL | null> {
  if (located !== undefined) return located;
  if (building) return building;
  let target: string;
  try {
    target = bundlePath();
    if (statSync(target, { throwIfNoEntry: false })?.isFile()) {
      located = pathToFileURL(target);
      return located;
    }
  } catch {
    located = null;
    return located;
  }
  building = buildBundle(target).then(
    (url) => (located = url),
    () => (located = null),
  );
  return building;
}

async function buildBundle(target: string): Promise<URL> {
  const { build } = await import("esbuild");
  mkdirSync(CACHE, { recursive: true });
  // Built beside the target and renamed, so a concurrent run never imports a half-written file.
  const staging = `${target}.${process.pid}.tmp`;
  try {
    await build({
      entryPoints: [ENTRY],
      outfile: staging,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // Packages load from node_modules at run time, as they do for the sources.
      packages: "external",
      logLevel: "silent",
    });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { force: true });
  }
  return pathToFileURL(target);
}
