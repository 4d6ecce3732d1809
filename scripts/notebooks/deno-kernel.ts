/**
 * Drives one Deno Jupyter kernel over the messaging protocol: start it with a connection file of free
 * loopback ports, execute cells in order, collect each cell's outputs, shut it down.
 *
 * Deno's kernel (2.x) can publish a cell's output after it reported `idle`: console output goes through a
 * channel that another task drains, and rich results leave through the worker thread's socket later.
 * Runners that stop reading at `idle` drop those outputs, and a stream drained late is even charged to
 * whichever request the kernel handles next. So after every cell we run a *flush* request that prints a
 * marker on stdout and broadcasts a marker display: both paths are first-in first-out, so once both markers
 * are back, every earlier output is too. Anything else the kernel charges to the flush request belongs to
 * the cell before it. Outputs are always matched to cells by `parent_header.msg_id`, never by arrival time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "../../src/runtime/index.ts";
import { type JupyterMessage, MessageCodec } from "./jupyter-messages.ts";
import type { NotebookOutput } from "./notebook-file.ts";
import { ZmtpSocket } from "./zmtp.ts";

const HOST = "127.0.0.1";

export interface KernelOptions {
  /** The Deno executable. */
  deno: string;
  /** The kernel's working directory: relative imports in cells resolve against it. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** How long the kernel may take to accept connections and answer kernel_info (default 60 s). */
  startTimeoutMs?: number;
}

export interface CellResult {
  status: "ok" | "error";
  executionCount: number | null;
  /** Set when the cell failed. */
  error?: { ename: string; evalue: string; traceback: string[] };
  durationMs: number;
  /** The execute request's msg_id (outputs are looked up by it). */
  msgId: string;
  /** The flush request that followed the cell. */
  flushId: string;
}

/** Failure of the kernel itself (not of a cell): died, timed out, or would not start. */
export class KernelError extends Error {
  override name = "KernelError";
}

interface Waiter {
  test(): boolean;
  resolve(): void;
}

export class DenoKernel {
  private readonly iopubByParent = new Map<string, JupyterMessage[]>();
  private readonly replies = new Map<string, JupyterMessage>();
  private waiters: Waiter[] = [];
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private lastIopubAt = Date.now();

  private constructor(
    private readonly process: ChildProcess,
    private readonly codec: MessageCodec,
    private readonly shell: ZmtpSocket,
    private readonly control: ZmtpSocket,
    private readonly iopub: ZmtpSocket,
    private readonly connectionDir: string,
    private readonly log: { stderr: string },
  ) {}

