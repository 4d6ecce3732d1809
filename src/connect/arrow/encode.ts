/**
 * Local data → Arrow IPC stream bytes for a LocalRelation (`createDataFrame`). Rows are checked against a Spark
 * schema (given, parsed from DDL, or inferred) and written column by column through one exhaustive encoder table,
 * the mirror of converters.ts: every value that decodes from Spark encodes back to the same Spark value. Arrow
 * Tables pass through as they are when their types are ones Spark reads, and are normalised otherwise.
 * @see python/pyspark/sql/connect/conversion.py LocalDataToArrowConversion
 */
import * as arrow from "apache-arrow";
import {
  type AnyDataType,
  ArrayType,
  asAnyDataType,
  type DataType,
  type DataTypeKind,
  MapType,
  StringType,
  StructField,
  StructType,
} from "../types/data-types.ts";
import { parseSchema } from "../types/ddl.ts";
import { describeValue, inferSchema, isPlainObject } from "../types/infer.ts";
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
} from "../types/values.ts";
import { VariantValue } from "../types/variant.ts";
import { fromArrowSchema, fromArrowType, toArrowSchema, toArrowType } from "./arrow-types.ts";
import { rowsFromTable, withTrueSchema } from "./decode.ts";

/** Arrow IPC bytes and the schema to put in a LocalRelation (`data` and `schema` fields). */
export interface LocalData {
  /** One Arrow IPC stream (schema message + record batches). */
  ipc: Uint8Array;
  /** The Spark schema of the data. */
  schema: StructType;
  /**
   * `schema` in Spark's JSON form, for `LocalRelation.schema`. CHAR/VARCHAR become STRING here: the server rejects
   * them in a local relation's schema (UNSUPPORTED_CHAR_OR_VARCHAR_AS_STRING); lengths were checked while encoding.
   */
  schemaJson: string;
  rowCount: number;
}

export interface EncodeOptions {
  /** Session time zone: recorded on TIMESTAMP columns and used for zone-less timestamp strings. Default "UTC". */
  timeZone?: string;
  /** Rows per Arrow record batch (default 65 536). */
  batchSize?: number;
}

/** A schema as `createDataFrame` takes it: a StructType, a DDL string, an atomic DataType, or column names. */
export type SchemaInput = DataType | string | readonly string[];

interface Context {
  path: string;
  timeZone: string;
}

function fail(context: Context, message: string): never {
  throw new TypeError(`${context.path === "" ? "value" : `field "${context.path}"`}: ${message}`);
}

function wrong(context: Context, type: DataType, value: unknown, accepted: string): never {
  return fail(context, `${type.simpleString()} expects ${accepted}, got ${describeValue(value)}`);
}

/** The validity bitmap of a column, checking non-nullable columns. */
function validity(
  values: readonly unknown[],
  nullable: boolean,
  context: Context,
): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  let nullCount = 0;
  for (const value of values) if (value === null || value === undefined) nullCount++;
  if (nullCount === 0) return { nullBitmap: undefined, nullCount: 0 };
  if (!nullable) fail(context, "is not nullable but holds null");
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((value, i) => {
    if (value !== null && value !== undefined) nullBitmap[i >> 3] = (nullBitmap[i >> 3] as number) | (1 << (i & 7));
  });
  return { nullBitmap, nullCount };
}

type Encoder<T extends DataType> = (type: T, values: readonly unknown[], context: Context) => arrow.Data;
type TypeOfKind<K extends DataTypeKind> = Extract<AnyDataType, { kind: K }>;

/** Fills a typed array from the non-null values through `convert` (nulls leave the zero default). */
function fixed<A extends { [index: number]: number | bigint }>(
  values: readonly unknown[],
  array: A,
  convert: (value: unknown) => A[number],
): A {
  values.forEach((value, i) => {
    if (value !== null && value !== undefined) array[i] = convert(value);
  });
  return array;
}

function dataOf(
  arrowType: arrow.DataType,
  values: readonly unknown[],
  context: Context,
  buffers: Record<string, unknown>,
): arrow.Data {
  return arrow.makeData({
    type: arrowType,
    length: values.length,
    ...validity(values, true, context),
    ...buffers,
  } as never);
}

