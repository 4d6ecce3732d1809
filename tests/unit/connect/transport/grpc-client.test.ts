/**
 * The session client against the scripted in-process server: request identity, session integrity,
 * unary retries (RetryInfo included), typed errors with FetchErrorDetails, AbortSignal → Interrupt,
 * progress handlers, tags, chunked Arrow batches and an idempotent close.
 */
import { readFileSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import { afterEach, describe, expect, it } from "vitest";
import {
  AnalysisException,
  ParseException,
  RetriesExceeded,
  type SparkConnectError,
} from "../../../../src/connect/errors/index.ts";
import {
  type AnalyzePlanRequest,
  type ExecutePlanRequest,
  type FetchErrorDetailsRequest,
  type InterruptRequest,
  PlanSchema,
  type ReleaseSessionRequest,
} from "../../../../src/connect/gen/spark/connect/base_pb.ts";
import type { ProgressUpdate } from "../../../../src/connect/transport/client.ts";
import { createClient, type GrpcSparkConnectClient, retryPolicy } from "../../../../src/connect/transport/index.ts";
import { FakeClock } from "../../../fakes/fake-clock.ts";
import {
  idBatches,
  progress,
  resultComplete,
  ScriptedServer,
  type ScriptedServerOptions,
  sparkError,
  stall,
  unavailable,
} from "../../../fakes/scripted-grpc-server.ts";

const plan = create(PlanSchema, {
  opType: { case: "root", value: { relType: { case: "sql", value: { query: "x" } } } },
});
const SESSION = "9b2e1f6a-1c3d-4e5f-8a7b-0c1d2e3f4a5b";

let server: ScriptedServer | undefined;
let client: GrpcSparkConnectClient | undefined;
const clock = new FakeClock();

async function setup(options: ScriptedServerOptions = {}, url = (s: ScriptedServer) => s.url) {
  server = await ScriptedServer.start(options);
  client = createClient(url(server), { sleep: clock.sleep, random: () => 0 });
  return { server, client };
}

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function drain(c: GrpcSparkConnectClient, options = {}) {
  const kinds: string[] = [];
  for await (const event of c.executePlan(plan, options)) kinds.push(event.kind);
  return kinds;
}

describe("request identity and session integrity", () => {
  it("sends session id, user context, client type and, once known, the server-side session id", async () => {
    const { server, client } = await setup({}, (s) => `${s.url}/;session_id=${SESSION};user_id=ann;x-team=retail`);
    await client.analyzePlan({ case: "sparkVersion", value: {} });
    await client.analyzePlan({ case: "sparkVersion", value: {} });
    const [first, second] = server.requests<AnalyzePlanRequest>("AnalyzePlan");
    expect(first?.sessionId).toBe(SESSION);
    expect(first?.userContext?.userId).toBe("ann");
    expect(first?.clientType).toMatch(/^_SPARK_CONNECT_TYPESCRIPT os\/\S+ node\/\d+/);
    expect(first?.clientObservedServerSideSessionId).toBeUndefined();
    expect(second?.clientObservedServerSideSessionId).toBe(server.serverSideSessionId);
    expect(client.serverSideSessionId).toBe(server.serverSideSessionId);
  });

  it("closes the client when the server-side session changes", async () => {
    const { server, client } = await setup();
    await client.analyzePlan({ case: "sparkVersion", value: {} });
    server.serverSideSessionId = "22222222-2222-4222-8222-222222222222";
    await expect(client.analyzePlan({ case: "sparkVersion", value: {} })).rejects.toMatchObject({
      errorClass: "INVALID_HANDLE.SESSION_CHANGED",
    });
    expect(client.isClosed).toBe(true);
    await expect(client.analyzePlan({ case: "sparkVersion", value: {} })).rejects.toThrow(/is closed/);
  });

  it("rejects responses for another session", async () => {
    const { client } = await setup({ sessionIdOverride: "00000000-0000-4000-8000-000000000000" });
    await expect(client.analyzePlan({ case: "sparkVersion", value: {} })).rejects.toMatchObject({
      errorClass: "INVALID_HANDLE.SESSION_MISMATCH",
    });
    await expect(drain(client)).rejects.toMatchObject({ errorClass: "INVALID_HANDLE.SESSION_MISMATCH" });
  });
});

describe("transport security and metadata", () => {
  const tls = {
    key: readFileSync(new URL("../../../fakes/tls/server-key.pem", import.meta.url)),
    cert: readFileSync(new URL("../../../fakes/tls/server-cert.pem", import.meta.url)),
  };

  it("sends the token as an `authorization: Bearer` header over TLS, and other parameters as metadata", async () => {
    server = await ScriptedServer.start({ tls });
    client = createClient(`sc://localhost:${server.port}/;token=s3cret;x-team=retail`, {
      tls: { rootCerts: tls.cert },
    });
    await client.analyzePlan({ case: "sparkVersion", value: {} });
    const metadata = server.calls[0]?.metadata;
    expect(metadata?.authorization).toBe("Bearer s3cret");
    expect(metadata?.["x-team"]).toBe("retail");
    expect(String(metadata?.["user-agent"])).toMatch(/^_SPARK_CONNECT_TYPESCRIPT/);
  });

  it("refuses a server whose certificate it cannot verify", async () => {
    server = await ScriptedServer.start({ tls });
    client = createClient(`sc://localhost:${server.port}/;use_ssl=true`, { retryPolicies: [] });
    const error = await client.analyzePlan({ case: "sparkVersion", value: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ grpcCode: 14 });
    expect(server.calls).toHaveLength(0);
  });

  it("sends plaintext without any authorization header", async () => {
    const { server, client } = await setup();
    await client.analyzePlan({ case: "sparkVersion", value: {} });
    expect(server.calls[0]?.metadata.authorization).toBeUndefined();
  });
});

describe("unary retries", () => {
  it("retries UNAVAILABLE with PySpark's backoff and succeeds", async () => {
    const { server, client } = await setup();
    clock.waits.length = 0;
    server.unaryFaults.set("AnalyzePlan", unavailable(3));
    const response = await client.analyzePlan({ case: "sparkVersion", value: {} });
    expect(response.result.case).toBe("sparkVersion");
    expect(clock.waits).toEqual([50, 200, 800]);
  });

  it("waits at least the server's RetryInfo delay", async () => {
    const { server, client } = await setup();
    clock.waits.length = 0;
    server.unaryFaults.set("Config", [
      sparkError({ code: 8, message: "[BUSY] try later", errorClass: "BUSY", retryDelayMs: 1500 }),
    ]);
    await client.config({ opType: { case: "getAll", value: {} } });
    expect(clock.waits).toEqual([1500]);
  });

  it("uses replaced policies", async () => {
    const { server, client } = await setup();
    client.setRetryPolicies([retryPolicy({ name: "Quick", maxRetries: 1, initialBackoffMs: 7 })]);
    server.unaryFaults.set("AnalyzePlan", unavailable(2));
    const error = await client.analyzePlan({ case: "sparkVersion", value: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExceeded);
    expect((error as RetriesExceeded).attempts).toBe(2);
  });
});

describe("typed errors", () => {
  it("builds the error from FetchErrorDetails: full message, contexts, cause chain and stack", async () => {
    const { server, client } = await setup();
    server.unaryFaults.set("AnalyzePlan", [
      sparkError({
        code: 13,
        message: "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be … (truncated)",
        errorClass: "TABLE_OR_VIEW_NOT_FOUND",
        sqlState: "42P01",
        classes: ["org.apache.spark.sql.catalyst.ExtendedAnalysisException", "org.apache.spark.sql.AnalysisException"],
        errorId: "e-1",
        details: {
          rootErrorIdx: 0,
          errors: [
            {
              errorTypeHierarchy: ["org.apache.spark.sql.AnalysisException", "java.lang.Exception"],
              message: "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. SQLSTATE: 42P01",
              stackTrace: [
                { declaringClass: "org.apache.spark.sql.Foo", methodName: "bar", fileName: "Foo.scala", lineNumber: 7 },
              ],
              causeIdx: 1,
              sparkThrowable: {
                errorClass: "TABLE_OR_VIEW_NOT_FOUND",
                sqlState: "42P01",
                messageParameters: { relationName: "`nope`" },
                queryContexts: [{ objectType: "", startIndex: 14, stopIndex: 17, fragment: "nope" }],
              },
            },
            { errorTypeHierarchy: ["java.lang.IllegalStateException"], message: "inner" },
          ],
        },
      }),
    ]);
    const error = await client.analyzePlan({ case: "sparkVersion", value: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisException);
    const e = error as AnalysisException;
    expect(e.message).toBe("[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. SQLSTATE: 42P01");
    expect(e.errorClass).toBe("TABLE_OR_VIEW_NOT_FOUND");
    expect(e.sqlState).toBe("42P01");
    expect(e.messageParameters).toEqual({ relationName: "`nope`" });
    expect(e.queryContexts[0]).toMatchObject({ contextType: "sql", startIndex: 14, stopIndex: 17, fragment: "nope" });
    expect(e.grpcCode).toBe(13);
    expect(e.errorId).toBe("e-1");
    expect(e.serverStackTrace).toContain("\tat org.apache.spark.sql.Foo.bar(Foo.scala:7)");
    expect(e.serverStackTrace).toContain("Caused by: java.lang.IllegalStateException: inner");
    expect((e.cause as SparkConnectError).message).toBe("inner");
    expect(server.requests<FetchErrorDetailsRequest>("FetchErrorDetails")[0]?.errorId).toBe("e-1");
  });

  it("falls back to ErrorInfo when FetchErrorDetails fails, and picks the most specific class", async () => {
    const { server, client } = await setup();
    server.unaryFaults.set("FetchErrorDetails", unavailable(1));
    server.streamFaults.push(
      sparkError({
        code: 13,
        message: "[PARSE_SYNTAX_ERROR] Syntax error at or near 'selec'. SQLSTATE: 42601",
        errorClass: "PARSE_SYNTAX_ERROR",
        sqlState: "42601",
        messageParameters: { error: "'selec'", hint: "" },
        classes: ["org.apache.spark.sql.catalyst.parser.ParseException", "org.apache.spark.sql.AnalysisException"],
        errorId: "e-2",
      }),
    );
    const error = await drain(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseException);
    expect((error as ParseException).messageParameters).toEqual({ error: "'selec'", hint: "" });
    expect(server.requests("FetchErrorDetails")).toHaveLength(1); // one try, no retries
  });
});

describe("cancellation, progress, tags", () => {
  it("an aborted ExecutePlan sends Interrupt for its operation and ends the stream", async () => {
    const { server, client } = await setup({ results: () => idBatches(10, 2) });
    server.streamFaults.push(stall(2));
    const controller = new AbortController();
    const reason = new Error("user cancelled");
    const kinds: string[] = [];
    const error = await (async () => {
      for await (const event of client.executePlan(plan, { signal: controller.signal })) {
        kinds.push(event.kind);
        if (kinds.length === 2) setTimeout(() => controller.abort(reason), 10);
      }
    })().catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(kinds).toEqual(["arrow", "arrow"]);
    await server.waitFor(() => server.requests("Interrupt").length === 1);
    const interrupt = server.requests<InterruptRequest>("Interrupt")[0]!;
    const operationId = server.requests<ExecutePlanRequest>("ExecutePlan")[0]!.operationId;
    expect(interrupt.interrupt).toEqual({ case: "operationId", value: operationId });
    await server.waitFor(() => server.openStreams === 0);
  });

  it("reports progress to per-call and session handlers, then once with done=true", async () => {
    const { client } = await setup({
      results: () => [
        progress([{ stageId: 0, numTasks: 0 }]),
        progress([{ stageId: 0, numTasks: 4, done: 1 }]),
        progress([
          { stageId: 0, numTasks: 4, done: 4 },
          { stageId: 1, numTasks: 2 },
        ]),
        resultComplete(),
      ],
    });
    const perCall: ProgressUpdate[] = [];
    const session: ProgressUpdate[] = [];
    client.addProgressHandler((u) => session.push(u));
    const kinds = await drain(client, { onProgress: (u: ProgressUpdate) => perCall.push(u) });
    expect(kinds).toEqual(["progress", "progress", "progress", "complete"]);
    // The first update has no tasks yet, so handlers skip it, as PySpark does.
    expect(perCall.map((u) => u.done)).toEqual([false, false, true]);
    expect(perCall[1]?.stages.map((s) => s.numCompletedTasks)).toEqual([4n, 0n]);
    expect(perCall[2]?.stages).toEqual(perCall[1]?.stages);
    expect(session).toEqual(perCall);
  });

  it("sends session and per-call tags, validating them", async () => {
    const { server, client } = await setup();
    client.addTag("etl");
    await drain(client, { tags: ["nightly"] });
    expect(server.requests<ExecutePlanRequest>("ExecutePlan")[0]?.tags).toEqual(["etl", "nightly"]);
    expect(() => client.addTag("a,b")).toThrow(/without ","/);
    expect(client.getTags()).toEqual(["etl"]);
    await client.interruptTag("etl");
    expect(server.requests<InterruptRequest>("Interrupt")[0]?.interrupt).toEqual({
      case: "operationTag",
      value: "etl",
    });
  });
});

describe("results and lifecycle", () => {
  it("reassembles chunked Arrow batches", async () => {
    const ipc = tableToIPC(tableFromArrays({ id: BigInt64Array.from([1n, 2n, 3n]) }), "stream");
    const third = Math.ceil(ipc.byteLength / 3);
    const chunk = (i: number) => ({
      responseType: {
        case: "arrowBatch" as const,
        value: {
          rowCount: 3n,
          data: ipc.subarray(i * third, (i + 1) * third),
          chunkIndex: BigInt(i),
          numChunksInBatch: 3n,
          startOffset: 0n,
        },
      },
    });
    const { server, client } = await setup({ results: () => [chunk(0), chunk(1), chunk(2), resultComplete()] });
    const events = [];
    for await (const event of client.executePlan(plan)) events.push(event);
    expect(events.map((e) => e.kind)).toEqual(["arrow", "complete"]);
    const arrow = events[0] as { ipc: Uint8Array; rowCount: bigint; startOffset: bigint };
    expect([...tableFromIPC(arrow.ipc).getChild("id")!]).toEqual([1n, 2n, 3n]);
    expect(arrow.rowCount).toBe(3n);
    expect(arrow.startOffset).toBe(0n);
    expect(
      server.requests<ExecutePlanRequest>("ExecutePlan")[0]?.requestOptions.map((o) => o.requestOption.case),
    ).toEqual(["reattachOptions", "resultChunkingOptions"]);
  });

  it("close ends a running ExecutePlan instead of retrying on a closed channel", async () => {
    const { server, client } = await setup({ results: () => idBatches(10, 2) });
    server.streamFaults.push(stall(1));
    const seen: string[] = [];
    const outcome = (async () => {
      for await (const event of client.executePlan(plan)) {
        seen.push(event.kind);
        void client.close();
      }
    })().catch((e: unknown) => e);
    expect(await outcome).toMatchObject({ errorClass: "NO_ACTIVE_SESSION" });
    expect(seen).toEqual(["arrow"]);
    expect(server.requests("ReattachExecute")).toHaveLength(0);
    await server.waitFor(() => server.openStreams === 0);
  });

  it("close sends ReleaseSession once and refuses later calls", async () => {
    const { server, client } = await setup();
    await client.analyzePlan({ case: "sparkVersion", value: {} });
    await Promise.all([client.close(), client.close()]);
    await client.close();
    const releases = server.requests<ReleaseSessionRequest>("ReleaseSession");
    expect(releases).toHaveLength(1);
    expect(releases[0]?.sessionId).toBe(client.sessionId);
    await expect(drain(client)).rejects.toMatchObject({ errorClass: "NO_ACTIVE_SESSION" });
    await expect(client.config({ opType: { case: "getAll", value: {} } })).rejects.toMatchObject({
      errorClass: "NO_ACTIVE_SESSION",
    });
  });
});
