/**
 * The SparkConnectClient over a Transport: one session of one Spark Connect server. Every request
 * carries the session id, user context, client type and the observed server-side session id; every
 * response is checked to belong to this session (PySpark `_verify_response_integrity`); unary RPCs
 * run inside the retry loop; ExecutePlan is reattachable by default; failures become typed Spark
 * errors (one best-effort FetchErrorDetails each). An AbortSignal on a call cancels it, and for an
 * ExecutePlan also sends Interrupt for its operation. close() releases the server session and the channel.
 * @see PySpark python/pyspark/sql/connect/client/core.py (SparkConnectClient)
 */
import { randomUUID } from "node:crypto";
import { arch, platform } from "node:os";
import { crc32 } from "node:zlib";
import {
  create,
  type DescMessage,
  type DescMethodUnary,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import { type ConnectionConfig, parseConnectionString } from "../config/connection-string.ts";
import { DEFAULT_USER_AGENT } from "../config/defaults.ts";
import { SparkConnectError } from "../errors/errors.ts";
import { fromRpcError } from "../errors/from-grpc.ts";
import {
  type AddArtifactsRequest,
  AddArtifactsRequestSchema,
  type AddArtifactsResponse,
  AnalyzePlanRequestSchema,
  type AnalyzePlanResponse,
  ArtifactStatusesRequestSchema,
  type ArtifactStatusesResponse,
  ConfigRequestSchema,
  type ConfigResponse,
  type ExecutePlanRequest_RequestOptionSchema,
  ExecutePlanRequestSchema,
  type ExecutePlanResponse,
  FetchErrorDetailsRequestSchema,
  type FetchErrorDetailsResponse,
  InterruptRequest_InterruptType,
  InterruptRequestSchema,
  type InterruptResponse,
  type Plan,
  type ReleaseExecuteRequest,
  ReleaseSessionRequestSchema,
  SparkConnectService,
  type UserContext,
  UserContextSchema,
} from "../gen/spark/connect/base_pb.ts";
import { type Logger, silentLogger } from "../logger.ts";
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
} from "./client.ts";
import { toExecuteEvents } from "./execute-events.ts";
import { createGrpcTransport, type GrpcTransportOptions } from "./grpc-transport.ts";
import { ProgressTracker } from "./progress-tracker.ts";
import { executeReattachable, type RequestIdentity } from "./reattach.ts";
import { DEFAULT_RETRY_POLICY, Retrier, type RetryPolicy, type Sleep, withRetries } from "./retry.ts";
import type { Transport } from "./transport.ts";

/** Options of createClient beyond the connection string. */
export interface ClientOptions {
  /** Receives retry/reattach diagnostics; silent by default. */
  logger?: Logger;
  /** Retry policies, consulted in order (PySpark set_retry_policies); default [DEFAULT_RETRY_POLICY]. */
  retryPolicies?: readonly RetryPolicy[];
  /** Injectable clock and randomness of the retry loop, for tests. */
  sleep?: Sleep;
  random?: () => number;
  /** Reattachable ExecutePlan (default true), as PySpark's use_reattachable_execute. */
  reattachable?: boolean;
  /** Let the server split Arrow batches bigger than its chunk size (default true); chunks are reassembled. */
  resultChunking?: boolean;
  /** Custom TLS material: CA bundle, mutual-TLS key and chain, expected server name. */
  tls?: Pick<GrpcTransportOptions, "rootCerts" | "privateKey" | "certChain" | "serverNameOverride">;
  /** Use this transport instead of opening a gRPC channel (tests, custom transports). */
  transport?: Transport;
  /** Timeout of the best-effort FetchErrorDetails and ReleaseSession calls, in ms (default 10 s). */
  auxiliaryTimeoutMs?: number;
}

// Artifacts travel in 32 KiB chunks, as PySpark's ArtifactManager sends them.
const ARTIFACT_CHUNK_SIZE = 32 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Opens a client for a connection string or parsed config. The channel connects lazily, on the first call.
 * @example const client = createClient("sc://127.0.0.1:15002"); await client.analyzePlan({ case: "sparkVersion", value: {} });
 */
