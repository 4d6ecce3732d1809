/** ZMTP framing, greeting checks and the NULL handshake, against a scripted peer on loopback. */
import { createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  encodeFrame,
  encodeMessage,
  FrameDecoder,
  greeting,
  parseCommand,
  readyCommand,
  ZmtpSocket,
} from "../../../scripts/notebooks/zmtp.ts";

describe("frames", () => {
  it("encodes short and long frames with their flags", () => {
    const short = encodeFrame(Buffer.from("abc"), true);
    expect([...short.subarray(0, 2)]).toEqual([0x01, 3]);
    const long = encodeFrame(Buffer.alloc(300, 7), false, true);
    expect(long[0]).toBe(0x06);
    expect(long.readBigUInt64BE(1)).toBe(300n);
    expect(long.length).toBe(309);
  });

  it("decodes frames split across chunks after the greeting", () => {
    const bytes = Buffer.concat([greeting(), encodeMessage([Buffer.from("one"), Buffer.alloc(1000, 1)])]);
    const decoder = new FrameDecoder();
    const frames = [];
    for (let at = 0; at < bytes.length; at += 7) frames.push(...decoder.push(bytes.subarray(at, at + 7)));
    expect(frames.map((f) => [f.body.length, f.more, f.command])).toEqual([
      [3, true, false],
      [1000, false, false],
    ]);
  });

  it("rejects a peer that is not ZMTP 3 with the NULL mechanism", () => {
    expect(() => new FrameDecoder().push(Buffer.alloc(64))).toThrow(/did not send a ZMTP greeting/);
    const plain = greeting();
    plain.write("PLAIN", 12, "ascii");
    expect(() => new FrameDecoder().push(plain)).toThrow(/PLAIN mechanism/);
    const old = greeting();
    old[10] = 2;
    expect(() => new FrameDecoder().push(old)).toThrow(/ZMTP 2\.x/);
  });

  it("round-trips READY properties", () => {
    const frame = new FrameDecoder().push(
      Buffer.concat([greeting(), readyCommand({ "Socket-Type": "DEALER", Identity: "" })]),
    )[0]!;
    expect(frame.command).toBe(true);
    expect(parseCommand(frame.body)).toMatchObject({
      name: "READY",
      properties: { "Socket-Type": "DEALER", Identity: "" },
    });
  });
});

describe("ZmtpSocket", () => {
  const servers: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  /** A ROUTER-like peer: answers the handshake, records what it receives, echoes each message back. */
  function peer(): Promise<{ port: number; received: Buffer[][]; peerSocketType: Promise<string> }> {
    return new Promise((resolve) => {
      const received: Buffer[][] = [];
      let announce: (type: string) => void = () => {};
      const peerSocketType = new Promise<string>((r) => {
        announce = r;
      });
      const server = createServer((socket: Socket) => {
        const decoder = new FrameDecoder();
        let parts: Buffer[] = [];
        socket.write(greeting());
        socket.on("data", (chunk: Buffer) => {
          for (const frame of decoder.push(chunk)) {
            if (frame.command) {
              announce(parseCommand(frame.body).properties["Socket-Type"] ?? "");
              socket.write(readyCommand({ "Socket-Type": "ROUTER" }));
              continue;
            }
            parts.push(frame.body);
            if (!frame.more) {
              received.push(parts);
              socket.write(encodeMessage(parts));
              parts = [];
            }
          }
        });
      });
      servers.push(server);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        resolve({ port: typeof address === "object" && address ? address.port : 0, received, peerSocketType });
      });
    });
  }

  it("handshakes as a DEALER and exchanges multipart messages", async () => {
    const { port, received, peerSocketType } = await peer();
    const socket = await ZmtpSocket.connect({ host: "127.0.0.1", port, type: "DEALER" });
    const echoed = new Promise<Buffer[]>((resolve) => socket.onMessage(resolve));
    socket.send([Buffer.from("<IDS|MSG>"), Buffer.alloc(500, 2)]);
    expect((await echoed).map((p) => p.length)).toEqual([9, 500]);
    expect(await peerSocketType).toBe("DEALER");
    expect(received).toHaveLength(1);
    socket.close();
  });

  it("subscribes to everything as a SUB (a message holding only the byte 1)", async () => {
    const { port, received, peerSocketType } = await peer();
    const socket = await ZmtpSocket.connect({ host: "127.0.0.1", port, type: "SUB" });
    expect(await peerSocketType).toBe("SUB");
    await new Promise<void>((resolve) => socket.onMessage(() => resolve()));
    expect(received[0]).toEqual([Buffer.from([1])]);
    socket.close();
  });

  it("retries a refused connection until the deadline, then fails", async () => {
    const { port } = await peer();
    servers.pop()?.close();
    const started = Date.now();
    await expect(
      ZmtpSocket.connect({ host: "127.0.0.1", port, type: "DEALER", retryForMs: 300 }),
    ).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
