/**
 * RpcError is what the transport throws for a failed call: the gRPC status code, the server's raw
 * message and the trailing metadata (which carries `grpc-status-details-bin`). It is the raw material
 * for retries (which look at the code) and for from-grpc.ts (which turns it into a typed Spark error).
 */
import { grpcCodeName } from "./grpc-code.ts";

/** A failed gRPC call, before any Spark-specific interpretation. */
export class RpcError extends Error {
  override name = "RpcError";
  /** gRPC status code (see GrpcCode). */
  readonly code: number;
  /** The status message exactly as the server (or the gRPC library) sent it. */
  readonly rawMessage: string;
  /** Trailing metadata, keys lower-case; `-bin` values are bytes. */
  readonly trailers: ReadonlyMap<string, ReadonlyArray<string | Uint8Array>>;
  /** The RPC that failed, e.g. "ExecutePlan". */
  readonly method: string;

  constructor(init: {
    code: number;
    rawMessage: string;
    method: string;
    trailers?: ReadonlyMap<string, ReadonlyArray<string | Uint8Array>>;
    cause?: unknown;
  }) {
    super(`${init.method} failed with ${grpcCodeName(init.code)}: ${init.rawMessage}`, { cause: init.cause });
    this.code = init.code;
    this.rawMessage = init.rawMessage;
    this.method = init.method;
    this.trailers = init.trailers ?? new Map();
  }

  /** The first binary value of a trailer such as `grpc-status-details-bin`. */
  binaryTrailer(key: string): Uint8Array | undefined {
    for (const value of this.trailers.get(key) ?? []) if (value instanceof Uint8Array) return value;
    return undefined;
  }
}
