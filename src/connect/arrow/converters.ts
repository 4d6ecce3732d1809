/**
 * Arrow column → JS value converters, one per Spark type kind, in a single exhaustive table (`CONVERTERS`): the
 * compiler rejects a missing kind, and every mapping decision is visible in one place (docs/types.md lists it).
 * A converter is built once per schema from the Spark type and the Arrow type; per batch it binds to the column's
 * buffers and returns a reader `(rowIndex) => value` that reads the buffers directly, with nulls handled once.
 * @see python/pyspark/sql/connect/conversion.py ArrowTableToRowsConversion (_create_converter)
 */
import * as arrow from "apache-arrow";
import { floorDiv } from "../types/calendar.ts";
import {
  type AnyDataType,
  asAnyDataType,
  type DataType,
  type DataTypeKind,
  type StructField,
} from "../types/data-types.ts";
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

/** Reads the value at a row index of one bound column (index relative to that column's Data). */
export type ValueReader = (index: number) => unknown;

/** A converter for one column: binds to a batch's column data, once per batch. */
export type ColumnConverter = (data: arrow.Data) => ValueReader;

/** What to do when a row (or struct) has two fields of the same name, which a plain object cannot hold. */
export type DuplicateNames = "suffix" | "error";

export interface ConverterOptions {
  /** Zone for TIMESTAMP columns whose Arrow type carries none (the server always sends one). Default "UTC". */
  timeZone?: string;
  /**
   * `"suffix"` (default): the first field keeps its name, later ones become `name_1`, `name_2`, … (skipping names
   * already taken); `"error"`: throw, naming the duplicates.
   */
  duplicateNames?: DuplicateNames;
}

interface Context {
  /** Column path for error messages, e.g. `orders.items[].price`. */
  path: string;
  timeZone: string;
  duplicateNames: DuplicateNames;
}

type TypeOfKind<K extends DataTypeKind> = Extract<AnyDataType, { kind: K }>;

type Builder<T extends DataType> = (type: T, arrowType: arrow.DataType, context: Context) => ColumnConverter;

function mismatch(context: Context, type: DataType, arrowType: arrow.DataType): never {
  throw new TypeError(
    `column ${context.path}: Spark type ${type.simpleString()} arrived as Arrow ${String(arrowType)}, which this client cannot read as it`,
  );
}

function expect(ok: boolean, context: Context, type: DataType, arrowType: arrow.DataType): void {
  if (!ok) mismatch(context, type, arrowType);
}

// Typed-array views of Arrow buffers. arrow-js slices value/offset buffers to the Data's window already, while
// bit-packed buffers (validity, booleans) keep the window start in `data.offset`.

function int32Values(data: arrow.Data): Int32Array {
  return data.values as Int32Array;
}

function bigIntValues(data: arrow.Data): BigInt64Array {
  return data.values as BigInt64Array;
}

function dataView(bytes: ArrayBufferView): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Offsets of a variable-width column as a function, hiding 32- vs 64-bit offsets. */
function offsetsOf(data: arrow.Data): (index: number) => number {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  if (offsets instanceof BigInt64Array) return (index) => Number(offsets[index]);
  return (index) => offsets[index] as number;
}

function numeric(
  isExpected: (t: arrow.DataType) => boolean,
): Builder<TypeOfKind<"byte" | "short" | "integer" | "float" | "double">> {
  return (type, arrowType, context) => {
    expect(isExpected(arrowType), context, type, arrowType);
    return (data) => {
      const values = data.values as Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
      return (index) => values[index];
    };
  };
}

function intOfWidth(bits: number): (t: arrow.DataType) => boolean {
  return (t) => arrow.DataType.isInt(t) && t.isSigned && t.bitWidth === bits;
}

function floatOf(precision: arrow.Precision): (t: arrow.DataType) => boolean {
  return (t) => arrow.DataType.isFloat(t) && t.precision === precision;
}

