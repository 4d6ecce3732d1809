/**
 * Entry point of a generator worker thread: assembles the world once from the scenario and pools it is given, then runs
 * the tasks the parent sends, one at a time, reporting progress and results as messages.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { TableName } from "./schema.ts";
import type { TableBuffer } from "./table-buffer.ts";
import { runTask } from "./tasks.ts";
import type { FromWorker, ToWorker, WorkerSetup } from "./workers.ts";
import { assembleWorld } from "./world/world.ts";

const port = parentPort;
if (!port) throw new Error("worker-main.ts must run in a worker thread");
const setup = workerData as WorkerSetup;
// The parent built the Faker pools; this thread never loads Faker.
const world = assembleWorld(setup.scenario, setup.pools);
const buffers = new Map<TableName, TableBuffer>();
const send = (message: FromWorker) => port.postMessage(message);

port.on("message", (message: ToWorker) => {
  if (message.type !== "task") return;
  runTask(world, message.task, {
    dir: setup.dir,
    sink: setup.sink,
    metadata: setup.metadata,
    buffers,
    onProgress: (rows, entities) => send({ type: "progress", rows, entities }),
  }).then(
    (result) => send({ type: "done", result }),
    (error: unknown) =>
      send({
        type: "error",
        taskId: message.task.id,
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      }),
  );
});
send({ type: "ready" });
