/**
 * JS values → Spark Connect `Expression.Literal`. The Spark type of a value is inferred first (following
 * PySpark's rules where JS has a twin, see `LiteralValue`), then the value is encoded against that type, so
 * the elements of one array or map always share one Spark type and nothing is silently rounded.
 *
 * @see proto/spark/connect/expressions.proto message Expression.Literal
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type Expression,
  type Expression_Literal,
  Expression_LiteralSchema,
  ExpressionSchema,
} from "../gen/spark/connect/expressions_pb.ts";
import {
  type AnyDataType,
  ArrayType,
  asAnyDataType,
  BinaryType,
  BooleanType,
  CalendarIntervalType,
  type DataType,
  DateType,
  DayTimeIntervalType,
  DecimalType,
  DoubleType,
  IntegerType,
  LongType,
  MapType,
  NullType,
  StringType,
  StructField,
  StructType,
  TimestampNTZType,
  TimestampType,
  TimeType,
  toProtoDataType,
  YearMonthIntervalType,
} from "../types/data-types.ts";
import {
  CalendarInterval,
  DayTimeInterval,
  Decimal,
  LocalDate,
  LocalDateTime,
  LocalTime,
  Timestamp,
  YearMonthInterval,
} from "../types/values.ts";

/**
 * A JS value that `lit()` turns into a Spark literal:
 *
 * | JS value | Spark type |
 * |---|---|
 * | `null`, `undefined` | void (untyped null); `lit(null).cast("int")` gives a typed null |
 * | `boolean` | boolean |
 * | `number`, an integer in [-2^31, 2^31-1] | int |
 * | `number`, another integer within ±(2^53-1) | bigint (long), as PySpark makes an int beyond int32 a long |
 * | `number`, anything else (fractions, NaN, ±Infinity, -0, integers beyond 2^53) | double |
 * | `bigint` in the int64 range | bigint (long) |
 * | `string` | string |
 * | `Date` | timestamp (the instant, millisecond precision) |
 * | `Uint8Array` (and `Buffer`) | binary |
 * | `Decimal` | decimal(precision, scale) of the value |
 * | `LocalDate` / `Timestamp` / `LocalDateTime` / `LocalTime` | date / timestamp / timestamp_ntz / time(6) |
 * | `YearMonthInterval` / `DayTimeInterval` / `CalendarInterval` | interval year to month / interval day to second / interval |
 * | array | array of the common element type (int → bigint → double widen; void fits anything) |
 * | `Map` | map of the common key and value types (keys must not be null) |
 * | plain object | struct, one field per own key in key order |
 */
export type LiteralValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Date
  | Uint8Array
  | Decimal
  | LocalDate
  | Timestamp
  | LocalDateTime
  | LocalTime
  | YearMonthInterval
  | DayTimeInterval
  | CalendarInterval
  | readonly LiteralValue[]
  | ReadonlyMap<LiteralValue, LiteralValue>
  | { readonly [field: string]: LiteralValue };

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const ALLOWED =
  "allowed: null, boolean, number, bigint, string, Date, Uint8Array, Decimal, LocalDate, Timestamp, LocalDateTime, LocalTime, the interval classes, arrays, Map and plain objects";

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return `a ${value.constructor?.name ?? "null-prototype object"}`;
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function numberType(n: number): DataType {
  if (!Number.isInteger(n) || Object.is(n, -0)) return new DoubleType();
  if (n >= INT32_MIN && n <= INT32_MAX) return new IntegerType();
  if (Number.isSafeInteger(n)) return new LongType();
  return new DoubleType();
}

/**
 * The Spark type `lit(value)` gets (see `LiteralValue`). Throws, naming the value, for values with no Spark
 * twin (functions, symbols, other class instances) and for arrays or maps whose elements share no type.
 */