export function createClient(config: ConnectionConfig | string, options: ClientOptions = {}): GrpcSparkConnectClient {
  return new GrpcSparkConnectClient(typeof config === "string" ? parseConnectionString(config) : config, options);
}

/** The gRPC implementation of SparkConnectClient, with PySpark's interrupt helpers and retry-policy setters. */
export class GrpcSparkConnectClient implements SparkConnectClient {
  readonly sessionId: string;
  readonly userAgent: string;
  private serverSide: string | undefined;
  private readonly transport: Transport;
  private readonly logger: Logger;
  private retryPolicies: readonly RetryPolicy[];
  private readonly userContext: UserContext;
  private readonly tags = new Set<string>();
  private readonly progressHandlers: ProgressHandler[] = [];
  /** Aborts background work (ReleaseExecute) when the client closes. */
  private readonly background = new AbortController();
  private closing: Promise<void> | undefined;
  /** Whether any request was built, i.e. the server may hold a session to release. */
  private contacted = false;
  private closedReason: string | undefined;

  constructor(
    readonly connection: ConnectionConfig,
    private readonly options: ClientOptions = {},
  ) {
    this.sessionId = connection.sessionId ?? randomUUID();
    this.logger = options.logger ?? silentLogger;
    this.retryPolicies = options.retryPolicies ?? [DEFAULT_RETRY_POLICY];
    const application = connection.userAgent ?? process.env.SPARK_CONNECT_USER_AGENT ?? DEFAULT_USER_AGENT;
    this.userAgent = `${application} os/${platform()}-${arch()} node/${process.versions.node}`;
    this.userContext = create(UserContextSchema, { userId: connection.userId ?? process.env.SPARK_USER ?? "" });
    this.transport =
      options.transport ??
      createGrpcTransport({
        host: connection.host,
        port: connection.port,
        useSsl: connection.useSsl,
        token: connection.token,
        maxMessageSize: connection.grpcMaxMessageSize,
        userAgent: this.userAgent,
        headers: connection.headers,
        ...options.tls,
      });
  }

  get serverSideSessionId(): string | undefined {
    return this.serverSide;
  }

  /** True after close(), or after the server reported that this session was replaced. */
  get isClosed(): boolean {
    return this.closedReason !== undefined;
  }

  getRetryPolicies(): readonly RetryPolicy[] {
    return this.retryPolicies;
  }

  /** Replaces the retry policies for subsequent calls (PySpark set_retry_policies). */
  setRetryPolicies(policies: readonly RetryPolicy[]): void {
    this.retryPolicies = [...policies];
  }

  executePlan(plan: Plan, options: ExecuteOptions = {}): AsyncIterable<ExecuteEvent> {
    return this.runExecute(plan, options);
  }

  analyzePlan(analyze: AnalyzeInput, options?: CallOptions): Promise<AnalyzePlanResponse> {
    const request = create(AnalyzePlanRequestSchema, { ...this.identity(), analyze });
    return this.unary(SparkConnectService.method.analyzePlan, () => request, options);
  }

  async config(operation: ConfigOperationInput, options?: CallOptions): Promise<ConfigResponse> {
    const request = create(ConfigRequestSchema, { ...this.identity(), operation });
    const response = await this.unary(SparkConnectService.method.config, () => request, options);
    for (const warning of response.warnings) this.logger.warn(`server warning: ${warning}`);
    return response;
  }

  interrupt(input: InterruptInput, options?: CallOptions): Promise<InterruptResponse> {
    const request = create(InterruptRequestSchema, { ...this.identity(), ...input });
    return this.unary(SparkConnectService.method.interrupt, () => request, options);
  }

  /** Interrupts every running operation of this session; resolves to the interrupted operation ids. */
  async interruptAll(options?: CallOptions): Promise<string[]> {
    const response = await this.interrupt({ interruptType: InterruptRequest_InterruptType.ALL }, options);
    return response.interruptedIds;
  }

  /** Interrupts the operations carrying `tag`; resolves to their ids. */
  async interruptTag(tag: string, options?: CallOptions): Promise<string[]> {
    validateTag(tag);
    const response = await this.interrupt(
      { interruptType: InterruptRequest_InterruptType.TAG, interrupt: { case: "operationTag", value: tag } },
      options,
    );
    return response.interruptedIds;
  }

