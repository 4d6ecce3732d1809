/**
 * Spark SQL data types as immutable classes named like PySpark's (`IntegerType`, `StructType`, …), with the
 * three textual forms Spark understands (`simpleString`, `toDDL`/`sql`, `json`) and the conversion to and from
 * the Spark Connect proto `DataType`. Every class carries a `kind` tag so code can switch exhaustively on it.
 * @see proto/spark/connect/types.proto, python/pyspark/sql/types.py
 */
import { create } from "@bufbuild/protobuf";
import type { DataType as ProtoDataType } from "../gen/spark/connect/types_pb.ts";
import { DataTypeSchema as ProtoDataTypeSchema } from "../gen/spark/connect/types_pb.ts";

/** The tag of every Spark data type; `Record<DataTypeKind, …>` tables are checked for completeness by tsc. */
export type DataTypeKind =
  | "null"
  | "boolean"
  | "byte"
  | "short"
  | "integer"
  | "long"
  | "float"
  | "double"
  | "decimal"
  | "string"
  | "char"
  | "varchar"
  | "binary"
  | "date"
  | "timestamp"
  | "timestamp_ntz"
  | "time"
  | "year_month_interval"
  | "day_time_interval"
  | "calendar_interval"
  | "array"
  | "map"
  | "struct"
  | "variant"
  | "udt"
  | "geometry"
  | "geography";

/** Every kind, in proto field order; tests iterate it to prove each table covers each kind. */
export const DATA_TYPE_KINDS: readonly DataTypeKind[] = [
  "null",
  "boolean",
  "byte",
  "short",
  "integer",
  "long",
  "float",
  "double",
  "decimal",
  "string",
  "char",
  "varchar",
  "binary",
  "date",
  "timestamp",
  "timestamp_ntz",
  "time",
  "year_month_interval",
  "day_time_interval",
  "calendar_interval",
  "array",
  "map",
  "struct",
  "variant",
  "udt",
  "geometry",
  "geography",
];

/** A JSON value as Spark writes it in `DataType.json` (`{"type":"struct","fields":[…]}` or `"integer"`). */
export type DataTypeJson = string | { [key: string]: unknown };

/** Base class of every Spark data type. Instances are immutable and compared structurally with `equals`. */
export abstract class DataType {
  abstract readonly kind: DataTypeKind;

  /** PySpark's `typeName()`: the lower-case name used in JSON (`integer`, `long`, `struct`, …). */
  abstract typeName(): string;

  /** The compact form Spark prints in `dtypes` and schema strings: `int`, `decimal(10,2)`, `array<string>`. */
  simpleString(): string {
    return this.typeName();
  }

  /** The SQL/DDL form (Scala's `DataType.sql`): `INT`, `DECIMAL(10,2)`, `STRUCT<a: INT NOT NULL>`. */
  abstract toDDL(): string;

  /** The value of this type inside Spark's JSON schema format. */
  jsonValue(): DataTypeJson {
    return this.typeName();
  }

  /** Spark's JSON schema string, accepted wherever Spark takes a schema (e.g. `LocalRelation.schema`). */
  json(): string {
    return JSON.stringify(this.jsonValue());
  }

  /** Structural equality, including nullability, field names and metadata. */
  equals(other: DataType): boolean {
    return this.json() === other.json();
  }

  toString(): string {
    return this.simpleString();
  }
}

/** The type of an untyped `NULL` literal (`void` in SQL). */
export class NullType extends DataType {
  readonly kind = "null" as const;
  typeName(): string {
    return "void";
  }
  toDDL(): string {
    return "VOID";
  }
}

export class BooleanType extends DataType {
  readonly kind = "boolean" as const;
  typeName(): string {
    return "boolean";
  }
  toDDL(): string {
    return "BOOLEAN";
  }
}

/** 8-bit signed integer (`tinyint`). */
export class ByteType extends DataType {
  readonly kind = "byte" as const;
  typeName(): string {
    return "byte";
  }
  override simpleString(): string {
    return "tinyint";
  }
  toDDL(): string {
    return "TINYINT";
  }
}

/** 16-bit signed integer (`smallint`). */
export class ShortType extends DataType {
  readonly kind = "short" as const;
  typeName(): string {
    return "short";
  }
  override simpleString(): string {
    return "smallint";
  }
  toDDL(): string {
    return "SMALLINT";
  }
}

