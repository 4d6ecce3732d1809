/**
 * One column per Spark type kind, with a value that exercises it (and a null row), shared by the types and arrow
 * unit tests: the converter/encoder tables and the DDL/proto/JSON forms are each checked against every entry.
 */
import {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  CalendarIntervalType,
  CharType,
  type DataType,
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
} from "../../../src/connect/types/data-types.ts";
import {
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
} from "../../../src/connect/types/values.ts";
import { VariantValue } from "../../../src/connect/types/variant.ts";

export interface TypeCase {
  kind: DataTypeKind;
  type: DataType;
  /** A non-null value of the type, in its documented JS form. */
  value: unknown;
  simpleString: string;
  ddl: string;
}

export const ALL_TYPES: readonly TypeCase[] = [
  { kind: "null", type: new NullType(), value: null, simpleString: "void", ddl: "VOID" },
  { kind: "boolean", type: new BooleanType(), value: true, simpleString: "boolean", ddl: "BOOLEAN" },
  { kind: "byte", type: new ByteType(), value: -128, simpleString: "tinyint", ddl: "TINYINT" },
  { kind: "short", type: new ShortType(), value: 32767, simpleString: "smallint", ddl: "SMALLINT" },
  { kind: "integer", type: new IntegerType(), value: -2147483648, simpleString: "int", ddl: "INT" },
  { kind: "long", type: new LongType(), value: 9007199254740993n, simpleString: "bigint", ddl: "BIGINT" },
  { kind: "float", type: new FloatType(), value: 1.5, simpleString: "float", ddl: "FLOAT" },
  { kind: "double", type: new DoubleType(), value: -0.1, simpleString: "double", ddl: "DOUBLE" },
  {
    kind: "decimal",
    type: new DecimalType(38, 6),
    value: Decimal.parse("-12345678901234567890123456789012.345678"),
    simpleString: "decimal(38,6)",
    ddl: "DECIMAL(38,6)",
  },
  { kind: "string", type: new StringType(), value: "héllo, 世界 🌍", simpleString: "string", ddl: "STRING" },
  { kind: "char", type: new CharType(5), value: "ab   ", simpleString: "char(5)", ddl: "CHAR(5)" },
  { kind: "varchar", type: new VarcharType(5), value: "abc", simpleString: "varchar(5)", ddl: "VARCHAR(5)" },
  {
    kind: "binary",
    type: new BinaryType(),
    value: new Uint8Array([0, 1, 254, 255]),
    simpleString: "binary",
    ddl: "BINARY",
  },
  { kind: "date", type: new DateType(), value: LocalDate.of(1, 1, 1), simpleString: "date", ddl: "DATE" },
  {
    kind: "timestamp",
    type: new TimestampType(),
    value: new Timestamp(-1n, "UTC"),
    simpleString: "timestamp",
    ddl: "TIMESTAMP",
  },
  {
    kind: "timestamp_ntz",
    type: new TimestampNTZType(),
    value: LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999999),
    simpleString: "timestamp_ntz",
    ddl: "TIMESTAMP_NTZ",
  },
  {
    kind: "time",
    type: new TimeType(6),
    value: LocalTime.parse("23:59:59.999999"),
    simpleString: "time(6)",
    ddl: "TIME(6)",
  },
  {
    kind: "year_month_interval",
    type: new YearMonthIntervalType(),
    value: new YearMonthInterval(-14),
    simpleString: "interval year to month",
    ddl: "INTERVAL YEAR TO MONTH",
  },
  {
    kind: "day_time_interval",
    type: new DayTimeIntervalType(),
    value: DayTimeInterval.of(1, 2, 3, 4, 5),
    simpleString: "interval day to second",
    ddl: "INTERVAL DAY TO SECOND",
  },
  {
    kind: "calendar_interval",
    type: new CalendarIntervalType(),
    value: new CalendarInterval(14, -3, 3_600_000_001n),
    simpleString: "interval",
    ddl: "INTERVAL",
  },
  {
    kind: "array",
    type: new ArrayType(new IntegerType()),
    value: [1, null, 3],
    simpleString: "array<int>",
    ddl: "ARRAY<INT>",
  },
  {
    kind: "map",
    type: new MapType(new StringType(), new ArrayType(new LongType())),
    value: new Map<string, bigint[] | null>([
      ["a", [1n, 2n]],
      ["b", null],
    ]),
    simpleString: "map<string,array<bigint>>",
    ddl: "MAP<STRING, ARRAY<BIGINT>>",
  },
  {
    kind: "struct",
    type: new StructType([
      new StructField("x", new IntegerType(), false),
      new StructField("y z", new StructType([new StructField("d", new DateType())])),
    ]),
    value: { x: 1, "y z": { d: LocalDate.of(2024, 2, 29) } },
    simpleString: "struct<x:int,y z:struct<d:date>>",
    ddl: "STRUCT<x: INT NOT NULL, `y z`: STRUCT<d: DATE>>",
  },
  {
    kind: "variant",
    type: new VariantType(),
    // parse_json('{"a":1}') as the server encodes it.
    value: new VariantValue(new Uint8Array([2, 1, 0, 0, 2, 12, 1]), new Uint8Array([1, 1, 0, 1, 97])),
    simpleString: "variant",
    ddl: "VARIANT",
  },
  {
    kind: "udt",
    type: new UserDefinedType(new ArrayType(new DoubleType(), false), "org.example.PointUDT"),
    value: [1.5, -2],
    simpleString: "array<double>",
    ddl: "ARRAY<DOUBLE>",
  },
  {
    kind: "geometry",
    type: new GeometryType(0),
    value: new Geometry(0, new Uint8Array([1, 1, 0, 0, 0])),
    simpleString: "geometry(0)",
    ddl: "GEOMETRY(0)",
  },
  {
    kind: "geography",
    type: new GeographyType(4326),
    value: new Geography(4326, new Uint8Array([1, 1, 0, 0, 0])),
    simpleString: "geography(4326)",
    ddl: "GEOGRAPHY(4326)",
  },
];

/** A row type with one nullable column per case, named after its kind. */
export const ALL_TYPES_SCHEMA = new StructType(ALL_TYPES.map((c) => new StructField(c.kind, c.type, true)));

/** One row of every value, and one row of nulls. */
export const ALL_TYPES_ROWS: Record<string, unknown>[] = [
  Object.fromEntries(ALL_TYPES.map((c) => [c.kind, c.value])),
  Object.fromEntries(ALL_TYPES.map((c) => [c.kind, null])),
];