export function inferLiteralType(value: unknown): DataType {
  if (value === null || value === undefined) return new NullType();
  switch (typeof value) {
    case "boolean":
      return new BooleanType();
    case "number":
      return numberType(value);
    case "bigint":
      if (value < INT64_MIN || value > INT64_MAX) {
        throw new RangeError(`bigint literal ${value}n is outside the Spark bigint (int64) range`);
      }
      return new LongType();
    case "string":
      return new StringType();
    case "object":
      break;
    default:
      throw new TypeError(`cannot make a Spark literal from ${describe(value)}; ${ALLOWED}`);
  }
  if (value instanceof Date) return new TimestampType();
  if (value instanceof Uint8Array) return new BinaryType();
  if (value instanceof Decimal) return new DecimalType(value.precision, value.scale);
  if (value instanceof LocalDate) return new DateType();
  if (value instanceof Timestamp) return new TimestampType();
  if (value instanceof LocalDateTime) return new TimestampNTZType();
  if (value instanceof LocalTime) return new TimeType();
  if (value instanceof YearMonthInterval) return new YearMonthIntervalType();
  if (value instanceof DayTimeInterval) return new DayTimeIntervalType();
  if (value instanceof CalendarInterval) return new CalendarIntervalType();
  if (Array.isArray(value)) return new ArrayType(commonType(value.map(inferLiteralType), "array elements"));
  if (value instanceof Map) {
    const keys = [...value.keys()];
    if (keys.some((k) => k === null || k === undefined))
      throw new TypeError("a Spark map literal cannot have a null key");
    return new MapType(
      commonType(keys.map(inferLiteralType), "map keys"),
      commonType([...value.values()].map(inferLiteralType), "map values"),
    );
  }
  if (isPlainObject(value)) {
    return new StructType(Object.entries(value).map(([name, v]) => new StructField(name, inferLiteralType(v))));
  }
  throw new TypeError(`cannot make a Spark literal from ${describe(value)}; ${ALLOWED}`);
}

const NUMERIC_RANK: Partial<Record<AnyDataType["kind"], number>> = { integer: 1, long: 2, double: 3 };

/** The narrowest type both fit without loss: void widens to anything, int → bigint → double, decimals to a common scale. */
function widen(left: DataType, right: DataType, what: string): DataType {
  const a = asAnyDataType(left);
  const b = asAnyDataType(right);
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  const ra = NUMERIC_RANK[a.kind];
  const rb = NUMERIC_RANK[b.kind];
  if (ra !== undefined && rb !== undefined) return ra >= rb ? a : b;
  if (a.kind === "decimal" && b.kind === "decimal") {
    const scale = Math.max(a.scale, b.scale);
    const integral = Math.max(a.precision - a.scale, b.precision - b.scale);
    if (integral + scale > 38) throw new TypeError(`${what} have no common Spark type: ${a} and ${b}`);
    return new DecimalType(integral + scale, scale);
  }
  if (a.kind === "array" && b.kind === "array") return new ArrayType(widen(a.elementType, b.elementType, what));
  if (a.kind === "map" && b.kind === "map") {
    return new MapType(widen(a.keyType, b.keyType, what), widen(a.valueType, b.valueType, what));
  }
  if (a.kind === "struct" && b.kind === "struct") {
    const fb = b.fields;
    if (a.fields.length === fb.length && a.fields.every((f, i) => f.name === fb[i]?.name)) {
      return new StructType(a.fields.map((f, i) => new StructField(f.name, widen(f.dataType, fb[i]!.dataType, what))));
    }
  } else if (a.equals(b)) {
    return a;
  }
  throw new TypeError(`${what} have no common Spark type: ${a.simpleString()} and ${b.simpleString()}`);
}

function commonType(types: DataType[], what: string): DataType {
  return types.reduce((acc, t) => widen(acc, t, what), new NullType());
}

type LiteralInit = NonNullable<MessageInitShape<typeof Expression_LiteralSchema>["literalType"]>;

function message(literalType: LiteralInit): Expression_Literal {
  return create(Expression_LiteralSchema, { literalType });
}

function mismatch(value: unknown, type: DataType): TypeError {
  return new TypeError(`cannot encode ${describe(value)} as a Spark ${type.simpleString()} literal`);
}

function integerIn(value: unknown, type: DataType, min: number, max: number): number {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) throw mismatch(value, type);
  return n;
}

function decimalText(value: unknown, type: DecimalType): string {
  const decimal =
    value instanceof Decimal
      ? value
      : typeof value === "bigint" || typeof value === "string" || typeof value === "number"
        ? Decimal.from(value)
        : undefined;
  if (decimal === undefined) throw mismatch(value, type);
  const rescaled = decimal.rescale(type.scale, type.precision);
  if (rescaled.compareTo(decimal) !== 0) throw mismatch(value, type);
  return rescaled.toString();
}

/**
 * Encodes `value` as a literal of exactly `type`: the inferred type, a widening of it, or a type given by the
 * caller (`typedLiteral`). Throws, naming both, when the value does not fit the type.
 */
