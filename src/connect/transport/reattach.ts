/**
 * Reattachable execution: an ExecutePlan whose result stream survives broken connections, as PySpark's
 * ExecutePlanResponseReattachableIterator does.
 *
 * Protocol. The request carries a client-chosen UUID operation_id and ReattachOptions{reattachable}, so
 * the client can reattach even before the first response. The stream is complete only after a
 * ResultComplete response. Two failures are survived:
 *  - the stream breaks (a retryable error such as UNAVAILABLE, or INTERNAL INVALID_CURSOR.DISCONNECTED):
 *    after the retry policy's wait, ReattachExecute{operation_id, last_response_id} resumes right after
 *    the last response handed out, so no response is lost or repeated;
 *  - the stream ends gracefully without ResultComplete (the server caps a stream's duration and size,
 *    spark.connect.execute.reattachable.senderMaxStream*): reattach at once.
 * If the server answers INVALID_HANDLE.OPERATION_NOT_FOUND or SESSION_NOT_FOUND and nothing has been
 * received yet (the first ExecutePlan never reached it), the ExecutePlan is re-issued, at most
 * MAX_EXECUTE_RESTARTS times (SPARK-58162 bounded PySpark's loop); after a response that error is final.
 *
 * Server resources. ReleaseExecute{release_until: response_id} for the newest consumed response (at most
 * every 50 ms) lets the server drop buffered responses; after ResultComplete, an error or an abandoned
 * iteration, ReleaseExecute{release_all} ends the operation. Releases run in the background, at most one in
 * flight per operation (newer requests supersede queued ones), and never block or fail the consumer.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { MAX_EXECUTE_RESTARTS } from "../config/defaults.ts";
import { SparkConnectError } from "../errors/errors.ts";
import { errorClassOf } from "../errors/from-grpc.ts";
import { RpcError } from "../errors/rpc-error.ts";
import {
  type ExecutePlanRequest,
  type ExecutePlanResponse,
  ReattachExecuteRequestSchema,
  type ReleaseExecuteRequest,
  ReleaseExecuteRequestSchema,
  SparkConnectService,
  type UserContext,
} from "../gen/spark/connect/base_pb.ts";
import type { Logger } from "../logger.ts";
import type { Retrier } from "./retry.ts";
import type { Transport } from "./transport.ts";

/** Fields every follow-up request of the operation repeats; read fresh because the server-side session id is learnt late. */
export interface RequestIdentity {
  sessionId: string;
  userContext: UserContext | undefined;
  clientType: string | undefined;
  clientObservedServerSideSessionId: string | undefined;
}

export interface ReattachableExecutionOptions {
  transport: Transport;
  /** The ExecutePlan request, with operationId set and the reattach option present. */
  request: ExecutePlanRequest;
  identity: () => RequestIdentity;
  /** A fresh retry loop state (one per execution; reset after every response). */
  retrier: Retrier;
  /** Sends one ReleaseExecute with its own retries; failures are logged by the caller's function. */
  release: (request: ReleaseExecuteRequest) => Promise<void>;
  signal?: AbortSignal | undefined;
  logger: Logger;
}

/** Consecutive graceful ends without a single response after which the server is considered broken. */
const MAX_EMPTY_REATTACHES = 16;

/** Yields the operation's responses exactly once each, in order, ending after ResultComplete. */
export async function* executeReattachable(options: ReattachableExecutionOptions): AsyncGenerator<ExecutePlanResponse> {
  const { transport, request, retrier, signal, logger } = options;
  const operationId = request.operationId;
  if (!operationId) throw new Error("reattachable execution needs an operation id");
  const releases = new ReleaseQueue(operationId, options.identity, options.release);
  let stream: AsyncIterator<ExecutePlanResponse> | undefined = transport
    .serverStream(SparkConnectService.method.executePlan, request, { signal })
    [Symbol.asyncIterator]();
  let lastResponseId: string | undefined;
  let restarts = 0;
  let emptyEnds = 0;
  let receivedOnThisStream = false;
  let completed = false;
  try {
    for (;;) {
      let next: IteratorResult<ExecutePlanResponse>;
      try {
        if (!stream) {
          stream = openReattach(transport, operationId, lastResponseId, options.identity(), signal);
          receivedOnThisStream = false;
        }
        next = await stream.next();
      } catch (error) {
        stream = undefined;
        if (signal?.aborted) throw signal.reason;
        if (isHandleLost(error)) {
          if (lastResponseId !== undefined) {
            throw new SparkConnectError({
              message: `[RESPONSE_ALREADY_RECEIVED] The server lost operation ${operationId} after responses were received; it cannot be resumed.`,
              errorClass: "RESPONSE_ALREADY_RECEIVED",
              grpcCode: error.code,
              cause: error,
            });
          }
          if (restarts >= MAX_EXECUTE_RESTARTS) throw error;
          restarts += 1;
          logger.debug("operation unknown to the server before any response: re-issuing ExecutePlan", { operationId });
          stream = transport
            .serverStream(SparkConnectService.method.executePlan, request, { signal })
            [Symbol.asyncIterator]();
          receivedOnThisStream = false;
          continue;
        }
        await retrier.backoff(error, signal); // throws when not retryable or out of budget
        logger.debug("reattaching after a broken stream", { operationId, lastResponseId });
        continue;
      }
      if (next.done) {
        stream = undefined;
        emptyEnds = receivedOnThisStream ? 0 : emptyEnds + 1;
        if (emptyEnds > MAX_EMPTY_REATTACHES) {
          throw new SparkConnectError({
            message: `ExecutePlan stream of operation ${operationId} kept ending without ResultComplete (${emptyEnds} empty reattaches)`,
            errorClass: "RESULT_INCOMPLETE",
          });
        }
        logger.debug("stream ended without ResultComplete: reattaching", { operationId, lastResponseId });
        continue;
      }
      const response = next.value;
      receivedOnThisStream = true;
      retrier.reset();
      lastResponseId = response.responseId;
      const complete = response.responseType.case === "resultComplete";
      completed = complete;
      yield response;
      if (complete) return;
      // The consumer asked for the next response, so it is done with this one.
      releases.until(response.responseId);
    }
  } finally {
    // After ResultComplete the server ends the stream with OK: read that end in the background rather than
    // cancel, which would cost both sides a cancellation per query. Leaving before (break, error) cancels.
    if (completed && stream) void readToEnd(stream);
    else await stream?.return?.().catch(() => undefined);
    releases.all();
  }
}

