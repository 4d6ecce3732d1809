/**
 * The generator's public entry point: plan the tasks of a scenario, run them on workers into a staging
 * directory, add up the ground truth, write the manifest and move the dataset into place. Progress goes to
 * a callback (the CLI draws the bar); nothing here prints.
 */
import { addGroundTruth, emptyGroundTruth } from "./ground-truth.ts";
import { buildManifest, type Manifest } from "./manifest.ts";
import { stageOutput } from "./output-dir.ts";
import type { CompressionName } from "./parquet-sink.ts";
import { buildPools, FAKER_VERSION, installedFakerVersion } from "./pools.ts";
import type { Preset, Scenario } from "./scenario.ts";
import { TABLE_NAMES, type TableName } from "./schema.ts";
import { planTasks, type TaskResult } from "./tasks.ts";
import { GENERATOR_VERSION } from "./version.ts";
import { defaultWorkers, runTasks, threadsFor } from "./workers.ts";
import { assembleWorld, type World } from "./world/world.ts";

export interface GenerateOptions {
  scenario: Scenario;
  /** Recorded in the manifest. */
  preset?: Preset | null;
  out: string;
  /** Replace an existing dataset at `out`. */
  force?: boolean;
  /**
   * Most threads to use; default one per core. Small datasets use fewer (see threadsFor). The output does not
   * depend on it.
   */
  workers?: number;
  /** Sessions that repay one more thread (default SESSIONS_PER_THREAD); tests lower it to run threads on small data. */
  sessionsPerThread?: number;
  compression?: CompressionName;
}

export interface GenerateProgress {
  rowsDone: number;
  /** Extrapolated from the rows per entity so far; exact once done. */
  rowsEstimate: number;
  entitiesDone: number;
  entitiesTotal: number;
}

export interface TableSummary {
  table: TableName;
  rows: number;
  files: number;
  bytes: number;
  /** Time spent encoding and writing this table's row groups, summed over threads. */
  encodeMs: number;
}

export interface GenerateResult {
  out: string;
  manifest: Manifest;
  tables: TableSummary[];
  events: number;
  elapsedMs: number;
  /** Threads that ran tasks (this one included). */
  workers: number;
}

export interface GenerateHooks {
  onProgress?: (progress: GenerateProgress) => void;
  /** Aborting stops the workers and removes the staging directory. */
  signal?: AbortSignal;
}

export async function generate(options: GenerateOptions, hooks: GenerateHooks = {}): Promise<GenerateResult> {
  const started = performance.now();
  const scenario = options.scenario;
  const compression = options.compression ?? "snappy";
  const workers = options.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new Error(`workers must be an integer from 1 to 256 (got ${workers})`);
  }
  installedFakerVersion();
  const threads = threadsFor(scenario.sessions, workers, options.sessionsPerThread);
  const tasks = planTasks(scenario);
  const pools = buildPools(scenario.seed);
  let world: World | undefined;
  const getWorld = () => {
    world ??= assembleWorld(scenario, pools);
    return world;
  };
  const staged = stageOutput(options.out, options.force ?? false, TABLE_NAMES);
  try {
    const entitiesTotal = tasks.reduce((n, t) => n + (t.to - t.from), 0);
    let rowsDone = 0;
    let entitiesDone = 0;
    const results: TaskResult[] = await runTasks(
      tasks,
      {
        scenario,
        pools,
        dir: staged.staging,
        sink: { compression },
        metadata: {
          generator_version: GENERATOR_VERSION,
          faker_version: FAKER_VERSION,
          seed: String(scenario.seed),
        },
      },
      threads,
      {
        signal: hooks.signal,
        onProgress: (rows, entities) => {
          rowsDone += rows;
          entitiesDone += entities;
          hooks.onProgress?.({
            rowsDone,
            rowsEstimate: entitiesDone > 0 ? Math.max(rowsDone, (rowsDone / entitiesDone) * entitiesTotal) : 0,
            entitiesDone,
            entitiesTotal,
          });
        },
      },
      getWorld,
    );
    const truth = emptyGroundTruth();
    for (const result of results) addGroundTruth(truth, result.truth);
    const files = results.flatMap((r) => r.files);
    const manifest = buildManifest({
      world: getWorld(),
      preset: options.preset ?? null,
      compression,
      files,
      truth,
    });
    staged.commit(`${JSON.stringify(manifest, null, 2)}\n`);
    const tables = TABLE_NAMES.map((table) => {
      const own = files.filter((f) => f.table === table);
      return {
        table,
        rows: manifest.tables[table].rows,
        files: own.length,
        bytes: manifest.tables[table].bytes,
        encodeMs: own.reduce((n, f) => n + f.encodeMs, 0),
      };
    });
    return {
      out: staged.out,
      manifest,
      tables,
      events: manifest.events,
      elapsedMs: performance.now() - started,
      workers: Math.min(threads, tasks.length),
    };
  } catch (error) {
    staged.discard();
    throw error;
  }
}
