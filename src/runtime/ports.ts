/**
 * Loopback port checks for the local runtime: is a port free before a JVM tries to bind it (a clear
 * message beats a Netty stack trace), and which ports are free for the Master and worker UIs.
 */
import { createServer } from "node:net";

export class PortBusyError extends Error {
  override name = "PortBusyError";
  constructor(
    readonly port: number,
    readonly host: string,
    what: string,
  ) {
    super(
      `port ${port} on ${host} is already in use (needed for ${what}). Stop whatever listens there, or pick another port, e.g. --port ${port === 65535 ? port - 1 : port + 1}.`,
    );
  }
}

/** Resolves true when something on this machine already listens on host:port. */
export function isPortBusy(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") resolve(true);
      else if (error.code === "EACCES") {
        reject(
          new Error(
            `port ${port} on ${host} cannot be bound by this user (ports below 1024 need privileges); pick another with --port`,
          ),
        );
      } else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** Throws PortBusyError when host:port is taken. */
export async function assertPortFree(port: number, host: string, what: string): Promise<void> {
  if (await isPortBusy(port, host)) throw new PortBusyError(port, host, what);
}

/** A port the OS considers free right now (it may be taken again before use; callers bind soon after). */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("the OS returned no free port"))));
    });
  });
}
