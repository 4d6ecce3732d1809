import { describe, expect, it } from "vitest";
import { inferSchema, inferType } from "../../../../src/connect/types/infer.ts";
import { ALL_TYPES } from "../all-types.ts";

describe("schema inference", () => {
  it("infers objects by key, merging rows like PySpark", () => {
    const schema = inferSchema([
      { id: 1, name: "a", price: null, tags: [] },
      { id: 2.5, name: null, price: 3n, tags: ["x"], extra: { k: true } },
    ]);
    expect(schema.simpleString()).toBe(
      "struct<id:double,name:string,price:bigint,tags:array<string>,extra:struct<k:boolean>>",
    );
  });

  it("names array rows _1, _2 and scalar rows value; names rename by position", () => {
    expect(inferSchema([[1, "a"]]).simpleString()).toBe("struct<_1:bigint,_2:string>");
    expect(inferSchema(["a", "b"]).simpleString()).toBe("struct<value:string>");
    expect(inferSchema([[1, "a"]], ["id", "name"]).simpleString()).toBe("struct<id:bigint,name:string>");
  });

  it("maps each documented JS value back to its Spark type", () => {
    for (const c of ALL_TYPES) {
      if (
        c.value === null ||
        ["byte", "short", "integer", "float", "char", "varchar", "udt", "array", "struct"].includes(c.kind)
      )
        continue;
      expect(inferType(c.value).simpleString(), c.kind).toBe(c.type.simpleString());
    }
  });

  it("widens decimals and explains conflicts", () => {
    expect(inferSchema([{ d: [{ x: 1 }] }]).simpleString()).toBe("struct<d:array<struct<x:bigint>>>");
    expect(() => inferSchema([{ a: 1 }, { a: "x" }])).toThrow(
      /row 1: field "a": values of different types bigint and string/,
    );
    expect(() => inferType(new WeakMap())).toThrow(/cannot infer a Spark type for WeakMap/);
  });
});
