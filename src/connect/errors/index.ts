/** Public surface of the Spark Connect errors: typed exceptions and the gRPC → Spark error conversion. */
export {
  AnalysisException,
  ArithmeticException,
  ArrayIndexOutOfBoundsException,
  DateTimeException,
  errorClassFor,
  IllegalArgumentException,
  JVM_EXCEPTION_CLASSES,
  NumberFormatException,
  ParseException,
  type QueryContext,
  QueryExecutionException,
  RetriesExceeded,
  SparkConnectError,
  type SparkConnectErrorInit,
  SparkException,
  SparkNoSuchElementException,
  SparkRuntimeException,
  SparkUpgradeException,
  StreamingQueryException,
  TempTableAlreadyExistsException,
  UnsupportedOperationException,
} from "./errors.ts";
export { type ErrorDetailsFetcher, errorClassOf, errorInfoOf, fromRpcError, retryDelayOf } from "./from-grpc.ts";
export { GrpcCode, grpcCodeName } from "./grpc-code.ts";
export { RpcError } from "./rpc-error.ts";