/** 32-bit signed integer (`int`). */
export class IntegerType extends DataType {
  readonly kind = "integer" as const;
  typeName(): string {
    return "integer";
  }
  override simpleString(): string {
    return "int";
  }
  toDDL(): string {
    return "INT";
  }
}

/** 64-bit signed integer (`bigint`); its values are JS `bigint`s. */
export class LongType extends DataType {
  readonly kind = "long" as const;
  typeName(): string {
    return "long";
  }
  override simpleString(): string {
    return "bigint";
  }
  toDDL(): string {
    return "BIGINT";
  }
}

export class FloatType extends DataType {
  readonly kind = "float" as const;
  typeName(): string {
    return "float";
  }
  toDDL(): string {
    return "FLOAT";
  }
}

export class DoubleType extends DataType {
  readonly kind = "double" as const;
  typeName(): string {
    return "double";
  }
  toDDL(): string {
    return "DOUBLE";
  }
}

/** Spark's limit for decimal precision (Decimal128). */
export const MAX_DECIMAL_PRECISION = 38;

/** Fixed-point decimal with `precision` total digits, `scale` of them after the point. Defaults to (10, 0) like Spark. */
export class DecimalType extends DataType {
  readonly kind = "decimal" as const;
  constructor(
    readonly precision: number = 10,
    readonly scale: number = 0,
  ) {
    super();
    if (!Number.isInteger(precision) || precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      throw new RangeError(`DecimalType precision must be an integer in 1..${MAX_DECIMAL_PRECISION}, got ${precision}`);
    }
    if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new RangeError(`DecimalType scale must be an integer in 0..precision (${precision}), got ${scale}`);
    }
  }
  typeName(): string {
    return "decimal";
  }
  override simpleString(): string {
    return `decimal(${this.precision},${this.scale})`;
  }
  toDDL(): string {
    return `DECIMAL(${this.precision},${this.scale})`;
  }
  override jsonValue(): DataTypeJson {
    return this.simpleString();
  }
}

/** The collation Spark applies when none is named. */
export const DEFAULT_COLLATION = "UTF8_BINARY";

/** UTF-8 string, optionally with a collation (`string collate UNICODE_CI`). */
export class StringType extends DataType {
  readonly kind = "string" as const;
  constructor(readonly collation: string = DEFAULT_COLLATION) {
    super();
  }
  typeName(): string {
    return this.collation === DEFAULT_COLLATION ? "string" : `string collate ${this.collation}`;
  }
  toDDL(): string {
    return this.collation === DEFAULT_COLLATION ? "STRING" : `STRING COLLATE ${this.collation}`;
  }
}

function checkLength(type: string, length: number): void {
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(`${type} length must be a positive integer, got ${length}`);
  }
}

/** Fixed-length string: values are padded to `length` by Spark; they decode as JS strings. */
export class CharType extends DataType {
  readonly kind = "char" as const;
  constructor(readonly length: number) {
    super();
    checkLength("CharType", length);
  }
  typeName(): string {
    return `char(${this.length})`;
  }
  toDDL(): string {
    return `CHAR(${this.length})`;
  }
}

/** Bounded-length string; values decode as JS strings. */
export class VarcharType extends DataType {
  readonly kind = "varchar" as const;
  constructor(readonly length: number) {
    super();
    checkLength("VarcharType", length);
  }
  typeName(): string {
    return `varchar(${this.length})`;
  }
  toDDL(): string {
    return `VARCHAR(${this.length})`;
  }
}

export class BinaryType extends DataType {
  readonly kind = "binary" as const;
  typeName(): string {
    return "binary";
  }
  toDDL(): string {
    return "BINARY";
  }
}

/** A calendar date without a time zone (days since 1970-01-01, proleptic Gregorian). */
export class DateType extends DataType {
  readonly kind = "date" as const;
  typeName(): string {
    return "date";
  }
  toDDL(): string {
    return "DATE";
  }
}

/** An instant in time (microsecond precision), displayed in the session time zone (`TIMESTAMP_LTZ`). */
export class TimestampType extends DataType {
  readonly kind = "timestamp" as const;
  typeName(): string {
    return "timestamp";
  }
  toDDL(): string {
    return "TIMESTAMP";
  }
}

/** A wall-clock date-time without a time zone (microsecond precision). */
export class TimestampNTZType extends DataType {
  readonly kind = "timestamp_ntz" as const;
  typeName(): string {
    return "timestamp_ntz";
  }
  toDDL(): string {
    return "TIMESTAMP_NTZ";
  }
}

