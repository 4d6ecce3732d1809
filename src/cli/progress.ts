/**
 * Renders Spark's execution progress (tasks completed across stages, reported by the server every ~2 s)
 * as a progress bar that appears only once Spark reports work, so quick queries print nothing extra.
 */
import type { ProgressUpdate } from "../index.ts";
import { type ProgressBar, progressBar } from "./output.ts";

export interface SparkProgress {
  onProgress: (update: ProgressUpdate) => void;
  finish(message?: string): void;
}

export function sparkProgressBar(label: string): SparkProgress {
  let bar: ProgressBar | undefined;
  return {
    onProgress(update) {
      if (update.done) return;
      const total = update.stages.reduce((n, s) => n + Number(s.numTasks), 0);
      const done = update.stages.reduce((n, s) => n + Number(s.numCompletedTasks), 0);
      if (total === 0) return;
      bar ??= progressBar({ label, unit: "tasks" });
      const stagesDone = update.stages.filter((s) => s.done).length;
      bar.update(done, {
        total,
        status: `${stagesDone}/${update.stages.length} stages · ${update.inflightTasks} running`,
      });
    },
    finish(message) {
      bar?.finish(message);
      bar = undefined;
    },
  };
}
