/**
 * The contract between the transport (gRPC, retries, reattach, errors) and everything above it
 * (SparkSession, DataFrame, Catalog, …). Upper layers depend only on this interface, typed by the
 * generated protobuf-es messages, so they can be tested against a recording fake and never import
 * @grpc/grpc-js.
 *
 * @see proto/spark/connect/base.proto service SparkConnectService
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  AddArtifactsResponse,
  AnalyzePlanRequestSchema,
  AnalyzePlanResponse,
  ArtifactStatusesResponse,
  ConfigRequest_OperationSchema,
  ConfigResponse,
  ExecutePlanResponse,
  ExecutePlanResponse_Metrics,
  ExecutePlanResponse_ObservedMetrics,
  ExecutePlanResponse_SqlCommandResult,
  InterruptRequestSchema,
  InterruptResponse,
  Plan,
} from "../gen/spark/connect/base_pb.ts";
import type { DataType } from "../gen/spark/connect/types_pb.ts";

/** Progress of one Spark stage, as reported by ExecutionProgress (every 2 s by default, server-side). */
export interface StageProgress {
  stageId: bigint;
  numTasks: bigint;
  numCompletedTasks: bigint;
  inputBytesRead: bigint;
  done: boolean;
}

/** Progress of an operation: PySpark's handler shape (stages, inflight tasks, operation id, done). */
export interface ProgressUpdate {
  operationId: string;
  stages: StageProgress[];
  inflightTasks: bigint;
  /** true once, when the operation has finished (successfully or not). */
  done: boolean;
}

export type ProgressHandler = (update: ProgressUpdate) => void;

/** The metrics of one node of the executed physical plan, e.g. "Scan parquet" → "number of output rows". */
export interface PlanNodeMetrics {
  /** Physical operator name as Spark reports it (e.g. "Scan parquet ", "HashAggregate"). */
  name: string;
  planId: bigint;
  parentId: bigint;
  /** Metric name → value (counts, bytes, milliseconds, as the metric type says). */
  values: Record<string, bigint>;
}

/** One typed event of an ExecutePlan stream, in server order. Reattach/retry is invisible at this level. */
export type ExecuteEvent =
  | { kind: "schema"; schema: DataType }
  /** One Arrow IPC stream (schema + record batch messages) holding `rowCount` rows, chunks already reassembled. */
  | { kind: "arrow"; ipc: Uint8Array; rowCount: bigint; startOffset?: bigint }
  | { kind: "progress"; update: ProgressUpdate }
  | { kind: "metrics"; metrics: ExecutePlanResponse_Metrics }
  | { kind: "observedMetrics"; metrics: ExecutePlanResponse_ObservedMetrics[] }
  | { kind: "sqlCommandResult"; result: ExecutePlanResponse_SqlCommandResult }
  /** Any other response type (streaming, ML, pipelines, extensions), passed through untouched. */
  | { kind: "other"; response: ExecutePlanResponse }
  | { kind: "complete"; operationId: string };

/** Options accepted by every RPC. */
export interface CallOptions {
  /** Aborting cancels the call; for ExecutePlan it also sends Interrupt for the operation. */
  signal?: AbortSignal;
}

export interface ExecuteOptions extends CallOptions {
  /** Client-chosen operation id (a UUID); generated when absent. */
  operationId?: string;
  /** Operation tags, for interruptTag. Merged with the session's current tags. */
  tags?: string[];
  /** Called for every ExecutionProgress of this operation, and once with done=true at the end. */
  onProgress?: ProgressHandler;
  /** Called with the executed plan's metrics when the server reports them (at the end of a query). */
  onMetrics?: (nodes: PlanNodeMetrics[]) => void;
}

export type AnalyzeInput = MessageInitShape<typeof AnalyzePlanRequestSchema>["analyze"];
export type ConfigOperationInput = MessageInitShape<typeof ConfigRequest_OperationSchema>;
export type InterruptInput = Pick<MessageInitShape<typeof InterruptRequestSchema>, "interruptType" | "interrupt">;

/** One artifact to upload with AddArtifacts: a name such as `cache/<sha256>` or `jars/x.jar`, and its bytes. */
export interface ArtifactPayload {
  name: string;
  data: Uint8Array;
}

/**
 * A Spark Connect session's view of the server. Implemented by the gRPC client (transport/) and by test
 * fakes. Every method applies the session id, user context, client type, retries and error mapping.
 */
export interface SparkConnectClient {
  readonly sessionId: string;
  /** Server-side session id observed on the first response; undefined before any response. */
  readonly serverSideSessionId: string | undefined;

  executePlan(plan: Plan, options?: ExecuteOptions): AsyncIterable<ExecuteEvent>;
  analyzePlan(analyze: AnalyzeInput, options?: CallOptions): Promise<AnalyzePlanResponse>;
  config(operation: ConfigOperationInput, options?: CallOptions): Promise<ConfigResponse>;
  interrupt(input: InterruptInput, options?: CallOptions): Promise<InterruptResponse>;
  addArtifacts(artifacts: ArtifactPayload[], options?: CallOptions): Promise<AddArtifactsResponse>;
  artifactStatuses(names: string[], options?: CallOptions): Promise<ArtifactStatusesResponse>;

  /** Session-level progress handlers (PySpark's register_progress_handler). */
  addProgressHandler(handler: ProgressHandler): void;
  removeProgressHandler(handler: ProgressHandler): void;

  /** Tags applied to every subsequent ExecutePlan of this session (PySpark addTag/removeTag/getTags/clearTags). */
  addTag(tag: string): void;
  removeTag(tag: string): void;
  getTags(): string[];
  clearTags(): void;

  /** Sends ReleaseSession and closes the channel. Idempotent. */
  close(): Promise<void>;
}