function integerEncoder(
  min: number,
  max: number,
  Array32: Int8ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor,
) {
  return (type: DataType, values: readonly unknown[], context: Context): arrow.Data => {
    const data = fixed(values, new Array32(values.length), (value) => {
      const n = typeof value === "bigint" && value >= BigInt(min) && value <= BigInt(max) ? Number(value) : value;
      if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
        wrong(context, type, value, `an integer in ${min}..${max}`);
      }
      return n;
    });
    return dataOf(toArrowType(type, context.timeZone), values, context, { data });
  };
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function toBigInt64(type: DataType, value: unknown, context: Context): bigint {
  if (typeof value === "bigint" && value >= LONG_MIN && value <= LONG_MAX) return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  return wrong(context, type, value, "a bigint (or a safe-integer number) in the int64 range");
}

function floatEncoder(ArrayType: Float32ArrayConstructor | Float64ArrayConstructor): Encoder<DataType> {
  return (type, values, context) => {
    const data = fixed(values, new ArrayType(values.length), (value) => {
      if (typeof value !== "number") wrong(context, type, value, "a number");
      return value;
    });
    return dataOf(toArrowType(type, context.timeZone), values, context, { data });
  };
}

function exactDecimal(type: TypeOfKind<"decimal">, value: unknown, context: Context): bigint {
  let decimal: Decimal;
  try {
    if (value instanceof Decimal) decimal = value;
    else if (typeof value === "string" || typeof value === "bigint" || typeof value === "number") {
      decimal = Decimal.from(value);
    } else {
      return wrong(context, type, value, "a Decimal, a decimal string, a bigint or a number");
    }
  } catch (error) {
    return fail(context, (error as Error).message);
  }
  if (decimal.scale > type.scale) {
    const rounded = decimal.rescale(type.scale, 38);
    if (!rounded.equals(decimal)) {
      fail(context, `${decimal.toString()} has more than ${type.scale} decimal places for ${type.simpleString()}`);
    }
    decimal = rounded;
  }
  const unscaled = decimal.unscaled * 10n ** BigInt(type.scale - decimal.scale);
  if ((unscaled < 0n ? -unscaled : unscaled) >= 10n ** BigInt(type.precision)) {
    fail(context, `${decimal.toString()} does not fit ${type.simpleString()}`);
  }
  return unscaled;
}

