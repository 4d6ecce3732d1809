/**
 * Maps the raw ExecutePlanResponse stream to the typed ExecuteEvent union of client.ts: schema, Arrow
 * batches (reassembling chunked batches, SPARK-53525 ResultChunkingOptions), progress, metrics, observed
 * metrics, SQL command results and completion. Validation of chunk order lives here, so a protocol
 * violation fails loudly instead of yielding corrupt Arrow bytes.
 */
import { SparkConnectError } from "../errors/errors.ts";
import type { ExecutePlanResponse, ExecutePlanResponse_Metrics } from "../gen/spark/connect/base_pb.ts";
import type { ExecuteEvent, PlanNodeMetrics } from "./client.ts";
import type { ProgressTracker } from "./progress-tracker.ts";

export interface ExecuteEventsOptions {
  operationId: string;
  progress: ProgressTracker;
  /** Throws when a response does not belong to this session (integrity check). */
  verify: (response: ExecutePlanResponse) => void;
  onMetrics?: ((nodes: PlanNodeMetrics[]) => void) | undefined;
}

interface PendingChunks {
  parts: Uint8Array[];
  size: number;
  expected: bigint;
  rowCount: bigint;
  startOffset: bigint | undefined;
}

export async function* toExecuteEvents(
  responses: AsyncIterable<ExecutePlanResponse>,
  options: ExecuteEventsOptions,
): AsyncGenerator<ExecuteEvent> {
  let pending: PendingChunks | undefined;
  for await (const response of responses) {
    options.verify(response);
    if (response.schema) yield { kind: "schema", schema: response.schema };
    const body = response.responseType;
    switch (body.case) {
      case undefined:
        break;
      case "arrowBatch": {
        const batch = body.value;
        const chunks = batch.numChunksInBatch ?? 1n;
        const index = batch.chunkIndex ?? 0n;
        if (chunks <= 1n) {
          if (pending)
            throw protocolError(options.operationId, "an unchunked batch arrived in the middle of a chunked one");
          yield arrowEvent(batch.data, batch.rowCount, batch.startOffset);
          break;
        }
        if (index === 0n) {
          if (pending)
            throw protocolError(options.operationId, "a new chunked batch started before the previous ended");
          pending = { parts: [], size: 0, expected: chunks, rowCount: batch.rowCount, startOffset: batch.startOffset };
        }
        if (!pending || BigInt(pending.parts.length) !== index || pending.expected !== chunks) {
          throw protocolError(options.operationId, `unexpected Arrow chunk ${index} of ${chunks}`);
        }
        pending.parts.push(batch.data);
        pending.size += batch.data.byteLength;
        if (index === chunks - 1n) {
          const data = new Uint8Array(pending.size);
          let offset = 0;
          for (const part of pending.parts) {
            data.set(part, offset);
            offset += part.byteLength;
          }
          yield arrowEvent(data, pending.rowCount, pending.startOffset);
          pending = undefined;
        }
        break;
      }
      case "executionProgress":
        yield { kind: "progress", update: options.progress.update(body.value) };
        break;
      case "sqlCommandResult":
        yield { kind: "sqlCommandResult", result: body.value };
        break;
      case "resultComplete":
        if (pending) throw protocolError(options.operationId, "the result completed in the middle of a chunked batch");
        break;
      default:
        yield { kind: "other", response };
    }
    if (response.metrics) {
      options.onMetrics?.(planNodeMetrics(response.metrics));
      yield { kind: "metrics", metrics: response.metrics };
    }
    if (response.observedMetrics.length > 0) yield { kind: "observedMetrics", metrics: response.observedMetrics };
    if (body.case === "resultComplete") yield { kind: "complete", operationId: options.operationId };
  }
}

/** The proto metrics tree flattened into one entry per physical plan node. */
export function planNodeMetrics(metrics: ExecutePlanResponse_Metrics): PlanNodeMetrics[] {
  return metrics.metrics.map((node) => ({
    name: node.name,
    planId: node.planId,
    parentId: node.parent,
    values: Object.fromEntries(Object.entries(node.executionMetrics).map(([key, metric]) => [key, metric.value])),
  }));
}

function arrowEvent(ipc: Uint8Array, rowCount: bigint, startOffset: bigint | undefined): ExecuteEvent {
  return startOffset === undefined ? { kind: "arrow", ipc, rowCount } : { kind: "arrow", ipc, rowCount, startOffset };
}

function protocolError(operationId: string, what: string): SparkConnectError {
  return new SparkConnectError({
    message: `Invalid ExecutePlan response stream for operation ${operationId}: ${what}`,
  });
}