function encodeAs(value: unknown, dataType: DataType): Expression_Literal {
  if (value === null || value === undefined) return message({ case: "null", value: toProtoDataType(dataType) });
  const type = asAnyDataType(dataType);
  switch (type.kind) {
    case "boolean":
      if (typeof value !== "boolean") throw mismatch(value, type);
      return message({ case: "boolean", value });
    case "byte":
      return message({ case: "byte", value: integerIn(value, type, -128, 127) });
    case "short":
      return message({ case: "short", value: integerIn(value, type, -32768, 32767) });
    case "integer":
      return message({ case: "integer", value: integerIn(value, type, INT32_MIN, INT32_MAX) });
    case "long": {
      if (typeof value === "number" && !Number.isSafeInteger(value)) throw mismatch(value, type);
      if (typeof value !== "number" && typeof value !== "bigint") throw mismatch(value, type);
      const n = BigInt(value);
      if (n < INT64_MIN || n > INT64_MAX) throw mismatch(value, type);
      return message({ case: "long", value: n });
    }
    case "float":
      if (typeof value !== "number") throw mismatch(value, type);
      return message({ case: "float", value });
    case "double":
      if (typeof value !== "number") throw mismatch(value, type);
      return message({ case: "double", value });
    case "decimal":
      return message({
        case: "decimal",
        value: { value: decimalText(value, type), precision: type.precision, scale: type.scale },
      });
    case "string":
      if (typeof value !== "string") throw mismatch(value, type);
      return message({ case: "string", value });
    case "binary":
      if (!(value instanceof Uint8Array)) throw mismatch(value, type);
      return message({ case: "binary", value });
    case "date":
      if (value instanceof LocalDate) return message({ case: "date", value: value.epochDay });
      throw mismatch(value, type);
    case "timestamp":
      if (value instanceof Timestamp) return message({ case: "timestamp", value: value.epochMicros });
      if (value instanceof Date) return message({ case: "timestamp", value: Timestamp.fromDate(value).epochMicros });
      throw mismatch(value, type);
    case "timestamp_ntz":
      if (value instanceof LocalDateTime) return message({ case: "timestampNtz", value: value.epochMicros });
      throw mismatch(value, type);
    case "time":
      if (value instanceof LocalTime) {
        return message({ case: "time", value: { nano: value.nanoOfDay, precision: type.precision } });
      }
      throw mismatch(value, type);
    case "year_month_interval":
      if (value instanceof YearMonthInterval) return message({ case: "yearMonthInterval", value: value.months });
      throw mismatch(value, type);
    case "day_time_interval":
      if (value instanceof DayTimeInterval) return message({ case: "dayTimeInterval", value: value.micros });
      throw mismatch(value, type);
    case "calendar_interval":
      if (value instanceof CalendarInterval) {
        return message({
          case: "calendarInterval",
          value: { months: value.months, days: value.days, microseconds: value.microseconds },
        });
      }
      throw mismatch(value, type);
    case "array":
      if (!Array.isArray(value)) throw mismatch(value, type);
      return message({ case: "array", value: { elements: value.map((v) => encodeAs(v, type.elementType)) } });
    case "map": {
      if (!(value instanceof Map)) throw mismatch(value, type);
      return message({
        case: "map",
        value: {
          keys: [...value.keys()].map((k) => encodeAs(k, type.keyType)),
          values: [...value.values()].map((v) => encodeAs(v, type.valueType)),
        },
      });
    }
    case "struct": {
      if (typeof value !== "object" || !isPlainObject(value)) throw mismatch(value, type);
      const extra = Object.keys(value).filter((k) => !type.fields.some((f) => f.name === k));
      if (extra.length > 0) {
        throw new TypeError(`struct literal has fields ${extra.join(", ")} not in ${type.simpleString()}`);
      }
      return message({
        case: "struct",
        value: { elements: type.fields.map((f) => encodeAs(value[f.name], f.dataType)) },
      });
    }
    default:
      throw new TypeError(`Spark ${type.simpleString()} literals cannot be built on the client`);
  }
}

function withRootType(literal: Expression_Literal, type: DataType): Expression_Literal {
  // Spark 4.1+ reads nested literal types from the root data_type; without it an empty array or a null
  // element would lose its type.
  const kind = type.kind;
  if (kind === "array" || kind === "map" || kind === "struct") literal.dataType = toProtoDataType(type);
  return literal;
}

function finish(literal: Expression_Literal, type: DataType): Expression {
  return create(ExpressionSchema, { exprType: { case: "literal", value: withRootType(literal, type) } });
}

/** The bare `Literal` message for a JS value (for relations that take literals, e.g. pivot values). */
export function literalMessageOf(value: unknown): Expression_Literal {
  const type = inferLiteralType(value);
  return withRootType(encodeAs(value, type), type);
}

/** A literal expression for a JS value, its Spark type inferred as `LiteralValue` documents. */
export function literal(value: unknown): Expression {
  const type = inferLiteralType(value);
  return finish(encodeAs(value, type), type);
}

/**
 * A literal of an explicit Spark type: `typedLiteral(5, new ShortType())`, `typedLiteral([], new
 * ArrayType(new StringType()))`, `typedLiteral(null, new IntegerType())` (a typed null).
 */
export function typedLiteral(value: unknown, type: DataType): Expression {
  return finish(encodeAs(value, type), type);
}