/** Variable-width UTF-8 or binary column: offsets plus one concatenated byte buffer. */
function variableWidth(values: readonly unknown[], toBytes: (value: unknown) => Uint8Array | string) {
  const offsets = new Int32Array(values.length + 1);
  const parts: (Uint8Array | string)[] = new Array(values.length);
  let total = 0;
  values.forEach((value, i) => {
    if (value !== null && value !== undefined) {
      const part = toBytes(value);
      parts[i] = part;
      total += typeof part === "string" ? Buffer.byteLength(part, "utf8") : part.byteLength;
      if (total > 0x7fffffff)
        throw new RangeError("a string/binary column exceeds 2 GiB in one batch: use a smaller batchSize");
    }
    offsets[i + 1] = total;
  });
  const data = Buffer.allocUnsafe(total);
  parts.forEach((part, i) => {
    const at = offsets[i] as number;
    if (typeof part === "string") data.write(part, at, "utf8");
    else if (part !== undefined) data.set(part, at);
  });
  return { valueOffsets: offsets, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const stringEncoder: Encoder<TypeOfKind<"string" | "char" | "varchar">> = (type, values, context) => {
  const limit = type.kind === "string" ? undefined : type.length;
  const buffers = variableWidth(values, (value) => {
    if (typeof value !== "string") wrong(context, type, value, "a string");
    if (limit !== undefined && value.length > limit && codePointLength(value) > limit) {
      fail(context, `string of ${codePointLength(value)} characters exceeds ${type.simpleString()}`);
    }
    return value;
  });
  return dataOf(toArrowType(type, context.timeZone), values, context, buffers);
};

function bytesOf(type: DataType, value: unknown, context: Context): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return wrong(context, type, value, "a Uint8Array (or Buffer/ArrayBuffer)");
}

function epochDay(type: DataType, value: unknown, context: Context): number {
  if (value instanceof LocalDate) return value.epochDay;
  if (typeof value === "string") {
    try {
      return LocalDate.parse(value).epochDay;
    } catch (error) {
      return fail(context, (error as Error).message);
    }
  }
  if (value instanceof Date) {
    return fail(
      context,
      "a JS Date is an instant, not a calendar date: use LocalDate.of(year, month, day) or 'YYYY-MM-DD'",
    );
  }
  return wrong(context, type, value, "a LocalDate or a 'YYYY-MM-DD' string");
}

function instantMicros(type: DataType, value: unknown, context: Context): bigint {
  if (value instanceof Timestamp) return value.epochMicros;
  if (value instanceof Date) {
    const millis = value.getTime();
    if (Number.isNaN(millis)) fail(context, "invalid Date");
    return BigInt(millis) * 1000n;
  }
  // A wall-clock value is placed in the session time zone, as Spark does when casting TIMESTAMP_NTZ to TIMESTAMP.
  if (value instanceof LocalDateTime) return value.atZone(context.timeZone).epochMicros;
  if (typeof value === "string") {
    try {
      return Timestamp.parse(value, context.timeZone).epochMicros;
    } catch (error) {
      return fail(context, (error as Error).message);
    }
  }
  return wrong(context, type, value, "a Timestamp, a Date, a LocalDateTime or an ISO-8601 string");
}

function localMicros(type: DataType, value: unknown, context: Context): bigint {
  if (value instanceof LocalDateTime) return value.epochMicros;
  if (typeof value === "string") {
    try {
      return LocalDateTime.parse(value).epochMicros;
    } catch (error) {
      return fail(context, (error as Error).message);
    }
  }
  if (value instanceof Date || value instanceof Timestamp) {
    return fail(
      context,
      `${describeValue(value)} is an instant; timestamp_ntz needs a LocalDateTime (wall-clock time)`,
    );
  }
  return wrong(context, type, value, "a LocalDateTime or a 'YYYY-MM-DDTHH:MM:SS[.ffffff]' string");
}

function timeNanos(type: DataType, value: unknown, context: Context): bigint {
  if (value instanceof LocalTime) return value.nanoOfDay;
  if (typeof value === "string") {
    try {
      return LocalTime.parse(value).nanoOfDay;
    } catch (error) {
      return fail(context, (error as Error).message);
    }
  }
  return wrong(context, type, value, "a LocalTime or an 'HH:MM:SS[.fffffffff]' string");
}

/** Flattens list-like values into child values plus offsets. */
function listOffsets(
  values: readonly unknown[],
  items: (value: unknown) => readonly unknown[],
): { valueOffsets: Int32Array; flat: unknown[] } {
  const valueOffsets = new Int32Array(values.length + 1);
  const flat: unknown[] = [];
  values.forEach((value, i) => {
    if (value !== null && value !== undefined) for (const item of items(value)) flat.push(item);
    valueOffsets[i + 1] = flat.length;
  });
  return { valueOffsets, flat };
}

function structData(
  arrowType: arrow.DataType,
  values: readonly unknown[],
  children: arrow.Data[],
  context: Context,
  nullable = true,
): arrow.Data {
  return arrow.makeData({
    type: arrowType,
    length: values.length,
    ...validity(values, nullable, context),
    children,
  } as never);
}

function childContext(context: Context, name: string): Context {
  return { ...context, path: context.path === "" ? name : `${context.path}.${name}` };
}

function spatialEncoder<T extends Geometry | Geography>(
  cls: new (srid: number, wkb: Uint8Array) => T,
): Encoder<TypeOfKind<"geometry" | "geography">> {
  return (type, values, context) => {
    const items = values.map((value) => {
      if (value === null || value === undefined) return undefined;
      if (!(value instanceof cls)) wrong(context, type, value, `a ${cls.name}`);
      return value;
    });
    const srid = arrow.makeData({
      type: new arrow.Int32(),
      length: values.length,
      data: Int32Array.from(items, (item) => item?.srid ?? 0),
    });
    const wkb = arrow.makeData({
      type: new arrow.Binary(),
      length: values.length,
      ...variableWidth(
        items.map((item) => item?.wkb ?? new Uint8Array()),
        (bytes) => bytes as Uint8Array,
      ),
    });
    return structData(toArrowType(type, context.timeZone), values, [srid, wkb], context);
  };
}

/**
 * The encoder table: Spark type kind → how JS values become its Arrow column. Each entry lists the JS values it
 * accepts in its error message; nulls are allowed wherever the schema allows them.
 */
export const ENCODERS: { readonly [K in DataTypeKind]: Encoder<TypeOfKind<K>> } = {
  null: (type, values, context) => {
    values.forEach((value) => {
      if (value !== null && value !== undefined) wrong(context, type, value, "only null");
    });
    return arrow.makeData({ type: new arrow.Null(), length: values.length });
  },
  boolean: (type, values, context) => {
    const bits = new Uint8Array(Math.ceil(values.length / 8));
    values.forEach((value, i) => {
      if (value === null || value === undefined) return;
      if (typeof value !== "boolean") wrong(context, type, value, "a boolean");
      if (value) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
    });
    return dataOf(new arrow.Bool(), values, context, { data: bits });
  },
  byte: integerEncoder(-128, 127, Int8Array),
  short: integerEncoder(-32768, 32767, Int16Array),
  integer: integerEncoder(-(2 ** 31), 2 ** 31 - 1, Int32Array),
  long: (type, values, context) => {
    const data = fixed(values, new BigInt64Array(values.length), (value) => toBigInt64(type, value, context));
    return dataOf(new arrow.Int64(), values, context, { data });
  },
  float: floatEncoder(Float32Array),
  double: floatEncoder(Float64Array),
  decimal: (type, values, context) => {
    const words = new Uint32Array(values.length * 4);
    const view = new DataView(words.buffer);
    values.forEach((value, i) => {
      if (value === null || value === undefined) return;
      const unscaled = exactDecimal(type, value, context);
      view.setBigUint64(i * 16, BigInt.asUintN(64, unscaled), true);
      view.setBigInt64(i * 16 + 8, BigInt.asIntN(64, unscaled >> 64n), true);
    });
    return dataOf(toArrowType(type, context.timeZone), values, context, { data: words });
  },
  string: stringEncoder,
  char: stringEncoder,
  varchar: stringEncoder,
  binary: (type, values, context) =>
    dataOf(
      new arrow.Binary(),
      values,
      context,
      variableWidth(values, (value) => bytesOf(type, value, context)),
    ),
  date: (type, values, context) => {
    const data = fixed(values, new Int32Array(values.length), (value) => epochDay(type, value, context));
    return dataOf(new arrow.DateDay(), values, context, { data });
  },
  timestamp: (type, values, context) => {
    const data = fixed(values, new BigInt64Array(values.length), (value) => instantMicros(type, value, context));
    return dataOf(toArrowType(type, context.timeZone), values, context, { data });
  },
  timestamp_ntz: (type, values, context) => {
    const data = fixed(values, new BigInt64Array(values.length), (value) => localMicros(type, value, context));
    return dataOf(toArrowType(type, context.timeZone), values, context, { data });
  },
  time: (type, values, context) => {
    const data = fixed(values, new BigInt64Array(values.length), (value) => timeNanos(type, value, context));
    return dataOf(toArrowType(type, context.timeZone), values, context, { data });
  },
  year_month_interval: (type, values, context) => {
    const data = fixed(values, new Int32Array(values.length), (value) => {
      if (value instanceof YearMonthInterval) return value.months;
      if (typeof value === "number" && Number.isInteger(value)) return new YearMonthInterval(value).months;
      return wrong(context, type, value, "a YearMonthInterval or an integer number of months");
    });
    return dataOf(toArrowType(type, context.timeZone), values, context, { data });
  },
  day_time_interval: (type, values, context) => {
    const data = fixed(values, new BigInt64Array(values.length), (value) => {
      if (value instanceof DayTimeInterval) return value.micros;
      if (typeof value === "bigint") return toBigInt64(type, value, context);
      return wrong(context, type, value, "a DayTimeInterval or a bigint of microseconds");
    });
    return dataOf(toArrowType(type, context.timeZone), values, context, { data });
  },
  calendar_interval: (type, values, context) => {
    const words = new Int32Array(values.length * 4);
    const view = new DataView(words.buffer);
    values.forEach((value, i) => {
      if (value === null || value === undefined) return;
      if (!(value instanceof CalendarInterval)) wrong(context, type, value, "a CalendarInterval");
      words[i * 4] = value.months;
      words[i * 4 + 1] = value.days;
      view.setBigInt64(i * 16 + 8, value.microseconds * 1000n, true);
    });
    return dataOf(toArrowType(type, context.timeZone), values, context, { data: words });
  },
  array: (type, values, context) => {
    const { valueOffsets, flat } = listOffsets(values, (value) => {
      if (Array.isArray(value)) return value;
      if (ArrayBuffer.isView(value) && !(value instanceof DataView))
        return Array.from(value as unknown as ArrayLike<unknown>);
      return wrong(context, type, value, "an array");
    });
    const child = encodeColumn(type.elementType, flat, { ...context, path: `${context.path}[]` }, type.containsNull);
    return dataOf(toArrowType(type, context.timeZone), values, context, { valueOffsets, child });
  },
  map: (type, values, context) => {
    const entries = (value: unknown): [unknown, unknown][] => {
      if (value instanceof Map) return [...value.entries()];
      if (isPlainObject(value)) return Object.entries(value);
      return wrong(context, type, value, "a Map (or a plain object with string keys)");
    };
    const { valueOffsets, flat } = listOffsets(values, entries);
    const pairs = flat as [unknown, unknown][];
    const arrowType = toArrowType(type, context.timeZone) as arrow.Map_;
    const keys = encodeColumn(
      type.keyType,
      pairs.map((pair) => pair[0]),
      { ...context, path: `${context.path}.key` },
      false,
    );
    const items = encodeColumn(
      type.valueType,
      pairs.map((pair) => pair[1]),
      { ...context, path: `${context.path}.value` },
      type.valueContainsNull,
    );
    const entryType = (arrowType.children[0] as arrow.Field).type;
    const child = structData(entryType, pairs, [keys, items], context, false);
    return dataOf(arrowType, values, context, { valueOffsets, child });
  },
  struct: (type, values, context) => {
    const fields = type.fields;
    const columns = fields.map(() => new Array<unknown>(values.length));
    const names = new Set(fields.map((field) => field.name));
    values.forEach((value, i) => {
      if (value === null || value === undefined) return;
      if (Array.isArray(value)) {
        if (value.length !== fields.length) {
          fail(context, `struct of ${fields.length} fields given an array of ${value.length} values`);
        }
        value.forEach((item, f) => {
          (columns[f] as unknown[])[i] = item;
        });
      } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) {
          if (!names.has(key)) {
            fail(context, `has no field "${key}" (fields: ${fields.map((field) => field.name).join(", ")})`);
          }
        }
        fields.forEach((field, f) => {
          (columns[f] as unknown[])[i] = value[field.name];
        });
      } else {
        wrong(context, type, value, "a plain object (by field name) or an array (by position)");
      }
    });
    const children = fields.map((field, f) => {
      const column = columns[f] as unknown[];
      const inner = childContext(context, field.name);
      // Slots under a null struct are nulls too; only present structs must fill their non-nullable fields.
      if (!field.nullable) {
        values.forEach((value, i) => {
          if (value !== null && value !== undefined && (column[i] === null || column[i] === undefined)) {
            fail(inner, "is not nullable but holds null");
          }
        });
      }
      return encodeColumn(field.dataType, column, inner, true);
    });
    return structData(toArrowType(type, context.timeZone), values, children, context);
  },
  variant: (type, values, context) => {
    const items = values.map((value) => {
      if (value === null || value === undefined) return undefined;
      if (!(value instanceof VariantValue)) {
        wrong(context, type, value, "a VariantValue (build others on the server with parse_json)");
      }
      return value;
    });
    const binary = (pick: (item: VariantValue) => Uint8Array) =>
      arrow.makeData({
        type: new arrow.Binary(),
        length: values.length,
        ...variableWidth(
          items.map((item) => (item ? pick(item) : new Uint8Array())),
          (bytes) => bytes as Uint8Array,
        ),
      });
    const arrowType = toArrowType(type, context.timeZone);
    return structData(arrowType, values, [binary((item) => item.value), binary((item) => item.metadata)], context);
  },
  udt: (type, values, context) => encodeColumn(type.sqlType, values, context, true),
  geometry: spatialEncoder(Geometry),
  geography: spatialEncoder(Geography),
};

