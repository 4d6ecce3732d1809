/**
 * Decoder for Spark's VARIANT binary encoding (a value buffer plus a metadata buffer holding the key dictionary),
 * producing lossless JS values and Spark-style JSON text. The layout is specified in Spark's
 * `common/variant/README.md`: a one-byte header whose low two bits pick primitive / short string / object / array.
 */
import { Decimal, LocalDate, LocalDateTime, LocalTime, Timestamp } from "./values.ts";

/** A decoded variant: JSON-like, with exact numbers and typed temporal values. */
export type VariantJs =
  | null
  | boolean
  | number
  | bigint
  | string
  | Decimal
  | LocalDate
  | Timestamp
  | LocalDateTime
  | LocalTime
  | Uint8Array
  | VariantJs[]
  | { [key: string]: VariantJs };

const PRIMITIVE = 0;
const SHORT_STRING = 1;
const OBJECT = 2;
const ARRAY = 3;

function readUnsigned(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + (bytes[at + i] as number);
  return value;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The key dictionary of a variant metadata buffer. */
export function variantDictionary(metadata: Uint8Array): string[] {
  const header = metadata[0];
  if (header === undefined || (header & 0x0f) !== 1) {
    throw new RangeError(`unsupported variant metadata version ${header === undefined ? "(empty)" : header & 0x0f}`);
  }
  const offsetSize = ((header >> 6) & 0x03) + 1;
  const size = readUnsigned(metadata, 1, offsetSize);
  const offsetsAt = 1 + offsetSize;
  const stringsAt = offsetsAt + (size + 1) * offsetSize;
  const keys = new Array<string>(size);
  for (let i = 0; i < size; i++) {
    const start = readUnsigned(metadata, offsetsAt + i * offsetSize, offsetSize);
    const end = readUnsigned(metadata, offsetsAt + (i + 1) * offsetSize, offsetSize);
    keys[i] = utf8.decode(metadata.subarray(stringsAt + start, stringsAt + end));
  }
  return keys;
}

function decimalAt(bytes: Uint8Array, at: number, width: 4 | 8 | 16): Decimal {
  const scale = bytes[at] as number;
  const dv = view(bytes);
  let unscaled: bigint;
  if (width === 4) unscaled = BigInt(dv.getInt32(at + 1, true));
  else if (width === 8) unscaled = dv.getBigInt64(at + 1, true);
  else unscaled = (dv.getBigInt64(at + 9, true) << 64n) | dv.getBigUint64(at + 1, true);
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().length;
  return new Decimal(unscaled, Math.max(digits, scale, 1), scale);
}

function uuidAt(bytes: Uint8Array, at: number): string {
  const hex = Array.from(bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function decodeAt(value: Uint8Array, at: number, keys: readonly string[]): VariantJs {
  const header = value[at];
  if (header === undefined) throw new RangeError(`variant value truncated at byte ${at}`);
  const basic = header & 0x03;
  const info = header >> 2;
  if (basic === SHORT_STRING) return utf8.decode(value.subarray(at + 1, at + 1 + info));
  if (basic === OBJECT || basic === ARRAY) {
    const offsetSize = (info & 0x03) + 1;
    const large = basic === OBJECT ? (info >> 4) & 1 : (info >> 2) & 1;
    const idSize = ((info >> 2) & 0x03) + 1;
    const countSize = large ? 4 : 1;
    const count = readUnsigned(value, at + 1, countSize);
    const idsAt = at + 1 + countSize;
    const offsetsAt = basic === OBJECT ? idsAt + count * idSize : idsAt;
    const dataAt = offsetsAt + (count + 1) * offsetSize;
    if (basic === ARRAY) {
      const items = new Array<VariantJs>(count);
      for (let i = 0; i < count; i++) {
        items[i] = decodeAt(value, dataAt + readUnsigned(value, offsetsAt + i * offsetSize, offsetSize), keys);
      }
      return items;
    }
    const object: { [key: string]: VariantJs } = {};
    for (let i = 0; i < count; i++) {
      const id = readUnsigned(value, idsAt + i * idSize, idSize);
      const key = keys[id];
      if (key === undefined) throw new RangeError(`variant object refers to key id ${id}, beyond the dictionary`);
      object[key] = decodeAt(value, dataAt + readUnsigned(value, offsetsAt + i * offsetSize, offsetSize), keys);
    }
    return object;
  }
  if (basic !== PRIMITIVE) throw new RangeError(`bad variant header ${header}`);
  const dv = view(value);
  const body = at + 1;
  switch (info) {
    case 0:
      return null;
    case 1:
      return true;
    case 2:
      return false;
    case 3:
      return dv.getInt8(body);
    case 4:
      return dv.getInt16(body, true);
    case 5:
      return dv.getInt32(body, true);
    case 6:
      return dv.getBigInt64(body, true);
    case 7:
      return dv.getFloat64(body, true);
    case 8:
      return decimalAt(value, body, 4);
    case 9:
      return decimalAt(value, body, 8);
    case 10:
      return decimalAt(value, body, 16);
    case 11:
      return new LocalDate(dv.getInt32(body, true));
    case 12:
      return new Timestamp(dv.getBigInt64(body, true), "UTC");
    case 13:
      return new LocalDateTime(dv.getBigInt64(body, true));
    case 14:
      return dv.getFloat32(body, true);
    case 15:
    case 16: {
      const length = dv.getUint32(body, true);
      const bytes = value.subarray(body + 4, body + 4 + length);
      return info === 16 ? utf8.decode(bytes) : bytes.slice();
    }
    case 17:
      return new LocalTime(dv.getBigInt64(body, true) * 1000n);
    case 18:
      // Nanosecond timestamps: kept to the microsecond, the precision of Spark's TIMESTAMP.
      return new Timestamp(dv.getBigInt64(body, true) / 1000n, "UTC");
    case 19:
      return new LocalDateTime(dv.getBigInt64(body, true) / 1000n);
    case 20:
      return uuidAt(value, body);
    default:
      throw new RangeError(`unsupported variant primitive type id ${info}`);
  }
}

/** Decodes a variant (value + metadata buffers) into a JS value. */
export function decodeVariant(value: Uint8Array, metadata: Uint8Array): VariantJs {
  return decodeAt(value, 0, variantDictionary(metadata));
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * JSON text of a decoded variant in the form Spark's `to_json`/`cast(v as string)` uses: exact numbers, quoted
 * ISO dates and timestamps (timestamps in UTC, with their offset), base64 binary.
 */
export function variantToJsonText(value: VariantJs): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return String(value);
    case "number":
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    case "bigint":
      return value.toString();
    case "string":
      return JSON.stringify(value);
  }
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Uint8Array) return JSON.stringify(base64(value));
  if (
    value instanceof Timestamp ||
    value instanceof LocalDate ||
    value instanceof LocalDateTime ||
    value instanceof LocalTime
  ) {
    return JSON.stringify(value.toString());
  }
  if (Array.isArray(value)) return `[${value.map(variantToJsonText).join(",")}]`;
  const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${variantToJsonText(item)}`);
  return `{${entries.join(",")}}`;
}

/**
 * A VARIANT value as Spark sends it: the encoded value and its key dictionary (metadata). Decoding is lazy:
 * `toJs()` gives a JS value (bigint, Decimal, LocalDate… kept exact), `toString()`/`toJSON()` the JSON text.
 */
export class VariantValue {
  constructor(
    readonly value: Uint8Array,
    readonly metadata: Uint8Array,
  ) {}

  /** The decoded value: objects, arrays, strings, booleans, null, numbers (int64 as bigint, decimals as Decimal). */
  toJs(): VariantJs {
    return decodeVariant(this.value, this.metadata);
  }

  /** The JSON text of the value (exact numbers), as Spark's `to_json` renders it. */
  toString(): string {
    return variantToJsonText(this.toJs());
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `VariantValue(${this.toString()})`;
  }

  /** JSON carries the JSON text as a string, so big numbers stay exact. */
  toJSON(): string {
    return this.toString();
  }
}
