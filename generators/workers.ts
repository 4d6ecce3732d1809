/**
 * Runs tasks on `workers` executors: this thread plus workers - 1 worker threads, each taking the next
 * task of the plan when it is free. This thread starts at once while the threads boot, so small datasets do
 * not wait for them. Since a task's output depends only on the task, the result is identical for any worker
 * count. A failure or an abort terminates every thread.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Pools } from "./pools.ts";
import type { Scenario } from "./scenario.ts";
import type { TableName } from "./schema.ts";
import type { TableBuffer } from "./table-buffer.ts";
import { runTask, type Task, type TaskContext, type TaskResult } from "./tasks.ts";
import { workerBundle } from "./worker-bundle.ts";
import { assembleWorld, type World } from "./world/world.ts";

/**
 * Without a bundle (see worker-bundle.ts), workers run the TypeScript sources. On Node 20
 * `execArgv: ["--import", "tsx"]` does not reach the worker's module loader ("Unknown file extension .ts"),
 * so such a worker starts from a tiny script that registers tsx's loader in its own thread and then imports
 * the real entry point. Both are absolute URLs, so the current directory does not matter.
 */
const TSX_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({ register }) => {
  register();
  return import(${JSON.stringify(new URL("./worker-main.ts", import.meta.url).href)});
});`;

/** What a worker needs to start (structured-cloned into the thread). */
export interface WorkerSetup {
  scenario: Scenario;
  pools: Pools;
  dir: string;
  sink: TaskContext["sink"];
  metadata: Record<string, string>;
}

export type ToWorker = { type: "task"; task: Task };
export type FromWorker =
  | { type: "ready" }
  | { type: "progress"; rows: number; entities: number }
  | { type: "done"; result: TaskResult }
  | { type: "error"; taskId: number; message: string; stack: string | undefined };

export interface RunHooks {
  /** Rows and entities finished since the previous call. */
  onProgress?: (rows: number, entities: number) => void;
  signal?: AbortSignal;
}

/** The default worker count: one per core. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Sessions of work that repay one more thread. A thread takes about 0.1 s to start and its first ~0.2 s of
 * work runs before V8 has optimised the code, while its compiler and the other thread share the cores; on
 * 2 cores a second thread only won time above ~230,000 sessions (1.7M events).
 */
export const SESSIONS_PER_THREAD = 200_000;

/** The threads used for a scenario: at most `workers`, one per `perThread` sessions, at least one. */
export function threadsFor(sessions: number, workers: number, perThread = SESSIONS_PER_THREAD): number {
  return Math.max(1, Math.min(workers, 1 + Math.floor(sessions / perThread)));
}

/** Runs every task; resolves with the results in task order. */
export function runTasks(
  tasks: readonly Task[],
  setup: WorkerSetup,
  workers: number,
  hooks: RunHooks = {},
  /** This thread's world, assembled after the threads are started so that they boot meanwhile. */
  world: () => World = () => assembleWorld(setup.scenario, setup.pools),
): Promise<TaskResult[]> {
  hooks.signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const results: TaskResult[] = new Array(tasks.length);
    const position = new Map(tasks.map((t, i) => [t.id, i]));
    const threads: Worker[] = [];
    let next = 0;
    let finished = 0;
    let failure: unknown;
    let settled = false;

    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener("abort", onAbort);
      const stopped = Promise.all(threads.map((t) => t.terminate()));
      if (error === undefined) stopped.then(() => resolve(results), reject);
      else stopped.finally(() => reject(error));
    };
    const fail = (error: unknown) => {
      failure ??= error;
      settle(failure);
    };
    const onAbort = () => fail(hooks.signal?.reason ?? new Error("generation aborted"));
    hooks.signal?.addEventListener("abort", onAbort, { once: true });
    const complete = (result: TaskResult) => {
      results[position.get(result.taskId) ?? 0] = result;
      if (++finished === tasks.length) settle();
    };
    // This thread takes tasks from the front of the plan (the session ranges), worker threads from the back
    // (dimension tables, POS orders, then the last session ranges): a thread that joins late and starts cold
    // works on small tasks first, and the threads meet on equal session ranges at the end.
    let last = tasks.length - 1;
    const open = () => failure === undefined && !settled && next <= last;
    const takeFront = (): Task | undefined => (open() ? tasks[next++] : undefined);
    const takeBack = (): Task | undefined => (open() ? tasks[last--] : undefined);

    const spawn = (bundle: URL | null) => {
      const thread = new Worker(bundle ?? TSX_BOOTSTRAP, {
        eval: bundle === null,
        workerData: setup,
        // Rows live in fixed-size typed arrays off the JS heap, so the heap stays small; the cap only stops
        // V8 from growing it lazily over long runs.
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      });
      threads.push(thread);
      const dispatch = () => {
        const task = takeBack();
        if (task) thread.postMessage({ type: "task", task } satisfies ToWorker);
      };
      thread.on("message", (message: FromWorker) => {
        if (settled) return;
        switch (message.type) {
          case "ready":
            dispatch();
            break;
          case "progress":
            hooks.onProgress?.(message.rows, message.entities);
            break;
          case "done":
            complete(message.result);
            dispatch();
            break;
          case "error": {
            const error = new Error(`task ${message.taskId} failed: ${message.message}`);
            if (message.stack) error.stack = message.stack;
            fail(error);
            break;
          }
        }
      });
      thread.on("error", fail);
      thread.on("exit", (code) => {
        if (!settled && code !== 0) fail(new Error(`a generator worker exited with code ${code}`));
      });
    };
    // This thread starts on the tasks at once; the threads join as soon as their code is located.
    const spawnAll = (bundle: URL | null) => {
      if (settled) return;
      for (let i = 1; i < Math.min(workers, tasks.length); i++) spawn(bundle);
    };
    if (workers > 1 && tasks.length > 1) {
      const bundle = workerBundle();
      if (bundle instanceof Promise) bundle.then(spawnAll, fail);
      else spawnAll(bundle);
    }

    runHere(world(), setup, hooks, takeFront, () => settled).then((done) => done.forEach(complete), fail);
  });
}

/** This thread's executor: takes tasks until none are left, yielding to the event loop between row groups. */
async function runHere(
  world: World,
  setup: WorkerSetup,
  hooks: RunHooks,
  take: () => Task | undefined,
  stopped: () => boolean,
): Promise<TaskResult[]> {
  const buffers = new Map<TableName, TableBuffer>();
  const done: TaskResult[] = [];
  for (let task = take(); task; task = take()) {
    done.push(
      await runTask(world, task, {
        dir: setup.dir,
        sink: setup.sink,
        metadata: setup.metadata,
        buffers,
        onProgress: hooks.onProgress,
        // Lets worker messages (progress, results, new task requests) through while this thread generates.
        pause: () => new Promise((resolve) => setImmediate(resolve)),
        shouldStop: () => stopped() || (hooks.signal?.aborted ?? false),
      }),
    );
  }
  return done;
}
