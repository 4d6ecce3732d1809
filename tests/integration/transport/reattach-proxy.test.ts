/**
 * Fault injection against the real server: a TCP proxy drops the connection twice in the middle of a
 * multi-batch result. Reattach must resume after the last response received, so every id arrives exactly
 * once (count, sum and a per-id bitmap agree).
 */

import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseConnectionString } from "../../../src/connect/config/connection-string.ts";
import { createClient, type GrpcSparkConnectClient, type Logger } from "../../../src/connect/transport/index.ts";
import { TcpProxy } from "../../fakes/tcp-proxy.ts";
import { sqlPlan } from "./helpers.ts";

const N = 3_000_000;
let proxy: TcpProxy;
let client: GrpcSparkConnectClient;
const messages: string[] = [];
const logger: Logger = { debug: (m) => messages.push(m), warn: (m) => messages.push(m) };

beforeAll(async () => {
  const target = parseConnectionString(inject("sparkRemote"));
  // ~24 MB of Arrow flows for N ids; cut the first connection after 4 MB and the second after 3 MB.
  proxy = await TcpProxy.start({
    targetHost: target.host,
    targetPort: target.port,
    cutAfterBytes: [4_000_000, 3_000_000],
  });
  client = createClient({ ...target, host: "127.0.0.1", port: proxy.port }, { logger });
});
afterAll(async () => {
  await client.close();
  await proxy.close();
});

describe("reattach through a failing network", () => {
  it("delivers every row of a multi-batch result exactly once", async () => {
    const seen = new Uint8Array(N);
    let count = 0;
    let sum = 0n;
    let duplicates = 0;
    let batches = 0;
    for await (const event of client.executePlan(sqlPlan(`select id from range(0, ${N}, 1, 4)`))) {
      if (event.kind !== "arrow") continue;
      batches += 1;
      const ids = tableFromIPC(event.ipc).getChild("id")!.toArray() as BigInt64Array;
      for (const id of ids) {
        const i = Number(id);
        if (seen[i]) duplicates += 1;
        seen[i] = 1;
        count += 1;
        sum += id;
      }
    }
    expect(proxy.cuts).toBe(2);
    expect(proxy.connections).toBeGreaterThanOrEqual(3);
    expect(messages.filter((m) => m.startsWith("reattaching")).length).toBeGreaterThanOrEqual(2);
    expect(batches).toBeGreaterThan(10);
    expect(duplicates).toBe(0);
    expect(count).toBe(N);
    expect(sum).toBe((BigInt(N) * BigInt(N - 1)) / 2n);
    expect(seen.every((s) => s === 1)).toBe(true);
  });
});
