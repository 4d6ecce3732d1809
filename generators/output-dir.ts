/**
 * Atomic output: files are written into a hidden staging directory beside the target, and only a finished
 * run writes `_manifest.json` and renames the staging directory into place. A run that crashes or is
 * killed leaves at most a `.<name>.staging-<pid>-…` directory without a manifest, which the next run
 * removes once that pid is gone. An existing output is replaced only with `force`, and only if it looks
 * like generator output (a manifest, or empty).
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export const MANIFEST_FILE = "_manifest.json";

/** The target exists and may not be replaced. */
export class OutputExistsError extends Error {
  override name = "OutputExistsError";
}

export interface StagedOutput {
  /** Final directory. */
  readonly out: string;
  /** Where to write while the run is in progress. */
  readonly staging: string;
  /** Writes the manifest and moves the staging directory into place. */
  commit(manifestJson: string): void;
  /** Deletes the staging directory (after a failure). */
  discard(): void;
}

export function stageOutput(target: string, force: boolean, subdirectories: readonly string[]): StagedOutput {
  const out = resolve(target);
  const parent = dirname(out);
  const name = basename(out);
  checkReplaceable(out, force);
  mkdirSync(parent, { recursive: true });
  removeAbandonedStaging(parent, name);
  const staging = join(parent, `.${name}.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(staging);
  for (const dir of subdirectories) mkdirSync(join(staging, dir), { recursive: true });
  return {
    out,
    staging,
    commit(manifestJson: string) {
      const fd = openSync(join(staging, MANIFEST_FILE), "wx");
      writeSync(fd, manifestJson);
      fsyncSync(fd);
      closeSync(fd);
      checkReplaceable(out, force);
      if (existsSync(out)) {
        const old = join(parent, `.${name}.replaced-${process.pid}-${randomBytes(4).toString("hex")}`);
        renameSync(out, old);
        renameSync(staging, out);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(staging, out);
      }
    },
    discard() {
      rmSync(staging, { recursive: true, force: true });
    },
  };
}

function checkReplaceable(out: string, force: boolean): void {
  if (!existsSync(out)) return;
  if (!force) throw new OutputExistsError(`output directory ${out} already exists; pass --force to replace it`);
  if (!statSync(out).isDirectory()) throw new OutputExistsError(`output path ${out} exists and is not a directory`);
  const entries = readdirSync(out);
  if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
    throw new OutputExistsError(
      `refusing to replace ${out}: it is not empty and has no ${MANIFEST_FILE}, so it is not a retail-lab dataset`,
    );
  }
}

/** Removes staging directories of earlier runs for the same target whose process no longer exists. */
function removeAbandonedStaging(parent: string, name: string): void {
  const prefix = `.${name}.staging-`;
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).split("-")[0]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) {
      rmSync(join(parent, entry), { recursive: true, force: true });
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
