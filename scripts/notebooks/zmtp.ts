/**
 * A ZeroMQ peer small enough to read: ZMTP 3.0 (RFC 23) over TCP with the NULL mechanism, client side only,
 * for the two socket types a Jupyter client connects with: DEALER (shell, control) and SUB (iopub). It
 * exists so the notebook runner needs no native addon and no Python: a Jupyter kernel binds, we connect.
 * @see https://rfc.zeromq.org/spec/23/ (ZMTP 3.0) and https://rfc.zeromq.org/spec/24/ (NULL handshake)
 */
import { type Socket, connect as tcpConnect } from "node:net";

export type ZmtpSocketType = "DEALER" | "SUB";

const FLAG_MORE = 0x01;
const FLAG_LONG = 0x02;
const FLAG_COMMAND = 0x04;
const GREETING_SIZE = 64;

/** The 64-byte greeting: signature, version 3.0, mechanism NULL, as-server 0, filler. */
export function greeting(): Buffer {
  const bytes = Buffer.alloc(GREETING_SIZE);
  bytes[0] = 0xff;
  bytes[9] = 0x7f;
  // Version 3.0 rather than 3.1: a 3.0 SUB subscribes with a 0x01-prefixed message, which every 3.x peer reads.
  bytes[10] = 3;
  bytes[11] = 0;
  bytes.write("NULL", 12, "ascii");
  return bytes;
}

/** Encodes one frame (a message part, or a command when `command` is set). */
export function encodeFrame(body: Uint8Array, more: boolean, command = false): Buffer {
  const long = body.length > 255;
  const head = Buffer.alloc(long ? 9 : 2);
  head[0] = (more ? FLAG_MORE : 0) | (long ? FLAG_LONG : 0) | (command ? FLAG_COMMAND : 0);
  if (long) head.writeBigUInt64BE(BigInt(body.length), 1);
  else head[1] = body.length;
  return Buffer.concat([head, body]);
}

/** A multipart message as ZMTP frames. */
export function encodeMessage(parts: readonly Uint8Array[]): Buffer {
  if (parts.length === 0) throw new Error("a ZMTP message has at least one part");
  return Buffer.concat(parts.map((part, i) => encodeFrame(part, i < parts.length - 1)));
}

/** The NULL mechanism's READY command with its metadata properties. */
export function readyCommand(properties: Readonly<Record<string, string>>): Buffer {
  const chunks: Buffer[] = [Buffer.from([5]), Buffer.from("READY", "ascii")];
  for (const [name, value] of Object.entries(properties)) {
    const valueBytes = Buffer.from(value, "utf8");
    const size = Buffer.alloc(4);
    size.writeUInt32BE(valueBytes.length);
    chunks.push(Buffer.from([name.length]), Buffer.from(name, "ascii"), size, valueBytes);
  }
  return encodeFrame(Buffer.concat(chunks), false, true);
}

/** Reads a command body: its name and (for READY) its properties. */
export function parseCommand(body: Buffer): { name: string; properties: Record<string, string>; data: Buffer } {
  const nameLength = body[0] ?? 0;
  const name = body.subarray(1, 1 + nameLength).toString("ascii");
  const data = body.subarray(1 + nameLength);
  const properties: Record<string, string> = {};
  if (name === "READY") {
    let at = 0;
    while (at < data.length) {
      const keyLength = data[at]!;
      const key = data.subarray(at + 1, at + 1 + keyLength).toString("ascii");
      at += 1 + keyLength;
      const valueLength = data.readUInt32BE(at);
      properties[key] = data.subarray(at + 4, at + 4 + valueLength).toString("utf8");
      at += 4 + valueLength;
    }
  }
  return { name, properties, data };
}

export interface Frame {
  body: Buffer;
  more: boolean;
  command: boolean;
}

