/**
 * Turns ExecutionProgress messages of one operation into ProgressUpdates for its handlers, as PySpark's
 * `Progress` context does: handlers hear about progress only once tasks exist, and exactly once more
 * with done=true when the operation ends, however it ends. The server reports every
 * spark.connect.progress.reportInterval (2 s by default), so short queries may only see the final call.
 * @see PySpark python/pyspark/sql/connect/shell/progress.py
 */
import type { ExecutePlanResponse_ExecutionProgress } from "../gen/spark/connect/base_pb.ts";
import type { Logger } from "../logger.ts";
import type { ProgressHandler, ProgressUpdate, StageProgress } from "./client.ts";

export class ProgressTracker {
  private stages: StageProgress[] = [];
  private inflightTasks = 0n;
  private finished = false;

  constructor(
    private readonly operationId: string,
    private readonly handlers: () => readonly ProgressHandler[],
    private readonly logger: Logger,
  ) {}

  /** Records one ExecutionProgress and notifies the handlers; returns the update for the event stream. */
  update(progress: ExecutePlanResponse_ExecutionProgress): ProgressUpdate {
    this.stages = progress.stages.map((s) => ({
      stageId: s.stageId,
      numTasks: s.numTasks,
      numCompletedTasks: s.numCompletedTasks,
      inputBytesRead: s.inputBytesRead,
      done: s.done,
    }));
    this.inflightTasks = progress.numInflightTasks;
    const update = this.snapshot(false);
    if (this.stages.some((s) => s.numTasks > 0n)) this.notify(update);
    return update;
  }

  /** Notifies the handlers once with done=true; later calls do nothing. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.notify(this.snapshot(true));
  }

  private snapshot(done: boolean): ProgressUpdate {
    return { operationId: this.operationId, stages: this.stages, inflightTasks: this.inflightTasks, done };
  }

  private notify(update: ProgressUpdate): void {
    for (const handler of this.handlers()) {
      try {
        handler(update);
      } catch (error) {
        // A broken progress bar must not fail the query.
        this.logger.warn("progress handler threw", { operationId: this.operationId, error: String(error) });
      }
    }
  }
}
