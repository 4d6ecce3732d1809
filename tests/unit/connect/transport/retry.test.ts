/** The retry loop on a fake clock: PySpark's schedule, jitter, RetryInfo, policy order, budgets, abort. */
import { describe, expect, it } from "vitest";
import { RetriesExceeded } from "../../../../src/connect/errors/errors.ts";
import { encodeRetryInfo, encodeRpcStatus, RETRY_INFO_TYPE_URL } from "../../../../src/connect/errors/google-rpc.ts";
import { GrpcCode } from "../../../../src/connect/errors/grpc-code.ts";
import { RpcError } from "../../../../src/connect/errors/rpc-error.ts";
import {
  DEFAULT_RETRY_POLICY,
  isRetryableByDefault,
  RetryException,
  retryPolicy,
  withRetries,
} from "../../../../src/connect/transport/retry.ts";
import { FakeClock, fixedRandom } from "../../../fakes/fake-clock.ts";

const rpc = (code: number, rawMessage = "boom", trailers = new Map<string, Uint8Array[]>()) =>
  new RpcError({ code, rawMessage, method: "Config", trailers });

function failing(errors: unknown[], result = "ok") {
  let calls = 0;
  const fn = async () => {
    const error = errors[calls++];
    if (error !== undefined) throw error;
    return result;
  };
  return { fn, calls: () => calls };
}

describe("default policy", () => {
  it("has PySpark's constants", () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({
      maxRetries: 15,
      initialBackoffMs: 50,
      backoffMultiplier: 4,
      maxBackoffMs: 60_000,
      jitterMs: 500,
      minJitterThresholdMs: 2_000,
    });
  });

  it.each([
    [rpc(GrpcCode.UNAVAILABLE), true],
    [rpc(GrpcCode.INTERNAL, "[INVALID_CURSOR.DISCONNECTED] another reattach took over"), true],
    [rpc(GrpcCode.INTERNAL, "[TABLE_OR_VIEW_NOT_FOUND]"), false],
    [rpc(GrpcCode.INVALID_ARGUMENT), false],
    [rpc(GrpcCode.DEADLINE_EXCEEDED), false],
    [new RetryException(), true],
    [new Error("UNAVAILABLE"), false],
  ])("retries %s: %s", (error, expected) => {
    expect(isRetryableByDefault(error)).toBe(expected);
  });

  it("waits 50, 200, 800, 3200, 12800, 51200 then 60000 ms, jittering waits of 2 s and more", async () => {
    const clock = new FakeClock();
    const { fn, calls } = failing(Array(15).fill(rpc(GrpcCode.UNAVAILABLE)));
    await expect(withRetries(fn, [DEFAULT_RETRY_POLICY], { sleep: clock.sleep, random: () => 0.5 })).resolves.toBe(
      "ok",
    );
    expect(calls()).toBe(16);
    expect(clock.waits).toEqual([50, 200, 800, 3450, 13050, 51450, ...Array(9).fill(60250)]);
    expect(clock.now).toBeGreaterThanOrEqual(600_000); // at least 10 minutes tolerated
  });

  it("gives up after 15 retries with RetriesExceeded carrying the last cause", async () => {
    const clock = new FakeClock();
    const last = rpc(GrpcCode.UNAVAILABLE, "last");
    const { fn, calls } = failing([...Array(15).fill(rpc(GrpcCode.UNAVAILABLE)), last]);
    const error = await withRetries(fn, [DEFAULT_RETRY_POLICY], { sleep: clock.sleep, random: () => 0 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(RetriesExceeded);
    expect(error).toMatchObject({ errorClass: "RETRIES_EXCEEDED", attempts: 16, grpcCode: 14 });
    expect(error.cause).toBe(last);
    expect(calls()).toBe(16);
  });

  it("rethrows a non-retryable error at once", async () => {
    const clock = new FakeClock();
    const bad = rpc(GrpcCode.INVALID_ARGUMENT);
    const { fn } = failing([bad]);
    await expect(withRetries(fn, [DEFAULT_RETRY_POLICY], { sleep: clock.sleep })).rejects.toBe(bad);
    expect(clock.waits).toEqual([]);
  });
});

describe("policies as data", () => {
  it("honours RetryInfo as a floor capped at maxServerRetryDelayMs", async () => {
    const withDelay = (ms: number) =>
      rpc(
        GrpcCode.RESOURCE_EXHAUSTED,
        "busy",
        new Map([
          [
            "grpc-status-details-bin",
            [
              encodeRpcStatus({
                code: 8,
                message: "busy",
                details: [{ typeUrl: RETRY_INFO_TYPE_URL, value: encodeRetryInfo(ms) }],
              }),
            ],
          ],
        ]),
      );
    const clock = new FakeClock();
    const { fn } = failing([withDelay(1234), withDelay(10), withDelay(3_600_000)]);
    await withRetries(fn, [DEFAULT_RETRY_POLICY], { sleep: clock.sleep, random: () => 0 });
    expect(clock.waits).toEqual([1234, 200, 600_000]);
  });

  it("consults policies in order, each with its own budget", async () => {
    const clock = new FakeClock();
    const busy = retryPolicy({
      name: "Busy",
      maxRetries: 2,
      initialBackoffMs: 1000,
      backoffMultiplier: 2,
      jitterMs: 0,
      canRetry: (e) => e instanceof RpcError && e.code === GrpcCode.RESOURCE_EXHAUSTED,
    });
    const down = retryPolicy({ name: "Down", maxRetries: 1, initialBackoffMs: 5 });
    const errors = [rpc(8), rpc(14), rpc(8), rpc(8)];
    const error = await withRetries(failing(errors).fn, [busy, down], { sleep: clock.sleep }).catch((e) => e);
    expect(clock.waits).toEqual([1000, 5, 2000]);
    expect(error).toBeInstanceOf(RetriesExceeded);
  });

  it("retries RetryException without waiting or spending budget", async () => {
    const clock = new FakeClock();
    const policy = retryPolicy({ maxRetries: 0 });
    await expect(
      withRetries(failing([new RetryException(), new RetryException()]).fn, [policy], { sleep: clock.sleep }),
    ).resolves.toBe("ok");
    expect(clock.waits).toEqual([]);
  });

  it("rejects nonsense numbers with a message naming the field", () => {
    expect(() => retryPolicy({ maxRetries: -1 })).toThrow(/maxRetries must be a finite number ≥ 0, got -1/);
    expect(() => retryPolicy({ backoffMultiplier: 0.5 })).toThrow(/backoffMultiplier/);
    expect(() => retryPolicy({ maxRetries: 1.5 })).toThrow(/integer/);
  });

  it("uses the injected random for jitter", async () => {
    const clock = new FakeClock();
    const policy = retryPolicy({ initialBackoffMs: 2000, backoffMultiplier: 1, jitterMs: 100 });
    await withRetries(failing([rpc(14), rpc(14)]).fn, [policy], { sleep: clock.sleep, random: fixedRandom(0.1, 0.9) });
    expect(clock.waits).toEqual([2010, 2090]);
  });
});

describe("abort", () => {
  it("stops waiting as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const started = Date.now();
    const pending = withRetries(failing([rpc(14)]).fn, [retryPolicy({ initialBackoffMs: 60_000 })], {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("does not start when already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("early"));
    const { fn, calls } = failing([rpc(14)]);
    await expect(withRetries(fn, [DEFAULT_RETRY_POLICY], { signal: controller.signal })).rejects.toThrow("early");
    expect(calls()).toBe(0);
  });
});
