/**
 * sc:// connection strings, table-driven, against the examples and rules of Spark's
 * sql/connect/docs/client-connection-string.md.
 */
import { describe, expect, it } from "vitest";
import {
  type ConnectionConfig,
  formatConnectionString,
  InvalidConnectionStringError,
  parseConnectionString,
} from "../../../../src/connect/config/connection-string.ts";
import { DEFAULT_REMOTE, defaultRemote } from "../../../../src/connect/config/defaults.ts";

const base: ConnectionConfig = {
  host: "myhost.com",
  port: 15002,
  useSsl: false,
  grpcMaxMessageSize: 128 * 1024 * 1024,
  headers: {},
};

describe("parseConnectionString: valid", () => {
  const cases: Array<[string, Partial<ConnectionConfig>]> = [
    ["sc://myhost.com/", {}],
    ["sc://myhost.com", {}],
    ["sc://myhost.com:443/;use_ssl=true", { port: 443, useSsl: true }],
    ["sc://myhost.com:443/;use_ssl=true;token=ABCDEFG", { port: 443, useSsl: true, token: "ABCDEFG" }],
    ["sc://myhost.com:443/;token=ABCDEFG", { port: 443, useSsl: true, token: "ABCDEFG" }],
    ["sc://myhost.com/;use_ssl=FALSE", {}],
    ["sc://127.0.0.1:15003", { host: "127.0.0.1", port: 15003 }],
    ["sc://[::1]:15002", { host: "::1" }],
    ["sc://[fe80::1]", { host: "fe80::1" }],
    [
      "sc://myhost.com/;user_id=Martin;user_agent=my_data_query_app",
      { userId: "Martin", userAgent: "my_data_query_app" },
    ],
    [
      "sc://myhost.com/;session_id=550E8400-E29B-41D4-A716-446655440000",
      { sessionId: "550e8400-e29b-41d4-a716-446655440000" },
    ],
    ["sc://myhost.com/;grpc_max_message_size=268435456", { grpcMaxMessageSize: 268435456 }],
    ["sc://myhost.com/;x-cluster-id=abc;Trace.Id=t%3B1", { headers: { "x-cluster-id": "abc", "trace.id": "t;1" } }],
    ["sc://myhost.com/;user_id=J%C3%BCrgen%20M", { userId: "Jürgen M" }],
    ["sc://myhost.com/;;user_id=a;", { userId: "a" }],
    ["sc://myhost.com/;token=a=b", { token: "a=b", useSsl: true }],
  ];
  it.each(cases)("%s", (url, expected) => {
    expect(parseConnectionString(url)).toEqual({ ...base, ...expected });
  });
});

describe("parseConnectionString: invalid", () => {
  const cases: Array<[string, RegExp]> = [
    ["sc://myhost.com:443/mypathprefix/;token=AAAAAAA", /path must be empty/],
    ["http://myhost.com", /scheme must be "sc:\/\/"/],
    ["myhost.com:15002", /scheme/],
    ["sc://", /host is missing/],
    ["sc://:15002", /not a valid host/],
    ["sc://myhost.com:0", /between 1 and 65535/],
    ["sc://myhost.com:70000", /between 1 and 65535/],
    ["sc://myhost.com:abc", /port must be a number/],
    ["sc://a:1:2", /host\[:port\]/],
    ["sc://my_host!.com", /not a valid host/],
    ["sc://user@myhost.com", /user information/],
    ["sc://myhost.com?token=x", /query strings/],
    ["sc://myhost.com;token=x", /must follow "\/"/],
    ["sc://myhost.com/;use_ssl=yes", /use_ssl must be "true" or "false"/],
    ["sc://myhost.com/;session_id=abc", /session_id must be a UUID/],
    ["sc://myhost.com/;grpc_max_message_size=-1", /positive integer/],
    ["sc://myhost.com/;grpc_max_message_size=0", /between 1 and/],
    ["sc://myhost.com/;token=", /token must not be empty/],
    ["sc://myhost.com/;novalue", /key=value/],
    ["sc://myhost.com/;=x", /key=value/],
    ["sc://myhost.com/;user_id=a;user_id=b", /more than once/],
    ["sc://myhost.com/;Token=x", /case-sensitive: write "token"/],
    ["sc://myhost.com/;x-bin=1", /cannot be sent as gRPC metadata/],
    ["sc://myhost.com/;grpc-timeout=1", /cannot be sent as gRPC metadata/],
    ["sc://myhost.com/;bad%ZZ=1", /not valid URL encoding/],
    ["sc://[::1", /closing "\]"/],
    [`sc://myhost.com/;user_agent=${"a".repeat(2049)}`, /at most 2048/],
  ];
  it.each(cases)("%s", (url, message) => {
    expect(() => parseConnectionString(url)).toThrow(InvalidConnectionStringError);
    expect(() => parseConnectionString(url)).toThrow(message);
  });

  it("never echoes a token in its error message", () => {
    expect(() => parseConnectionString("sc://myhost.com/bad/;token=SECRET")).toThrow(/token=\*\*\*/);
    expect(() => parseConnectionString("sc://myhost.com/bad/;token=SECRET")).not.toThrow(/SECRET/);
  });
});

describe("formatConnectionString", () => {
  it("round-trips and hides the token unless asked", () => {
    const url = "sc://myhost.com:443/;token=s%3Bcret;user_id=ann;session_id=550e8400-e29b-41d4-a716-446655440000;x-a=1";
    const config = parseConnectionString(url);
    expect(formatConnectionString(config)).not.toContain("cret");
    expect(parseConnectionString(formatConnectionString(config, { includeToken: true }))).toEqual(config);
    expect(formatConnectionString(parseConnectionString("sc://[::1]"))).toBe("sc://[::1]:15002");
  });
});

describe("defaultRemote", () => {
  it("prefers SPARK_REMOTE and falls back to the loopback server", () => {
    expect(defaultRemote({ SPARK_REMOTE: "sc://spark:15002" })).toBe("sc://spark:15002");
    expect(defaultRemote({ SPARK_REMOTE: "  " })).toBe(DEFAULT_REMOTE);
    expect(defaultRemote({})).toBe("sc://127.0.0.1:15002");
  });
});