/** Encodes one column of JS values as Arrow Data of the Spark type, checking nullability. */
function encodeColumn(type: DataType, values: readonly unknown[], context: Context, nullable: boolean): arrow.Data {
  if (!nullable) validity(values, false, context);
  const t = asAnyDataType(type);
  return (ENCODERS[t.kind] as Encoder<DataType>)(t, values, context);
}

/** The schema with CHAR/VARCHAR replaced by STRING, at any depth. */
export function withoutCharVarchar(type: DataType): DataType {
  const t = asAnyDataType(type);
  switch (t.kind) {
    case "char":
    case "varchar":
      return new StringType();
    case "array":
      return new ArrayType(withoutCharVarchar(t.elementType), t.containsNull);
    case "map":
      return new MapType(withoutCharVarchar(t.keyType), withoutCharVarchar(t.valueType), t.valueContainsNull);
    case "struct":
      return new StructType(
        t.fields.map(
          (field) => new StructField(field.name, withoutCharVarchar(field.dataType), field.nullable, field.metadata),
        ),
      );
    default:
      return t;
  }
}

function schemaJson(schema: StructType): string {
  return withoutCharVarchar(schema).json();
}

function resolveSchema(
  rows: readonly unknown[],
  schema: SchemaInput | undefined,
): { schema: StructType; atomic: boolean } {
  if (schema === undefined) return { schema: inferSchema(rows), atomic: false };
  if (Array.isArray(schema)) return { schema: inferSchema(rows, schema as readonly string[]), atomic: false };
  const type = typeof schema === "string" ? parseSchema(schema) : (schema as DataType);
  if (type instanceof StructType) return { schema: type, atomic: false };
  // An atomic type (PySpark's `createDataFrame([1, 2], "int")`): each row is one value of a column named "value".
  return { schema: new StructType([new StructField("value", type, true)]), atomic: true };
}

