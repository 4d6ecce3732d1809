/** Public surface of the Spark Connect transport: the client factory, connection strings and retry policies. */
export {
  type ConnectionConfig,
  formatConnectionString,
  InvalidConnectionStringError,
  parseConnectionString,
} from "../config/connection-string.ts";
export { DEFAULT_REMOTE, defaultRemote } from "../config/defaults.ts";
export { type Logger, silentLogger } from "../logger.ts";
export type * from "./client.ts";
export { type ClientOptions, createClient, GrpcSparkConnectClient } from "./grpc-client.ts";
export {
  DEFAULT_RETRY_POLICY,
  isRetryableByDefault,
  Retrier,
  type RetryEnvironment,
  RetryException,
  type RetryPolicy,
  realSleep,
  retryPolicy,
  type Sleep,
  withRetries,
} from "./retry.ts";
export type { RpcOptions, Transport } from "./transport.ts";
