/**
 * Schema inference from JS values, the counterpart of PySpark's `_infer_schema`/`_merge_type` for
 * `createDataFrame(rows)` without a schema. Each JS type maps to the Spark type it decodes from (docs/types.md),
 * so rows collected from Spark infer back to their own schema; types of all rows are merged, widening where safe.
 */
import {
  ArrayType,
  BinaryType,
  BooleanType,
  CalendarIntervalType,
  type DataType,
  DateType,
  DayTimeIntervalType,
  DecimalType,
  DoubleType,
  GeographyType,
  GeometryType,
  LongType,
  MapType,
  NullType,
  StringType,
  StructField,
  StructType,
  TimestampNTZType,
  TimestampType,
  TimeType,
  VariantType,
  YearMonthIntervalType,
} from "./data-types.ts";
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
} from "./values.ts";
import { VariantValue } from "./variant.ts";

/** True for `{…}` literals and `Object.create(null)`: the JS form of a row or a struct. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A short description of a JS value for error messages: its type and, when short, its text. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return `${typeof value} ${String(value)}${typeof value === "bigint" ? "n" : ""}`;
  }
  if (Array.isArray(value)) return `array of length ${value.length}`;
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `${name} ${String(value)}` : "object";
}

function fail(path: string, message: string): never {
  throw new TypeError(`${path === "" ? "value" : `field "${path}"`}: ${message}`);
}

/**
 * The Spark type of one JS value. `null`/`undefined` give NullType (resolved by merging with other rows); empty
 * arrays give `array<void>` and empty Maps `map<void,void>` for the same reason.
 */
export function inferType(value: unknown, path = ""): DataType {
  if (value === null || value === undefined) return new NullType();
  switch (typeof value) {
    case "boolean":
      return new BooleanType();
    case "number":
      // JS has one number type: integral values infer as bigint (PySpark's int → LongType), others as double.
      return Number.isInteger(value) ? new LongType() : new DoubleType();
    case "bigint":
      return new LongType();
    case "string":
      return new StringType();
  }
  if (value instanceof Decimal) return new DecimalType(value.precision, value.scale);
  if (value instanceof LocalDate) return new DateType();
  if (value instanceof Timestamp || value instanceof Date) return new TimestampType();
  if (value instanceof LocalDateTime) return new TimestampNTZType();
  if (value instanceof LocalTime) return new TimeType(6);
  if (value instanceof YearMonthInterval) return new YearMonthIntervalType();
  if (value instanceof DayTimeInterval) return new DayTimeIntervalType();
  if (value instanceof CalendarInterval) return new CalendarIntervalType();
  if (value instanceof Uint8Array) return new BinaryType();
  if (value instanceof VariantValue) return new VariantType();
  if (value instanceof Geometry) return new GeometryType(value.srid);
  if (value instanceof Geography) return new GeographyType(value.srid);
  if (Array.isArray(value)) {
    let element: DataType = new NullType();
    value.forEach((item, i) => {
      element = mergeTypes(element, inferType(item, `${path}[${i}]`), `${path}[]`);
    });
    return new ArrayType(element, true);
  }
  if (value instanceof Map) {
    let key: DataType = new NullType();
    let item: DataType = new NullType();
    for (const [k, v] of value) {
      if (k === null || k === undefined) fail(path, "map keys cannot be null");
      key = mergeTypes(key, inferType(k, `${path}.key`), `${path}.key`);
      item = mergeTypes(item, inferType(v, `${path}.value`), `${path}.value`);
    }
    return new MapType(key, item, true);
  }
  if (isPlainObject(value)) {
    return new StructType(
      Object.entries(value).map(
        ([name, v]) => new StructField(name, inferType(v, path === "" ? name : `${path}.${name}`), true),
      ),
    );
  }
  return fail(
    path,
    `cannot infer a Spark type for ${describeValue(value)}: pass a schema, or use numbers, bigint, strings, ` +
      "booleans, Decimal, LocalDate, Timestamp/Date, LocalDateTime, Uint8Array, arrays, Maps or plain objects",
  );
}