function columnValues(rows: readonly unknown[], schema: StructType, atomic: boolean, start: number, end: number) {
  const fields = schema.fields;
  const columns = fields.map(() => new Array<unknown>(end - start));
  const names = new Set(fields.map((field) => field.name));
  for (let i = start; i < end; i++) {
    const row = rows[i];
    if (atomic) {
      (columns[0] as unknown[])[i - start] = row;
    } else if (Array.isArray(row)) {
      if (row.length !== fields.length) {
        throw new TypeError(`row ${i}: has ${row.length} values but the schema has ${fields.length} columns`);
      }
      row.forEach((value, c) => {
        (columns[c] as unknown[])[i - start] = value;
      });
    } else if (isPlainObject(row)) {
      for (const key of Object.keys(row)) {
        if (!names.has(key)) {
          throw new TypeError(`row ${i}: has field "${key}", not in the schema (${schema.fieldNames().join(", ")})`);
        }
      }
      fields.forEach((field, c) => {
        (columns[c] as unknown[])[i - start] = row[field.name];
      });
    } else if (fields.length === 1) {
      (columns[0] as unknown[])[i - start] = row;
    } else {
      throw new TypeError(`row ${i}: expected a plain object or an array, got ${describeValue(row)}`);
    }
  }
  return columns;
}

