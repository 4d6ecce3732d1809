/**
 * A TCP proxy on 127.0.0.1 that forwards to a real Spark Connect server and drops live connections on
 * cue: connection i is cut (both sockets destroyed, as a failing network would) once `cutAfterBytes[i]`
 * bytes have flowed from the server to the client. Later connections pass through untouched. Used to
 * prove reattach delivers every row exactly once when the network fails mid-result.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxyOptions {
  targetHost: string;
  targetPort: number;
  /** For the n-th accepted connection, the server→client byte count after which it is cut. */
  cutAfterBytes: number[];
}

export class TcpProxy {
  /** Connections accepted so far. */
  connections = 0;
  /** Connections this proxy cut. */
  cuts = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, options));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("proxy has no TCP address");
    proxy = new TcpProxy(server, address.port);
    return proxy;
  }

  private accept(client: Socket, options: TcpProxyOptions): void {
    const index = this.connections++;
    const limit = options.cutAfterBytes[index];
    const upstream = connect(options.targetPort, options.targetHost);
    this.sockets.add(client);
    this.sockets.add(upstream);
    let forwarded = 0;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on("data", (chunk: Buffer) => {
      if (limit !== undefined && forwarded + chunk.byteLength >= limit) {
        // Forward up to the limit, then fail the connection mid-frame.
        client.write(chunk.subarray(0, Math.max(0, limit - forwarded)));
        forwarded = limit;
        this.cuts += 1;
        cut();
        return;
      }
      forwarded += chunk.byteLength;
      client.write(chunk);
    });
    client.on("data", (chunk: Buffer) => upstream.write(chunk));
    for (const socket of [client, upstream]) {
      socket.on("error", cut);
      socket.on("close", () => {
        this.sockets.delete(socket);
        cut();
      });
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
