/**
 * A TLS-terminating gRPC gateway on 127.0.0.1 in front of a plaintext Spark Connect server, standing in for
 * a managed platform's endpoint: it serves HTTP/2 over TLS (test certificate), checks the bearer token,
 * records each call's path and metadata (so tests see the token and extra headers the client sent), and
 * forwards the call, streams and trailers included, without the authorization header.
 */
import {
  type ClientHttp2Session,
  connect,
  constants,
  createSecureServer,
  type Http2SecureServer,
  type Http2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";

export interface TlsGrpcProxyOptions {
  targetHost: string;
  targetPort: number;
  cert: Buffer;
  key: Buffer;
  /** Calls without `authorization: Bearer <token>` are refused with UNAUTHENTICATED. */
  token: string;
}

export interface RecordedCall {
  path: string;
  headers: IncomingHttpHeaders;
}

// Hop-by-hop and pseudo headers are set by each HTTP/2 connection itself.
const NOT_FORWARDED = new Set([":authority", ":scheme", "authorization", "connection", "host"]);

function forwardable(headers: IncomingHttpHeaders, keep: (name: string) => boolean): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (keep(name) && value !== undefined) out[name] = value;
  return out;
}

export class TlsGrpcProxy {
  readonly calls: RecordedCall[] = [];
  refused = 0;
  private upstream: ClientHttp2Session | undefined;

  private constructor(
    private readonly server: Http2SecureServer,
    private readonly sessions: Set<Http2Session>,
    private readonly options: TlsGrpcProxyOptions,
    readonly port: number,
  ) {}

  static async start(options: TlsGrpcProxyOptions): Promise<TlsGrpcProxy> {
    let proxy: TlsGrpcProxy | undefined;
    const server = createSecureServer({ cert: options.cert, key: options.key });
    const sessions = new Set<Http2Session>();
    server.on("session", (session) => {
      sessions.add(session);
      session.on("close", () => sessions.delete(session));
    });
    server.on("stream", (stream, headers) => proxy?.forward(stream, headers));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("proxy has no TCP address");
    proxy = new TlsGrpcProxy(server, sessions, options, address.port);
    return proxy;
  }

  private session(): ClientHttp2Session {
    if (!this.upstream || this.upstream.closed || this.upstream.destroyed) {
      this.upstream = connect(`http://${this.options.targetHost}:${this.options.targetPort}`);
      this.upstream.on("error", () => {
        this.upstream = undefined;
      });
    }
    return this.upstream;
  }

  private forward(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    this.calls.push({ path: String(headers[":path"]), headers: { ...headers } });
    if (headers.authorization !== `Bearer ${this.options.token}`) {
      this.refused += 1;
      stream.respond(
        {
          ":status": 200,
          "content-type": "application/grpc",
          "grpc-status": "16", // UNAUTHENTICATED
          "grpc-message": "missing or invalid bearer token",
        },
        { endStream: true },
      );
      return;
    }
    const request = this.session().request(
      forwardable(headers, (name) => !NOT_FORWARDED.has(name)),
      { endStream: false },
    );
    let trailers: OutgoingHttpHeaders = { "grpc-status": "0" };
    request.on("response", (response, flags) => {
      const out = forwardable(response, (name) => name === ":status" || !name.startsWith(":"));
      // A trailers-only response (an immediate error) arrives as headers that end the stream.
      if (flags & constants.NGHTTP2_FLAG_END_STREAM) stream.respond(out, { endStream: true });
      else {
        stream.respond(out, { waitForTrailers: true });
        request.pipe(stream);
      }
    });
    request.on("trailers", (received) => {
      trailers = forwardable(received, (name) => !name.startsWith(":"));
    });
    stream.on("wantTrailers", () => stream.sendTrailers(trailers));
    stream.pipe(request);
    const abort = () => {
      if (!request.closed) request.close(constants.NGHTTP2_CANCEL);
      if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
    };
    request.on("error", abort);
    stream.on("error", abort);
    stream.on("close", () => {
      if (!request.closed) request.close(constants.NGHTTP2_CANCEL);
    });
  }

  async close(): Promise<void> {
    this.upstream?.destroy();
    // Clients keep idle connections open; the server only closes once they are gone.
    for (const session of this.sessions) session.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
