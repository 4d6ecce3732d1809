import { toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExpressionSchema } from "../../../../src/connect/gen/spark/connect/expressions_pb.ts";
import { inferLiteralType, literal, literalMessageOf, typedLiteral } from "../../../../src/connect/plan/literals.ts";
import {
  ArrayType,
  DecimalType,
  IntegerType,
  MapType,
  ShortType,
  StringType,
  StructField,
  StructType,
} from "../../../../src/connect/types/data-types.ts";
import {
  CalendarInterval,
  DayTimeInterval,
  Decimal,
  LocalDate,
  LocalDateTime,
  LocalTime,
  Timestamp,
  YearMonthInterval,
} from "../../../../src/connect/types/values.ts";

const json = (value: unknown) => toJson(ExpressionSchema, literal(value)) as { literal: Record<string, unknown> };
const typeOf = (value: unknown) => inferLiteralType(value).simpleString();

describe("number literals follow PySpark's int/long/double rules", () => {
  it.each([
    [0, "int", { integer: 0 }],
    [2 ** 31 - 1, "int", { integer: 2147483647 }],
    [-(2 ** 31), "int", { integer: -2147483648 }],
    [2 ** 31, "bigint", { long: "2147483648" }],
    [Number.MAX_SAFE_INTEGER, "bigint", { long: "9007199254740991" }],
    [2 ** 53, "double", { double: 9007199254740992 }],
    [1.5, "double", { double: 1.5 }],
    [-0, "double", { double: -0 }],
    [Number.NaN, "double", { double: "NaN" }],
    [Number.POSITIVE_INFINITY, "double", { double: "Infinity" }],
  ])("%s → %s", (value, type, encoded) => {
    expect(typeOf(value)).toBe(type);
    expect(json(value).literal).toEqual(encoded);
  });

  it("bigint → long, rejecting values outside int64 with the value in the message", () => {
    expect(json(2n ** 63n - 1n).literal).toEqual({ long: "9223372036854775807" });
    expect(() => literal(2n ** 63n)).toThrow(/9223372036854775808n is outside the Spark bigint/);
  });
});

describe("scalar literals", () => {
  it("null is an untyped (void) null", () => {
    expect(json(null).literal).toEqual({ null: { null: {} } });
    expect(json(undefined).literal).toEqual({ null: { null: {} } });
  });

  it("boolean, string, binary", () => {
    expect(json(true).literal).toEqual({ boolean: true });
    expect(json("héllo").literal).toEqual({ string: "héllo" });
    expect(json(new Uint8Array([1, 255])).literal).toEqual({ binary: "Af8=" });
  });

  it("Date → timestamp in microseconds; an invalid Date is refused", () => {
    expect(json(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))).literal).toEqual({ timestamp: "1704164645006000" });
    expect(() => literal(new Date(Number.NaN))).toThrow(/invalid Date/);
  });

  it("the lossless value classes keep their exact values", () => {
    expect(json(Decimal.parse("-12.50")).literal).toEqual({ decimal: { value: "-12.50", precision: 4, scale: 2 } });
    expect(json(LocalDate.of(2024, 2, 29)).literal).toEqual({ date: 19782 });
    expect(json(new Timestamp(1_700_000_000_123_456n)).literal).toEqual({ timestamp: "1700000000123456" });
    expect(json(LocalDateTime.parse("2024-01-02T03:04:05.000006")).literal).toEqual({
      timestampNtz: "1704164645000006",
    });
    expect(json(LocalTime.of(1, 2, 3, 4000)).literal).toEqual({ time: { nano: "3723000004000", precision: 6 } });
    expect(json(new YearMonthInterval(14)).literal).toEqual({ yearMonthInterval: 14 });
    expect(json(new DayTimeInterval(90_061_000_000n)).literal).toEqual({ dayTimeInterval: "90061000000" });
    expect(json(new CalendarInterval(1, 2, 3n)).literal).toEqual({
      calendarInterval: { months: 1, days: 2, microseconds: "3" },
    });
  });

  it("names the offending value and the allowed kinds", () => {
    expect(() => literal(() => 1)).toThrow(/function .*allowed: null, boolean, number/);
    expect(() => literal(Symbol("s"))).toThrow(/symbol/);
    expect(() => literal(new (class Foo {})())).toThrow(/a Foo; allowed/);
  });
});

