/**
 * The public API of retail-lab's Spark Connect client, shaped like PySpark's `pyspark.sql`: SparkSession,
 * DataFrame, Column, Window, `functions` (import it as `F`), the Spark data types, the lossless value
 * classes results decode to, and the typed errors. Jobs, generators and notebooks import only this module.
 * @example import { SparkSession, functions as F } from "retail-lab";
 */

// MARK: - Arrow results
export { rowsFromTable } from "./connect/arrow/decode.ts";
// MARK: - Session, DataFrame and friends
export type {
  Catalog,
  CatalogColumn,
  CatalogDatabase,
  CatalogFunction,
  CatalogMetadata,
  CatalogTable,
  CreateTableOptions,
} from "./connect/catalog/catalog.ts";
export { InvalidConnectionStringError } from "./connect/config/connection-string.ts";
export { Column, type ColumnOrName, type ColumnOrValue } from "./connect/dataframe/column.ts";
export {
  type ActionOptions,
  type ColumnArgs,
  DataFrame,
  type ExplainMode,
  type Row,
  type SortOptions,
} from "./connect/dataframe/dataframe.ts";
export type { GroupedData } from "./connect/dataframe/grouped-data.ts";
export type { DataFrameNaFunctions, FillValue, ReplaceValue } from "./connect/dataframe/na.ts";
export type { DataFrameStatFunctions } from "./connect/dataframe/stat.ts";
export { StorageLevel } from "./connect/dataframe/storage-level.ts";
export { Window, WindowSpec } from "./connect/dataframe/window.ts";
// MARK: - Errors
export {
  AnalysisException,
  ArithmeticException,
  ArrayIndexOutOfBoundsException,
  DateTimeException,
  IllegalArgumentException,
  NumberFormatException,
  ParseException,
  type QueryContext,
  QueryExecutionException,
  RetriesExceeded,
  SparkConnectError,
  SparkException,
  SparkNoSuchElementException,
  SparkRuntimeException,
  SparkUpgradeException,
  StreamingQueryException,
  TempTableAlreadyExistsException,
  UnsupportedOperationException,
} from "./connect/errors/index.ts";
// MARK: - Functions
export { type Functions, functions, functions as F } from "./connect/functions/index.ts";
export type { OptionValue } from "./connect/io/options.ts";
export type { DataFrameReader, ReadOptions } from "./connect/io/reader.ts";
export type { DataFrameWriter, DataFrameWriterV2, SaveMode, WriteOptions } from "./connect/io/writer.ts";
// MARK: - Transport seams (logging, progress, custom clients)
export type { Logger } from "./connect/logger.ts";
export type { ConfValue, RuntimeConfig } from "./connect/session/runtime-config.ts";
export {
  type LocalData,
  type SchemaLike,
  SparkSession,
  type SparkSessionBuilder,
  type SqlArgs,
} from "./connect/session/spark-session.ts";
export type {
  CallOptions,
  ExecuteOptions,
  PlanNodeMetrics,
  ProgressHandler,
  ProgressUpdate,
  SparkConnectClient,
  StageProgress,
} from "./connect/transport/client.ts";
export type { ClientOptions } from "./connect/transport/grpc-client.ts";
// MARK: - Data types and values
export {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  CalendarIntervalType,
  CharType,
  DataType,
  type DataTypeKind,
  DateType,
  DayTimeIntervalType,
  DecimalType,
  DoubleType,
  FloatType,
  GeographyType,
  GeometryType,
  IntegerType,
  LongType,
  MapType,
  NullType,
  ShortType,
  StringType,
  StructField,
  StructType,
  TimestampNTZType,
  TimestampType,
  TimeType,
  UserDefinedType,
  VarcharType,
  VariantType,
  YearMonthIntervalType,
} from "./connect/types/data-types.ts";
export { DDLParseError } from "./connect/types/ddl.ts";
export {
  CalendarInterval,
  DayTimeInterval,
  Decimal,
  Geography,
  Geometry,
  LocalDate,
  LocalDateTime,
  LocalTime,
  Timestamp,
  YearMonthInterval,
} from "./connect/types/values.ts";
export { VariantValue } from "./connect/types/variant.ts";
