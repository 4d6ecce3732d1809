/**
 * A recording, scriptable SparkConnectClient for unit tests above the transport: it keeps every request
 * (plans, analyze inputs, config operations, interrupts, artifacts) and answers from handlers a test
 * sets, with named event builders so a test reads like the conversation it checks.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type Table, tableToIPC } from "apache-arrow";
import {
  type AddArtifactsResponse,
  AddArtifactsResponseSchema,
  type AnalyzePlanResponse,
  AnalyzePlanResponseSchema,
  type ArtifactStatusesResponse,
  ArtifactStatusesResponseSchema,
  type ConfigResponse,
  ConfigResponseSchema,
  ExecutePlanResponse_SqlCommandResultSchema,
  type InterruptResponse,
  InterruptResponseSchema,
  type Plan,
} from "../../src/connect/gen/spark/connect/base_pb.ts";
import type { Relation } from "../../src/connect/gen/spark/connect/relations_pb.ts";
import type {
  AnalyzeInput,
  ArtifactPayload,
  CallOptions,
  ConfigOperationInput,
  ExecuteEvent,
  ExecuteOptions,
  InterruptInput,
  ProgressHandler,
  SparkConnectClient,
} from "../../src/connect/transport/client.ts";

// MARK: - Named events

/** The end of a successful ExecutePlan stream. */
export const executeComplete = (operationId = "op-1"): ExecuteEvent => ({ kind: "complete", operationId });

/** One Arrow batch event carrying all rows of `table`. */
export function arrowBatch(table: Table): ExecuteEvent {
  return { kind: "arrow", ipc: tableToIPC(table, "stream"), rowCount: BigInt(table.numRows) };
}

/** The answer to a SqlCommand: the relation the DataFrame of `spark.sql` continues from. */
export function sqlCommandResult(relation: Relation): ExecuteEvent {
  return { kind: "sqlCommandResult", result: create(ExecutePlanResponse_SqlCommandResultSchema, { relation }) };
}

export type AnalyzeResult = MessageInitShape<typeof AnalyzePlanResponseSchema>["result"];

// MARK: - The fake

export interface ExecuteCall {
  plan: Plan;
  options: ExecuteOptions | undefined;
}

export class FakeClient implements SparkConnectClient {
  readonly sessionId = "00000000-0000-4000-8000-000000000000";
  serverSideSessionId: string | undefined = undefined;

  readonly executed: ExecuteCall[] = [];
  readonly analyzed: AnalyzeInput[] = [];
  readonly configured: ConfigOperationInput[] = [];
  readonly interrupted: InterruptInput[] = [];
  readonly uploaded: ArtifactPayload[] = [];
  readonly statusQueries: string[][] = [];
  closed = 0;
  readonly #tags = new Set<string>();
  readonly #handlers = new Set<ProgressHandler>();

  /** Events for each ExecutePlan; by default an empty successful stream. */
  onExecute: (plan: Plan, options?: ExecuteOptions) => ExecuteEvent[] | AsyncIterable<ExecuteEvent> = () => [
    executeComplete(),
  ];
  /** The `result` of each AnalyzePlan; required for tests that analyze. */
  onAnalyze: (input: AnalyzeInput) => AnalyzeResult = (input) => {
    throw new Error(`FakeClient: no onAnalyze handler for ${input?.case}`);
  };
  /** Key/values answered to each Config call; by default none. */
  onConfig: (op: ConfigOperationInput) => { pairs?: Array<{ key: string; value?: string }>; warnings?: string[] } =
    () => ({});
  /** Names that ArtifactStatuses reports as existing. */
  existingArtifacts = new Set<string>();

  async *executePlan(plan: Plan, options?: ExecuteOptions): AsyncIterable<ExecuteEvent> {
    this.executed.push({ plan, options });
    const events = this.onExecute(plan, options);
    for await (const event of events) {
      options?.signal?.throwIfAborted();
      yield event;
    }
  }

  async analyzePlan(analyze: AnalyzeInput, _options?: CallOptions): Promise<AnalyzePlanResponse> {
    this.analyzed.push(analyze);
    return create(AnalyzePlanResponseSchema, { sessionId: this.sessionId, result: this.onAnalyze(analyze) });
  }

  async config(operation: ConfigOperationInput, _options?: CallOptions): Promise<ConfigResponse> {
    this.configured.push(operation);
    return create(ConfigResponseSchema, { sessionId: this.sessionId, ...this.onConfig(operation) });
  }

  async interrupt(input: InterruptInput, _options?: CallOptions): Promise<InterruptResponse> {
    this.interrupted.push(input);
    return create(InterruptResponseSchema, { sessionId: this.sessionId, interruptedIds: ["op-1"] });
  }

  async addArtifacts(artifacts: ArtifactPayload[], _options?: CallOptions): Promise<AddArtifactsResponse> {
    this.uploaded.push(...artifacts);
    for (const a of artifacts) this.existingArtifacts.add(a.name);
    return create(AddArtifactsResponseSchema, {
      sessionId: this.sessionId,
      artifacts: artifacts.map((a) => ({ name: a.name, isCrcSuccessful: true })),
    });
  }

  async artifactStatuses(names: string[], _options?: CallOptions): Promise<ArtifactStatusesResponse> {
    this.statusQueries.push(names);
    const statuses = Object.fromEntries(names.map((n) => [n, { exists: this.existingArtifacts.has(n) }]));
    return create(ArtifactStatusesResponseSchema, { sessionId: this.sessionId, statuses });
  }

  addProgressHandler(handler: ProgressHandler): void {
    this.#handlers.add(handler);
  }
  removeProgressHandler(handler: ProgressHandler): void {
    this.#handlers.delete(handler);
  }
  addTag(tag: string): void {
    this.#tags.add(tag);
  }
  removeTag(tag: string): void {
    this.#tags.delete(tag);
  }
  getTags(): string[] {
    return [...this.#tags];
  }
  clearTags(): void {
    this.#tags.clear();
  }

  async close(): Promise<void> {
    this.closed += 1;
  }

  /** The root relation of the n-th executed plan (throws if that plan was a command). */
  rootOf(n: number): Relation {
    const plan = this.executed[n]?.plan;
    if (plan?.opType.case !== "root") throw new Error(`FakeClient: execution ${n} was not a relation plan`);
    return plan.opType.value;
  }
}
