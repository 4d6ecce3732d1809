/**
 * How DataFrame actions turn an ExecutePlan stream into results: rows streamed batch by batch (the
 * primitive), rows collected from those batches, or one Arrow Table. Decoding itself lives in
 * arrow/decode.ts; this module only connects a session's execution to it.
 */
import type { Table } from "apache-arrow";
import type { DuplicateNames } from "../arrow/converters.ts";
import { type Row, rowBatchesFromEvents, rowsFromEvents, tableFromEvents } from "../arrow/decode.ts";
import type { Plan } from "../gen/spark/connect/base_pb.ts";
import type { SparkSession } from "../session/spark-session.ts";
import type { ExecuteOptions } from "../transport/client.ts";

export type { Row } from "../arrow/decode.ts";

/** Options of every action: cancellation (`signal`), progress and metrics callbacks, operation id, tags, row naming. */
export interface ActionOptions extends ExecuteOptions {
  /**
   * Columns with the same name (e.g. `id` from both sides of a join) in row objects: "suffix" (default)
   * keeps the first as `id` and names later ones `id_1`, `id_2`, … (skipping names in use); "error" throws.
   */
  duplicateNames?: DuplicateNames;
}

/** Rows of `plan`, streamed: at most one Arrow batch is decoded and held at a time. */
export function streamRows(session: SparkSession, plan: Plan, options: ActionOptions = {}): AsyncIterable<Row> {
  const { duplicateNames, ...execute } = options;
  return {
    [Symbol.asyncIterator]: () =>
      rowsFromEvents(session._execute(plan, execute), { duplicateNames })[Symbol.asyncIterator](),
  };
}

/** All rows of `plan`, in order, collected from the streamed batches. */
export async function collectRows(session: SparkSession, plan: Plan, options: ActionOptions = {}): Promise<Row[]> {
  const { duplicateNames, ...execute } = options;
  const rows: Row[] = [];
  for await (const batch of rowBatchesFromEvents(session._execute(plan, execute), { duplicateNames })) {
    for (const row of batch) rows.push(row);
  }
  return rows;
}

/** The whole result of `plan` as one Arrow Table (an empty result keeps its typed columns). */
export async function collectTable(session: SparkSession, plan: Plan, options: ActionOptions = {}): Promise<Table> {
  const { duplicateNames: _ignored, ...execute } = options;
  return tableFromEvents(session._execute(plan, execute));
}
