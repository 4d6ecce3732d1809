/**
 * Reattachable ExecutePlan against the scripted in-process gRPC server: broken streams, graceful ends
 * without ResultComplete and lost operations must deliver every response exactly once, reattach from the
 * last response id, release what was consumed, and give up where PySpark gives up.
 */
import { create } from "@bufbuild/protobuf";
import { tableFromIPC } from "apache-arrow";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RetriesExceeded, SparkConnectError } from "../../../../src/connect/errors/index.ts";
import {
  type ExecutePlanRequest,
  ExecutePlanRequestSchema,
  ExecutePlanResponseSchema,
  PlanSchema,
  type ReattachExecuteRequest,
  type ReleaseExecuteRequest,
} from "../../../../src/connect/gen/spark/connect/base_pb.ts";
import { silentLogger } from "../../../../src/connect/logger.ts";
import type { ExecuteEvent } from "../../../../src/connect/transport/client.ts";
import { createClient, type GrpcSparkConnectClient } from "../../../../src/connect/transport/index.ts";
import { executeReattachable } from "../../../../src/connect/transport/reattach.ts";
import { Retrier } from "../../../../src/connect/transport/retry.ts";
import type { Transport } from "../../../../src/connect/transport/transport.ts";
import { FakeClock } from "../../../fakes/fake-clock.ts";
import {
  gracefulEndWithoutComplete,
  idBatches,
  operationNotFound,
  ScriptedServer,
  streamCutAfter,
  unavailable,
} from "../../../fakes/scripted-grpc-server.ts";

const plan = create(PlanSchema, {
  opType: { case: "root", value: { relType: { case: "sql", value: { query: "x" } } } },
});

async function collectIds(client: GrpcSparkConnectClient): Promise<{ ids: bigint[]; events: ExecuteEvent[] }> {
  const ids: bigint[] = [];
  const events: ExecuteEvent[] = [];
  for await (const event of client.executePlan(plan)) {
    events.push(event);
    if (event.kind === "arrow") for (const id of tableFromIPC(event.ipc).getChild("id")!) ids.push(id as bigint);
  }
  return { ids, events };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i));

