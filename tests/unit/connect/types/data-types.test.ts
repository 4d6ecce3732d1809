import { describe, expect, it } from "vitest";
import {
  ArrayType,
  DATA_TYPE_KINDS,
  DayTimeIntervalType,
  DecimalType,
  dataTypeFromJson,
  fromProtoDataType,
  IntegerType,
  MapType,
  StringType,
  StructField,
  StructType,
  TimeType,
  toProtoDataType,
  YearMonthIntervalType,
} from "../../../../src/connect/types/data-types.ts";
import { ALL_TYPES, ALL_TYPES_SCHEMA } from "../all-types.ts";

describe("DataType classes", () => {
  it("the all-types fixture covers every kind exactly once", () => {
    expect(ALL_TYPES.map((c) => c.kind).sort()).toEqual([...DATA_TYPE_KINDS].sort());
    for (const c of ALL_TYPES) expect(c.type.kind).toBe(c.kind);
  });

  it.each(ALL_TYPES)("$kind: simpleString and DDL", ({ type, simpleString, ddl }) => {
    expect(type.simpleString()).toBe(simpleString);
    expect(type.toDDL()).toBe(ddl);
  });

  it.each(ALL_TYPES)("$kind: survives the proto round trip", ({ type }) => {
    const back = fromProtoDataType(toProtoDataType(type));
    expect(back.json()).toBe(type.json());
    expect(back.constructor).toBe(type.constructor);
  });

  it.each(ALL_TYPES)("$kind: survives the JSON round trip", ({ type }) => {
    expect(dataTypeFromJson(type.json()).json()).toBe(type.json());
  });

  it("writes Spark's JSON schema format", () => {
    const schema = new StructType([
      new StructField("id", new IntegerType(), false, { comment: "key" }),
      new StructField("tags", new MapType(new StringType(), new ArrayType(new DecimalType(5, 2), false))),
    ]);
    expect(JSON.parse(schema.json())).toEqual({
      type: "struct",
      fields: [
        { name: "id", type: "integer", nullable: false, metadata: { comment: "key" } },
        {
          name: "tags",
          type: {
            type: "map",
            keyType: "string",
            valueType: { type: "array", elementType: "decimal(5,2)", containsNull: false },
            valueContainsNull: true,
          },
          nullable: true,
          metadata: {},
        },
      ],
    });
    expect(schema.toSchemaDDL()).toBe("id INT NOT NULL COMMENT 'key', tags MAP<STRING, ARRAY<DECIMAL(5,2)>>");
  });

  it("reads Spark's type names and aliases from JSON", () => {
    expect(dataTypeFromJson('"interval day to hour"')).toEqual(new DayTimeIntervalType(0, 1));
    expect(dataTypeFromJson('"interval month"')).toEqual(new YearMonthIntervalType(1, 1));
    expect(dataTypeFromJson('"string collate UNICODE_CI"')).toEqual(new StringType("UNICODE_CI"));
    expect(() => dataTypeFromJson('"uint32"')).toThrow(/unknown data type "uint32"/);
  });

  it("prints printSchema's tree", () => {
    expect(ALL_TYPES_SCHEMA.treeString()).toContain(
      " |-- map: map (nullable = true)\n |    |-- key: string (nullable = false)",
    );
    expect(new StructType([new StructField("a", new ArrayType(new IntegerType(), false), false)]).treeString()).toBe(
      "root\n |-- a: array (nullable = false)\n |    |-- element: int (nullable = false)\n",
    );
  });

  it("rejects invalid parameters with the allowed range", () => {
    expect(() => new DecimalType(39, 0)).toThrow(/precision must be an integer in 1..38, got 39/);
    expect(() => new DecimalType(5, 6)).toThrow(/scale must be an integer in 0..precision \(5\), got 6/);
    expect(() => new TimeType(7)).toThrow(/0..6/);
    expect(() => new DayTimeIntervalType(2, 1)).toThrow(/startField <= endField/);
    expect(() => new StructField("a", "int" as never)).toThrow(/needs a DataType instance/);
  });

  it("StructType is immutable, keeps duplicate names and finds fields", () => {
    const a = new StructType().add("x", new IntegerType()).add("x", new StringType(), false);
    expect(a.fieldNames()).toEqual(["x", "x"]);
    expect(a.get("x")?.dataType).toEqual(new IntegerType());
    expect(a.length).toBe(2);
    expect([...a].map((f) => f.nullable)).toEqual([true, false]);
    expect(
      a.equals(
        new StructType([new StructField("x", new IntegerType()), new StructField("x", new StringType(), false)]),
      ),
    ).toBe(true);
  });
});
