/**
 * An in-process Spark Connect server (@grpc/grpc-js Server on 127.0.0.1:0) that plays scripted
 * conversations, for testing the client's reattach, retry, release and error paths over a real
 * HTTP/2 connection. Each ExecutePlan registers an operation whose responses come from `results`;
 * ReattachExecute resumes after `last_response_id` exactly like the real server. Faults are queued
 * per RPC and consumed one per call, and read like the failure they model:
 *   unavailable(n)               the next n calls fail with UNAVAILABLE before reaching the operation
 *   streamCutAfter(n)            the stream sends n responses, then breaks with UNAVAILABLE
 *   gracefulEndWithoutComplete(n) the stream sends n responses, then ends OK without ResultComplete
 *   operationNotFound            INVALID_HANDLE.OPERATION_NOT_FOUND, and the server forgets the operation
 *   stall(n)                     the stream sends n responses, then waits until the client cancels
 *   sparkError(...)              a Spark error with ErrorInfo (and FetchErrorDetails behind its errorId)
 */
import {
  create,
  type DescMessage,
  type DescMethod,
  fromBinary,
  type MessageInitShape,
  toBinary,
} from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import {
  ERROR_INFO_TYPE_URL,
  encodeErrorInfo,
  encodeRetryInfo,
  encodeRpcStatus,
  RETRY_INFO_TYPE_URL,
} from "../../src/connect/errors/google-rpc.ts";
import {
  type AnalyzePlanRequest,
  AnalyzePlanResponseSchema,
  type ConfigRequest,
  ConfigResponseSchema,
  type ExecutePlanRequest,
  type ExecutePlanResponse,
  ExecutePlanResponseSchema,
  type FetchErrorDetailsRequest,
  FetchErrorDetailsResponseSchema,
  type InterruptRequest,
  InterruptResponseSchema,
  type ReattachExecuteRequest,
  type ReleaseExecuteRequest,
  ReleaseExecuteResponseSchema,
  type ReleaseSessionRequest,
  ReleaseSessionResponseSchema,
  SparkConnectService,
} from "../../src/connect/gen/spark/connect/base_pb.ts";

// MARK: - Faults

export type Fault =
  | { kind: "unavailable" }
  | { kind: "cutAfter"; responses: number }
  | { kind: "endAfter"; responses: number }
  | { kind: "operationNotFound" }
  | { kind: "stall"; responses: number }
  | { kind: "sparkError"; error: ScriptedSparkError };

export interface ScriptedSparkError {
  code: number;
  message: string;
  errorClass?: string;
  sqlState?: string;
  messageParameters?: Record<string, string>;
  classes?: string[];
  /** When set, FetchErrorDetails for this id answers `details`. */
  errorId?: string;
  details?: MessageInitShape<typeof FetchErrorDetailsResponseSchema>;
  /** google.rpc.RetryInfo delay to attach, in ms. */
  retryDelayMs?: number;
}

export const unavailable = (n = 1): Fault[] => Array.from({ length: n }, () => ({ kind: "unavailable" }) as const);
export const streamCutAfter = (responses: number): Fault => ({ kind: "cutAfter", responses });
export const gracefulEndWithoutComplete = (responses: number): Fault => ({ kind: "endAfter", responses });
export const operationNotFound: Fault = { kind: "operationNotFound" };
export const stall = (responses: number): Fault => ({ kind: "stall", responses });
export const sparkError = (error: ScriptedSparkError): Fault => ({ kind: "sparkError", error });

// MARK: - Named responses

type ResponseInit = MessageInitShape<typeof ExecutePlanResponseSchema>;

/** An Arrow batch response holding `ids` in a bigint column `id`. */
export function arrowIds(ids: bigint[]): ResponseInit {
  const ipc = tableToIPC(tableFromArrays({ id: BigInt64Array.from(ids) }), "stream");
  return { responseType: { case: "arrowBatch", value: { rowCount: BigInt(ids.length), data: ipc } } };
}

