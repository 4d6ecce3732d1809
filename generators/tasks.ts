/**
 * The unit of parallel work. A scenario splits into tasks by entity range (sessions, POS orders, customers)
 * whose boundaries depend on the scenario only, never on the number of workers; each task writes its own
 * part files. So any worker can run any task in any order and the output is byte-identical.
 */
import { join } from "node:path";
import { emptyGroundTruth, type GroundTruthData } from "./ground-truth.ts";
import { JourneyGenerator, type SessionTables } from "./journeys.ts";
import { ParquetPartWriter, type SinkOptions } from "./parquet-sink.ts";
import { PosOrderGenerator } from "./pos-orders.ts";
import { partSize, type Scenario } from "./scenario.ts";
import { TABLES, type TableName } from "./schema.ts";
import { TableBuffer } from "./table-buffer.ts";
import type { World } from "./world/world.ts";
import { writeCustomer, writeProduct, writeStore } from "./world/world-tables.ts";

export interface Task {
  readonly id: number;
  readonly kind: "sessions" | "pos" | "customers" | "stores" | "products";
  /** Part number of the files it writes. */
  readonly part: number;
  /** Entity range [from, to): session or POS order indices, customer ids, store or product positions. */
  readonly from: number;
  readonly to: number;
}

export interface FileResult {
  table: TableName;
  /** Path relative to the output directory, e.g. "clickstream/part-00003.parquet". */
  path: string;
  rows: number;
  bytes: number;
  encodeMs: number;
}

export interface TaskResult {
  taskId: number;
  files: FileResult[];
  truth: GroundTruthData;
  /** Sessions, POS orders, customers… processed (the unit of progress). */
  entities: number;
  /** Wall time of the task. */
  ms: number;
}

export interface TaskContext {
  /** Directory the table folders go in (the staging directory). */
  dir: string;
  sink: Omit<SinkOptions, "metadata">;
  /** Key-value metadata stamped on every file (the table name is added). */
  metadata: Record<string, string>;
  /** Called every few thousand entities with the rows and entities done since the last call. */
  onProgress?: (rows: number, entities: number) => void;
  /** Awaited every few thousand entities (the parent thread uses it to let messages through). */
  pause?: () => Promise<void>;
  /** Checked every few thousand entities; true stops the task with an error. */
  shouldStop?: () => boolean;
  /** Buffers kept between the tasks of one worker (they are tens of MB; reallocating them costs time). */
  buffers?: Map<TableName, TableBuffer>;
}

/** Largest number of rows one entity can add to a table (a session stays below 1000 events). */
const ROW_SLACK = 4_096;
const PROGRESS_EVERY = 2_048;

/** Splits a scenario into tasks, biggest first (sessions, then POS, customers, stores, products). */
export function planTasks(scenario: Scenario): Task[] {
  const tasks: Task[] = [];
  let id = 0;
  const ranges = (total: number, size: number, start = 0): [number, number][] => {
    const out: [number, number][] = [];
    for (let from = 0; from < total; from += size) out.push([start + from, start + Math.min(total, from + size)]);
    if (out.length === 0) out.push([start, start]);
    return out;
  };
  const sessionRanges = ranges(scenario.sessions, partSize(scenario, "sessions", scenario.sessions));
  for (const [part, [from, to]] of sessionRanges.entries()) tasks.push({ id: id++, kind: "sessions", part, from, to });
  const posTotal = Math.round(scenario.sessions * scenario.posOrdersPerSession);
  if (posTotal > 0) {
    for (const [k, [from, to]] of ranges(posTotal, partSize(scenario, "posOrders", posTotal)).entries()) {
      // POS parts are numbered after the session parts in orders/ and order_lines/.
      tasks.push({ id: id++, kind: "pos", part: sessionRanges.length + k, from, to });
    }
  }
  const customerPart = partSize(scenario, "customers", scenario.world.customers);
  for (const [part, [from, to]] of ranges(scenario.world.customers, customerPart, 1).entries()) {
    tasks.push({ id: id++, kind: "customers", part, from, to });
  }
  tasks.push({ id: id++, kind: "stores", part: 0, from: 0, to: scenario.world.stores + 2 });
  tasks.push({ id: id++, kind: "products", part: 0, from: 0, to: scenario.world.products });
  return tasks;
}

/** The tables a task writes. */
export function tablesOf(kind: Task["kind"]): TableName[] {
  switch (kind) {
    case "sessions":
      return ["sessions", "clickstream", "cart_events", "payment_attempts", "orders", "order_lines", "session_truth"];
    case "pos":
      return ["orders", "order_lines"];
    default:
      return [kind];
  }
}