function stringReader(data: arrow.Data): ValueReader {
  const bytes = data.values as Uint8Array;
  const offset = offsetsOf(data);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (index) => {
    const start = offset(index);
    const end = offset(index + 1);
    // Short ASCII strings (ids, codes, names) are the common case; building them directly skips the native call.
    if (end - start <= 16) {
      let text = "";
      for (let i = start; i < end; i++) {
        const byte = bytes[i] as number;
        if (byte >= 0x80) return buffer.toString("utf8", start, end);
        text += String.fromCharCode(byte);
      }
      return text;
    }
    return buffer.toString("utf8", start, end);
  };
}

function isString(t: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t);
}

function isBinary(t: arrow.DataType): boolean {
  return arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t);
}

/** Copies each value out, so a kept Uint8Array does not pin the whole Arrow batch in memory. */
function binaryReader(data: arrow.Data): (index: number) => Uint8Array {
  const bytes = data.values as Uint8Array;
  const offset = offsetsOf(data);
  return (index) => bytes.slice(offset(index), offset(index + 1));
}

const string: Builder<TypeOfKind<"string" | "char" | "varchar">> = (type, arrowType, context) => {
  expect(isString(arrowType), context, type, arrowType);
  return stringReader;
};

/** Multiplier from an Arrow time unit to microseconds (as numerator, denominator). */
function toMicros(unit: arrow.TimeUnit): (value: bigint) => bigint {
  switch (unit) {
    case arrow.TimeUnit.SECOND:
      return (value) => value * 1_000_000n;
    case arrow.TimeUnit.MILLISECOND:
      return (value) => value * 1000n;
    case arrow.TimeUnit.MICROSECOND:
      return (value) => value;
    default:
      // Spark keeps microseconds; nanoseconds from foreign Arrow data are floored to the microsecond.
      return (value) => floorDiv(value, 1000n);
  }
}

function decimalReader(bitWidth: number): (data: arrow.Data) => (index: number) => bigint {
  const words = bitWidth / 64;
  return (data) => {
    const view = dataView(data.values as Uint32Array);
    const stride = bitWidth / 8;
    if (words === 2) {
      return (index) => {
        const at = index * stride;
        const high = view.getBigInt64(at + 8, true);
        const low = view.getBigUint64(at, true);
        if (high === 0n) return low;
        if (high === -1n && low >= 0x8000000000000000n) return low - 0x10000000000000000n;
        return (high << 64n) | low;
      };
    }
    return (index) => {
      const at = index * stride;
      let value = view.getBigInt64(at + stride - 8, true);
      for (let w = words - 2; w >= 0; w--) value = (value << 64n) | view.getBigUint64(at + w * 8, true);
      return value;
    };
  };
}

function structChildren(
  fields: readonly StructField[],
  arrowType: arrow.DataType,
  context: Context,
): { names: string[]; converters: ColumnConverter[] } {
  const children = arrowType.children ?? [];
  if (children.length !== fields.length) {
    throw new TypeError(
      `column ${context.path}: Spark struct has ${fields.length} fields but Arrow ${String(arrowType)} has ${children.length}`,
    );
  }
  const names = uniqueNames(
    fields.map((field) => field.name),
    context.duplicateNames,
    context.path,
  );
  const converters = fields.map((field, i) =>
    createConverterIn(field.dataType, (children[i] as arrow.Field).type, {
      ...context,
      path: context.path === "" ? field.name : `${context.path}.${field.name}`,
    }),
  );
  return { names, converters };
}

/**
 * Property names for fields that may repeat (e.g. `id` from both sides of a join). With "suffix", the first
 * occurrence keeps its name and later ones get `_1`, `_2`, … (skipping any name already in use).
 */