/** `batches` Arrow responses of `perBatch` consecutive ids each, then ResultComplete. */
export function idBatches(batches: number, perBatch: number): ResponseInit[] {
  const responses: ResponseInit[] = [];
  for (let b = 0; b < batches; b++) {
    responses.push(arrowIds(Array.from({ length: perBatch }, (_, i) => BigInt(b * perBatch + i))));
  }
  responses.push(resultComplete());
  return responses;
}

export const resultComplete = (): ResponseInit => ({ responseType: { case: "resultComplete", value: {} } });

export function progress(stages: Array<{ stageId: number; numTasks: number; done?: number }>): ResponseInit {
  return {
    responseType: {
      case: "executionProgress",
      value: {
        stages: stages.map((s) => ({
          stageId: BigInt(s.stageId),
          numTasks: BigInt(s.numTasks),
          numCompletedTasks: BigInt(s.done ?? 0),
          inputBytesRead: 0n,
          done: (s.done ?? 0) === s.numTasks,
        })),
        numInflightTasks: 1n,
      },
    },
  };
}

// MARK: - The server

export interface ScriptedServerOptions {
  /** The responses of an operation (ids and session fields are filled in by the server). */
  results?: (request: ExecutePlanRequest) => ResponseInit[];
  analyze?: (request: AnalyzePlanRequest) => MessageInitShape<typeof AnalyzePlanResponseSchema>["result"];
  /** Server-side session id to report; change `serverSideSessionId` on the server to simulate a restart. */
  serverSideSessionId?: string;
  /** Report this session id instead of the request's (integrity tests). */
  sessionIdOverride?: string;
  /** Serve TLS with this PEM key and certificate instead of plaintext. */
  tls?: { key: Buffer; cert: Buffer };
}

interface Operation {
  responses: ExecutePlanResponse[];
}

export interface RecordedCall {
  method: string;
  request: unknown;
  /** Request metadata as received (first value per key). */
  metadata: Record<string, string | Buffer>;
}