/**
 * Encodes JS rows (plain objects by column name, arrays by position, or scalars for one column) as Arrow IPC.
 * Without a schema it is inferred (see `inferSchema`); a list of names renames the inferred columns.
 */
export function encodeRows(rows: readonly unknown[], schema?: SchemaInput, options: EncodeOptions = {}): LocalData {
  const resolved = resolveSchema(rows, schema);
  const timeZone = options.timeZone ?? "UTC";
  const batchSize = options.batchSize ?? 65_536;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const arrowSchema = toArrowSchema(resolved.schema, timeZone);
  const structType = new arrow.Struct(arrowSchema.fields);
  const batches: arrow.RecordBatch[] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    const end = Math.min(rows.length, start + batchSize);
    const columns = columnValues(rows, resolved.schema, resolved.atomic, start, end);
    const children = resolved.schema.fields.map((field, c) => {
      try {
        return encodeColumn(field.dataType, columns[c] as unknown[], { path: field.name, timeZone }, field.nullable);
      } catch (error) {
        if (error instanceof TypeError && rows.length > batchSize) {
          throw new TypeError(`rows ${start}..${end - 1}: ${error.message}`);
        }
        throw error;
      }
    });
    const data = arrow.makeData({ type: structType, length: end - start, nullCount: 0, children });
    batches.push(withTrueSchema(new arrow.RecordBatch(arrowSchema, data)));
  }
  // Written batch by batch with the writer's schema set explicitly, so columns sharing a name all survive.
  const writer = new arrow.RecordBatchStreamWriter();
  writer.reset(undefined, arrowSchema);
  for (const batch of batches) writer.write(batch);
  writer.finish();
  return {
    ipc: writer.toUint8Array(true),
    schema: resolved.schema,
    schemaJson: schemaJson(resolved.schema),
    rowCount: rows.length,
  };
}