async function readToEnd(stream: AsyncIterator<ExecutePlanResponse>): Promise<void> {
  try {
    if (!(await stream.next()).done) await stream.return?.();
  } catch {
    // The result is complete; how its stream ended no longer matters.
  }
}

function openReattach(
  transport: Transport,
  operationId: string,
  lastResponseId: string | undefined,
  identity: RequestIdentity,
  signal: AbortSignal | undefined,
): AsyncIterator<ExecutePlanResponse> {
  const reattach = create(ReattachExecuteRequestSchema, { ...identity, operationId, lastResponseId });
  return transport
    .serverStream(SparkConnectService.method.reattachExecute, reattach, { signal })
    [Symbol.asyncIterator]();
}

/** INVALID_HANDLE.OPERATION_NOT_FOUND / SESSION_NOT_FOUND: the server has no such execution (any more). */
function isHandleLost(error: unknown): error is RpcError {
  if (!(error instanceof RpcError)) return false;
  const errorClass = errorClassOf(error) ?? "";
  const text = `${errorClass} ${error.rawMessage}`;
  return text.includes("INVALID_HANDLE.OPERATION_NOT_FOUND") || text.includes("INVALID_HANDLE.SESSION_NOT_FOUND");
}

/**
 * Least time between two release_until requests of one operation. The server already bounds what it keeps
 * for reattaching (spark.connect.execute.reattachable.observerRetryBufferSize), so releasing after every
 * response, as PySpark does, mostly costs a unary call per Arrow batch on both sides (hundreds per large result).
 */
const RELEASE_UNTIL_INTERVAL_MS = 50;

/**
 * Background ReleaseExecute requests of one operation: at most one in flight; release_until at most every
 * RELEASE_UNTIL_INTERVAL_MS, for the newest consumed response; release_all at once, and final. Even the
 * first release_until waits for a timer, so a result that completes meanwhile (most small ones) needs only
 * its release_all: one ReleaseExecute per query.
 */
class ReleaseQueue {
  private pendingUntil: string | undefined;
  private finished = false;
  private inFlight = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastUntilAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly operationId: string,
    private readonly identity: () => RequestIdentity,
    private readonly send: (request: ReleaseExecuteRequest) => Promise<void>,
  ) {}

  until(responseId: string): void {
    if (this.finished) return;
    this.pendingUntil = responseId;
    this.schedule();
  }

  all(): void {
    if (this.finished) return;
    this.finished = true;
    this.pendingUntil = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.inFlight) this.sendNext();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.inFlight || this.finished) return;
    const wait = Math.max(0, this.lastUntilAt + RELEASE_UNTIL_INTERVAL_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.inFlight) this.sendNext();
    }, wait);
    // A pending release never keeps the process alive.
    this.timer.unref?.();
  }

  private sendNext(): void {
    let release: MessageInitShape<typeof ReleaseExecuteRequestSchema>["release"];
    if (this.finished) {
      release = { case: "releaseAll", value: {} };
    } else if (this.pendingUntil !== undefined) {
      release = { case: "releaseUntil", value: { responseId: this.pendingUntil } };
      this.pendingUntil = undefined;
      this.lastUntilAt = performance.now();
    } else return;
    const request = create(ReleaseExecuteRequestSchema, { ...this.identity(), operationId: this.operationId, release });
    const final = release.case === "releaseAll";
    this.inFlight = true;
    void this.send(request).finally(() => {
      this.inFlight = false;
      if (final) return;
      if (this.finished) this.sendNext();
      else if (this.pendingUntil !== undefined) this.schedule();
    });
  }
}