export class ScriptedServer {
  readonly calls: RecordedCall[] = [];
  /** Faults for ExecutePlan and ReattachExecute calls, consumed in order (one per call). */
  readonly streamFaults: Fault[] = [];
  /** Faults for unary calls, keyed by method name (e.g. "AnalyzePlan"). */
  readonly unaryFaults = new Map<string, Fault[]>();
  serverSideSessionId: string;
  /** Number of stream calls currently open (stalled streams included). */
  openStreams = 0;
  private readonly operations = new Map<string, Operation>();
  private readonly errorDetails = new Map<string, MessageInitShape<typeof FetchErrorDetailsResponseSchema>>();

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
    private readonly options: ScriptedServerOptions,
  ) {
    this.serverSideSessionId = options.serverSideSessionId ?? "11111111-2222-4333-8444-555555555555";
  }

  /** The sc:// URL of this server. */
  get url(): string {
    return `sc://127.0.0.1:${this.port}`;
  }

  static async start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const server = new grpc.Server();
    const credentials = options.tls
      ? grpc.ServerCredentials.createSsl(null, [{ private_key: options.tls.key, cert_chain: options.tls.cert }])
      : grpc.ServerCredentials.createInsecure();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const scripted = new ScriptedServer(server, port, options);
    scripted.install();
    return scripted;
  }

  /** Requests recorded for one RPC, in arrival order. */
  requests<T = unknown>(method: string): T[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request as T);
  }

  /** Waits until `predicate` holds (background requests such as ReleaseExecute arrive asynchronously). */
  async waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error("ScriptedServer.waitFor timed out");
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    this.server.forceShutdown();
  }

  private install(): void {
    const definition: grpc.ServiceDefinition = Object.fromEntries(
      SparkConnectService.methods.map((method) => [method.name, methodDefinition(method)]),
    );
    const implementation: grpc.UntypedServiceImplementation = {};
    implementation.ExecutePlan = (call: grpc.ServerWritableStream<ExecutePlanRequest, ExecutePlanResponse>) =>
      this.executePlan(call);
    implementation.ReattachExecute = (call: grpc.ServerWritableStream<ReattachExecuteRequest, ExecutePlanResponse>) =>
      this.reattachExecute(call);
    implementation.AnalyzePlan = this.unary<AnalyzePlanRequest>("AnalyzePlan", (request) => {
      const result = this.options.analyze?.(request) ?? { case: "sparkVersion", value: { version: "4.1.3" } };
      return toBinary(AnalyzePlanResponseSchema, create(AnalyzePlanResponseSchema, { ...this.ids(request), result }));
    });
    implementation.Config = this.unary<ConfigRequest>("Config", (request) =>
      toBinary(ConfigResponseSchema, create(ConfigResponseSchema, this.ids(request))),
    );
    implementation.Interrupt = this.unary<InterruptRequest>("Interrupt", (request) => {
      const ids = request.interrupt.case === "operationId" ? [request.interrupt.value] : [];
      return toBinary(
        InterruptResponseSchema,
        create(InterruptResponseSchema, { ...this.ids(request), interruptedIds: ids }),
      );
    });
    implementation.ReleaseExecute = this.unary<ReleaseExecuteRequest>("ReleaseExecute", (request) =>
      toBinary(
        ReleaseExecuteResponseSchema,
        create(ReleaseExecuteResponseSchema, { ...this.ids(request), operationId: request.operationId }),
      ),
    );
    implementation.ReleaseSession = this.unary<ReleaseSessionRequest>("ReleaseSession", (request) =>
      toBinary(ReleaseSessionResponseSchema, create(ReleaseSessionResponseSchema, this.ids(request))),
    );
    implementation.FetchErrorDetails = this.unary<FetchErrorDetailsRequest>("FetchErrorDetails", (request) => {
      const details = this.errorDetails.get(request.errorId) ?? {};
      return toBinary(
        FetchErrorDetailsResponseSchema,
        create(FetchErrorDetailsResponseSchema, { ...this.ids(request), ...details }),
      );
    });
    this.server.addService(definition, implementation);
  }

  private ids(request: { sessionId: string }) {
    return {
      sessionId: this.options.sessionIdOverride ?? request.sessionId,
      serverSideSessionId: this.serverSideSessionId,
    };
  }

  private unary<Req extends { sessionId: string }>(
    name: string,
    answer: (request: Req) => Uint8Array,
  ): grpc.handleUnaryCall<Req, Uint8Array> {
    return (call, callback) => {
      this.calls.push({ method: name, request: call.request, metadata: call.metadata.getMap() });
      const fault = this.unaryFaults.get(name)?.shift();
      if (fault) return callback(this.faultError(fault));
      callback(null, answer(call.request));
    };
  }

  private executePlan(call: grpc.ServerWritableStream<ExecutePlanRequest, ExecutePlanResponse>): void {
    const request = call.request;
    this.calls.push({ method: "ExecutePlan", request, metadata: call.metadata.getMap() });
    const fault = this.streamFaults.shift();
    if (fault?.kind === "unavailable" || fault?.kind === "operationNotFound" || fault?.kind === "sparkError") {
      call.emit("error", this.faultError(fault));
      return;
    }
    const operationId = request.operationId ?? "";
    const base = {
      sessionId: this.options.sessionIdOverride ?? request.sessionId,
      serverSideSessionId: this.serverSideSessionId,
      operationId,
    };
    const responses = (this.options.results?.(request) ?? [resultComplete()]).map((init, i) =>
      create(ExecutePlanResponseSchema, { ...init, ...base, responseId: `${operationId}-r${i}` }),
    );
    this.operations.set(operationId, { responses });
    this.stream(call, responses, 0, fault);
  }

  private reattachExecute(call: grpc.ServerWritableStream<ReattachExecuteRequest, ExecutePlanResponse>): void {
    const request = call.request;
    this.calls.push({ method: "ReattachExecute", request, metadata: call.metadata.getMap() });
    const fault = this.streamFaults.shift();
    const operation = this.operations.get(request.operationId);
    if (fault?.kind === "unavailable" || fault?.kind === "sparkError") {
      call.emit("error", this.faultError(fault));
      return;
    }
    if (!operation || fault?.kind === "operationNotFound") {
      this.operations.delete(request.operationId);
      call.emit("error", this.faultError(operationNotFound));
      return;
    }
    let start = 0;
    if (request.lastResponseId !== undefined) {
      const index = operation.responses.findIndex((r) => r.responseId === request.lastResponseId);
      if (index < 0) {
        call.emit(
          "error",
          this.faultError(
            sparkError({
              code: grpc.status.INTERNAL,
              message: "[INVALID_CURSOR.POSITION_NOT_AVAILABLE] unknown response id",
              errorClass: "INVALID_CURSOR.POSITION_NOT_AVAILABLE",
            }),
          ),
        );
        return;
      }
      start = index + 1;
    }
    this.stream(call, operation.responses, start, fault);
  }

  private stream(
    call: grpc.ServerWritableStream<unknown, ExecutePlanResponse>,
    responses: ExecutePlanResponse[],
    start: number,
    fault: Fault | undefined,
  ): void {
    this.openStreams += 1;
    call.on("close", () => {
      this.openStreams -= 1;
    });
    const limit =
      fault && (fault.kind === "cutAfter" || fault.kind === "endAfter" || fault.kind === "stall")
        ? Math.min(responses.length, start + fault.responses)
        : responses.length;
    for (let i = start; i < limit; i++) call.write(responses[i]!);
    if (fault?.kind === "cutAfter") call.emit("error", this.faultError({ kind: "unavailable" }));
    else if (fault?.kind === "stall")
      return; // hold the stream open until the client cancels
    else call.end();
  }

  private faultError(fault: Fault): Partial<grpc.StatusObject> {
    switch (fault.kind) {
      case "operationNotFound":
        return this.sparkStatus({
          code: grpc.status.INTERNAL,
          message: "[INVALID_HANDLE.OPERATION_NOT_FOUND] The handle is invalid. Operation not found.",
          errorClass: "INVALID_HANDLE.OPERATION_NOT_FOUND",
          sqlState: "HY000",
          classes: ["org.apache.spark.SparkSQLException", "org.apache.spark.SparkException"],
        });
      case "sparkError":
        return this.sparkStatus(fault.error);
      default:
        return { code: grpc.status.UNAVAILABLE, details: "scripted: connection lost", metadata: new grpc.Metadata() };
    }
  }

  private sparkStatus(error: ScriptedSparkError): Partial<grpc.StatusObject> {
    const metadata: Record<string, string> = {};
    if (error.errorClass) metadata.errorClass = error.errorClass;
    if (error.sqlState) metadata.sqlState = error.sqlState;
    if (error.messageParameters) metadata.messageParameters = JSON.stringify(error.messageParameters);
    if (error.classes) metadata.classes = JSON.stringify(error.classes);
    if (error.errorId) {
      metadata.errorId = error.errorId;
      if (error.details) this.errorDetails.set(error.errorId, error.details);
    }
    const details = [
      {
        typeUrl: ERROR_INFO_TYPE_URL,
        value: encodeErrorInfo({ reason: error.classes?.[0] ?? "", domain: "org.apache.spark", metadata }),
      },
    ];
    if (error.retryDelayMs !== undefined) {
      details.push({ typeUrl: RETRY_INFO_TYPE_URL, value: encodeRetryInfo(error.retryDelayMs) });
    }
    const trailers = new grpc.Metadata();
    trailers.set(
      "grpc-status-details-bin",
      Buffer.from(encodeRpcStatus({ code: error.code, message: error.message, details }) as Uint8Array),
    );
    return { code: error.code, details: error.message, metadata: trailers };
  }
}

function methodDefinition(method: DescMethod): grpc.MethodDefinition<unknown, unknown> {
  const decode = (schema: DescMessage) => (bytes: Buffer) => fromBinary(schema, bytes);
  const encode = (schema: DescMessage) => (message: unknown) =>
    Buffer.from(message instanceof Uint8Array ? message : toBinary(schema, message as never));
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
    responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
    requestSerialize: encode(method.input),
    requestDeserialize: decode(method.input),
    responseSerialize: encode(method.output),
    responseDeserialize: decode(method.output),
  };
}