/** Time of day without a date or zone, with `precision` fractional-second digits (0..6); new in Spark 4.1. */
export class TimeType extends DataType {
  readonly kind = "time" as const;
  constructor(readonly precision: number = 6) {
    super();
    if (!Number.isInteger(precision) || precision < 0 || precision > 6) {
      throw new RangeError(`TimeType precision must be an integer in 0..6, got ${precision}`);
    }
  }
  typeName(): string {
    return `time(${this.precision})`;
  }
  toDDL(): string {
    return `TIME(${this.precision})`;
  }
}

const YEAR_MONTH_FIELDS = ["year", "month"] as const;
const DAY_TIME_FIELDS = ["day", "hour", "minute", "second"] as const;

function checkFields(type: string, names: readonly string[], start: number, end: number): void {
  const max = names.length - 1;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > max || start > end) {
    throw new RangeError(
      `${type} fields must satisfy 0 <= startField <= endField <= ${max} (${names.join(", ")}), got (${start}, ${end})`,
    );
  }
}

function intervalName(names: readonly string[], start: number, end: number): string {
  const first = names[start];
  return start === end ? `interval ${first}` : `interval ${first} to ${names[end]}`;
}

/** ANSI year-month interval (`INTERVAL YEAR TO MONTH`); fields are YEAR=0, MONTH=1. */
export class YearMonthIntervalType extends DataType {
  static readonly YEAR = 0;
  static readonly MONTH = 1;
  readonly kind = "year_month_interval" as const;
  constructor(
    readonly startField: number = YearMonthIntervalType.YEAR,
    readonly endField: number = YearMonthIntervalType.MONTH,
  ) {
    super();
    checkFields("YearMonthIntervalType", YEAR_MONTH_FIELDS, startField, endField);
  }
  typeName(): string {
    return intervalName(YEAR_MONTH_FIELDS, this.startField, this.endField);
  }
  toDDL(): string {
    return this.typeName().toUpperCase();
  }
}

/** ANSI day-time interval (`INTERVAL DAY TO SECOND`); fields are DAY=0, HOUR=1, MINUTE=2, SECOND=3. */
export class DayTimeIntervalType extends DataType {
  static readonly DAY = 0;
  static readonly HOUR = 1;
  static readonly MINUTE = 2;
  static readonly SECOND = 3;
  readonly kind = "day_time_interval" as const;
  constructor(
    readonly startField: number = DayTimeIntervalType.DAY,
    readonly endField: number = DayTimeIntervalType.SECOND,
  ) {
    super();
    checkFields("DayTimeIntervalType", DAY_TIME_FIELDS, startField, endField);
  }
  typeName(): string {
    return intervalName(DAY_TIME_FIELDS, this.startField, this.endField);
  }
  toDDL(): string {
    return this.typeName().toUpperCase();
  }
}

/** The legacy interval of months, days and microseconds (`interval` in SQL, from `make_interval`). */
export class CalendarIntervalType extends DataType {
  readonly kind = "calendar_interval" as const;
  typeName(): string {
    return "interval";
  }
  toDDL(): string {
    return "INTERVAL";
  }
}

/** A list of `elementType` values; `containsNull` says whether elements may be null. */
export class ArrayType extends DataType {
  readonly kind = "array" as const;
  constructor(
    readonly elementType: DataType,
    readonly containsNull: boolean = true,
  ) {
    super();
  }
  typeName(): string {
    return "array";
  }
  override simpleString(): string {
    return `array<${this.elementType.simpleString()}>`;
  }
  toDDL(): string {
    return `ARRAY<${this.elementType.toDDL()}>`;
  }
  override jsonValue(): DataTypeJson {
    return { type: "array", elementType: this.elementType.jsonValue(), containsNull: this.containsNull };
  }
}

/** A map from `keyType` (never null) to `valueType`; its values decode as JS `Map`s. */
export class MapType extends DataType {
  readonly kind = "map" as const;
  constructor(
    readonly keyType: DataType,
    readonly valueType: DataType,
    readonly valueContainsNull: boolean = true,
  ) {
    super();
  }
  typeName(): string {
    return "map";
  }
  override simpleString(): string {
    return `map<${this.keyType.simpleString()},${this.valueType.simpleString()}>`;
  }
  toDDL(): string {
    return `MAP<${this.keyType.toDDL()}, ${this.valueType.toDDL()}>`;
  }
  override jsonValue(): DataTypeJson {
    return {
      type: "map",
      keyType: this.keyType.jsonValue(),
      valueType: this.valueType.jsonValue(),
      valueContainsNull: this.valueContainsNull,
    };
  }
}

