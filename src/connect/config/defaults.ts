/**
 * Defaults of the Spark Connect client: ports, gRPC limits and keepalive, the retry policy and the
 * default remote. Constants that mirror another client name the file they come from, so drift is
 * visible when Spark changes them.
 */

/** Default Spark Connect port (sql/connect/docs/client-connection-string.md). */
export const DEFAULT_PORT = 15002;

/** Used when neither --remote nor SPARK_REMOTE says otherwise: the local server `retail-lab spark start` runs. */
export const DEFAULT_REMOTE = `sc://127.0.0.1:${DEFAULT_PORT}`;

/**
 * 128 MiB, the default of `grpc_max_message_size` in the connection-string spec and of PySpark's
 * ChannelBuilder. The server's own limit (spark.connect.grpc.maxInboundMessageSize) is also 128 MiB.
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 128 * 1024 * 1024;

/**
 * HTTP/2 keepalive pings while a call is active. grpc-java's Netty server (which Spark Connect uses)
 * answers pings more frequent than its permitKeepAliveTime (default 5 min) with GOAWAY "too_many_pings",
 * so the interval stays just above it. Pings are sent only during calls, which the server also requires.
 */
export const KEEPALIVE_TIME_MS = 330_000;
export const KEEPALIVE_TIMEOUT_MS = 20_000;

/**
 * HTTP/2 receive window of the channel. The default (64 KiB) makes the server wait for a WINDOW_UPDATE
 * every 64 KiB of a multi-MiB Arrow batch; 16 MiB lets results stream at loopback speed (measured: a
 * 1M-row, 51 MB result arrived about 40% sooner).
 */
export const FLOW_CONTROL_WINDOW_BYTES = 16 * 1024 * 1024;

/** PySpark's default application name is `_SPARK_CONNECT_PYTHON`; ours names the language the same way. */
export const DEFAULT_USER_AGENT = "_SPARK_CONNECT_TYPESCRIPT";
/** PySpark rejects longer user agents (ChannelBuilder.userAgent); so do we. */
export const MAX_USER_AGENT_LENGTH = 2048;

/**
 * The default retry policy, synchronised with PySpark `DefaultPolicy`
 * (python/pyspark/sql/connect/client/retries.py) and Scala `RetryPolicy.defaultPolicy`
 * (sql/connect/common/.../client/RetryPolicy.scala). The constants are chosen so that the total
 * tolerated wait is at least 10 minutes: 50, 200, 800, 3200, 12800, 51200, then 60000 ms × 9 ≈ 608 s,
 * plus up to 500 ms of jitter on each wait of 2 s or more.
 */
export const DEFAULT_RETRY = {
  maxRetries: 15,
  initialBackoffMs: 50,
  backoffMultiplier: 4,
  maxBackoffMs: 60_000,
  jitterMs: 500,
  minJitterThresholdMs: 2_000,
  /** Upper bound on a server-suggested wait (google.rpc.RetryInfo); Swift's RetryPolicy uses the same 10 min. */
  maxServerRetryDelayMs: 10 * 60_000,
} as const;

/**
 * How many times an ExecutePlan is re-issued from scratch when the server lost the operation or session
 * before sending anything (INVALID_HANDLE.OPERATION_NOT_FOUND / SESSION_NOT_FOUND). PySpark's loop was
 * unbounded until SPARK-58162 bounded it; a small bound is enough because the restart is immediate.
 */
export const MAX_EXECUTE_RESTARTS = 3;

/**
 * The remote to use when the caller gives none: `SPARK_REMOTE` (as PySpark and the other Connect clients
 * read it), else the local loopback server.
 */
export function defaultRemote(env: NodeJS.ProcessEnv = process.env): string {
  const remote = env.SPARK_REMOTE?.trim();
  return remote ? remote : DEFAULT_REMOTE;
}