export function uniqueNames(names: readonly string[], policy: DuplicateNames, where = ""): string[] {
  const taken = new Set(names);
  if (taken.size === names.length) return [...names];
  const seen = new Set<string>();
  const result: string[] = [];
  const duplicates = new Set<string>();
  for (const name of names) {
    if (!seen.has(name)) {
      seen.add(name);
      result.push(name);
      continue;
    }
    duplicates.add(name);
    let n = 1;
    while (taken.has(`${name}_${n}`)) n++;
    const renamed = `${name}_${n}`;
    taken.add(renamed);
    result.push(renamed);
  }
  if (policy === "error") {
    const list = [...duplicates].map((name) => JSON.stringify(name)).join(", ");
    throw new Error(
      `${where === "" ? "result" : `struct ${where}`} has duplicate field names ${list}: rename them (alias/withColumnRenamed) or decode with duplicateNames: "suffix"`,
    );
  }
  return result;
}

function spatial<T>(make: (srid: number, wkb: Uint8Array) => T): Builder<TypeOfKind<"geometry" | "geography">> {
  return (type, arrowType, context) => {
    const children = arrowType.children ?? [];
    const sridAt = children.findIndex((child) => child.name === "srid");
    const wkbAt = children.findIndex((child) => child.name === "wkb");
    expect(arrow.DataType.isStruct(arrowType) && sridAt >= 0 && wkbAt >= 0, context, type, arrowType);
    return (data) => {
      const srid = int32Values(data.children[sridAt] as arrow.Data);
      const wkb = binaryReader(data.children[wkbAt] as arrow.Data);
      return (index) => make(srid[index] as number, wkb(index));
    };
  };
}

/**
 * The converter table: Spark type kind → how its Arrow column becomes JS values. Null handling is added around
 * these by `createConverter`, so each entry reads only valid slots.
 */
