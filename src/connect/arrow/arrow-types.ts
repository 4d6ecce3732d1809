/**
 * The mapping between Spark data types and the Arrow types Spark Connect puts on the wire, in both directions.
 * Spark → Arrow mirrors what the server itself sends (checked against Spark 4.1.3: timestamps as
 * Timestamp(MICROSECOND, session tz), TIMESTAMP_NTZ without a zone, DATE as Date32, DAY TO SECOND as
 * Duration(MICROSECOND), `interval` as MONTH_DAY_NANO, VARIANT and GEOMETRY as two-field structs).
 * @see sql/api/src/main/scala/org/apache/spark/sql/util/ArrowUtils.scala
 */
import * as arrow from "apache-arrow";
import {
  ArrayType,
  asAnyDataType,
  BinaryType,
  BooleanType,
  ByteType,
  CalendarIntervalType,
  type DataType,
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
  VariantType,
  YearMonthIntervalType,
} from "../types/data-types.ts";

/** Field metadata key Spark sets on the `metadata` child of a VARIANT struct. */
export const VARIANT_METADATA_KEY = "variant";

/** Arrow type of a Spark type; `timeZone` is the zone recorded on TIMESTAMP columns (values are UTC instants). */
export function toArrowType(type: DataType, timeZone: string): arrow.DataType {
  const t = asAnyDataType(type);
  switch (t.kind) {
    case "null":
      return new arrow.Null();
    case "boolean":
      return new arrow.Bool();
    case "byte":
      return new arrow.Int8();
    case "short":
      return new arrow.Int16();
    case "integer":
      return new arrow.Int32();
    case "long":
      return new arrow.Int64();
    case "float":
      return new arrow.Float32();
    case "double":
      return new arrow.Float64();
    case "decimal":
      return new arrow.Decimal(t.scale, t.precision, 128);
    case "string":
    case "char":
    case "varchar":
      return new arrow.Utf8();
    case "binary":
      return new arrow.Binary();
    case "date":
      return new arrow.DateDay();
    case "timestamp":
      return new arrow.TimestampMicrosecond(timeZone);
    case "timestamp_ntz":
      return new arrow.TimestampMicrosecond();
    case "time":
      return new arrow.TimeNanosecond();
    case "year_month_interval":
      return new arrow.IntervalYearMonth();
    case "day_time_interval":
      return new arrow.DurationMicrosecond();
    case "calendar_interval":
      return new arrow.IntervalMonthDayNano();
    case "array":
      return new arrow.List(new arrow.Field("element", toArrowType(t.elementType, timeZone), t.containsNull));
    case "map": {
      const entries = new arrow.Struct([
        new arrow.Field("key", toArrowType(t.keyType, timeZone), false),
        new arrow.Field("value", toArrowType(t.valueType, timeZone), t.valueContainsNull),
      ]);
      return new arrow.Map_(new arrow.Field("entries", entries, false), false);
    }
    case "struct":
      return new arrow.Struct(t.fields.map((field) => toArrowField(field, timeZone)));
    case "variant":
      return new arrow.Struct([
        new arrow.Field("value", new arrow.Binary(), false),
        new arrow.Field("metadata", new arrow.Binary(), false, new Map([[VARIANT_METADATA_KEY, "true"]])),
      ]);
    case "geometry":
    case "geography":
      // The server recognises a spatial column by this metadata on its `wkb` child, as it writes it itself.
      return new arrow.Struct([
        new arrow.Field("srid", new arrow.Int32(), false),
        new arrow.Field(
          "wkb",
          new arrow.Binary(),
          false,
          new Map([
            [t.kind, "true"],
            ["srid", String(t.srid)],
          ]),
        ),
      ]);
    case "udt":
      return toArrowType(t.sqlType, timeZone);
  }
}

/** Arrow field of a StructField (name, type, nullability). */
export function toArrowField(field: StructField, timeZone: string): arrow.Field {
  return new arrow.Field(field.name, toArrowType(field.dataType, timeZone), field.nullable);
}

/** Arrow schema of a Spark row type. */
export function toArrowSchema(schema: StructType, timeZone: string): arrow.Schema {
  return new arrow.Schema(schema.fields.map((field) => toArrowField(field, timeZone)));
}

