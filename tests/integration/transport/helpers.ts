/** Shared helpers of the transport integration tests: SQL plans and Arrow column access, no DataFrame layer. */
import { create } from "@bufbuild/protobuf";
import { tableFromIPC } from "apache-arrow";
import { type Plan, PlanSchema } from "../../../src/connect/gen/spark/connect/base_pb.ts";
import type { ExecuteEvent, ExecuteOptions, SparkConnectClient } from "../../../src/connect/transport/client.ts";

/** `Plan{root: Relation{sql: {query}}}`. */
export function sqlPlan(query: string): Plan {
  return create(PlanSchema, { opType: { case: "root", value: { relType: { case: "sql", value: { query } } } } });
}

/** Runs a query and returns its rows as plain objects, plus the events seen. */
export async function runSql(
  client: SparkConnectClient,
  query: string,
  options?: ExecuteOptions,
): Promise<{ rows: Record<string, unknown>[]; events: ExecuteEvent[] }> {
  const rows: Record<string, unknown>[] = [];
  const events: ExecuteEvent[] = [];
  for await (const event of client.executePlan(sqlPlan(query), options)) {
    events.push(event);
    if (event.kind === "arrow") for (const row of tableFromIPC(event.ipc)) rows.push(row.toJSON());
  }
  return { rows, events };
}