/** Field metadata, a JSON object (Spark keeps e.g. `comment` and `__CHAR_VARCHAR_TYPE_STRING` there). */
export type FieldMetadata = Readonly<Record<string, unknown>>;

// Identifiers that need no back-quotes in DDL; anything else is quoted with `` ` `` doubled inside.
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Quotes a column name for DDL when needed: `a` stays `a`, `a b` becomes `` `a b` ``. */
export function quoteIdentifier(name: string): string {
  return PLAIN_IDENTIFIER.test(name) ? name : "`" + name.replaceAll("`", "``") + "`";
}

function quoteString(text: string): string {
  return "'" + text.replaceAll("\\", "\\\\").replaceAll("'", "\\'") + "'";
}

/** One named, typed column of a StructType. */
export class StructField {
  constructor(
    readonly name: string,
    readonly dataType: DataType,
    readonly nullable: boolean = true,
    readonly metadata: FieldMetadata = {},
  ) {
    if (typeof name !== "string") throw new TypeError(`StructField name must be a string, got ${typeof name}`);
    if (!(dataType instanceof DataType)) {
      throw new TypeError(`StructField "${name}" needs a DataType instance, got ${String(dataType)}`);
    }
  }

  /** `name:type` as in `struct<a:int>`. */
  simpleString(): string {
    return `${this.name}:${this.dataType.simpleString()}`;
  }

  /** `name TYPE [NOT NULL] [COMMENT '…']`, the column form of a DDL schema string. */
  toDDL(): string {
    return `${quoteIdentifier(this.name)} ${this.dataType.toDDL()}${this.ddlSuffix()}`;
  }

  /** The comment Spark stores in the `comment` metadata key, if any. */
  getComment(): string | undefined {
    const comment = this.metadata.comment;
    return typeof comment === "string" ? comment : undefined;
  }

  jsonValue(): { [key: string]: unknown } {
    return { name: this.name, type: this.dataType.jsonValue(), nullable: this.nullable, metadata: this.metadata };
  }

  /** The DDL of this field inside `STRUCT<…>`, where Spark writes `name: TYPE`. */
  nestedDDL(): string {
    return `${quoteIdentifier(this.name)}: ${this.dataType.toDDL()}${this.ddlSuffix()}`;
  }

  private ddlSuffix(): string {
    const comment = this.getComment();
    return (this.nullable ? "" : " NOT NULL") + (comment === undefined ? "" : ` COMMENT ${quoteString(comment)}`);
  }

  toString(): string {
    return `StructField(${this.name}, ${this.dataType.simpleString()}, ${this.nullable})`;
  }
}

/**
 * A row type: an ordered list of fields. Used both for nested struct columns (decoded as plain objects) and for
 * DataFrame schemas. Field names may repeat (e.g. after a join); `fieldNames()` keeps them all.
 */
export class StructType extends DataType {
  readonly kind = "struct" as const;
  readonly fields: readonly StructField[];

  constructor(fields: readonly StructField[] = []) {
    super();
    for (const field of fields) {
      if (!(field instanceof StructField)) {
        throw new TypeError(`StructType takes StructField instances, got ${String(field)}`);
      }
    }
    this.fields = Object.freeze([...fields]);
  }

  /** Returns a new StructType with one more field (PySpark's `add`, immutable here). */
  add(field: StructField): StructType;
  add(name: string, dataType: DataType, nullable?: boolean, metadata?: FieldMetadata): StructType;
  add(
    fieldOrName: StructField | string,
    dataType?: DataType,
    nullable = true,
    metadata: FieldMetadata = {},
  ): StructType {
    if (fieldOrName instanceof StructField) return new StructType([...this.fields, fieldOrName]);
    if (dataType === undefined) {
      throw new TypeError(`StructType.add("${fieldOrName}") needs a DataType as second argument`);
    }
    return new StructType([...this.fields, new StructField(fieldOrName, dataType, nullable, metadata)]);
  }

  fieldNames(): string[] {
    return this.fields.map((field) => field.name);
  }

  /** Alias of `fieldNames()`, as PySpark's `StructType.names`. */
  get names(): string[] {
    return this.fieldNames();
  }

  get length(): number {
    return this.fields.length;
  }

  /** The first field with this exact name, or undefined. */
  get(name: string): StructField | undefined {
    return this.fields.find((field) => field.name === name);
  }

