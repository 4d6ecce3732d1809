/**
 * Error mapping: google.rpc wire encoding, ErrorInfo → typed errors via the one JVM class table, and
 * the fallbacks when details are missing, truncated or unavailable.
 */
import { describe, expect, it } from "vitest";
import {
  AnalysisException,
  ArithmeticException,
  DateTimeException,
  errorClassFor,
  IllegalArgumentException,
  NumberFormatException,
  ParseException,
  SparkConnectError,
  SparkException,
  SparkRuntimeException,
  StreamingQueryException,
  UnsupportedOperationException,
} from "../../../../src/connect/errors/errors.ts";
import { errorClassOf, errorInfoOf, fromRpcError, retryDelayOf } from "../../../../src/connect/errors/from-grpc.ts";
import {
  decodeErrorInfo,
  decodeRetryInfo,
  decodeRpcStatus,
  ERROR_INFO_TYPE_URL,
  encodeErrorInfo,
  encodeRetryInfo,
  encodeRpcStatus,
  RETRY_INFO_TYPE_URL,
} from "../../../../src/connect/errors/google-rpc.ts";
import { RpcError } from "../../../../src/connect/errors/rpc-error.ts";

function rpcWithInfo(metadata: Record<string, string>, rawMessage = "[X] failed", reason = "") {
  const status = encodeRpcStatus({
    code: 13,
    message: rawMessage,
    details: [
      { typeUrl: ERROR_INFO_TYPE_URL, value: encodeErrorInfo({ reason, domain: "org.apache.spark", metadata }) },
    ],
  });
  return new RpcError({
    code: 13,
    rawMessage,
    method: "ExecutePlan",
    trailers: new Map([["grpc-status-details-bin", [status]]]),
  });
}

describe("google.rpc wire format", () => {
  it("encodes ErrorInfo with the proto field numbers", () => {
    const bytes = encodeErrorInfo({ reason: "R", domain: "D", metadata: { k: "v" } });
    // reason=1 "R", domain=2 "D", metadata=3 { key=1 "k", value=2 "v" }
    expect([...bytes]).toEqual([0x0a, 1, 0x52, 0x12, 1, 0x44, 0x1a, 6, 0x0a, 1, 0x6b, 0x12, 1, 0x76]);
    expect(decodeErrorInfo(bytes)).toEqual({ reason: "R", domain: "D", metadata: { k: "v" } });
  });

  it("encodes RetryInfo as a Duration of seconds and nanos", () => {
    const bytes = encodeRetryInfo(1500);
    // retry_delay=1 { seconds=1 1, nanos=2 500000000 }
    expect([...bytes]).toEqual([0x0a, 8, 0x08, 1, 0x10, 0x80, 0xca, 0xb5, 0xee, 0x01]);
    expect(decodeRetryInfo(bytes)).toEqual({ retryDelayMs: 1500 });
  });

  it("round-trips Status and skips unknown fields", () => {
    const status = { code: 13, message: "m", details: [{ typeUrl: RETRY_INFO_TYPE_URL, value: encodeRetryInfo(250) }] };
    const withUnknown = new Uint8Array([...encodeRpcStatus(status), 0x20, 0x07]); // field 4 varint
    expect(decodeRpcStatus(withUnknown)).toEqual(status);
  });
});

describe("JVM class table", () => {
  it.each([
    [["org.apache.spark.sql.catalyst.parser.ParseException", "org.apache.spark.sql.AnalysisException"], ParseException],
    [
      ["org.apache.spark.sql.catalyst.ExtendedAnalysisException", "org.apache.spark.sql.AnalysisException"],
      AnalysisException,
    ],
    [
      [
        "org.apache.spark.SparkNumberFormatException",
        "java.lang.NumberFormatException",
        "java.lang.IllegalArgumentException",
      ],
      NumberFormatException,
    ],
    [
      ["org.apache.spark.SparkIllegalArgumentException", "java.lang.IllegalArgumentException"],
      IllegalArgumentException,
    ],
    [["org.apache.spark.SparkArithmeticException", "java.lang.ArithmeticException"], ArithmeticException],
    [
      ["org.apache.spark.SparkUnsupportedOperationException", "java.lang.UnsupportedOperationException"],
      UnsupportedOperationException,
    ],
    [["org.apache.spark.SparkDateTimeException", "java.time.DateTimeException"], DateTimeException],
    [["org.apache.spark.SparkRuntimeException", "java.lang.RuntimeException"], SparkRuntimeException],
    [["org.apache.spark.sql.streaming.StreamingQueryException"], StreamingQueryException],
    [["org.apache.spark.SparkSQLException", "org.apache.spark.SparkException"], SparkException],
    [["java.lang.IllegalStateException"], SparkConnectError],
    [[], SparkConnectError],
  ])("%j → %o", (classes, expected) => {
    expect(errorClassFor(classes)).toBe(expected);
  });

  it("keeps the subclass relations PySpark has", () => {
    const parse = new ParseException({ message: "x" });
    expect(parse).toBeInstanceOf(AnalysisException);
    expect(parse).toBeInstanceOf(SparkConnectError);
    expect(parse).toBeInstanceOf(Error);
    expect(new NumberFormatException({ message: "x" })).toBeInstanceOf(IllegalArgumentException);
    expect(parse.name).toBe("ParseException");
  });
});

