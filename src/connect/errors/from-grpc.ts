/**
 * Turns a failed RPC into a typed Spark error, the way PySpark's `_handle_rpc_error` + `convert_exception`
 * do: read google.rpc.ErrorInfo from `grpc-status-details-bin` (errorClass, sqlState, messageParameters,
 * classes, errorId, stackTrace), then ask the server ONCE, best effort, for the untruncated details
 * (FetchErrorDetails by errorId) to get the full message, query contexts, stack trace and cause chain.
 * ErrorInfo metadata is truncated by the server (spark.connect.grpc.maxMetadataSize), hence the fetch.
 */
import type {
  FetchErrorDetailsResponse,
  FetchErrorDetailsResponse_Error,
  FetchErrorDetailsResponse_QueryContext,
} from "../gen/spark/connect/base_pb.ts";
import { FetchErrorDetailsResponse_QueryContext_ContextType } from "../gen/spark/connect/base_pb.ts";
import { errorClassFor, type QueryContext, SparkConnectError } from "./errors.ts";
import {
  decodeErrorInfo,
  decodeRetryInfo,
  decodeRpcStatus,
  ERROR_INFO_TYPE_URL,
  type ErrorInfo,
  RETRY_INFO_TYPE_URL,
  type RpcStatus,
} from "./google-rpc.ts";
import { RpcError } from "./rpc-error.ts";

/** Fetches FetchErrorDetails for an error id; resolves undefined when the details are unavailable. */
export type ErrorDetailsFetcher = (errorId: string) => Promise<FetchErrorDetailsResponse | undefined>;

const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/** The google.rpc.Status the server attached to a failed call, if any (undecodable details count as none). */
export function rpcStatusOf(error: RpcError): RpcStatus | undefined {
  const bytes = error.binaryTrailer(STATUS_DETAILS_KEY);
  if (!bytes) return undefined;
  try {
    return decodeRpcStatus(bytes);
  } catch {
    return undefined;
  }
}

/** The google.rpc.ErrorInfo detail of a failed call, if any. */
export function errorInfoOf(error: RpcError): ErrorInfo | undefined {
  const detail = rpcStatusOf(error)?.details.find((d) => d.typeUrl === ERROR_INFO_TYPE_URL);
  if (!detail) return undefined;
  try {
    return decodeErrorInfo(detail.value);
  } catch {
    return undefined;
  }
}

/** The server-suggested wait of a failed call (google.rpc.RetryInfo.retry_delay) in ms, if any. */
export function retryDelayOf(error: RpcError): number | undefined {
  const detail = rpcStatusOf(error)?.details.find((d) => d.typeUrl === RETRY_INFO_TYPE_URL);
  if (!detail) return undefined;
  try {
    return decodeRetryInfo(detail.value).retryDelayMs;
  } catch {
    return undefined;
  }
}

/** The Spark error class of a failed call, from ErrorInfo, else from a `[ERROR_CLASS]` prefix of the message. */
export function errorClassOf(error: RpcError): string | undefined {
  const fromInfo = errorInfoOf(error)?.metadata.errorClass;
  if (fromInfo) return fromInfo;
  return /^\[([A-Z0-9_.]+)\]/.exec(error.rawMessage)?.[1];
}

/**
 * Converts anything a transport call threw into the error to show the caller. RpcErrors become
 * SparkConnectError subclasses; anything else (an AbortSignal reason, an already converted error)
 * is returned unchanged.
 */