  [Symbol.iterator](): Iterator<StructField> {
    return this.fields[Symbol.iterator]();
  }

  typeName(): string {
    return "struct";
  }

  override simpleString(): string {
    return `struct<${this.fields.map((field) => field.simpleString()).join(",")}>`;
  }

  /** As a nested type: `STRUCT<a: INT, b: STRING NOT NULL>`. */
  toDDL(): string {
    return `STRUCT<${this.fields.map((field) => field.nestedDDL()).join(", ")}>`;
  }

  /** As a schema string: `a INT, b STRING NOT NULL`, the form `spark.read.schema()` and `createDataFrame` accept. */
  toSchemaDDL(): string {
    return this.fields.map((field) => field.toDDL()).join(", ");
  }

  /** Spark's `treeString()`: the text `printSchema()` shows. */
  treeString(): string {
    const lines = ["root"];
    for (const field of this.fields) appendTree(lines, field.name, field.dataType, field.nullable, " |-- ");
    return lines.join("\n") + "\n";
  }

  override jsonValue(): DataTypeJson {
    return { type: "struct", fields: this.fields.map((field) => field.jsonValue()) };
  }
}

function appendTree(lines: string[], name: string, type: DataType, nullable: boolean, prefix: string): void {
  lines.push(`${prefix}${name}: ${treeTypeName(type)} (nullable = ${nullable})`);
  const inner = prefix.replace("|-- ", "|    |-- ");
  if (type instanceof StructType) {
    for (const field of type.fields) appendTree(lines, field.name, field.dataType, field.nullable, inner);
  } else if (type instanceof ArrayType) {
    appendTree(lines, "element", type.elementType, type.containsNull, inner);
  } else if (type instanceof MapType) {
    appendTree(lines, "key", type.keyType, false, inner);
    appendTree(lines, "value", type.valueType, type.valueContainsNull, inner);
  }
}

function treeTypeName(type: DataType): string {
  if (type instanceof StructType || type instanceof ArrayType || type instanceof MapType) return type.typeName();
  return type.simpleString();
}

/** Semi-structured value (`VARIANT`), sent as value + metadata bytes in Spark's variant binary encoding. */
export class VariantType extends DataType {
  readonly kind = "variant" as const;
  typeName(): string {
    return "variant";
  }
  toDDL(): string {
    return "VARIANT";
  }
}

/** The SRID Spark uses for "any SRID per row" (`geometry(any)`). */
export const MIXED_SRID = -1;

/**
 * Spark's JSON names a spatial type by its CRS (`geometry(OGC:CRS84)`), SQL and simpleString by its SRID
 * (`geometry(4326)`). These two map between them for the SRIDs Spark knows.
 */
export function crsOfSrid(srid: number): string {
  if (srid === MIXED_SRID) return "SRID:ANY";
  if (srid === 4326) return "OGC:CRS84";
  return srid === 0 ? "SRID:0" : `EPSG:${srid}`;
}

export function sridOfCrs(crs: string): number {
  const upper = crs.toUpperCase();
  if (upper === "SRID:ANY" || upper === "ANY") return MIXED_SRID;
  if (upper === "OGC:CRS84") return 4326;
  const match = /^(?:EPSG|SRID):(\d+)$/.exec(upper) ?? /^(\d+)$/.exec(upper);
  if (!match) throw new TypeError(`unknown spatial reference "${crs}" (expected OGC:CRS84, EPSG:<n>, SRID:<n> or ANY)`);
  return Number(match[1]);
}

function spatialName(kind: "geometry" | "geography", srid: number): string {
  return srid === MIXED_SRID ? `${kind}(any)` : `${kind}(${srid})`;
}

/** Planar geometry with a spatial reference id (-1: any per row); values travel as WKB. */
export class GeometryType extends DataType {
  readonly kind = "geometry" as const;
  constructor(readonly srid: number = 0) {
    super();
  }
  typeName(): string {
    return spatialName("geometry", this.srid);
  }
  toDDL(): string {
    return this.typeName().toUpperCase();
  }
  override jsonValue(): DataTypeJson {
    return `geometry(${crsOfSrid(this.srid)})`;
  }
}