  /** Interrupts one operation by id; resolves to the ids actually interrupted (empty if it had finished). */
  async interruptOperation(operationId: string, options?: CallOptions): Promise<string[]> {
    const response = await this.interrupt(
      {
        interruptType: InterruptRequest_InterruptType.OPERATION_ID,
        interrupt: { case: "operationId", value: operationId },
      },
      options,
    );
    return response.interruptedIds;
  }

  addArtifacts(artifacts: ArtifactPayload[], options?: CallOptions): Promise<AddArtifactsResponse> {
    for (const artifact of artifacts) {
      if (!artifact.name || artifact.name.startsWith("/") || artifact.name.split("/").includes("..")) {
        throw new RangeError(`artifact name must be a relative path such as "cache/<sha256>", got "${artifact.name}"`);
      }
    }
    return this.withCallHandling(options, async (signal) => {
      const response = await withRetries(
        () =>
          this.transport.clientStream(SparkConnectService.method.addArtifacts, this.artifactRequests(artifacts), {
            signal,
          }),
        this.retryPolicies,
        { ...this.retryEnvironment(), signal },
      );
      this.verify(response);
      return response;
    });
  }

  artifactStatuses(names: string[], options?: CallOptions): Promise<ArtifactStatusesResponse> {
    const request = create(ArtifactStatusesRequestSchema, { ...this.identity(), names });
    return this.unary(SparkConnectService.method.artifactStatus, () => request, options);
  }

  addProgressHandler(handler: ProgressHandler): void {
    this.progressHandlers.push(handler);
  }

  removeProgressHandler(handler: ProgressHandler): void {
    const index = this.progressHandlers.indexOf(handler);
    if (index >= 0) this.progressHandlers.splice(index, 1);
  }

  /** Removes every session progress handler (PySpark clear_progress_handlers). */
  clearProgressHandlers(): void {
    this.progressHandlers.length = 0;
  }

  addTag(tag: string): void {
    validateTag(tag);
    this.tags.add(tag);
  }

  removeTag(tag: string): void {
    validateTag(tag);
    this.tags.delete(tag);
  }

  getTags(): string[] {
    return [...this.tags];
  }

  clearTags(): void {
    this.tags.clear();
  }