export async function fromRpcError(error: unknown, fetchDetails?: ErrorDetailsFetcher): Promise<unknown> {
  if (!(error instanceof RpcError)) return error;
  const info = errorInfoOf(error);
  if (!info) {
    return new SparkConnectError({ message: error.message, grpcCode: error.code, cause: error });
  }
  const meta = info.metadata;
  const errorId = meta.errorId || undefined;
  if (errorId && fetchDetails) {
    let details: FetchErrorDetailsResponse | undefined;
    try {
      details = await fetchDetails(errorId);
    } catch {
      details = undefined; // best effort: fall back to the (truncated) ErrorInfo below
    }
    const root = details?.rootErrorIdx;
    if (details && root !== undefined && details.errors[root]) {
      return fromErrorDetails(details.errors, root, error.code, errorId, new Set());
    }
  }
  const jvmClasses = parseJson<string[]>(meta.classes, isStringArray) ?? (info.reason ? [info.reason] : []);
  const ErrorType = errorClassFor(jvmClasses);
  return new ErrorType({
    message: error.rawMessage,
    errorClass: meta.errorClass || undefined,
    sqlState: meta.sqlState || undefined,
    messageParameters: parseJson<Record<string, string>>(meta.messageParameters, isStringRecord),
    grpcCode: error.code,
    serverStackTrace: meta.stackTrace || undefined,
    jvmClasses,
    errorId,
    cause: error,
  });
}

/** Builds the typed error for errors[index] and, through `cause`, for its whole server-side cause chain. */
function fromErrorDetails(
  errors: FetchErrorDetailsResponse_Error[],
  index: number,
  grpcCode: number,
  errorId: string | undefined,
  seen: Set<number>,
): SparkConnectError {
  const detail = errors[index]!;
  seen.add(index);
  const causeIndex = detail.causeIdx;
  const cause =
    causeIndex !== undefined && errors[causeIndex] && !seen.has(causeIndex)
      ? fromErrorDetails(errors, causeIndex, grpcCode, undefined, seen)
      : undefined;
  const throwable = detail.sparkThrowable;
  const ErrorType = errorClassFor(detail.errorTypeHierarchy);
  return new ErrorType({
    message: detail.message,
    errorClass: throwable?.errorClass,
    sqlState: throwable?.sqlState,
    messageParameters: throwable ? { ...throwable.messageParameters } : undefined,
    queryContexts: throwable?.queryContexts.map(toQueryContext),
    grpcCode,
    serverStackTrace: stackTraceOf(errors, index),
    jvmClasses: detail.errorTypeHierarchy,
    errorId,
    cause,
  });
}

/** JVM-style trace of errors[index] and its causes, or undefined when the server sent no frames. */
function stackTraceOf(errors: FetchErrorDetailsResponse_Error[], index: number): string | undefined {
  const lines: string[] = [];
  const seen = new Set<number>();
  let current: number | undefined = index;
  let hasFrames = false;
  while (current !== undefined && errors[current] && !seen.has(current)) {
    seen.add(current);
    const error: FetchErrorDetailsResponse_Error = errors[current]!;
    const head = `${error.errorTypeHierarchy[0] ?? "Exception"}: ${error.message}`;
    lines.push(lines.length === 0 ? head : `Caused by: ${head}`);
    for (const frame of error.stackTrace) {
      hasFrames = true;
      const where = frame.fileName ? `${frame.fileName}:${frame.lineNumber}` : "Unknown Source";
      lines.push(`\tat ${frame.declaringClass}.${frame.methodName}(${where})`);
    }
    current = error.causeIdx;
  }
  return hasFrames ? lines.join("\n") : undefined;
}

function toQueryContext(context: FetchErrorDetailsResponse_QueryContext): QueryContext {
  return {
    contextType:
      context.contextType === FetchErrorDetailsResponse_QueryContext_ContextType.DATAFRAME ? "dataframe" : "sql",
    objectType: context.objectType,
    objectName: context.objectName,
    startIndex: context.startIndex,
    stopIndex: context.stopIndex,
    fragment: context.fragment,
    callSite: context.callSite,
    summary: context.summary,
  };
}

function parseJson<T>(text: string | undefined, guard: (value: unknown) => value is T): T | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return guard(value) ? value : undefined;
  } catch {
    return undefined; // truncated metadata is not valid JSON; the details fetch covers that case
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string")
  );
}