describe("reattachable ExecutePlan", () => {
  let server: ScriptedServer;
  let client: GrpcSparkConnectClient;
  let clock: FakeClock;

  beforeEach(async () => {
    server = await ScriptedServer.start({ results: () => idBatches(5, 3) });
    clock = new FakeClock();
    client = createClient(server.url, { sleep: clock.sleep, random: () => 0 });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it("sends a UUID operation id with the reattach option and releases everything at the end", async () => {
    const { ids, events } = await collectIds(client);
    expect(ids).toEqual(range(15));
    expect(events.at(-1)).toMatchObject({ kind: "complete" });
    const [request] = server.requests<ExecutePlanRequest>("ExecutePlan");
    expect(request?.operationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(request?.requestOptions.map((o) => o.requestOption.case)).toContain("reattachOptions");
    await server.waitFor(() =>
      server.requests<ReleaseExecuteRequest>("ReleaseExecute").some((r) => r.release.case === "releaseAll"),
    );
    const releases = server.requests<ReleaseExecuteRequest>("ReleaseExecute");
    expect(releases.every((r) => r.operationId === request?.operationId)).toBe(true);
    expect(releases.at(-1)?.release.case).toBe("releaseAll");
  });

  it("reattaches after a stream cut with the last response id and delivers each row once", async () => {
    server.streamFaults.push(streamCutAfter(2), streamCutAfter(1));
    const { ids } = await collectIds(client);
    expect(ids).toEqual(range(15));
    const reattaches = server.requests<ReattachExecuteRequest>("ReattachExecute");
    expect(reattaches).toHaveLength(2);
    const operationId = server.requests<ExecutePlanRequest>("ExecutePlan")[0]!.operationId;
    expect(reattaches[0]?.lastResponseId).toBe(`${operationId}-r1`);
    expect(reattaches[1]?.lastResponseId).toBe(`${operationId}-r2`);
    expect(reattaches[0]?.clientObservedServerSideSessionId).toBe(server.serverSideSessionId);
    expect(clock.waits).toEqual([50, 50]); // progress resets the backoff
  });

  it("reattaches at once when the server ends a stream without ResultComplete", async () => {
    server.streamFaults.push(gracefulEndWithoutComplete(3), gracefulEndWithoutComplete(1));
    const { ids } = await collectIds(client);
    expect(ids).toEqual(range(15));
    expect(server.requests("ReattachExecute")).toHaveLength(2);
    expect(clock.waits).toEqual([]);
  });

  it("gives up when the server keeps ending streams without sending anything", async () => {
    server.streamFaults.push(...Array.from({ length: 20 }, () => gracefulEndWithoutComplete(0)));
    const error = await collectIds(client).catch((e: unknown) => e);
    expect((error as SparkConnectError).errorClass).toBe("RESULT_INCOMPLETE");
    expect(server.requests("ReattachExecute")).toHaveLength(16);
  });

  it("retries UNAVAILABLE on the first ExecutePlan, then re-executes when the operation never arrived", async () => {
    // The first ExecutePlan fails before the server registers it; the reattach then finds no operation.
    server.streamFaults.push(...unavailable(1));
    const { ids } = await collectIds(client);
    expect(ids).toEqual(range(15));
    expect(server.calls.map((c) => c.method).filter((m) => m !== "ReleaseExecute")).toEqual([
      "ExecutePlan",
      "ReattachExecute",
      "ExecutePlan",
    ]);
    const executes = server.requests<ExecutePlanRequest>("ExecutePlan");
    expect(executes[1]?.operationId).toBe(executes[0]?.operationId);
  });

  it("re-executes on OPERATION_NOT_FOUND before any response, at most three times", async () => {
    server.streamFaults.push(operationNotFound, operationNotFound, operationNotFound);
    const { ids } = await collectIds(client);
    expect(ids).toEqual(range(15));
    expect(server.requests("ExecutePlan")).toHaveLength(4);

    server.streamFaults.push(operationNotFound, operationNotFound, operationNotFound, operationNotFound);
    const error = await collectIds(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SparkConnectError);
    expect((error as SparkConnectError).errorClass).toBe("INVALID_HANDLE.OPERATION_NOT_FOUND");
  });

  it("fails with RESPONSE_ALREADY_RECEIVED when the operation is lost after responses arrived", async () => {
    server.streamFaults.push(streamCutAfter(2), operationNotFound);
    const seen: bigint[] = [];
    const error = await (async () => {
      for await (const event of client.executePlan(plan)) {
        if (event.kind === "arrow") for (const id of tableFromIPC(event.ipc).getChild("id")!) seen.push(id as bigint);
      }
    })().catch((e: unknown) => e);
    expect((error as SparkConnectError).errorClass).toBe("RESPONSE_ALREADY_RECEIVED");
    expect(seen).toEqual(range(6));
  });

  it("gives up with RetriesExceeded after the policy's 15 retries, keeping the cause", async () => {
    server.streamFaults.push(...unavailable(20));
    const error = await collectIds(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExceeded);
    expect((error as RetriesExceeded).attempts).toBe(16);
    expect((error as RetriesExceeded).cause).toMatchObject({ code: 14 });
    expect(clock.waits).toEqual([50, 200, 800, 3200, 12800, 51200, ...Array(9).fill(60000)]);
  });

  it("does not retry a stream when reattach is off", async () => {
    const plain = createClient(server.url, { sleep: clock.sleep, reattachable: false });
    server.streamFaults.push(streamCutAfter(2));
    const error = await collectIds(plain).catch((e: unknown) => e);
    expect((error as SparkConnectError).grpcCode).toBe(14);
    expect(server.requests("ReattachExecute")).toHaveLength(0);
    await plain.close();
  });

  it("releases and cancels when the consumer stops early", async () => {
    for await (const event of client.executePlan(plan)) if (event.kind === "arrow") break;
    await server.waitFor(() =>
      server.requests<ReleaseExecuteRequest>("ReleaseExecute").some((r) => r.release.case === "releaseAll"),
    );
    await server.waitFor(() => server.openStreams === 0);
  });
});

/** executeReattachable over an in-memory transport, to see exactly how each stream ends. */
describe("ending and releasing a reattachable execution", () => {
  /** `batches` Arrow responses then ResultComplete, each `gapMs` after the previous one. */
  async function* responses(batches: number, gapMs: number) {
    for (let i = 0; i <= batches; i++) {
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
      yield create(ExecutePlanResponseSchema, {
        operationId: "op",
        responseId: `r${i}`,
        responseType:
          i < batches
            ? { case: "arrowBatch", value: { rowCount: 0n, data: new Uint8Array() } }
            : { case: "resultComplete", value: {} },
      });
    }
  }
  function run(batches = 1, gapMs = 0) {
    const streams: Array<"ended" | "cancelled"> = [];
    const releases: ReleaseExecuteRequest[] = [];
    const transport = {
      async *serverStream() {
        let ended = false;
        try {
          yield* responses(batches, gapMs);
          ended = true;
        } finally {
          streams.push(ended ? "ended" : "cancelled");
        }
      },
    } as unknown as Transport;
    const execution = executeReattachable({
      transport,
      request: create(ExecutePlanRequestSchema, { operationId: "op" }),
      identity: () => ({
        sessionId: "s",
        userContext: undefined,
        clientType: undefined,
        clientObservedServerSideSessionId: undefined,
      }),
      retrier: new Retrier([]),
      release: async (request) => {
        releases.push(request);
      },
      logger: silentLogger,
    });
    return { execution, streams, releases };
  }

  it("releases what was consumed at most every 50 ms, then everything", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      const { execution, releases } = run(40, 10); // 400 ms of batches
      const consumed = (async () => {
        for await (const _ of execution);
      })();
      await vi.advanceTimersByTimeAsync(1_000);
      await consumed;
      const untils = releases.filter((r) => r.release.case === "releaseUntil");
      expect(untils.length).toBeGreaterThanOrEqual(6);
      expect(untils.length).toBeLessThanOrEqual(10);
      const ids = untils.map((r) => Number((r.release.value as { responseId: string }).responseId.slice(1)));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(releases.at(-1)?.release.case).toBe("releaseAll");
      expect(releases.filter((r) => r.release.case === "releaseAll")).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads a complete result's stream to its end instead of cancelling it, and releases it once", async () => {
    const { execution, streams, releases } = run();
    const seen = [];
    for await (const response of execution) seen.push(response.responseType.case);
    expect(seen).toEqual(["arrowBatch", "resultComplete"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(streams).toEqual(["ended"]);
    // The release_until of the first response was still deferred when the result completed.
    expect(releases.map((r) => r.release.case)).toEqual(["releaseAll"]);
  });

  it("cancels the stream of a result the consumer leaves early", async () => {
    const { execution, streams, releases } = run();
    for await (const _ of execution) break;
    expect(streams).toEqual(["cancelled"]);
    expect(releases.map((r) => r.release.case)).toEqual(["releaseAll"]);
  });
});
