/** Cluster events between two readings of the driver's REST API: executors lost, tasks failed, stages re-run. */
import { describe, expect, it } from "vitest";
import {
  type ClusterSnapshot,
  clusterEventsBetween,
  type ExecutorInfo,
  isQuiet,
  type StageAttemptInfo,
} from "../../../src/runtime/driver-ui.ts";

const executor = (id: string, isActive: boolean, removeReason?: string): ExecutorInfo => ({
  id,
  hostPort: `127.0.0.1:4${id === "driver" ? "000" : id.padStart(3, "0")}`,
  isActive,
  totalTasks: 0,
  failedTasks: 0,
  ...(removeReason ? { removeReason } : {}),
});
const stage = (stageId: number, attemptId: number, numFailedTasks = 0, numKilledTasks = 0): StageAttemptInfo => ({
  stageId,
  attemptId,
  name: `stage ${stageId}`,
  status: "COMPLETE",
  numTasks: 4,
  numCompleteTasks: 4,
  numFailedTasks,
  numKilledTasks,
});

const before: ClusterSnapshot = {
  executors: [executor("driver", true), executor("0", true), executor("1", true), executor("7", false, "old")],
  stages: [stage(0, 0), stage(1, 0, 1)],
};

describe("clusterEventsBetween", () => {
  it("is quiet when nothing changed", () => {
    const events = clusterEventsBetween(before, before);
    expect(events).toEqual({ lostExecutors: [], failedTasks: 0, stageRetries: [] });
    expect(isQuiet(events)).toBe(true);
  });

  it("reports an executor lost since, the task attempts that failed and the stages run again", () => {
    const after: ClusterSnapshot = {
      executors: [
        executor("driver", true),
        executor("0", false, "Command exited with code 137"),
        executor("1", true),
        executor("2", true),
        executor("7", false, "old"),
      ],
      stages: [stage(0, 0), stage(1, 0, 1), stage(2, 0, 2, 1), stage(2, 1), stage(3, 0, 1)],
    };
    const events = clusterEventsBetween(before, after);
    expect(events).toEqual({
      lostExecutors: [{ id: "0", hostPort: "127.0.0.1:4000", reason: "Command exited with code 137" }],
      failedTasks: 4,
      stageRetries: [{ stageId: 2, attemptId: 1, name: "stage 2" }],
    });
    expect(isQuiet(events)).toBe(false);
  });
});
