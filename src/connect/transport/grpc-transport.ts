/**
 * The Transport over @grpc/grpc-js: THE only module that imports it. One long-lived HTTP/2 channel per
 * session with raised message limits and keepalive; TLS with the system roots (or a given CA / client
 * certificate); a bearer token sent as `authorization` call credentials, which grpc-js only allows over
 * TLS. Static request metadata (connection-string parameters) is added to every call. Nothing is logged.
 */

import type {
  DescMessage,
  DescMethod,
  DescMethodClientStreaming,
  DescMethodServerStreaming,
  DescMethodUnary,
  MessageShape,
} from "@bufbuild/protobuf";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { FLOW_CONTROL_WINDOW_BYTES, KEEPALIVE_TIME_MS, KEEPALIVE_TIMEOUT_MS } from "../config/defaults.ts";
import { GrpcCode } from "../errors/grpc-code.ts";
import { RpcError } from "../errors/rpc-error.ts";
import { type ExecutePlanResponse, ExecutePlanResponseSchema } from "../gen/spark/connect/base_pb.ts";
import { alignArrowPayload } from "./align-arrow.ts";
import type { RpcOptions, Transport } from "./transport.ts";

/** Where and how to connect; normally derived from a ConnectionConfig by the client. */
export interface GrpcTransportOptions {
  host: string;
  port: number;
  useSsl: boolean;
  /** Bearer token; requires useSsl. */
  token?: string | undefined;
  /** Maximum message size in bytes, both directions. */
  maxMessageSize: number;
  /** Sent as the HTTP/2 user-agent prefix. */
  userAgent?: string | undefined;
  /** Metadata added to every call. */
  headers?: Record<string, string> | undefined;
  /** PEM CA bundle to verify the server instead of the system roots. */
  rootCerts?: Uint8Array | undefined;
  /** PEM client key and certificate chain for mutual TLS. */
  privateKey?: Uint8Array | undefined;
  certChain?: Uint8Array | undefined;
  /** Expected server name when it differs from `host` (SNI / certificate check). */
  serverNameOverride?: string | undefined;
}

