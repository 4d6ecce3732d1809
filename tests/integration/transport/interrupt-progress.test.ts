/**
 * Cancellation and progress against the real server: an AbortSignal interrupts a long query (the server
 * cancels its job and stays usable), interruptTag stops tagged work, and a multi-stage query reports
 * ExecutionProgress to its handlers, ending with exactly one done=true.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SparkConnectError } from "../../../src/connect/errors/index.ts";
import type { ProgressUpdate } from "../../../src/connect/transport/client.ts";
import { createClient, type GrpcSparkConnectClient } from "../../../src/connect/transport/index.ts";
import { runSql } from "./helpers.ts";

// Runs for hours on local[2] unless interrupted; every task checks for cancellation between rows.
const LONG_QUERY = "select max(id) as m from range(0, 1000000000000, 1, 2)";

let client: GrpcSparkConnectClient;

beforeAll(async () => {
  client = createClient(inject("sparkRemote"));
  // Report progress every 200 ms instead of the 2 s default, so a short query shows several updates.
  await client.config({
    opType: { case: "set", value: { pairs: [{ key: "spark.connect.progress.reportInterval", value: "200ms" }] } },
  });
});
afterAll(async () => {
  await client.close();
});

async function waitUntilRunning(updates: ProgressUpdate[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!updates.some((u) => u.stages.length > 0)) {
    if (Date.now() > deadline) throw new Error("the long query never reported progress");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("interrupting", () => {
  it("an AbortSignal interrupts a long query and the server stays usable", async () => {
    const controller = new AbortController();
    const updates: ProgressUpdate[] = [];
    const started = Date.now();
    const running = runSql(client, LONG_QUERY, {
      signal: controller.signal,
      tags: ["retail-lab-abort"],
      onProgress: (u) => updates.push(u),
    });
    await waitUntilRunning(updates);
    const reason = new Error("stop the long query");
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(updates.at(-1)?.done).toBe(true);
    // The operation is gone on the server: nothing left to interrupt under its tag.
    await new Promise((r) => setTimeout(r, 500));
    expect(await client.interruptTag("retail-lab-abort")).toEqual([]);
    const { rows } = await runSql(client, "select 41 + 1 as answer");
    expect(rows).toEqual([{ answer: 42 }]);
  });

  it("interruptTag cancels tagged operations, which fail with a typed error", async () => {
    const updates: ProgressUpdate[] = [];
    const running = runSql(client, LONG_QUERY, { tags: ["retail-lab-tagged"], onProgress: (u) => updates.push(u) });
    const outcome = running.catch((e: unknown) => e);
    await waitUntilRunning(updates);
    const interrupted = await client.interruptTag("retail-lab-tagged");
    expect(interrupted).toHaveLength(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(SparkConnectError);
    expect((error as SparkConnectError).errorClass).toBe("OPERATION_CANCELED");
    const { rows } = await runSql(client, "select 'still here' as s");
    expect(rows).toEqual([{ s: "still here" }]);
  });
});

describe("progress", () => {
  it("reports the stages of a multi-stage query to per-call and session handlers", async () => {
    const perCall: ProgressUpdate[] = [];
    const session: ProgressUpdate[] = [];
    const handler = (u: ProgressUpdate) => session.push(u);
    client.addProgressHandler(handler);
    try {
      const { rows, events } = await runSql(
        client,
        // Each stage sleeps longer than the report interval, so every stage is reported however fast the
        // machine: the map side once per input row (4 tasks × 2 rows × 150 ms), the reduce side 250 ms per group.
        `select k, c, java_method('java.lang.Thread', 'sleep', 250L) as pause from (
           select k, count(*) as c from (
             select id % 7 as k, java_method('java.lang.Thread', 'sleep', 150L) as pause from range(0, 8, 1, 4)
           ) group by k
         ) order by k`,
        { onProgress: (u) => perCall.push(u) },
      );
      expect(rows).toHaveLength(7);
      expect(rows.reduce((total, r) => total + (r.c as bigint), 0n)).toBe(8n);
      expect(events.filter((e) => e.kind === "progress").length).toBeGreaterThan(0);
    } finally {
      client.removeProgressHandler(handler);
    }
    expect(perCall.length).toBeGreaterThan(1);
    expect(perCall.filter((u) => u.done)).toHaveLength(1);
    expect(perCall.at(-1)?.done).toBe(true);
    const operationIds = new Set(perCall.map((u) => u.operationId));
    expect(operationIds.size).toBe(1);
    const stageIds = new Set(perCall.flatMap((u) => u.stages.map((s) => s.stageId)));
    expect(stageIds.size).toBeGreaterThan(1); // shuffle map + reduce stages at least
    expect(perCall.some((u) => u.stages.some((s) => s.numTasks > 0n && s.numCompletedTasks > 0n))).toBe(true);
    expect(session).toEqual(perCall);
  });
});
