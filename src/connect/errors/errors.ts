/**
 * Typed errors of the Spark Connect client. A server failure becomes a SparkConnectError subclass
 * chosen from the JVM exception class hierarchy by ONE table (JVM_EXCEPTION_CLASSES), and carries what
 * the server said: error class, SQL state, message parameters, query contexts, the gRPC code, the server
 * stack trace and the server-side cause chain (as `cause`).
 * @see PySpark python/pyspark/errors/exceptions/connect.py (EXCEPTION_CLASS_MAPPING, convert_exception)
 */

/** Where in the query text or DataFrame code an error arose (FetchErrorDetailsResponse.QueryContext). */
export interface QueryContext {
  contextType: "sql" | "dataframe";
  objectType: string;
  objectName: string;
  /** Character offsets into the SQL text, for `sql` contexts. */
  startIndex: number;
  stopIndex: number;
  fragment: string;
  /** The user code location, for `dataframe` contexts. */
  callSite: string;
  summary: string;
}

/** Everything a SparkConnectError may carry; only `message` is required. */
export interface SparkConnectErrorInit {
  message: string;
  errorClass?: string | undefined;
  sqlState?: string | undefined;
  messageParameters?: Record<string, string> | undefined;
  queryContexts?: QueryContext[] | undefined;
  grpcCode?: number | undefined;
  serverStackTrace?: string | undefined;
  jvmClasses?: string[] | undefined;
  errorId?: string | undefined;
  cause?: unknown;
}

/**
 * Base class of every error raised by the Spark Connect client for a server-side or protocol failure.
 * @example err.errorClass // "TABLE_OR_VIEW_NOT_FOUND"; err.sqlState // "42P01"
 */
export class SparkConnectError extends Error {
  override name = "SparkConnectError";
  /** Spark error class, like `TABLE_OR_VIEW_NOT_FOUND`; undefined for errors without one. */
  readonly errorClass: string | undefined;
  /** SQLSTATE, like `42P01`. */
  readonly sqlState: string | undefined;
  /** The values substituted into the error class message template, like `{ relationName: "`nope`" }`. */
  readonly messageParameters: Record<string, string>;
  /** Where in the query the error points (may be empty). */
  readonly queryContexts: QueryContext[];
  /** The gRPC status code of the failed call; undefined for client-side errors. */
  readonly grpcCode: number | undefined;
  /** JVM-style stack trace from the server, "Caused by:" sections included, when the server sent one. */
  readonly serverStackTrace: string | undefined;
  /** JVM exception class hierarchy, most specific first, like `["org.apache.spark.sql.AnalysisException", …]`. */
  readonly jvmClasses: string[];
  /** Server-side id of the error, used by FetchErrorDetails. */
  readonly errorId: string | undefined;

  constructor(init: SparkConnectErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.errorClass = init.errorClass;
    this.sqlState = init.sqlState;
    this.messageParameters = init.messageParameters ?? {};
    this.queryContexts = init.queryContexts ?? [];
    this.grpcCode = init.grpcCode;
    this.serverStackTrace = init.serverStackTrace;
    this.jvmClasses = init.jvmClasses ?? [];
    this.errorId = init.errorId;
  }

  /** PySpark's getCondition(): the error class. */
  getCondition(): string | undefined {
    return this.errorClass;
  }

  /** PySpark's getSqlState(). */
  getSqlState(): string | undefined {
    return this.sqlState;
  }

  /** PySpark's getMessageParameters(). */
  getMessageParameters(): Record<string, string> {
    return this.messageParameters;
  }
}

