/**
 * Rewrites a DataFrame's columns into MongoDB Extended JSON (relaxed) shapes, so Spark's JSON writer emits
 * documents `mongoimport` loads with their types intact: decimals as `{"$numberDecimal": "12.30"}` (exact,
 * never through a double) and dates and timestamps as `{"$date": "…Z"}` in UTC. The rewrite follows the
 * schema into structs and arrays; other values stay as they are (numbers, strings, booleans).
 * @see https://www.mongodb.com/docs/manual/reference/mongodb-extended-json/
 */
import { ArrayType, type Column, type DataFrame, type DataType, functions as F, StructType } from "../src/index.ts";

/** Writer options that print the `$date` timestamps as ISO-8601 in UTC with milliseconds and a `Z`. */
export const EXTENDED_JSON_WRITE_OPTIONS: Readonly<Record<string, string>> = {
  timestampFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  timeZone: "UTC",
  compression: "none",
};

const SECONDS_PER_DAY = 86_400;

/** Keeps a null a null (a struct wrapper around a null would print as `{}` instead of leaving the field out). */
function wrap(value: Column, shape: Column): Column {
  return F.when(value.isNull(), F.lit(null)).otherwise(shape);
}

/** The extended-JSON form of one value of the given type. */
export function extendedJsonValue(value: Column, type: DataType): Column {
  if (type instanceof StructType) {
    return wrap(
      value,
      F.struct(...type.fields.map((f) => extendedJsonValue(value.getField(f.name), f.dataType).alias(f.name))),
    );
  }
  if (type instanceof ArrayType) return F.transform(value, (x) => extendedJsonValue(x, type.elementType));
  switch (type.kind) {
    case "decimal":
      return wrap(value, F.struct(value.cast("string").alias("$numberDecimal")));
    case "timestamp":
    case "timestamp_ntz":
      return wrap(value, F.struct(value.cast("timestamp").alias("$date")));
    case "date":
      // Midnight UTC of the calendar day, whatever the session time zone.
      return wrap(
        value,
        F.struct(F.timestamp_seconds(F.unix_date(value).cast("bigint").multiply(SECONDS_PER_DAY)).alias("$date")),
      );
    default:
      return value;
  }
}

/** The frame with every column in extended-JSON form (an analysis call fetches the schema). */
export async function toExtendedJson(frame: DataFrame, options: { signal?: AbortSignal } = {}): Promise<DataFrame> {
  const schema = await frame.schema(options);
  return frame.select(...schema.fields.map((f) => extendedJsonValue(F.col(f.name), f.dataType).alias(f.name)));
}