/** Whether Spark reads this Arrow type directly (it is exactly what Spark itself would send for its type). */
function isSparkNative(type: arrow.DataType): boolean {
  if (arrow.DataType.isDictionary(type)) return false;
  try {
    const canonical = toArrowType(fromArrowType(type), "UTC");
    const strip = (t: arrow.DataType) => String(t).replace(/, [^,>]+>$/, ">");
    return strip(canonical) === strip(type) && (type.children ?? []).every((child) => isSparkNative(child.type));
  } catch {
    return false;
  }
}

/**
 * Encodes an Arrow Table. Columns already in Spark's Arrow layout are written as they are; others (dictionary
 * strings from `tableFromArrays`, millisecond timestamps, …) are converted through rows first. With a schema,
 * the table's columns must match it by position; the server casts to it.
 */
export function encodeTable(table: arrow.Table, schema?: SchemaInput, options: EncodeOptions = {}): LocalData {
  const arrowSchemaType = fromArrowSchema(table.schema);
  let target = arrowSchemaType;
  if (schema !== undefined) {
    const resolved = resolveSchema([], schema);
    if (Array.isArray(schema)) {
      target = new StructType(
        arrowSchemaType.fields.map(
          (field, i) => new StructField((schema as readonly string[])[i] ?? field.name, field.dataType, field.nullable),
        ),
      );
    } else {
      target = resolved.schema;
    }
    if (target.fields.length !== table.schema.fields.length) {
      throw new TypeError(
        `schema has ${target.fields.length} columns (${target.fieldNames().join(", ")}) but the Arrow table has ${table.schema.fields.length}`,
      );
    }
  }
  if (table.schema.fields.every((field) => isSparkNative(field.type))) {
    return {
      ipc: arrow.tableToIPC(table, "stream"),
      schema: target,
      schemaJson: schemaJson(target),
      rowCount: table.numRows,
    };
  }
  const rows = rowsFromTable(table, arrowSchemaType, { timeZone: options.timeZone, duplicateNames: "error" });
  const encoded = encodeRows(rows, arrowSchemaType, options);
  return { ...encoded, schema: target, schemaJson: schemaJson(target) };
}

/** `createDataFrame`'s data argument: rows or an Arrow Table, with an optional schema. */
export function encodeLocalRelation(
  data: readonly unknown[] | arrow.Table,
  schema?: SchemaInput,
  options: EncodeOptions = {},
): LocalData {
  return data instanceof arrow.Table ? encodeTable(data, schema, options) : encodeRows(data, schema, options);
}