export function createGrpcTransport(options: GrpcTransportOptions): Transport {
  if (options.token !== undefined && !options.useSsl) {
    throw new Error("a bearer token is only sent over TLS: set use_ssl=true or drop the token");
  }
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const channelOptions: grpc.ChannelOptions = {
    "grpc.max_receive_message_length": options.maxMessageSize,
    "grpc.max_send_message_length": options.maxMessageSize,
    "grpc.keepalive_time_ms": KEEPALIVE_TIME_MS,
    "grpc.keepalive_timeout_ms": KEEPALIVE_TIMEOUT_MS,
    "grpc.keepalive_permit_without_calls": 0,
    "grpc-node.flow_control_window": FLOW_CONTROL_WINDOW_BYTES,
    // Retries are ours (retry.ts), with Spark's policy; grpc-js' transparent retry would double them.
    "grpc.enable_retries": 0,
  };
  if (options.userAgent) channelOptions["grpc.primary_user_agent"] = options.userAgent;
  if (options.serverNameOverride) channelOptions["grpc.ssl_target_name_override"] = options.serverNameOverride;
  const client = new grpc.Client(`${host}:${options.port}`, credentialsFor(options), channelOptions);
  const staticHeaders = Object.entries(options.headers ?? {});
  let closed = false;

  const metadataFor = (rpc: RpcOptions | undefined): grpc.Metadata => {
    const metadata = new grpc.Metadata();
    for (const [key, value] of staticHeaders) metadata.set(key, value);
    for (const [key, value] of Object.entries(rpc?.headers ?? {})) metadata.set(key, value);
    return metadata;
  };
  const callOptionsFor = (rpc: RpcOptions | undefined): grpc.CallOptions =>
    rpc?.timeoutMs === undefined ? {} : { deadline: Date.now() + rpc.timeoutMs };

  return {
    unary<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      request: MessageShape<I>,
      rpc?: RpcOptions,
    ): Promise<MessageShape<O>> {
      return new Promise((resolve, reject) => {
        const signal = rpc?.signal;
        if (signal?.aborted) return reject(signal.reason);
        const call = client.makeUnaryRequest(
          pathOf(method),
          serializer(method.input),
          deserializer(method.output),
          request,
          metadataFor(rpc),
          callOptionsFor(rpc),
          (error, response) => {
            signal?.removeEventListener("abort", onAbort);
            if (signal?.aborted) reject(signal.reason);
            else if (error) reject(toRpcError(error, method));
            else if (response === undefined)
              reject(new RpcError({ code: GrpcCode.INTERNAL, rawMessage: "empty response", method: method.name }));
            else resolve(response);
          },
        );
        const onAbort = () => call.cancel();
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },

    async *serverStream<I extends DescMessage, O extends DescMessage>(
      method: DescMethodServerStreaming<I, O>,
      request: MessageShape<I>,
      rpc?: RpcOptions,
    ): AsyncGenerator<MessageShape<O>> {
      const signal = rpc?.signal;
      signal?.throwIfAborted();
      const call = client.makeServerStreamRequest(
        pathOf(method),
        serializer(method.input),
        deserializer(method.output),
        request,
        metadataFor(rpc),
        callOptionsFor(rpc),
      );
      const onAbort = () => call.cancel();
      signal?.addEventListener("abort", onAbort, { once: true });
      let finished = false;
      try {
        for await (const response of call) yield response as MessageShape<O>;
        finished = true;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw toRpcError(error, method);
      } finally {
        signal?.removeEventListener("abort", onAbort);
        // The consumer left early (break/throw): stop the server sending more.
        if (!finished) call.cancel();
      }
    },

    clientStream<I extends DescMessage, O extends DescMessage>(
      method: DescMethodClientStreaming<I, O>,
      requests: Iterable<MessageShape<I>> | AsyncIterable<MessageShape<I>>,
      rpc?: RpcOptions,
    ): Promise<MessageShape<O>> {
      return new Promise((resolve, reject) => {
        const signal = rpc?.signal;
        if (signal?.aborted) return reject(signal.reason);
        let settled = false;
        const settle = (action: () => void) => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener("abort", onAbort);
          action();
        };
        const call = client.makeClientStreamRequest(
          pathOf(method),
          serializer(method.input),
          deserializer(method.output),
          metadataFor(rpc),
          callOptionsFor(rpc),
          (error, response) => {
            if (signal?.aborted) settle(() => reject(signal.reason));
            else if (error) settle(() => reject(toRpcError(error, method)));
            else if (response === undefined)
              settle(() =>
                reject(new RpcError({ code: GrpcCode.INTERNAL, rawMessage: "empty response", method: method.name })),
              );
            else settle(() => resolve(response));
          },
        );
        const onAbort = () => call.cancel();
        signal?.addEventListener("abort", onAbort, { once: true });
        (async () => {
          for await (const request of requests) {
            if (settled) return;
            // Respect HTTP/2 flow control: wait for 'drain' when the write buffer is full.
            if (!call.write(request)) await new Promise((r) => call.once("drain", r));
          }
          call.end();
        })().catch((error: unknown) => {
          call.cancel();
          settle(() => reject(error));
        });
      });
    },

    close(): void {
      if (closed) return;
      closed = true;
      client.close();
    },
  };
}

function credentialsFor(options: GrpcTransportOptions): grpc.ChannelCredentials {
  if (!options.useSsl) return grpc.credentials.createInsecure();
  const ssl = grpc.credentials.createSsl(
    options.rootCerts ? Buffer.from(options.rootCerts) : null,
    options.privateKey ? Buffer.from(options.privateKey) : null,
    options.certChain ? Buffer.from(options.certChain) : null,
  );
  const token = options.token;
  if (token === undefined) return ssl;
  const bearer = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
    const metadata = new grpc.Metadata();
    metadata.set("authorization", `Bearer ${token}`);
    callback(null, metadata);
  });
  return grpc.credentials.combineChannelCredentials(ssl, bearer);
}

function pathOf(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

function serializer<T extends DescMessage>(schema: T): (message: MessageShape<T>) => Buffer {
  return (message) => {
    const bytes = toBinary(schema, message);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer<T extends DescMessage>(schema: T): (bytes: Buffer) => MessageShape<T> {
  if (schema.typeName === ExecutePlanResponseSchema.typeName) {
    return (bytes) => {
      const response = fromBinary(schema, bytes);
      alignArrowPayload(response as ExecutePlanResponse, bytes);
      return response;
    };
  }
  return (bytes) => fromBinary(schema, bytes);
}

function toRpcError(error: unknown, method: DescMethod): RpcError {
  if (error instanceof RpcError) return error;
  const status = error as Partial<grpc.ServiceError>;
  if (typeof status.code !== "number") {
    return new RpcError({ code: GrpcCode.UNKNOWN, rawMessage: String(error), method: method.name, cause: error });
  }
  const trailers = new Map<string, Array<string | Uint8Array>>();
  if (status.metadata instanceof grpc.Metadata) {
    for (const [key, values] of Object.entries(status.metadata.toJSON())) trailers.set(key, values);
  }
  return new RpcError({ code: status.code, rawMessage: status.details ?? "", method: method.name, trailers });
}
