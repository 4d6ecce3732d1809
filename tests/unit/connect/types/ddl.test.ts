import { describe, expect, it } from "vitest";
import {
  ArrayType,
  CalendarIntervalType,
  DayTimeIntervalType,
  DecimalType,
  IntegerType,
  LongType,
  StringType,
  StructField,
  StructType,
  YearMonthIntervalType,
} from "../../../../src/connect/types/data-types.ts";
import { DDLParseError, parseDataType, parseSchema, parseStructType } from "../../../../src/connect/types/ddl.ts";
import { ALL_TYPES, ALL_TYPES_SCHEMA } from "../all-types.ts";

describe("DDL parsing", () => {
  it.each(ALL_TYPES.filter((c) => c.kind !== "udt"))("$kind: parses its own DDL and simpleString", ({ type }) => {
    expect(parseDataType(type.toDDL()).json()).toBe(type.json());
    // simpleString does not quote names (`y z`), so only DDL is parseable for structs, as in Spark.
    if (type.kind !== "struct") expect(parseDataType(type.simpleString()).json()).toBe(type.json());
  });

  it("round-trips a whole schema through toSchemaDDL", () => {
    const schema = new StructType(ALL_TYPES_SCHEMA.fields.filter((f) => f.dataType.kind !== "udt"));
    expect(parseStructType(schema.toSchemaDDL()).json()).toBe(schema.json());
  });

  it("accepts PySpark's colon form, aliases, NOT NULL and comments", () => {
    expect(parseSchema("a: int, b: string")).toEqual(
      new StructType([new StructField("a", new IntegerType()), new StructField("b", new StringType())]),
    );
    const schema = parseStructType("`a``b` LONG NOT NULL COMMENT 'it\\'s', c DEC(12, 3), d numeric, e struct<>");
    expect(schema.fields.map((f) => [f.name, f.dataType.simpleString(), f.nullable, f.getComment()])).toEqual([
      ["a`b", "bigint", false, "it's"],
      ["c", "decimal(12,3)", true, undefined],
      ["d", "decimal(10,0)", true, undefined],
      ["e", "struct<>", true, undefined],
    ]);
  });

  it("parses single types, including ones that look like fields", () => {
    expect(parseSchema("int")).toEqual(new IntegerType());
    expect(parseSchema("interval day to second")).toEqual(new DayTimeIntervalType(0, 3));
    expect(parseSchema("INTERVAL YEAR")).toEqual(new YearMonthIntervalType(0, 0));
    expect(parseSchema("interval")).toEqual(new CalendarIntervalType());
    expect(parseSchema("array<bigint>")).toEqual(new ArrayType(new LongType()));
    expect(parseSchema("date date").simpleString()).toBe("struct<date:date>");
    expect(parseSchema("")).toEqual(new StructType());
    expect(parseDataType("decimal(38, 38)")).toEqual(new DecimalType(38, 38));
  });

  it("reports the offending token and its position", () => {
    expect(() => parseStructType("a int, b")).toThrow(DDLParseError);
    expect(() => parseStructType("a int, b")).toThrow(/expected a data type, found end of input at position 8/);
    expect(() => parseDataType("map<int>")).toThrow(/expected ","/);
    expect(() => parseDataType("strng")).toThrow(/unknown data type "strng"/);
    expect(() => parseStructType("a int; drop")).toThrow(/unexpected character ";"/);
    expect(() => parseDataType("interval year to second")).toThrow(/invalid interval range/);
    expect(() => parseStructType("int")).toThrow(/expected a schema/);
  });
});