/** Geography on the sphere with a spatial reference id (4326 by default); values travel as WKB. */
export class GeographyType extends DataType {
  readonly kind = "geography" as const;
  constructor(readonly srid: number = 4326) {
    super();
  }
  typeName(): string {
    return spatialName("geography", this.srid);
  }
  toDDL(): string {
    return this.typeName().toUpperCase();
  }
  override jsonValue(): DataTypeJson {
    return `geography(${crsOfSrid(this.srid)})`;
  }
}

/** A user-defined type: a JVM (or Python) class stored as its `sqlType`; values decode as the `sqlType` would. */
export class UserDefinedType extends DataType {
  readonly kind = "udt" as const;
  constructor(
    readonly sqlType: DataType,
    readonly jvmClass?: string,
    readonly pythonClass?: string,
    readonly serializedPythonClass?: string,
  ) {
    super();
  }
  typeName(): string {
    return "udt";
  }
  override simpleString(): string {
    return this.sqlType.simpleString();
  }
  toDDL(): string {
    return this.sqlType.toDDL();
  }
  override jsonValue(): DataTypeJson {
    const json: { [key: string]: unknown } = { type: "udt", sqlType: this.sqlType.jsonValue() };
    if (this.jvmClass !== undefined) json.class = this.jvmClass;
    if (this.pythonClass !== undefined) json.pyClass = this.pythonClass;
    if (this.serializedPythonClass !== undefined) json.serializedClass = this.serializedPythonClass;
    return json;
  }
}

/**
 * The closed union of the concrete type classes: `switch (type.kind)` on an `AnyDataType` narrows to the class,
 * and the compiler flags a missing case. `asAnyDataType` gives that view of any DataType.
 */
export type AnyDataType =
  | NullType
  | BooleanType
  | ByteType
  | ShortType
  | IntegerType
  | LongType
  | FloatType
  | DoubleType
  | DecimalType
  | StringType
  | CharType
  | VarcharType
  | BinaryType
  | DateType
  | TimestampType
  | TimestampNTZType
  | TimeType
  | YearMonthIntervalType
  | DayTimeIntervalType
  | CalendarIntervalType
  | ArrayType
  | MapType
  | StructType
  | VariantType
  | UserDefinedType
  | GeometryType
  | GeographyType;

/** Narrows a DataType to the closed union (every DataType subclass in this module is one of its members). */
export function asAnyDataType(type: DataType): AnyDataType {
  return type as AnyDataType;
}

// ---------------------------------------------------------------------------------------------------------------
// Proto conversion

// protobuf-es init shape of the oneof; `create` fills defaults for omitted fields.
type ProtoKindInit = NonNullable<Parameters<typeof create<typeof ProtoDataTypeSchema>>[1]>["kind"];

/** Converts a DataType to the Spark Connect proto message. */
export function toProtoDataType(type: DataType): ProtoDataType {
  return create(ProtoDataTypeSchema, { kind: protoKind(asAnyDataType(type)) });
}

function protoKind(type: AnyDataType): ProtoKindInit {
  switch (type.kind) {
    case "null":
      return { case: "null", value: {} };
    case "boolean":
      return { case: "boolean", value: {} };
    case "byte":
      return { case: "byte", value: {} };
    case "short":
      return { case: "short", value: {} };
    case "integer":
      return { case: "integer", value: {} };
    case "long":
      return { case: "long", value: {} };
    case "float":
      return { case: "float", value: {} };
    case "double":
      return { case: "double", value: {} };
    case "decimal":
      return { case: "decimal", value: { precision: type.precision, scale: type.scale } };
    case "string":
      return { case: "string", value: { collation: type.collation } };
    case "char":
      return { case: "char", value: { length: type.length } };
    case "varchar":
      return { case: "varChar", value: { length: type.length } };
    case "binary":
      return { case: "binary", value: {} };
    case "date":
      return { case: "date", value: {} };
    case "timestamp":
      return { case: "timestamp", value: {} };
    case "timestamp_ntz":
      return { case: "timestampNtz", value: {} };
    case "time":
      return { case: "time", value: { precision: type.precision } };
    case "year_month_interval":
      return { case: "yearMonthInterval", value: { startField: type.startField, endField: type.endField } };
    case "day_time_interval":
      return { case: "dayTimeInterval", value: { startField: type.startField, endField: type.endField } };
    case "calendar_interval":
      return { case: "calendarInterval", value: {} };
    case "array":
      return {
        case: "array",
        value: { elementType: toProtoDataType(type.elementType), containsNull: type.containsNull },
      };
    case "map":
      return {
        case: "map",
        value: {
          keyType: toProtoDataType(type.keyType),
          valueType: toProtoDataType(type.valueType),
          valueContainsNull: type.valueContainsNull,
        },
      };
    case "struct":
      return {
        case: "struct",
        value: {
          fields: type.fields.map((field) => ({
            name: field.name,
            dataType: toProtoDataType(field.dataType),
            nullable: field.nullable,
            ...(Object.keys(field.metadata).length > 0 ? { metadata: JSON.stringify(field.metadata) } : {}),
          })),
        },
      };
    case "variant":
      return { case: "variant", value: {} };
    case "geometry":
      return { case: "geometry", value: { srid: type.srid } };
    case "geography":
      return { case: "geography", value: { srid: type.srid } };
    case "udt":
      return {
        case: "udt",
        value: {
          type: "udt",
          sqlType: toProtoDataType(type.sqlType),
          ...(type.jvmClass === undefined ? {} : { jvmClass: type.jvmClass }),
          ...(type.pythonClass === undefined ? {} : { pythonClass: type.pythonClass }),
          ...(type.serializedPythonClass === undefined ? {} : { serializedPythonClass: type.serializedPythonClass }),
        },
      };
  }
}