/**
 * Incremental frame decoder: feed it bytes as they arrive, take whole frames out. The greeting is consumed
 * first; anything that is not ZMTP 3.x is rejected.
 */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private greeted = false;

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    if (!this.greeted) {
      if (this.buffer.length < GREETING_SIZE) return frames;
      if (this.buffer[0] !== 0xff || this.buffer[9] !== 0x7f) throw new Error("the peer did not send a ZMTP greeting");
      if ((this.buffer[10] ?? 0) < 3) throw new Error(`the peer speaks ZMTP ${this.buffer[10]}.x; 3.x is needed`);
      const mechanism = this.buffer.subarray(12, 32).toString("ascii").replace(/\0+$/, "");
      if (mechanism !== "NULL") throw new Error(`the peer wants the ${mechanism} mechanism; only NULL is supported`);
      this.buffer = this.buffer.subarray(GREETING_SIZE);
      this.greeted = true;
    }
    for (;;) {
      if (this.buffer.length < 2) break;
      const flags = this.buffer[0]!;
      const long = (flags & FLAG_LONG) !== 0;
      const headSize = long ? 9 : 2;
      if (this.buffer.length < headSize) break;
      const size = long ? Number(this.buffer.readBigUInt64BE(1)) : this.buffer[1]!;
      if (this.buffer.length < headSize + size) break;
      frames.push({
        body: this.buffer.subarray(headSize, headSize + size),
        more: (flags & FLAG_MORE) !== 0,
        command: (flags & FLAG_COMMAND) !== 0,
      });
      this.buffer = this.buffer.subarray(headSize + size);
    }
    return frames;
  }
}

export interface ZmtpConnectOptions {
  host: string;
  port: number;
  type: ZmtpSocketType;
  /** Keep retrying a refused connection this long: the kernel may not be listening yet. */
  retryForMs?: number;
  signal?: AbortSignal;
}

/** One connected ZMTP socket: send multipart messages, receive them through `onMessage`. */
export class ZmtpSocket {
  private partial: Buffer[] = [];
  private listeners = new Set<(parts: Buffer[]) => void>();
  private closeListeners = new Set<(error?: Error) => void>();
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    readonly type: ZmtpSocketType,
  ) {}

  /** Connects, exchanges greetings and READY commands, and resolves once the peer is ready. */
  static async connect(options: ZmtpConnectOptions): Promise<ZmtpSocket> {
    const deadline = Date.now() + (options.retryForMs ?? 0);
    for (;;) {
      options.signal?.throwIfAborted();
      try {
        return await ZmtpSocket.connectOnce(options);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ECONNREFUSED" || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private static connectOnce(options: ZmtpConnectOptions): Promise<ZmtpSocket> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: options.host, port: options.port });
      socket.setNoDelay(true);
      const zmtp = new ZmtpSocket(socket, options.type);
      const decoder = new FrameDecoder();
      let ready = false;
      const fail = (error: Error) => {
        if (!ready) {
          socket.destroy();
          reject(error);
        } else zmtp.shutdown(error);
      };
      socket.once("connect", () => {
        socket.write(greeting());
        socket.write(
          readyCommand({ "Socket-Type": options.type, ...(options.type === "DEALER" ? { Identity: "" } : {}) }),
        );
      });
      socket.on("data", (chunk: Buffer) => {
        let frames: Frame[];
        try {
          frames = decoder.push(chunk);
        } catch (error) {
          fail(error as Error);
          return;
        }
        for (const frame of frames) {
          if (frame.command) {
            const command = parseCommand(frame.body);
            if (command.name === "ERROR") {
              fail(new Error(`ZMTP peer error: ${command.data.subarray(1).toString("utf8")}`));
              return;
            }
            if (command.name === "READY" && !ready) {
              ready = true;
              // ZMTP 3.0 subscription: a message whose first byte is 1, followed by the prefix (empty: everything).
              if (options.type === "SUB") socket.write(encodeMessage([Buffer.from([1])]));
              resolve(zmtp);
            }
            continue;
          }
          zmtp.receive(frame);
        }
      });
      socket.on("error", fail);
      socket.on("close", () => {
        if (!ready)
          reject(Object.assign(new Error("connection closed during the ZMTP handshake"), { code: "ECONNREFUSED" }));
        else zmtp.shutdown();
      });
    });
  }

  private receive(frame: Frame): void {
    this.partial.push(frame.body);
    if (frame.more) return;
    const parts = this.partial;
    this.partial = [];
    for (const listener of this.listeners) listener(parts);
  }

  private shutdown(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    for (const listener of this.closeListeners) listener(error);
  }

  send(parts: readonly Uint8Array[]): void {
    if (this.closed) throw new Error(`the ${this.type} socket is closed`);
    this.socket.write(encodeMessage(parts));
  }

  onMessage(listener: (parts: Buffer[]) => void): void {
    this.listeners.add(listener);
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListeners.add(listener);
  }

  close(): void {
    this.shutdown();
  }
}