export function partPath(table: TableName, part: number): string {
  return join(table, `part-${String(part).padStart(5, "0")}.parquet`);
}

/** Runs one task: generates its rows and writes its part files (the table folders must exist). */
export async function runTask(world: World, task: Task, context: TaskContext): Promise<TaskResult> {
  const started = performance.now();
  const truth = emptyGroundTruth();
  const rowGroupRows = world.scenario.output.rowGroupRows;
  const tables = tablesOf(task.kind);
  const buffers = new Map<TableName, TableBuffer>();
  const writers = new Map<TableName, ParquetPartWriter>();
  let pendingRows = 0;
  try {
    for (const table of tables) {
      const capacity = rowGroupRows + ROW_SLACK;
      let buffer = context.buffers?.get(table);
      if (!buffer || buffer.capacity !== capacity) {
        buffer = new TableBuffer(TABLES[table], capacity, world.pools);
        context.buffers?.set(table, buffer);
      }
      buffer.reset();
      buffers.set(table, buffer);
      writers.set(
        table,
        await ParquetPartWriter.open(join(context.dir, partPath(table, task.part)), TABLES[table], {
          ...context.sink,
          metadata: { ...context.metadata, table },
        }),
      );
    }
    const tableBuffers = [...buffers.values()];
    const tableWriters = tables.map((table) => writers.get(table) as ParquetPartWriter);
    const flushFull = () => {
      for (let t = 0; t < tableBuffers.length; t++) {
        const buffer = tableBuffers[t] as TableBuffer;
        if (buffer.length >= rowGroupRows) {
          pendingRows += buffer.length;
          (tableWriters[t] as ParquetPartWriter).write(buffer);
        }
      }
    };
    const each = buildRowWriter(world, task, buffers, truth);
    // Entities run in synchronous batches between progress reports: V8 optimises such a loop as a whole,
    // where one inside this async function would be resumed through the generator machinery.
    const runBatch = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        each(i);
        // Sessions write several rows at once, so the buffers are checked after every entity.
        for (let t = 0; t < tableBuffers.length; t++) {
          if ((tableBuffers[t] as TableBuffer).length >= rowGroupRows) {
            flushFull();
            break;
          }
        }
      }
    };
    for (let from = task.from; from < task.to; from += PROGRESS_EVERY) {
      const to = Math.min(task.to, from + PROGRESS_EVERY);
      runBatch(from, to);
      context.onProgress?.(pendingRows, to - from);
      pendingRows = 0;
      if (context.pause) await context.pause();
      if (context.shouldStop?.()) throw new Error("generation stopped");
    }
    const files: FileResult[] = [];
    for (const table of tables) {
      const buffer = buffers.get(table) as TableBuffer;
      const writer = writers.get(table) as ParquetPartWriter;
      pendingRows += buffer.length;
      writer.write(buffer);
      files.push({ table, path: partPath(table, task.part), ...writer.close() });
    }
    context.onProgress?.(pendingRows, 0);
    return { taskId: task.id, files, truth, entities: task.to - task.from, ms: performance.now() - started };
  } catch (error) {
    for (const writer of writers.values()) writer.abort();
    throw error;
  }
}

function buildRowWriter(
  world: World,
  task: Task,
  buffers: Map<TableName, TableBuffer>,
  truth: GroundTruthData,
): (i: number) => void {
  const get = (t: TableName) => buffers.get(t) as TableBuffer;
  switch (task.kind) {
    case "sessions": {
      const journeys = new JourneyGenerator(world, truth);
      const out: SessionTables = {
        sessions: get("sessions"),
        clickstream: get("clickstream"),
        cart_events: get("cart_events"),
        payment_attempts: get("payment_attempts"),
        orders: get("orders"),
        order_lines: get("order_lines"),
        session_truth: get("session_truth"),
      };
      return (i) => journeys.generate(i, out);
    }
    case "pos": {
      const pos = new PosOrderGenerator(world, truth);
      const orders = get("orders");
      const lines = get("order_lines");
      return (i) => pos.generate(i, orders, lines);
    }
    case "customers": {
      const out = get("customers");
      return (id) => writeCustomer(world, id, out);
    }
    case "stores": {
      const out = get("stores");
      return (i) => writeStore(world, i, out);
    }
    case "products": {
      const out = get("products");
      return (i) => writeProduct(world, i, out);
    }
  }
}