export const CONVERTERS: { readonly [K in DataTypeKind]: Builder<TypeOfKind<K>> } = {
  null: () => () => () => null,
  boolean: (type, arrowType, context) => {
    expect(arrow.DataType.isBool(arrowType), context, type, arrowType);
    return (data) => {
      const bits = data.values as Uint8Array;
      const offset = data.offset;
      return (index) => {
        const bit = offset + index;
        return ((bits[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
      };
    };
  },
  byte: numeric(intOfWidth(8)),
  short: numeric(intOfWidth(16)),
  integer: numeric(intOfWidth(32)),
  long: (type, arrowType, context) => {
    expect(intOfWidth(64)(arrowType), context, type, arrowType);
    return (data) => {
      const values = bigIntValues(data);
      return (index) => values[index];
    };
  },
  float: numeric(floatOf(arrow.Precision.SINGLE)),
  double: numeric(floatOf(arrow.Precision.DOUBLE)),
  decimal: (type, arrowType, context) => {
    expect(arrow.DataType.isDecimal(arrowType), context, type, arrowType);
    const { bitWidth, scale } = arrowType as arrow.Decimal;
    if (scale !== type.scale || (bitWidth !== 128 && bitWidth !== 256)) mismatch(context, type, arrowType);
    const unscaled = decimalReader(bitWidth);
    const { precision } = type;
    return (data) => {
      const read = unscaled(data);
      return (index) => new Decimal(read(index), precision, scale);
    };
  },
  string,
  char: string,
  varchar: string,
  binary: (type, arrowType, context) => {
    expect(isBinary(arrowType), context, type, arrowType);
    return binaryReader;
  },
  date: (type, arrowType, context) => {
    expect(arrow.DataType.isDate(arrowType), context, type, arrowType);
    if ((arrowType as arrow.Date_).unit === arrow.DateUnit.DAY) {
      return (data) => {
        const days = int32Values(data);
        return (index) => new LocalDate(days[index] as number);
      };
    }
    return (data) => {
      const millis = bigIntValues(data);
      return (index) => new LocalDate(Number(floorDiv(millis[index] as bigint, 86_400_000n)));
    };
  },
  timestamp: (type, arrowType, context) => {
    expect(arrow.DataType.isTimestamp(arrowType), context, type, arrowType);
    const { unit, timezone } = arrowType as arrow.Timestamp;
    const zone = timezone ?? context.timeZone;
    const micros = toMicros(unit);
    return (data) => {
      const values = bigIntValues(data);
      return (index) => new Timestamp(micros(values[index] as bigint), zone);
    };
  },
  timestamp_ntz: (type, arrowType, context) => {
    expect(arrow.DataType.isTimestamp(arrowType), context, type, arrowType);
    const micros = toMicros((arrowType as arrow.Timestamp).unit);
    return (data) => {
      const values = bigIntValues(data);
      return (index) => new LocalDateTime(micros(values[index] as bigint));
    };
  },
  time: (type, arrowType, context) => {
    expect(arrow.DataType.isTime(arrowType), context, type, arrowType);
    const { unit, bitWidth } = arrowType as arrow.Time;
    const nanosPer = [1_000_000_000n, 1_000_000n, 1000n, 1n][unit] as bigint;
    if (bitWidth === 64) {
      return (data) => {
        const values = bigIntValues(data);
        return (index) => new LocalTime((values[index] as bigint) * nanosPer);
      };
    }
    return (data) => {
      const values = int32Values(data);
      return (index) => new LocalTime(BigInt(values[index] as number) * nanosPer);
    };
  },
  year_month_interval: (type, arrowType, context) => {
    const ok = arrow.DataType.isInterval(arrowType) && arrowType.unit === arrow.IntervalUnit.YEAR_MONTH;
    expect(ok, context, type, arrowType);
    return (data) => {
      const months = int32Values(data);
      return (index) => new YearMonthInterval(months[index] as number);
    };
  },
  day_time_interval: (type, arrowType, context) => {
    expect(arrow.DataType.isDuration(arrowType), context, type, arrowType);
    const micros = toMicros((arrowType as arrow.Duration).unit);
    return (data) => {
      const values = bigIntValues(data);
      return (index) => new DayTimeInterval(micros(values[index] as bigint));
    };
  },
  calendar_interval: (type, arrowType, context) => {
    const ok = arrow.DataType.isInterval(arrowType) && arrowType.unit === arrow.IntervalUnit.MONTH_DAY_NANO;
    expect(ok, context, type, arrowType);
    return (data) => {
      const words = int32Values(data);
      const view = dataView(words);
      // 16 bytes per value: int32 months, int32 days, int64 nanoseconds (Spark's microseconds × 1000).
      return (index) =>
        new CalendarInterval(
          words[index * 4] as number,
          words[index * 4 + 1] as number,
          view.getBigInt64(index * 16 + 8, true) / 1000n,
        );
    };
  },
  array: (type, arrowType, context) => {
    expect(arrow.DataType.isList(arrowType) || arrow.DataType.isLargeList(arrowType), context, type, arrowType);
    const element = createConverterIn(type.elementType, (arrowType.children[0] as arrow.Field).type, {
      ...context,
      path: `${context.path}[]`,
    });
    return (data) => {
      const offset = offsetsOf(data);
      const read = element(data.children[0] as arrow.Data);
      return (index) => {
        const start = offset(index);
        const end = offset(index + 1);
        const items = new Array(end - start);
        for (let i = start; i < end; i++) items[i - start] = read(i);
        return items;
      };
    };
  },
  map: (type, arrowType, context) => {
    expect(arrow.DataType.isMap(arrowType), context, type, arrowType);
    const entries = (arrowType.children[0] as arrow.Field).type;
    const [keyField, valueField] = (entries.children ?? []) as arrow.Field[];
    if (!keyField || !valueField) mismatch(context, type, arrowType);
    const keys = createConverterIn(type.keyType, keyField.type, { ...context, path: `${context.path}.key` });
    const values = createConverterIn(type.valueType, valueField.type, { ...context, path: `${context.path}.value` });
    return (data) => {
      const offset = offsetsOf(data);
      const entryData = data.children[0] as arrow.Data;
      const readKey = keys(entryData.children[0] as arrow.Data);
      const readValue = values(entryData.children[1] as arrow.Data);
      return (index) => {
        const map = new Map<unknown, unknown>();
        const end = offset(index + 1);
        for (let i = offset(index); i < end; i++) map.set(readKey(i), readValue(i));
        return map;
      };
    };
  },
  struct: (type, arrowType, context) => {
    expect(arrow.DataType.isStruct(arrowType), context, type, arrowType);
    const { names, converters } = structChildren(type.fields, arrowType, context);
    // Copying a template gives every struct value one hidden class (see RowDecoder); fromEntries keeps `__proto__`.
    const template = Object.fromEntries(names.map((name) => [name, null]));
    return (data) => {
      const readers = converters.map((convert, i) => convert(data.children[i] as arrow.Data));
      const count = readers.length;
      return (index) => {
        const object: Record<string, unknown> = { ...template };
        for (let i = 0; i < count; i++) object[names[i] as string] = (readers[i] as ValueReader)(index);
        return object;
      };
    };
  },
  variant: (type, arrowType, context) => {
    const children = arrowType.children ?? [];
    const valueAt = children.findIndex((child) => child.name === "value");
    const metadataAt = children.findIndex((child) => child.name === "metadata");
    expect(arrow.DataType.isStruct(arrowType) && valueAt >= 0 && metadataAt >= 0, context, type, arrowType);
    return (data) => {
      const value = binaryReader(data.children[valueAt] as arrow.Data);
      const metadata = binaryReader(data.children[metadataAt] as arrow.Data);
      return (index) => new VariantValue(value(index), metadata(index));
    };
  },
  udt: (type, arrowType, context) => createConverterIn(type.sqlType, arrowType, context),
  geometry: spatial((srid, wkb) => new Geometry(srid, wkb)),
  geography: spatial((srid, wkb) => new Geography(srid, wkb)),
};

function withNulls(convert: ColumnConverter): ColumnConverter {
  return (data) => {
    const read = convert(data);
    const bitmap = data.nullBitmap;
    if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return read;
    const offset = data.offset;
    return (index) => {
      const bit = offset + index;
      return ((bitmap[bit >> 3] as number) & (1 << (bit & 7))) !== 0 ? read(index) : null;
    };
  };
}

function createConverterIn(type: DataType, arrowType: arrow.DataType, context: Context): ColumnConverter {
  const t = asAnyDataType(type);
  if (arrow.DataType.isDictionary(arrowType)) return dictionaryConverter(t, arrowType, context);
  const build = CONVERTERS[t.kind] as Builder<DataType>;
  const convert = build(t, arrowType, context);
  return t.kind === "null" ? convert : withNulls(convert);
}

/** Dictionary-encoded columns (only in foreign Arrow data; Spark never sends them) read through their dictionary. */
function dictionaryConverter(type: DataType, arrowType: arrow.Dictionary, context: Context): ColumnConverter {
  const values = createConverterIn(type, arrowType.dictionary, context);
  return withNulls((data) => {
    const dictionary = data.dictionary;
    if (!dictionary) throw new TypeError(`column ${context.path}: dictionary-encoded data without a dictionary`);
    const readers = dictionary.data.map((chunk) => ({ chunk, read: values(chunk) }));
    const indices = data.values as Int8Array | Int16Array | Int32Array | BigInt64Array;
    return (index) => {
      let key = Number(indices[index]);
      for (const { chunk, read } of readers) {
        if (key < chunk.length) return read(key);
        key -= chunk.length;
      }
      throw new RangeError(`column ${context.path}: dictionary index ${String(indices[index])} out of range`);
    };
  });
}

/**
 * Builds the converter for one column (Spark type + the Arrow type it arrives as). Call once per schema and
 * bind the result to each batch's column Data. Throws a TypeError naming the column when the Arrow type does not
 * carry the Spark type.
 */
export function createConverter(
  type: DataType,
  arrowType: arrow.DataType,
  path: string,
  options: ConverterOptions = {},
): ColumnConverter {
  return createConverterIn(type, arrowType, {
    path,
    timeZone: options.timeZone ?? "UTC",
    duplicateNames: options.duplicateNames ?? "suffix",
  });
}
