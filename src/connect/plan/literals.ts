/**
 * JS values → Spark Connect `Expression.Literal`. The Spark type of a literal is inferred first (following
 * PySpark's rules where JS has a twin, see `inferLiteralType`), then the value is encoded against that type,
 * so elements of one array or map always share one Spark type and nothing is silently rounded.
 *
 * @see proto/spark/connect/expressions.proto message Expression.Literal
 */
import { create, fromJson, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type Expression,
  type Expression_Literal,
  Expression_LiteralSchema,
  ExpressionSchema,
} from "../gen/spark/connect/expressions_pb.ts";
import { type DataType, type DataType_StructField, DataTypeSchema } from "../gen/spark/connect/types_pb.ts";

/**
 * A JS value that `lit()` turns into a Spark literal:
 *
 * | JS value | Spark type |
 * |---|---|
 * | `null`, `undefined` | void (`NullType`); cast it for a typed null: `lit(null).cast("int")` |
 * | `boolean` | boolean |
 * | `number`, an integer in [-2^31, 2^31-1] | int |
 * | `number`, another integer in ±(2^53-1) | bigint (long), as PySpark makes a Python int beyond int32 a long |
 * | `number`, anything else (fractions, NaN, ±Infinity, -0, unsafe integers) | double |
 * | `bigint` in the int64 range | bigint (long) |
 * | `string` | string |
 * | `Date` | timestamp (the instant, microseconds) |
 * | `Uint8Array` (and `Buffer`) | binary |
 * | array | array of the common element type |
 * | `Map` | map of the common key and value types |
 * | plain object | struct, fields in key order |
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
  | readonly LiteralValue[]
  | ReadonlyMap<LiteralValue, LiteralValue>
  | { readonly [field: string]: LiteralValue };

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type Kind = NonNullable<DataType["kind"]["case"]>;

type SimpleKind = "null" | "boolean" | "integer" | "long" | "double" | "string" | "binary" | "timestamp";

function simpleType(kind: SimpleKind): DataType {
  // Simple variants carry only optional fields, so their JSON form `{ "<kind>": {} }` is complete.
  return fromJson(DataTypeSchema, { [kind]: {} });
}

function arrayType(elementType: DataType): DataType {
  return create(DataTypeSchema, { kind: { case: "array", value: { elementType, containsNull: true } } });
}

function mapType(keyType: DataType, valueType: DataType): DataType {
  return create(DataTypeSchema, { kind: { case: "map", value: { keyType, valueType, valueContainsNull: true } } });
}

function structType(fields: { name: string; dataType: DataType }[]): DataType {
  return create(DataTypeSchema, {
    kind: { case: "struct", value: { fields: fields.map((f) => ({ ...f, nullable: true })) } },
  });
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return value.constructor?.name ?? "object";
  return String(value);
}

/** A readable name of a proto DataType for error messages (`array<int>`, `struct<a:string>`). */
export function typeName(type: DataType): string {
  const kind = type.kind;
  switch (kind.case) {
    case "array":
      return `array<${kind.value.elementType ? typeName(kind.value.elementType) : "?"}>`;
    case "map":
      return `map<${kind.value.keyType ? typeName(kind.value.keyType) : "?"},${kind.value.valueType ? typeName(kind.value.valueType) : "?"}>`;
    case "struct":
      return `struct<${kind.value.fields.map((f) => `${f.name}:${f.dataType ? typeName(f.dataType) : "?"}`).join(",")}>`;
    case "null":
      return "void";
    case undefined:
      return "unknown";
    default:
      return kind.case.toLowerCase();
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function numberKind(n: number): "integer" | "long" | "double" {
  if (!Number.isInteger(n) || Object.is(n, -0)) return "double";
  if (n >= INT32_MIN && n <= INT32_MAX) return "integer";
  if (Number.isSafeInteger(n)) return "long";
  return "double";
}

/**
 * The Spark type `lit(value)` gets. Throws, naming the value, for values with no Spark twin (functions,
 * symbols, class instances other than Date/Uint8Array/Map) and for arrays/maps whose elements share no type.
 */
export function inferLiteralType(value: unknown): DataType {
  if (value === null || value === undefined) return simpleType("null");
  switch (typeof value) {
    case "boolean":
      return simpleType("boolean");
    case "number":
      return simpleType(numberKind(value));
    case "bigint":
      if (value < INT64_MIN || value > INT64_MAX) {
        throw new RangeError(`bigint literal ${value}n is outside the Spark bigint (int64) range`);
      }
      return simpleType("long");
    case "string":
      return simpleType("string");
    case "object":
      break;
    default:
      throw new TypeError(
        `cannot make a Spark literal from a ${typeof value}; allowed: null, boolean, number, bigint, string, Date, Uint8Array, array, Map, plain object`,
      );
  }
  if (value instanceof Date) return simpleType("timestamp");
  if (value instanceof Uint8Array) return simpleType("binary");
  if (Array.isArray(value)) {
    return arrayType(commonType(value.map(inferLiteralType), "array elements"));
  }
  if (value instanceof Map) {
    const keys = [...value.keys()];
    if (keys.some((k) => k === null || k === undefined))
      throw new TypeError("a Spark map literal cannot have a null key");
    return mapType(
      commonType(keys.map(inferLiteralType), "map keys"),
      commonType([...value.values()].map(inferLiteralType), "map values"),
    );
  }
  if (isPlainObject(value)) {
    return structType(Object.entries(value).map(([name, v]) => ({ name, dataType: inferLiteralType(v) })));
  }
  throw new TypeError(
    `cannot make a Spark literal from ${describe(value)}; allowed: null, boolean, number, bigint, string, Date, Uint8Array, array, Map, plain object`,
  );
}

const NUMERIC_RANK: Partial<Record<Kind, number>> = { integer: 1, long: 2, double: 3 };

/** The narrowest type both sides fit losslessly: void widens to anything, int → bigint → double. */
function widen(a: DataType, b: DataType, what: string): DataType {
  const ka = a.kind;
  const kb = b.kind;
  if (ka.case === "null") return b;
  if (kb.case === "null") return a;
  const ra = ka.case === undefined ? undefined : NUMERIC_RANK[ka.case];
  const rb = kb.case === undefined ? undefined : NUMERIC_RANK[kb.case];
  if (ra !== undefined && rb !== undefined) return ra >= rb ? a : b;
  if (ka.case === "array" && kb.case === "array") {
    return arrayType(widen(ka.value.elementType!, kb.value.elementType!, what));
  }
  if (ka.case === "map" && kb.case === "map") {
    return mapType(
      widen(ka.value.keyType!, kb.value.keyType!, what),
      widen(ka.value.valueType!, kb.value.valueType!, what),
    );
  }
  if (ka.case === "struct" && kb.case === "struct") {
    const fa = ka.value.fields;
    const fb = kb.value.fields;
    if (fa.length === fb.length && fa.every((f, i) => f.name === fb[i]?.name)) {
      return structType(fa.map((f, i) => ({ name: f.name, dataType: widen(f.dataType!, fb[i]!.dataType!, what) })));
    }
  }
  if (ka.case === kb.case && ka.case !== "array" && ka.case !== "map" && ka.case !== "struct") return a;
  throw new TypeError(`${what} have no common Spark type: ${typeName(a)} and ${typeName(b)}`);
}

function commonType(types: DataType[], what: string): DataType {
  return types.reduce((acc, t) => widen(acc, t, what), simpleType("null"));
}

function literalMessage(
  literalType: NonNullable<MessageInitShape<typeof Expression_LiteralSchema>["literalType"]>,
): Expression_Literal {
  return create(Expression_LiteralSchema, { literalType });
}

/** Encodes `value` as a literal of exactly `type` (the result of `inferLiteralType` or a widening of it). */
function encodeAs(value: unknown, type: DataType): Expression_Literal {
  if (value === null || value === undefined) return literalMessage({ case: "null", value: type });
  const kind = type.kind;
  switch (kind.case) {
    case "boolean":
      return literalMessage({ case: "boolean", value: value as boolean });
    case "integer":
      return literalMessage({ case: "integer", value: value as number });
    case "long":
      return literalMessage({ case: "long", value: BigInt(value as number | bigint) });
    case "double":
      return literalMessage({ case: "double", value: Number(value) });
    case "string":
      return literalMessage({ case: "string", value: value as string });
    case "binary":
      return literalMessage({ case: "binary", value: value as Uint8Array });
    case "timestamp":
      return literalMessage({ case: "timestamp", value: dateToMicros(value as Date) });
    case "array": {
      const elementType = kind.value.elementType!;
      return literalMessage({
        case: "array",
        value: { elements: (value as unknown[]).map((v) => encodeAs(v, elementType)) },
      });
    }
    case "map": {
      const map = value as Map<unknown, unknown>;
      return literalMessage({
        case: "map",
        value: {
          keys: [...map.keys()].map((k) => encodeAs(k, kind.value.keyType!)),
          values: [...map.values()].map((v) => encodeAs(v, kind.value.valueType!)),
        },
      });
    }
    case "struct": {
      const record = value as Record<string, unknown>;
      return literalMessage({
        case: "struct",
        value: { elements: kind.value.fields.map((f: DataType_StructField) => encodeAs(record[f.name], f.dataType!)) },
      });
    }
    default:
      throw new TypeError(`cannot encode ${describe(value)} as a Spark ${typeName(type)} literal`);
  }
}

function dateToMicros(date: Date): bigint {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError("cannot make a Spark timestamp literal from an invalid Date");
  return BigInt(ms) * 1000n;
}

/**
 * The `Literal` message for a JS value. Nested literals (array, map, struct) carry their full type in the
 * root `data_type` (Spark 4.1+), so empty containers and nulls inside them keep their element types.
 */
export function literalMessageOf(value: unknown): Expression_Literal {
  const type = inferLiteralType(value);
  const literal = encodeAs(value, type);
  if (type.kind.case === "array" || type.kind.case === "map" || type.kind.case === "struct") {
    literal.dataType = type;
  }
  return literal;
}

/** A literal expression for a JS value (see `LiteralValue` for the type mapping). */
export function literal(value: unknown): Expression {
  return create(ExpressionSchema, { exprType: { case: "literal", value: literalMessageOf(value) } });
}