function required(message: ProtoDataType | undefined, where: string): ProtoDataType {
  if (message === undefined) throw new TypeError(`proto DataType is missing its ${where}`);
  return message;
}

/** Converts a Spark Connect proto DataType (e.g. an AnalyzePlan schema) to a DataType. */
export function fromProtoDataType(proto: ProtoDataType): DataType {
  const kind = proto.kind;
  switch (kind.case) {
    case "null":
      return new NullType();
    case "boolean":
      return new BooleanType();
    case "byte":
      return new ByteType();
    case "short":
      return new ShortType();
    case "integer":
      return new IntegerType();
    case "long":
      return new LongType();
    case "float":
      return new FloatType();
    case "double":
      return new DoubleType();
    case "decimal":
      return new DecimalType(kind.value.precision ?? 10, kind.value.scale ?? 0);
    case "string":
      return new StringType(kind.value.collation === "" ? DEFAULT_COLLATION : kind.value.collation);
    case "char":
      return new CharType(kind.value.length);
    case "varChar":
      return new VarcharType(kind.value.length);
    case "binary":
      return new BinaryType();
    case "date":
      return new DateType();
    case "timestamp":
      return new TimestampType();
    case "timestampNtz":
      return new TimestampNTZType();
    case "time":
      return new TimeType(kind.value.precision ?? 6);
    case "yearMonthInterval":
      return new YearMonthIntervalType(kind.value.startField ?? 0, kind.value.endField ?? 1);
    case "dayTimeInterval":
      return new DayTimeIntervalType(kind.value.startField ?? 0, kind.value.endField ?? 3);
    case "calendarInterval":
      return new CalendarIntervalType();
    case "array":
      return new ArrayType(
        fromProtoDataType(required(kind.value.elementType, "array element type")),
        kind.value.containsNull,
      );
    case "map":
      return new MapType(
        fromProtoDataType(required(kind.value.keyType, "map key type")),
        fromProtoDataType(required(kind.value.valueType, "map value type")),
        kind.value.valueContainsNull,
      );
    case "struct":
      return new StructType(
        kind.value.fields.map(
          (field) =>
            new StructField(
              field.name,
              fromProtoDataType(required(field.dataType, `type of field "${field.name}"`)),
              field.nullable,
              field.metadata === undefined || field.metadata === ""
                ? {}
                : (JSON.parse(field.metadata) as FieldMetadata),
            ),
        ),
      );
    case "variant":
      return new VariantType();
    case "geometry":
      return new GeometryType(kind.value.srid);
    case "geography":
      return new GeographyType(kind.value.srid);
    case "udt":
      return new UserDefinedType(
        fromProtoDataType(required(kind.value.sqlType, `sqlType of UDT ${kind.value.jvmClass ?? kind.value.type}`)),
        kind.value.jvmClass,
        kind.value.pythonClass,
        kind.value.serializedPythonClass,
      );
    case "unparsed":
      throw new TypeError(
        `proto DataType is unparsed ("${kind.value.dataTypeString}"): parse it with parseDDL or the server first`,
      );
    case undefined:
      throw new TypeError("proto DataType has no kind set");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Spark JSON schema format

const SIMPLE_JSON_TYPES: Readonly<Record<string, () => DataType>> = {
  void: () => new NullType(),
  null: () => new NullType(),
  boolean: () => new BooleanType(),
  byte: () => new ByteType(),
  short: () => new ShortType(),
  integer: () => new IntegerType(),
  long: () => new LongType(),
  float: () => new FloatType(),
  double: () => new DoubleType(),
  decimal: () => new DecimalType(10, 0),
  string: () => new StringType(),
  binary: () => new BinaryType(),
  date: () => new DateType(),
  timestamp: () => new TimestampType(),
  timestamp_ltz: () => new TimestampType(),
  timestamp_ntz: () => new TimestampNTZType(),
  interval: () => new CalendarIntervalType(),
  variant: () => new VariantType(),
};

function intervalFromJson(text: string): DataType | undefined {
  const match = /^interval (\w+)(?: to (\w+))?$/.exec(text);
  if (!match) return undefined;
  const start = match[1] as string;
  const end = match[2] ?? start;
  const ym = YEAR_MONTH_FIELDS as readonly string[];
  const dt = DAY_TIME_FIELDS as readonly string[];
  if (ym.includes(start) && ym.includes(end)) return new YearMonthIntervalType(ym.indexOf(start), ym.indexOf(end));
  if (dt.includes(start) && dt.includes(end)) return new DayTimeIntervalType(dt.indexOf(start), dt.indexOf(end));
  return undefined;
}

function simpleFromJson(text: string): DataType {
  const simple = SIMPLE_JSON_TYPES[text];
  if (simple) return simple();
  let match = /^decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)$/.exec(text);
  if (match) return new DecimalType(Number(match[1]), Number(match[2]));
  match = /^(char|varchar|time)\(\s*(\d+)\s*\)$/.exec(text);
  if (match) {
    const n = Number(match[2]);
    if (match[1] === "char") return new CharType(n);
    return match[1] === "varchar" ? new VarcharType(n) : new TimeType(n);
  }
  match = /^(geometry|geography)\(\s*([^)]+?)\s*\)$/.exec(text);
  if (match) {
    const srid = sridOfCrs(match[2] as string);
    return match[1] === "geometry" ? new GeometryType(srid) : new GeographyType(srid);
  }
  match = /^string collate (\S+)$/.exec(text);
  if (match) return new StringType(match[1] as string);
  const interval = intervalFromJson(text);
  if (interval) return interval;
  throw new TypeError(`unknown data type "${text}" in JSON schema`);
}

