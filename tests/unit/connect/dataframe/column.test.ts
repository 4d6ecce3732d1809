import { toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { type Column, toColumn, toExpression, toValueColumn } from "../../../../src/connect/dataframe/column.ts";
import { functions as F } from "../../../../src/connect/functions/index.ts";
import { ExpressionSchema } from "../../../../src/connect/gen/spark/connect/expressions_pb.ts";
import { DecimalType } from "../../../../src/connect/types/data-types.ts";

const j = (c: Column) => toJson(ExpressionSchema, c.expression) as Record<string, unknown>;
const attr = (name: string) => ({ unresolvedAttribute: { unparsedIdentifier: name } });
const call = (functionName: string, ...args: unknown[]) => ({
  unresolvedFunction: { functionName, ...(args.length ? { arguments: args } : {}) },
});

describe("Column operators send the server's operator functions", () => {
  const a = F.col("a");
  it.each([
    ["eq", a.eq(1), "=="],
    ["equalTo", a.equalTo(1), "=="],
    ["eqNullSafe", a.eqNullSafe(1), "<=>"],
    ["gt", a.gt(1), ">"],
    ["geq", a.geq(1), ">="],
    ["lt", a.lt(1), "<"],
    ["leq", a.leq(1), "<="],
    ["plus", a.plus(1), "+"],
    ["minus", a.minus(1), "-"],
    ["multiply", a.multiply(1), "*"],
    ["divide", a.divide(1), "/"],
    ["mod", a.mod(1), "%"],
    ["bitwiseAND", a.bitwiseAND(1), "&"],
    ["bitwiseOR", a.bitwiseOR(1), "|"],
    ["bitwiseXOR", a.bitwiseXOR(1), "^"],
    ["and", a.and(1), "and"],
    ["or", a.or(1), "or"],
    ["contains", a.contains(1), "contains"],
    ["startswith", a.startswith(1), "startswith"],
    ["endswith", a.endswith(1), "endswith"],
  ])("%s", (_name, column, op) => {
    expect(j(column)).toEqual(call(op, attr("a"), { literal: { integer: 1 } }));
  });

  it("notEqual is NOT (a = b)", () => {
    expect(j(a.notEqual(1))).toEqual(call("not", call("==", attr("a"), { literal: { integer: 1 } })));
  });

  it("a string operand is a literal, a Column operand is used as is", () => {
    expect(j(a.eq("b"))).toEqual(call("==", attr("a"), { literal: { string: "b" } }));
    expect(j(a.eq(F.col("b")))).toEqual(call("==", attr("a"), attr("b")));
  });

  it("unary predicates and pattern matches", () => {
    expect(j(a.isNull())).toEqual(call("isnull", attr("a")));
    expect(j(a.isNotNull())).toEqual(call("isnotnull", attr("a")));
    expect(j(a.isNaN())).toEqual(call("isnan", attr("a")));
    expect(j(a.not())).toEqual(call("not", attr("a")));
    expect(j(a.like("x%"))).toEqual(call("like", attr("a"), { literal: { string: "x%" } }));
    expect(j(a.ilike("x%"))).toEqual(call("ilike", attr("a"), { literal: { string: "x%" } }));
    expect(j(a.rlike("^x"))).toEqual(call("rlike", attr("a"), { literal: { string: "^x" } }));
  });

  it("isin takes values or one array; between is two inclusive comparisons", () => {
    const expected = call("in", attr("a"), { literal: { integer: 1 } }, { literal: { string: "x" } });
    expect(j(a.isin(1, "x"))).toEqual(expected);
    expect(j(a.isin([1, "x"]))).toEqual(expected);
    expect(j(a.between(1, 2))).toEqual(
      call(
        "and",
        call(">=", attr("a"), { literal: { integer: 1 } }),
        call("<=", attr("a"), { literal: { integer: 2 } }),
      ),
    );
  });

  it("substr takes positions as numbers or Columns", () => {
    expect(j(a.substr(2, F.col("n")))).toEqual(call("substr", attr("a"), { literal: { integer: 2 } }, attr("n")));
  });
});

describe("Column naming, casting and nested access", () => {
  const a = F.col("a");
  it("alias / name / as, with metadata", () => {
    expect(j(a.alias("x"))).toEqual({ alias: { expr: attr("a"), name: ["x"] } });
    expect(j(a.name("x"))).toEqual(j(a.alias("x")));
    expect(j(a.as("x", "y"))).toEqual({ alias: { expr: attr("a"), name: ["x", "y"] } });
    expect(j(a.alias("x", { metadata: { comment: "c" } }))).toEqual({
      alias: { expr: attr("a"), name: ["x"], metadata: '{"comment":"c"}' },
    });
  });

  it("cast takes a DDL string or a DataType; try_cast uses TRY eval mode", () => {
    expect(j(a.cast("int"))).toEqual({ cast: { expr: attr("a"), typeStr: "int" } });
    expect(j(a.astype(new DecimalType(10, 2)))).toEqual({
      cast: { expr: attr("a"), type: { decimal: { precision: 10, scale: 2 } } },
    });
    expect(j(a.try_cast("int"))).toEqual({ cast: { expr: attr("a"), typeStr: "int", evalMode: "EVAL_MODE_TRY" } });
    expect(() => a.cast(42 as never)).toThrow(/DDL type string or a DataType, got 42/);
  });

  it("getItem / getField / withField / dropFields", () => {
    expect(j(a.getItem(0))).toEqual({
      unresolvedExtractValue: { child: attr("a"), extraction: { literal: { integer: 0 } } },
    });
    expect(j(a.getField("f"))).toEqual({
      unresolvedExtractValue: { child: attr("a"), extraction: { literal: { string: "f" } } },
    });
    expect(j(a.withField("f", F.lit(1)))).toEqual({
      updateFields: { structExpression: attr("a"), fieldName: "f", valueExpression: { literal: { integer: 1 } } },
    });
    expect(j(a.dropFields("f", "g"))).toEqual({
      updateFields: {
        structExpression: { updateFields: { structExpression: attr("a"), fieldName: "f" } },
        fieldName: "g",
      },
    });
    expect(() => a.dropFields()).toThrow(/at least one field/);
  });
});

describe("sort orders", () => {
  const a = F.col("a");
  it.each([
    ["asc", a.asc(), "SORT_DIRECTION_ASCENDING", "SORT_NULLS_FIRST"],
    ["asc_nulls_first", a.asc_nulls_first(), "SORT_DIRECTION_ASCENDING", "SORT_NULLS_FIRST"],
    ["asc_nulls_last", a.asc_nulls_last(), "SORT_DIRECTION_ASCENDING", "SORT_NULLS_LAST"],
    ["desc", a.desc(), "SORT_DIRECTION_DESCENDING", "SORT_NULLS_LAST"],
    ["desc_nulls_first", a.desc_nulls_first(), "SORT_DIRECTION_DESCENDING", "SORT_NULLS_FIRST"],
    ["desc_nulls_last", a.desc_nulls_last(), "SORT_DIRECTION_DESCENDING", "SORT_NULLS_LAST"],
  ])("%s", (_name, column, direction, nullOrdering) => {
    expect(j(column)).toEqual({ sortOrder: { child: attr("a"), direction, nullOrdering } });
  });
});

describe("when / otherwise", () => {
  it("chains branches into one CASE WHEN call", () => {
    const c = F.when(F.col("a").gt(1), "big").when(F.col("a").gt(0), "small").otherwise("none");
    expect(j(c).unresolvedFunction).toMatchObject({ functionName: "when" });
    expect((j(c).unresolvedFunction as { arguments: unknown[] }).arguments).toHaveLength(5);
  });

  it("refuses when/otherwise on anything but an open F.when column", () => {
    expect(() => F.col("a").otherwise(1)).toThrow(/only to a column built by F.when/);
    expect(() => F.when(F.col("a"), 1).otherwise(2).otherwise(3)).toThrow(/without otherwise/);
    expect(() => F.when("a" as never, 1)).toThrow(/Column condition, got "a"/);
  });
});

describe("toColumn / toExpression", () => {
  it("names become attributes; * and t.* become stars", () => {
    expect(toJson(ExpressionSchema, toExpression("a.b"))).toEqual(attr("a.b"));
    expect(toJson(ExpressionSchema, toExpression("*"))).toEqual({ unresolvedStar: {} });
    expect(toJson(ExpressionSchema, toExpression("t.*"))).toEqual({ unresolvedStar: { unparsedTarget: "t.*" } });
  });

  it("rejects other values, naming them", () => {
    expect(() => toColumn(42 as never)).toThrow(/Column or a column name string, got number 42/);
    expect(() => toColumn(null as never)).toThrow(/got null/);
  });

  it("toValueColumn makes literals of non-Columns", () => {
    expect(j(toValueColumn("a"))).toEqual({ literal: { string: "a" } });
    const c = F.col("a");
    expect(toValueColumn(c)).toBe(c);
  });

  it("toString renders a readable expression", () => {
    expect(String(F.col("a").plus(1).alias("b"))).toBe("Column<(a + 1) AS b>");
    expect(String(F.sum("x"))).toBe("Column<sum(x)>");
  });
});
