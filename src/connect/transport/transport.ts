/**
 * Transport is the wire boundary of the client: typed unary, server-streaming and client-streaming calls
 * over protobuf-es method descriptors, with an options object. grpc-transport.ts implements it over
 * @grpc/grpc-js; everything above (retries, reattach, the session client) depends only on this interface,
 * so it can run against an in-process fake server or a recording transport in tests.
 */
import type {
  DescMessage,
  DescMethodClientStreaming,
  DescMethodServerStreaming,
  DescMethodUnary,
  MessageShape,
} from "@bufbuild/protobuf";

/** Per-call options of a Transport call. */
export interface RpcOptions {
  /** Aborting cancels the call; the promise/iterator then rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /** Deadline for the whole call, in milliseconds from now. */
  timeoutMs?: number | undefined;
  /** Extra request metadata for this call only. */
  headers?: Record<string, string> | undefined;
}

/**
 * A connection to one Spark Connect endpoint. Failed calls reject with RpcError (errors/rpc-error.ts);
 * aborted calls reject with the signal's reason.
 */
export interface Transport {
  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageShape<I>,
    options?: RpcOptions,
  ): Promise<MessageShape<O>>;
  /** Starts the call when iteration starts; leaving the loop early cancels it. */
  serverStream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodServerStreaming<I, O>,
    request: MessageShape<I>,
    options?: RpcOptions,
  ): AsyncIterable<MessageShape<O>>;
  clientStream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodClientStreaming<I, O>,
    requests: Iterable<MessageShape<I>> | AsyncIterable<MessageShape<I>>,
    options?: RpcOptions,
  ): Promise<MessageShape<O>>;
  /** Closes the underlying channel; calls in flight fail with CANCELLED/UNAVAILABLE. Idempotent. */
  close(): void;
}