/** Failed to analyze a query: unknown table or column, type mismatch, … (org.apache.spark.sql.AnalysisException). */
export class AnalysisException extends SparkConnectError {
  override name = "AnalysisException";
}
/** SQL text that does not parse (org.apache.spark.sql.catalyst.parser.ParseException). */
export class ParseException extends AnalysisException {
  override name = "ParseException";
}
/** A temporary view that already exists. */
export class TempTableAlreadyExistsException extends AnalysisException {
  override name = "TempTableAlreadyExistsException";
}
/** A bad argument passed to a Spark API or function. */
export class IllegalArgumentException extends SparkConnectError {
  override name = "IllegalArgumentException";
}
/** A string that does not convert to a number (ANSI mode casts). */
export class NumberFormatException extends IllegalArgumentException {
  override name = "NumberFormatException";
}
/** Arithmetic failure: division by zero, overflow (ANSI mode). */
export class ArithmeticException extends SparkConnectError {
  override name = "ArithmeticException";
}
/** The operation is not supported by this Spark. */
export class UnsupportedOperationException extends SparkConnectError {
  override name = "UnsupportedOperationException";
}
/** An array index out of bounds (ANSI mode element_at / []). */
export class ArrayIndexOutOfBoundsException extends SparkConnectError {
  override name = "ArrayIndexOutOfBoundsException";
}
/** A date/time value that cannot be built or parsed. */
export class DateTimeException extends SparkConnectError {
  override name = "DateTimeException";
}
/** A runtime failure of a Spark job. */
export class SparkRuntimeException extends SparkConnectError {
  override name = "SparkRuntimeException";
}
/** Behaviour that changed between Spark versions. */
export class SparkUpgradeException extends SparkConnectError {
  override name = "SparkUpgradeException";
}
/** A missing element (e.g. a conf key without default). */
export class SparkNoSuchElementException extends SparkConnectError {
  override name = "SparkNoSuchElementException";
}
/** A streaming query that stopped with an exception. */
export class StreamingQueryException extends SparkConnectError {
  override name = "StreamingQueryException";
}
/** Failure while executing a query. */
export class QueryExecutionException extends SparkConnectError {
  override name = "QueryExecutionException";
}
/** Any other org.apache.spark.SparkException (job aborted, task failures, …). */
export class SparkException extends SparkConnectError {
  override name = "SparkException";
}

/**
 * A retryable failure that kept failing until the retry policy gave up. `cause` is the last failure.
 * Mirrors PySpark's RetriesExceeded (errorClass RETRIES_EXCEEDED).
 */
export class RetriesExceeded extends SparkConnectError {
  override name = "RetriesExceeded";
  /** How many attempts were made in total. */
  readonly attempts: number;
  constructor(attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super({
      message: `[RETRIES_EXCEEDED] The maximum number of retries has been exceeded after ${attempts} attempts. Last error: ${reason}`,
      errorClass: "RETRIES_EXCEEDED",
      grpcCode: (cause as { code?: unknown } | undefined)?.code as number | undefined,
      cause,
    });
    this.attempts = attempts;
  }
}

type SparkErrorClass = new (init: SparkConnectErrorInit) => SparkConnectError;

/**
 * THE mapping from JVM exception class names to error classes. The server sends the class hierarchy
 * most specific first; the first listed name that appears here wins, so ParseException beats
 * AnalysisException and SparkNumberFormatException lands on NumberFormatException.
 */
export const JVM_EXCEPTION_CLASSES: ReadonlyMap<string, SparkErrorClass> = new Map<string, SparkErrorClass>([
  ["org.apache.spark.sql.catalyst.parser.ParseException", ParseException],
  ["org.apache.spark.sql.catalyst.analysis.TempTableAlreadyExistsException", TempTableAlreadyExistsException],
  ["org.apache.spark.sql.AnalysisException", AnalysisException],
  ["org.apache.spark.sql.streaming.StreamingQueryException", StreamingQueryException],
  ["org.apache.spark.sql.execution.QueryExecutionException", QueryExecutionException],
  ["java.lang.NumberFormatException", NumberFormatException],
  ["java.lang.IllegalArgumentException", IllegalArgumentException],
  ["java.lang.ArithmeticException", ArithmeticException],
  ["java.lang.UnsupportedOperationException", UnsupportedOperationException],
  ["java.lang.ArrayIndexOutOfBoundsException", ArrayIndexOutOfBoundsException],
  ["java.time.DateTimeException", DateTimeException],
  ["org.apache.spark.SparkRuntimeException", SparkRuntimeException],
  ["org.apache.spark.SparkUpgradeException", SparkUpgradeException],
  ["org.apache.spark.SparkNoSuchElementException", SparkNoSuchElementException],
  ["org.apache.spark.SparkException", SparkException],
]);

/** Picks the error class for a JVM class hierarchy (most specific first); SparkConnectError when none is known. */
export function errorClassFor(jvmClasses: readonly string[]): SparkErrorClass {
  for (const name of jvmClasses) {
    const found = JVM_EXCEPTION_CLASSES.get(name);
    if (found) return found;
  }
  return SparkConnectError;
}