  close(): Promise<void> {
    this.closing ??= this.release();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async release(): Promise<void> {
    const wasOpen = this.closedReason === undefined;
    this.closedReason ??= "the client was closed";
    this.background.abort(
      new SparkConnectError({
        message: `Spark Connect session ${this.sessionId} was closed while the call was running`,
        errorClass: "NO_ACTIVE_SESSION",
      }),
    );
    try {
      // ReleaseSession also ends every execution of the session; one try, errors only logged.
      if (wasOpen && this.contacted) {
        const request = create(ReleaseSessionRequestSchema, {
          sessionId: this.sessionId,
          userContext: this.userContext,
          clientType: this.userAgent,
        });
        await this.transport.unary(SparkConnectService.method.releaseSession, request, {
          timeoutMs: this.options.auxiliaryTimeoutMs ?? 10_000,
        });
      }
    } catch (error) {
      this.logger.warn("ReleaseSession failed", { error: String(error) });
    } finally {
      this.transport.close();
    }
  }

  private async *runExecute(plan: Plan, options: ExecuteOptions): AsyncGenerator<ExecuteEvent> {
    this.ensureOpen();
    const operationId = options.operationId ?? randomUUID();
    if (!UUID.test(operationId)) throw new RangeError(`operationId must be a UUID, got "${operationId}"`);
    for (const tag of options.tags ?? []) validateTag(tag);
    const tags = [...new Set([...this.tags, ...(options.tags ?? [])])];
    const reattachable = this.options.reattachable ?? true;
    const requestOptions: MessageInitShape<typeof ExecutePlanRequest_RequestOptionSchema>[] = [];
    if (reattachable)
      requestOptions.push({ requestOption: { case: "reattachOptions", value: { reattachable: true } } });
    if (this.options.resultChunking ?? true) {
      requestOptions.push({
        requestOption: { case: "resultChunkingOptions", value: { allowArrowBatchChunking: true } },
      });
    }
    const request = create(ExecutePlanRequestSchema, { ...this.identity(), plan, operationId, tags, requestOptions });
    options.signal?.throwIfAborted();
    const signal = this.callSignal(options.signal);

    const handlers = () =>
      options.onProgress ? [options.onProgress, ...this.progressHandlers] : this.progressHandlers;
    const progress = new ProgressTracker(operationId, handlers, this.logger);
    let finished = false;
    const onAbort = () => {
      if (finished) return;
      // Cancelling the stream alone leaves the query running on the server until it notices.
      this.interruptOperation(operationId).catch((error: unknown) =>
        this.logger.warn("Interrupt after abort failed", { operationId, error: String(error) }),
      );
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const responses: AsyncIterable<ExecutePlanResponse> = reattachable
      ? executeReattachable({
          transport: this.transport,
          request,
          identity: () => this.identity(),
          retrier: new Retrier(this.retryPolicies, this.retryEnvironment()),
          release: (release) => this.sendRelease(release),
          signal,
          logger: this.logger,
        })
      : this.transport.serverStream(SparkConnectService.method.executePlan, request, { signal });
    try {
      yield* toExecuteEvents(responses, {
        operationId,
        progress,
        verify: (r) => this.verify(r),
        onMetrics: options.onMetrics,
      });
      finished = true;
    } catch (error) {
      finished = true;
      if (signal.aborted) throw signal.reason;
      throw await this.convertError(error);
    } finally {
      finished = true;
      options.signal?.removeEventListener("abort", onAbort);
      progress.finish();
    }
  }

  private async sendRelease(request: ReleaseExecuteRequest): Promise<void> {
    const signal = this.background.signal;
    try {
      await withRetries(
        () => this.transport.unary(SparkConnectService.method.releaseExecute, request, { signal }),
        this.retryPolicies,
        { ...this.retryEnvironment(), signal },
      );
    } catch (error) {
      // The server drops abandoned executions on its own; a failed release only costs server memory for a while.
      if (!signal.aborted)
        this.logger.debug("ReleaseExecute failed", { operationId: request.operationId, error: String(error) });
    }
  }

  private unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: () => MessageShape<I>,
    options: CallOptions | undefined,
  ): Promise<MessageShape<O>> {
    return this.withCallHandling(options, async (signal) => {
      const response = await withRetries(
        () => this.transport.unary(method, request(), { signal }),
        this.retryPolicies,
        {
          ...this.retryEnvironment(),
          signal,
        },
      );
      this.verify(response as { sessionId?: unknown; serverSideSessionId?: unknown });
      return response;
    });
  }

  private async withCallHandling<T>(
    options: CallOptions | undefined,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    this.ensureOpen();
    const signal = this.callSignal(options?.signal);
    try {
      return await call(signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw await this.convertError(error);
    }
  }

  /** The caller's signal joined with the client's: close() ends every call and retry wait in flight. */
  private callSignal(signal: AbortSignal | undefined): AbortSignal {
    return signal ? AbortSignal.any([signal, this.background.signal]) : this.background.signal;
  }

  private async convertError(error: unknown): Promise<unknown> {
    const converted = await fromRpcError(error, (errorId) => this.fetchErrorDetails(errorId));
    if (converted instanceof SparkConnectError && converted.errorClass === "INVALID_HANDLE.SESSION_CHANGED") {
      this.closedReason = converted.message;
    }
    return converted;
  }

  /** One try, no retries (as PySpark): the details only enrich an error we already have. */
  private async fetchErrorDetails(errorId: string): Promise<FetchErrorDetailsResponse | undefined> {
    if (this.closedReason !== undefined) return undefined;
    const request = create(FetchErrorDetailsRequestSchema, { ...this.identity(), errorId });
    try {
      return await this.transport.unary(SparkConnectService.method.fetchErrorDetails, request, {
        timeoutMs: this.options.auxiliaryTimeoutMs ?? 10_000,
      });
    } catch (error) {
      this.logger.debug("FetchErrorDetails failed", { errorId, error: String(error) });
      return undefined;
    }
  }

  private *artifactRequests(artifacts: ArtifactPayload[]): Generator<AddArtifactsRequest> {
    const identity = this.identity();
    let batch: Array<{ name: string; data: { data: Uint8Array; crc: bigint } }> = [];
    let batchSize = 0;
    const flush = function* () {
      if (batch.length === 0) return;
      yield create(AddArtifactsRequestSchema, { ...identity, payload: { case: "batch", value: { artifacts: batch } } });
      batch = [];
      batchSize = 0;
    };
    for (const { name, data } of artifacts) {
      if (data.byteLength <= ARTIFACT_CHUNK_SIZE) {
        if (batchSize + data.byteLength > ARTIFACT_CHUNK_SIZE) yield* flush();
        batch.push({ name, data: { data, crc: BigInt(crc32(data)) } });
        batchSize += data.byteLength;
        continue;
      }
      yield* flush();
      const numChunks = Math.ceil(data.byteLength / ARTIFACT_CHUNK_SIZE);
      for (let i = 0; i < numChunks; i++) {
        const chunk = data.subarray(i * ARTIFACT_CHUNK_SIZE, (i + 1) * ARTIFACT_CHUNK_SIZE);
        const artifactChunk = { data: chunk, crc: BigInt(crc32(chunk)) };
        yield i === 0
          ? create(AddArtifactsRequestSchema, {
              ...identity,
              payload: {
                case: "beginChunk",
                value: {
                  name,
                  totalBytes: BigInt(data.byteLength),
                  numChunks: BigInt(numChunks),
                  initialChunk: artifactChunk,
                },
              },
            })
          : create(AddArtifactsRequestSchema, { ...identity, payload: { case: "chunk", value: artifactChunk } });
      }
    }
    yield* flush();
  }

  private identity(): RequestIdentity {
    this.contacted = true;
    return {
      sessionId: this.sessionId,
      userContext: this.userContext,
      clientType: this.userAgent,
      clientObservedServerSideSessionId: this.serverSide,
    };
  }

  private retryEnvironment() {
    return { sleep: this.options.sleep, random: this.options.random, logger: this.logger };
  }

  private ensureOpen(): void {
    if (this.closedReason !== undefined) {
      throw new SparkConnectError({
        message: `Spark Connect session ${this.sessionId} is closed: ${this.closedReason}`,
        errorClass: "NO_ACTIVE_SESSION",
      });
    }
  }

  /** PySpark `_verify_response_integrity`: the response belongs to our session and the server session did not change. */
  private verify(response: { sessionId?: unknown; serverSideSessionId?: unknown }): void {
    const { sessionId, serverSideSessionId } = response;
    if (typeof sessionId === "string" && sessionId !== "" && sessionId !== this.sessionId) {
      throw new SparkConnectError({
        message: `Received a response for session ${sessionId}, but this client's session is ${this.sessionId}`,
        errorClass: "INVALID_HANDLE.SESSION_MISMATCH",
      });
    }
    if (typeof serverSideSessionId !== "string" || serverSideSessionId === "") return;
    if (this.serverSide === undefined) {
      this.serverSide = serverSideSessionId;
    } else if (this.serverSide !== serverSideSessionId) {
      const message =
        `The server-side session of ${this.sessionId} changed from ${this.serverSide} to ${serverSideSessionId} ` +
        "(the server restarted or released the session); its state (temp views, confs) is gone";
      this.closedReason = message;
      throw new SparkConnectError({
        message: `[INVALID_HANDLE.SESSION_CHANGED] ${message}`,
        errorClass: "INVALID_HANDLE.SESSION_CHANGED",
      });
    }
  }
}

/** PySpark `_throw_if_invalid_tag`: tags are non-empty strings without commas. */
function validateTag(tag: string): void {
  if (typeof tag !== "string" || tag === "" || tag.includes(",")) {
    throw new RangeError(`an operation tag must be a non-empty string without ",", got ${JSON.stringify(tag)}`);
  }
}