function unsupported(type: arrow.DataType, where: string): never {
  throw new TypeError(
    `Arrow type ${String(type)}${where} has no Spark equivalent: Spark accepts signed integers, floats, ` +
      "decimals, (large) utf8/binary, bool, date, timestamp, time, intervals, duration, list, map and struct",
  );
}

function isVariantStruct(type: arrow.Struct): boolean {
  const [value, metadata] = type.children;
  return (
    type.children.length === 2 &&
    value?.name === "value" &&
    metadata?.name === "metadata" &&
    metadata.metadata.get(VARIANT_METADATA_KEY) === "true"
  );
}

/**
 * The Spark type Spark reads an Arrow type as (Spark's `ArrowUtils.fromArrowType`), used when no Spark schema
 * accompanies Arrow data. UDTs cannot be told apart from their SQL type in Arrow alone.
 */
export function fromArrowType(type: arrow.DataType, where = ""): DataType {
  if (arrow.DataType.isNull(type)) return new NullType();
  if (arrow.DataType.isBool(type)) return new BooleanType();
  if (arrow.DataType.isInt(type)) {
    if (!type.isSigned) unsupported(type, where);
    switch (type.bitWidth) {
      case 8:
        return new ByteType();
      case 16:
        return new ShortType();
      case 32:
        return new IntegerType();
      default:
        return new LongType();
    }
  }
  if (arrow.DataType.isFloat(type)) {
    if (type.precision === arrow.Precision.HALF) unsupported(type, where);
    return type.precision === arrow.Precision.SINGLE ? new FloatType() : new DoubleType();
  }
  if (arrow.DataType.isDecimal(type)) return new DecimalType(type.precision, type.scale);
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return new StringType();
  if (arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type)) return new BinaryType();
  if (arrow.DataType.isDate(type)) return new DateType();
  if (arrow.DataType.isTimestamp(type)) return type.timezone ? new TimestampType() : new TimestampNTZType();
  if (arrow.DataType.isTime(type)) return new TimeType(6);
  if (arrow.DataType.isInterval(type)) {
    if (type.unit === arrow.IntervalUnit.YEAR_MONTH) return new YearMonthIntervalType();
    if (type.unit === arrow.IntervalUnit.MONTH_DAY_NANO) return new CalendarIntervalType();
    unsupported(type, where);
  }
  if (arrow.DataType.isDuration(type)) return new DayTimeIntervalType();
  if (arrow.DataType.isList(type)) {
    const element = type.children[0] as arrow.Field;
    return new ArrayType(fromArrowType(element.type, where), element.nullable);
  }
  if (arrow.DataType.isMap(type)) {
    const entries = type.children[0] as arrow.Field<arrow.Struct>;
    const [key, value] = entries.type.children as [arrow.Field, arrow.Field];
    return new MapType(fromArrowType(key.type, where), fromArrowType(value.type, where), value.nullable);
  }
  if (arrow.DataType.isStruct(type)) {
    if (isVariantStruct(type)) return new VariantType();
    const spatial = spatialOf(type);
    if (spatial) return spatial;
    return new StructType(type.children.map((child) => fromArrowField(child, where)));
  }
  if (arrow.DataType.isDictionary(type)) return fromArrowType(type.dictionary, where);
  return unsupported(type, where);
}

/** The StructField Spark reads an Arrow field as. */
export function fromArrowField(field: arrow.Field, where = ""): StructField {
  return new StructField(field.name, fromArrowType(field.type, where || ` (field "${field.name}")`), field.nullable);
}

/** The Spark row type of an Arrow schema. */
export function fromArrowSchema(schema: arrow.Schema): StructType {
  return new StructType(schema.fields.map((field) => fromArrowField(field)));
}

/** GEOMETRY/GEOGRAPHY travel as `struct<srid: int, wkb: binary>`, the `wkb` child tagged `geometry`/`geography`. */
function spatialOf(type: arrow.Struct): DataType | undefined {
  const [srid, wkb] = type.children;
  if (type.children.length !== 2 || srid?.name !== "srid" || wkb?.name !== "wkb") return undefined;
  const id = Number(wkb.metadata.get("srid") ?? Number.NaN);
  if (wkb.metadata.get("geometry") === "true") return new GeometryType(Number.isNaN(id) ? 0 : id);
  if (wkb.metadata.get("geography") === "true") return new GeographyType(Number.isNaN(id) ? 4326 : id);
  return undefined;
}