function field(json: { [key: string]: unknown }, key: string): unknown {
  if (!(key in json)) throw new TypeError(`JSON data type ${JSON.stringify(json)} lacks "${key}"`);
  return json[key];
}

/** Parses Spark's JSON schema value (the parsed form of `DataType.json`). */
export function dataTypeFromJsonValue(json: unknown): DataType {
  if (typeof json === "string") return simpleFromJson(json);
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new TypeError(`a JSON data type is a string or an object, got ${JSON.stringify(json)}`);
  }
  const object = json as { [key: string]: unknown };
  switch (field(object, "type")) {
    case "struct": {
      const fields = field(object, "fields");
      if (!Array.isArray(fields)) throw new TypeError(`JSON struct "fields" must be an array`);
      return new StructType(
        fields.map((entry: { [key: string]: unknown }) => {
          const metadata = entry.metadata ?? {};
          return new StructField(
            String(field(entry, "name")),
            dataTypeFromJsonValue(field(entry, "type")),
            entry.nullable !== false,
            metadata as FieldMetadata,
          );
        }),
      );
    }
    case "array":
      return new ArrayType(dataTypeFromJsonValue(field(object, "elementType")), object.containsNull !== false);
    case "map":
      return new MapType(
        dataTypeFromJsonValue(field(object, "keyType")),
        dataTypeFromJsonValue(field(object, "valueType")),
        object.valueContainsNull !== false,
      );
    case "udt":
      return new UserDefinedType(
        dataTypeFromJsonValue(field(object, "sqlType")),
        typeof object.class === "string" ? object.class : undefined,
        typeof object.pyClass === "string" ? object.pyClass : undefined,
        typeof object.serializedClass === "string" ? object.serializedClass : undefined,
      );
    default:
      throw new TypeError(`unknown JSON data type ${JSON.stringify(json)}`);
  }
}

/** Parses a Spark JSON schema string such as `{"type":"struct","fields":[…]}` (PySpark's `_parse_datatype_json_string`). */
export function dataTypeFromJson(text: string): DataType {
  return dataTypeFromJsonValue(JSON.parse(text));
}