  /** Starts a kernel and returns once it answers on shell and its IOPub messages reach us. */
  static async start(options: KernelOptions): Promise<DenoKernel> {
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const key = randomBytes(32).toString("hex");
    const ports: number[] = [];
    while (ports.length < 5) {
      const port = await findFreePort(HOST);
      if (!ports.includes(port)) ports.push(port);
    }
    const [shellPort, iopubPort, stdinPort, controlPort, hbPort] = ports as [number, number, number, number, number];
    const connectionDir = mkdtempSync(join(tmpdir(), "retail-lab-kernel-"));
    const connectionFile = join(connectionDir, "connection.json");
    writeFileSync(
      connectionFile,
      JSON.stringify({
        ip: HOST,
        transport: "tcp",
        shell_port: shellPort,
        iopub_port: iopubPort,
        stdin_port: stdinPort,
        control_port: controlPort,
        hb_port: hbPort,
        key,
        signature_scheme: "hmac-sha256",
        kernel_name: "deno",
      }),
      { mode: 0o600 },
    );
    const child = spawn(options.deno, ["jupyter", "--kernel", "--conn", connectionFile], {
      cwd: options.cwd,
      // NO_COLOR: without it, text/plain results carry ANSI colour codes.
      env: { ...(options.env ?? process.env), NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // The kernel's stderr, last 20k characters: quoted when it fails to start or dies.
    const log = { stderr: "" };
    child.stderr?.on("data", (chunk: Buffer) => {
      log.stderr = (log.stderr + chunk.toString("utf8")).slice(-20_000);
    });
    child.stdout?.resume();
    const abort = new AbortController();
    child.once("exit", () => abort.abort());
    const connectTo = (port: number, type: "DEALER" | "SUB") =>
      ZmtpSocket.connect({ host: HOST, port, type, retryForMs: timeoutMs, signal: abort.signal });
    let sockets: ZmtpSocket[] = [];
    try {
      const [shell, control, iopub] = await Promise.all([
        connectTo(shellPort, "DEALER"),
        connectTo(controlPort, "DEALER"),
        connectTo(iopubPort, "SUB"),
      ]);
      sockets = [shell, control, iopub];
      const kernel = new DenoKernel(child, new MessageCodec(key), shell, control, iopub, connectionDir, log);
      await kernel.attach(timeoutMs);
      return kernel;
    } catch (error) {
      for (const socket of sockets) socket.close();
      child.kill("SIGKILL");
      rmSync(connectionDir, { recursive: true, force: true });
      const detail = log.stderr.trim() ? `\nkernel stderr:\n${log.stderr.trim().slice(-2000)}` : "";
      throw new KernelError(`the Deno kernel did not start: ${(error as Error).message}${detail}`);
    }
  }

  /**
   * Wires the sockets, then asks for kernel_info until one request's IOPub status comes back: a SUB
   * socket only receives what is published after its subscription reached the publisher.
   */
  private async attach(timeoutMs: number): Promise<void> {
    const onMessage = (handler: (message: JupyterMessage) => void) => (parts: Buffer[]) => {
      let message: JupyterMessage;
      try {
        message = this.codec.decode(parts);
      } catch {
        return; // not ours or not signed with our key: ignore it
      }
      handler(message);
      this.wake();
    };
    this.shell.onMessage(
      onMessage((message) => {
        const parent = message.parent_header.msg_id;
        if (parent) this.replies.set(parent, message);
      }),
    );
    this.control.onMessage(onMessage(() => {}));
    this.iopub.onMessage(
      onMessage((message) => {
        this.lastIopubAt = Date.now();
        const parent = message.parent_header.msg_id;
        if (!parent) return;
        const list = this.iopubByParent.get(parent);
        if (list) list.push(message);
        else this.iopubByParent.set(parent, [message]);
      }),
    );
    this.process.once("exit", (code, signal) => {
      this.exited = { code, signal };
      this.wake();
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const request = this.send(this.shell, "kernel_info_request", {});
      const seen = await this.waitUntil(
        () => this.iopubOf(request).some((m) => m.header.msg_type === "status"),
        Math.min(1000, deadline - Date.now()),
      ).then(
        () => true,
        (error) => {
          if (error instanceof KernelError && this.exited) throw error;
          return false;
        },
      );
      if (seen) {
        await this.waitUntil(() => this.replies.has(request), deadline - Date.now());
        return;
      }
    }
    throw new KernelError(`no IOPub status from the kernel within ${timeoutMs} ms`);
  }

  private send(socket: ZmtpSocket, msgType: string, content: Record<string, unknown>): string {
    const message = this.codec.request(msgType, content);
    socket.send(this.codec.encode(message));
    return message.header.msg_id;
  }

  private iopubOf(msgId: string): JupyterMessage[] {
    return this.iopubByParent.get(msgId) ?? [];
  }

  private wake(): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const waiter of pending) {
      if (waiter.test()) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }

  /** Resolves when `test` holds; rejects on timeout or when the kernel process exits. */
  private waitUntil(test: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.exited) {
          const detail = this.log.stderr.trim() ? `\nkernel stderr:\n${this.log.stderr.trim().slice(-2000)}` : "";
          reject(
            new KernelError(`the kernel exited (code ${this.exited.code}, signal ${this.exited.signal})${detail}`),
          );
          return true;
        }
        return test();
      };
      if (check()) {
        if (!this.exited) resolve();
        return;
      }
      const timer = setTimeout(
        () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new KernelError(`timed out after ${timeoutMs} ms`));
        },
        Math.max(0, timeoutMs),
      );
      const waiter: Waiter = {
        test: () => {
          const done = check();
          if (done) clearTimeout(timer);
          return done;
        },
        resolve: () => {
          if (!this.exited) resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  private idle(msgId: string): boolean {
    return this.iopubOf(msgId).some((m) => m.header.msg_type === "status" && m.content.execution_state === "idle");
  }

  /** Executes one cell, then flushes the kernel's late outputs (see the module comment). */
  async execute(code: string, options: { timeoutMs?: number } = {}): Promise<CellResult> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const started = performance.now();
    const msgId = this.send(this.shell, "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    await this.waitUntil(() => this.replies.has(msgId) && this.idle(msgId), timeoutMs).catch((error: Error) => {
      throw new KernelError(`cell did not finish: ${error.message}`);
    });
    const reply = this.replies.get(msgId)!;
    const flushId = await this.flush();
    const status = reply.content.status === "ok" ? "ok" : "error";
    const errorMessage = this.iopubOf(msgId).find((m) => m.header.msg_type === "error");
    const errorContent = (errorMessage?.content ?? reply.content) as {
      ename?: string;
      evalue?: string;
      traceback?: string[];
    };
    return {
      status,
      executionCount: typeof reply.content.execution_count === "number" ? reply.content.execution_count : null,
      ...(status === "error"
        ? {
            error: {
              ename: errorContent.ename ?? "Error",
              evalue: errorContent.evalue ?? String(reply.content.status),
              traceback: errorContent.traceback ?? [],
            },
          }
        : {}),
      durationMs: performance.now() - started,
      msgId,
      flushId,
    };
  }

