/**
 * What a running Spark application says about its executors and stages through its driver's REST API
 * (`/api/v1/applications/<app>/allexecutors` and `/stages`), and the difference between two readings:
 * executors lost and tasks that failed (and were therefore run again) in between. Standalone deployments
 * serve this API on loopback; the CLI reads it around each command to report what the cluster survived.
 * @see https://spark.apache.org/docs/latest/monitoring.html#rest-api
 */

/** One executor as the driver knows it, alive or removed ("driver" included). */
export interface ExecutorInfo {
  id: string;
  hostPort: string;
  isActive: boolean;
  totalTasks: number;
  failedTasks: number;
  addTime?: string;
  removeTime?: string;
  /** Why it was removed, e.g. "Command exited with code 137" or "worker lost". */
  removeReason?: string;
}

/** One attempt of a stage; a stage run again after lost shuffle output has attemptId > 0. */
export interface StageAttemptInfo {
  stageId: number;
  attemptId: number;
  name: string;
  status: string;
  numTasks: number;
  numCompleteTasks: number;
  numFailedTasks: number;
  numKilledTasks: number;
}

/** A reading of the application's executors and stage attempts. */
export interface ClusterSnapshot {
  executors: ExecutorInfo[];
  stages: StageAttemptInfo[];
}

/** What happened between two readings. */
export interface ClusterEvents {
  lostExecutors: Array<{ id: string; hostPort: string; reason: string }>;
  /** Task attempts that failed or were killed (Spark runs each such task again). */
  failedTasks: number;
  /** Stage attempts beyond the first that started (map output lost with an executor is recomputed). */
  stageRetries: Array<{ stageId: number; attemptId: number; name: string }>;
}

export class DriverUiError extends Error {
  override name = "DriverUiError";
}

/** The driver UI's base URL and the application id, as the CLI learns them from the session's conf. */
export interface DriverUi {
  url: string;
  appId: string;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? AbortSignal.timeout(5000) });
  } catch (error) {
    throw new DriverUiError(`the Spark driver UI at ${url} did not answer: ${(error as Error).message}`);
  }
  if (!response.ok) throw new DriverUiError(`the Spark driver UI answered ${response.status} for ${url}`);
  return (await response.json()) as T;
}

/** Reads the application's executors (removed ones included) and stage attempts. */
export async function readClusterSnapshot(ui: DriverUi, signal?: AbortSignal): Promise<ClusterSnapshot> {
  const base = `${ui.url.replace(/\/+$/, "")}/api/v1/applications/${encodeURIComponent(ui.appId)}`;
  const [executors, stages] = await Promise.all([
    getJson<ExecutorInfo[]>(`${base}/allexecutors`, signal),
    getJson<StageAttemptInfo[]>(`${base}/stages`, signal),
  ]);
  return { executors, stages };
}

const stageKey = (s: StageAttemptInfo) => `${s.stageId}.${s.attemptId}`;

/** Executors lost, tasks failed and stages re-attempted between two readings (pure). */
export function clusterEventsBetween(before: ClusterSnapshot, after: ClusterSnapshot): ClusterEvents {
  const wasLost = new Set(before.executors.filter((e) => !e.isActive).map((e) => e.id));
  const lostExecutors = after.executors
    .filter((e) => e.id !== "driver" && !e.isActive && !wasLost.has(e.id))
    .map((e) => ({ id: e.id, hostPort: e.hostPort, reason: e.removeReason ?? "no reason given" }));
  const failedBefore = new Map(before.stages.map((s) => [stageKey(s), s.numFailedTasks + s.numKilledTasks]));
  let failedTasks = 0;
  for (const stage of after.stages) {
    failedTasks += stage.numFailedTasks + stage.numKilledTasks - (failedBefore.get(stageKey(stage)) ?? 0);
  }
  const stageRetries = after.stages
    .filter((s) => s.attemptId > 0 && !failedBefore.has(stageKey(s)))
    .map((s) => ({ stageId: s.stageId, attemptId: s.attemptId, name: s.name }))
    .sort((a, b) => a.stageId - b.stageId || a.attemptId - b.attemptId);
  return { lostExecutors, failedTasks, stageRetries };
}

/** True when nothing was lost or retried. */
export function isQuiet(events: ClusterEvents): boolean {
  return events.lostExecutors.length === 0 && events.failedTasks === 0 && events.stageRetries.length === 0;
}