function mergeDecimals(a: DecimalType, b: DecimalType, path: string): DataType {
  const scale = Math.max(a.scale, b.scale);
  const integral = Math.max(a.precision - a.scale, b.precision - b.scale);
  if (integral + scale > 38) {
    fail(path, `cannot merge ${a.simpleString()} and ${b.simpleString()} without exceeding 38 digits`);
  }
  return new DecimalType(integral + scale, scale);
}

/**
 * The common type of two inferred types: NullType yields to anything, bigint widens to double (JS numbers
 * carry no int/float distinction), decimals widen, structs merge their fields by name (new fields appended).
 * Any other mismatch is an error naming the field and both types.
 */
export function mergeTypes(a: DataType, b: DataType, path = ""): DataType {
  if (a instanceof NullType) return b;
  if (b instanceof NullType) return a;
  if (a instanceof LongType && b instanceof DoubleType) return b;
  if (a instanceof DoubleType && b instanceof LongType) return a;
  if (a instanceof DecimalType && b instanceof DecimalType) return mergeDecimals(a, b, path);
  if (a instanceof ArrayType && b instanceof ArrayType) {
    return new ArrayType(mergeTypes(a.elementType, b.elementType, `${path}[]`), true);
  }
  if (a instanceof MapType && b instanceof MapType) {
    return new MapType(
      mergeTypes(a.keyType, b.keyType, `${path}.key`),
      mergeTypes(a.valueType, b.valueType, `${path}.value`),
      true,
    );
  }
  if (a instanceof StructType && b instanceof StructType) return mergeStructs(a, b, path);
  if (a.equals(b)) return a;
  return fail(path, `values of different types ${a.simpleString()} and ${b.simpleString()} cannot share a column`);
}

function mergeStructs(a: StructType, b: StructType, path: string): StructType {
  const fields = a.fields.map((field) => {
    const other = b.get(field.name);
    const name = path === "" ? field.name : `${path}.${field.name}`;
    return other ? new StructField(field.name, mergeTypes(field.dataType, other.dataType, name), true) : field;
  });
  for (const field of b.fields) {
    if (!a.get(field.name)) fields.push(field);
  }
  return new StructType(fields);
}

/**
 * The schema of local rows, as `createDataFrame(rows)` infers it: plain objects give their keys (in first-seen
 * order, merged over all rows), arrays give positional columns `_1`, `_2`, … (PySpark's tuple names), and other
 * values a single column `value`. `names`, when given, rename the columns by position.
 */
export function inferSchema(rows: readonly unknown[], names?: readonly string[]): StructType {
  let schema: StructType | undefined;
  rows.forEach((row, i) => {
    let rowType: StructType;
    if (isPlainObject(row)) {
      rowType = inferType(row) as StructType;
    } else if (Array.isArray(row)) {
      rowType = new StructType(
        row.map((value, c) => new StructField(`_${c + 1}`, inferType(value, `_${c + 1}`), true)),
      );
    } else {
      rowType = new StructType([new StructField("value", inferType(row, "value"), true)]);
    }
    try {
      schema = schema === undefined ? rowType : mergeStructs(schema, rowType, "");
    } catch (error) {
      throw new TypeError(`row ${i}: ${(error as Error).message}`);
    }
  });
  let result = schema ?? new StructType();
  if (names !== undefined) {
    if (names.length > result.fields.length && rows.length > 0) {
      throw new TypeError(`${names.length} column names given for rows with ${result.fields.length} columns`);
    }
    if (rows.length === 0) return new StructType(names.map((name) => new StructField(name, new NullType(), true)));
    result = new StructType(
      result.fields.map((field, i) => new StructField(names[i] ?? field.name, field.dataType, field.nullable)),
    );
  }
  return result;
}
