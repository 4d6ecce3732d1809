import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { assertPortFree, findFreePort, isPortBusy, PortBusyError } from "../../../src/runtime/ports.ts";

describe("ports", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("finds a free loopback port and sees it taken once something listens", async () => {
    const port = await findFreePort("127.0.0.1");
    expect(port).toBeGreaterThan(0);
    expect(await isPortBusy(port, "127.0.0.1")).toBe(false);
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
    expect(await isPortBusy(port, "127.0.0.1")).toBe(true);
    const error = await assertPortFree(port, "127.0.0.1", "the Spark Connect server").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortBusyError);
    expect((error as Error).message).toBe(
      `port ${port} on 127.0.0.1 is already in use (needed for the Spark Connect server). Stop whatever listens there, or pick another port, e.g. --port ${port + 1}.`,
    );
  });

  it("sees a wildcard listener as taking the loopback port", async () => {
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(0, "0.0.0.0", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    expect(await isPortBusy(port, "127.0.0.1")).toBe(true);
  });
});