describe("fromRpcError", () => {
  it("maps ErrorInfo metadata when no details can be fetched", async () => {
    const error = rpcWithInfo({
      errorClass: "DIVIDE_BY_ZERO",
      sqlState: "22012",
      messageParameters: JSON.stringify({ config: '"spark.sql.ansi.enabled"' }),
      classes: JSON.stringify(["org.apache.spark.SparkArithmeticException", "java.lang.ArithmeticException"]),
      stackTrace: "at X.y",
    });
    const converted = (await fromRpcError(error)) as ArithmeticException;
    expect(converted).toBeInstanceOf(ArithmeticException);
    expect(converted).toMatchObject({
      message: "[X] failed",
      errorClass: "DIVIDE_BY_ZERO",
      sqlState: "22012",
      messageParameters: { config: '"spark.sql.ansi.enabled"' },
      grpcCode: 13,
      serverStackTrace: "at X.y",
    });
    expect(converted.cause).toBe(error);
    expect(converted.getCondition()).toBe("DIVIDE_BY_ZERO");
  });

  it("survives truncated JSON metadata by falling back to the ErrorInfo reason", async () => {
    const error = rpcWithInfo(
      { classes: '["org.apache.spark.sql.Analysis', messageParameters: '{"a":' },
      "m",
      "org.apache.spark.sql.AnalysisException",
    );
    const converted = (await fromRpcError(error)) as SparkConnectError;
    expect(converted).toBeInstanceOf(AnalysisException);
    expect(converted.messageParameters).toEqual({});
  });

  it("asks for details once and ignores a failing fetch", async () => {
    const error = rpcWithInfo({ errorId: "id-1", errorClass: "E" });
    const asked: string[] = [];
    const converted = (await fromRpcError(error, async (id) => {
      asked.push(id);
      throw new Error("down");
    })) as SparkConnectError;
    expect(asked).toEqual(["id-1"]);
    expect(converted.errorClass).toBe("E");
    expect(converted.errorId).toBe("id-1");
  });

  it("wraps an error without details, keeping the gRPC code", async () => {
    const error = new RpcError({ code: 14, rawMessage: "Connection refused", method: "Config" });
    const converted = (await fromRpcError(error)) as SparkConnectError;
    expect(converted.constructor).toBe(SparkConnectError);
    expect(converted.grpcCode).toBe(14);
    expect(converted.message).toContain("Connection refused");
  });

  it("passes through anything that is not an RpcError", async () => {
    const abort = new DOMException("aborted", "AbortError");
    expect(await fromRpcError(abort)).toBe(abort);
  });

  it("reads the error class and retry delay of a raw error", () => {
    expect(errorClassOf(rpcWithInfo({ errorClass: "A.B" }))).toBe("A.B");
    expect(
      errorClassOf(new RpcError({ code: 13, rawMessage: "[INVALID_HANDLE.OPERATION_NOT_FOUND] x", method: "m" })),
    ).toBe("INVALID_HANDLE.OPERATION_NOT_FOUND");
    expect(errorInfoOf(new RpcError({ code: 13, rawMessage: "x", method: "m" }))).toBeUndefined();
    const garbage = new RpcError({
      code: 13,
      rawMessage: "x",
      method: "m",
      trailers: new Map([["grpc-status-details-bin", [new Uint8Array([0xff, 0xff])]]]),
    });
    expect(errorInfoOf(garbage)).toBeUndefined();
    expect(retryDelayOf(garbage)).toBeUndefined();
  });
});