describe("nested literals", () => {
  it("arrays widen int → bigint → double and carry the full type at the root", () => {
    const lit = json([1, 2 ** 40, null]).literal;
    expect(lit.array).toEqual({ elements: [{ long: "1" }, { long: "1099511627776" }, { null: { long: {} } }] });
    expect(lit.dataType).toEqual({ array: { elementType: { long: {} }, containsNull: true } });
    expect(typeOf([1, 2.5])).toBe("array<double>");
  });

  it("an empty array is array<void>", () => {
    expect(typeOf([])).toBe("array<void>");
  });

  it("refuses arrays with no common type, naming both types", () => {
    expect(() => literal([1, "a"])).toThrow(/array elements have no common Spark type: int and string/);
  });

  it("Map → map, plain object → struct (nested)", () => {
    const value = new Map([["k", { a: 1, b: ["x"] }]]);
    expect(typeOf(value)).toBe("map<string,struct<a:int,b:array<string>>>");
    const lit = json(value).literal;
    expect(lit.map).toEqual({
      keys: [{ string: "k" }],
      values: [{ struct: { elements: [{ integer: 1 }, { array: { elements: [{ string: "x" }] } }] } }],
    });
    expect(() => literal(new Map([[null, 1]]))).toThrow(/null key/);
  });

  it("structs in one array must have the same field names; their field types widen", () => {
    expect(typeOf([{ a: 1 }, { a: 2.5 }])).toBe("array<struct<a:double>>");
    expect(() => literal([{ a: 1 }, { b: 1 }])).toThrow(/no common Spark type/);
  });

  it("decimals in one array widen to a common precision and scale without rounding", () => {
    const lit = json([Decimal.parse("1.5"), Decimal.parse("123.25")]).literal;
    expect(lit.array).toEqual({
      elements: [
        { decimal: { value: "1.50", precision: 5, scale: 2 } },
        { decimal: { value: "123.25", precision: 5, scale: 2 } },
      ],
    });
  });

  it("literalMessageOf returns the bare Literal with its root type", () => {
    expect(literalMessageOf(["a"]).dataType?.kind.case).toBe("array");
  });
});

describe("typedLiteral", () => {
  it("encodes against the given type", () => {
    const j = (v: unknown, t: Parameters<typeof typedLiteral>[1]) =>
      (toJson(ExpressionSchema, typedLiteral(v, t)) as { literal: unknown }).literal;
    expect(j(5, new ShortType())).toEqual({ short: 5 });
    expect(j(null, new IntegerType())).toEqual({ null: { integer: {} } });
    expect(j([], new ArrayType(new StringType()))).toEqual({
      array: {},
      dataType: { array: { elementType: { string: { collation: "UTF8_BINARY" } }, containsNull: true } },
    });
    expect(j("1.2", new DecimalType(5, 2))).toEqual({ decimal: { value: "1.20", precision: 5, scale: 2 } });
    expect(j(new Map([["a", 1]]), new MapType(new StringType(), new IntegerType()))).toMatchObject({
      map: { keys: [{ string: "a" }], values: [{ integer: 1 }] },
    });
    expect(j({ a: 1 }, new StructType([new StructField("a", new IntegerType())]))).toMatchObject({
      struct: { elements: [{ integer: 1 }] },
    });
  });

  it("refuses values that do not fit, rather than rounding", () => {
    expect(() => typedLiteral(40000, new ShortType())).toThrow(/number 40000 as a Spark smallint literal/);
    expect(() => typedLiteral("1.234", new DecimalType(5, 2))).toThrow(/decimal\(5,2\)/);
    expect(() => typedLiteral(1.5, new IntegerType())).toThrow(/int literal/);
    expect(() => typedLiteral({ a: 1, z: 2 }, new StructType([new StructField("a", new IntegerType())]))).toThrow(
      /fields z not in/,
    );
  });
});