  /** Runs the flush request and waits until both of its markers came back. */
  private async flush(): Promise<string> {
    const marker = `retail-lab-flush-${randomUUID()}`;
    const code = `console.log(${JSON.stringify(marker)}); await Deno.jupyter.broadcast("display_data", { data: { "text/plain": ${JSON.stringify(marker)} }, metadata: {}, transient: {} });`;
    const flushId = this.send(this.shell, "execute_request", {
      code,
      silent: true,
      store_history: false,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: false,
    });
    const markers = () => {
      const messages = this.iopubOf(flushId);
      const printed = messages.some((m) => m.header.msg_type === "stream" && String(m.content.text).includes(marker));
      const shown = messages.some(
        (m) =>
          m.header.msg_type === "display_data" &&
          (m.content.data as Record<string, unknown>)?.["text/plain"] === marker,
      );
      return printed && shown;
    };
    await this.waitUntil(() => this.replies.has(flushId) && this.idle(flushId) && markers(), 60_000).catch(
      (error: Error) => {
        throw new KernelError(`the output flush after a cell did not complete: ${error.message}`);
      },
    );
    if (this.replies.get(flushId)?.content.status !== "ok") {
      throw new KernelError("the output flush after a cell failed; the kernel is not usable");
    }
    this.flushMarkers.set(flushId, marker);
    return flushId;
  }

  private readonly flushMarkers = new Map<string, string>();

  /** Waits until IOPub has been quiet for `quietMs` (a last guard before reading outputs and shutting down). */
  async settle(quietMs = 200, maxMs = 5000): Promise<void> {
    const end = Date.now() + maxMs;
    while (Date.now() < end && Date.now() - this.lastIopubAt < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, quietMs / 4));
    }
  }

  /**
   * The cell's outputs in arrival order, including those the kernel charged to the flush request after it
   * (markers removed). `late` counts outputs that arrived after the cell's `idle`.
   */
  outputs(cell: CellResult): { outputs: NotebookOutput[]; late: number } {
    const own = this.iopubOf(cell.msgId);
    const idleAt = own.findIndex((m) => m.header.msg_type === "status" && m.content.execution_state === "idle");
    const marker = this.flushMarkers.get(cell.flushId) ?? "\0";
    const outputs: NotebookOutput[] = [];
    let late = 0;
    const add = (message: JupyterMessage, isLate: boolean) => {
      const output = toOutput(message, marker);
      if (output === "clear") {
        outputs.length = 0;
        return;
      }
      if (!output) return;
      if (isLate) late += 1;
      const last = outputs[outputs.length - 1];
      if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
        last.text += output.text;
      } else outputs.push(output);
    };
    for (const [i, message] of own.entries()) add(message, idleAt >= 0 && i > idleAt);
    for (const message of this.iopubOf(cell.flushId)) add(message, true);
    return { outputs, late };
  }

  /** Asks the kernel to shut down, and kills it if it does not exit within `graceMs`. */
  async shutdown(graceMs = 5000): Promise<void> {
    try {
      if (!this.exited) {
        this.send(this.control, "shutdown_request", { restart: false });
        await this.waitUntil(() => false, graceMs).catch(() => {});
      }
    } finally {
      if (!this.exited) {
        this.process.kill("SIGTERM");
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (!this.exited) this.process.kill("SIGKILL");
      }
      for (const socket of [this.shell, this.control, this.iopub]) socket.close();
      rmSync(this.connectionDir, { recursive: true, force: true });
    }
  }
}

/** An IOPub message as a notebook output; flush markers and non-output messages give undefined. */
function toOutput(message: JupyterMessage, marker: string): NotebookOutput | "clear" | undefined {
  const c = message.content as Record<string, never>;
  switch (message.header.msg_type) {
    case "stream": {
      const text = String(c.text)
        .split(/(?<=\n)/)
        .filter((line) => line.replace(/\n$/, "") !== marker)
        .join("");
      return text === "" ? undefined : { output_type: "stream", name: c.name === "stderr" ? "stderr" : "stdout", text };
    }
    case "display_data": {
      const data = (c.data ?? {}) as Record<string, unknown>;
      if (data["text/plain"] === marker) return undefined;
      return { output_type: "display_data", data, metadata: (c.metadata ?? {}) as Record<string, unknown> };
    }
    case "execute_result":
      return {
        output_type: "execute_result",
        execution_count: typeof c.execution_count === "number" ? c.execution_count : null,
        data: (c.data ?? {}) as Record<string, unknown>,
        metadata: (c.metadata ?? {}) as Record<string, unknown>,
      };
    case "error":
      return {
        output_type: "error",
        ename: String(c.ename ?? ""),
        evalue: String(c.evalue ?? ""),
        traceback: Array.isArray(c.traceback) ? (c.traceback as unknown[]).map(String) : [],
      };
    case "clear_output":
      return "clear";
    default:
      return undefined;
  }
}
