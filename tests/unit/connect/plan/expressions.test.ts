import { toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExpressionSchema } from "../../../../src/connect/gen/spark/connect/expressions_pb.ts";
import {
  alias,
  callFunction,
  cast,
  expressionString,
  lambdaFunction,
  lambdaVariable,
  namedArgument,
  sortOrder,
  unresolvedAttribute,
  unresolvedExtractValue,
  unresolvedFunction,
  unresolvedRegex,
  unresolvedStar,
  updateFields,
  window,
} from "../../../../src/connect/plan/expressions.ts";
import { literal } from "../../../../src/connect/plan/literals.ts";

const j = (e: Parameters<typeof toJson<typeof ExpressionSchema>>[1]) => toJson(ExpressionSchema, e);
const a = unresolvedAttribute("a");

describe("expression builders fill one Expression variant each", () => {
  it("attributes, stars and regexes", () => {
    expect(j(unresolvedAttribute("t.a", { planId: 3n }))).toEqual({
      unresolvedAttribute: { unparsedIdentifier: "t.a", planId: "3" },
    });
    expect(j(unresolvedStar())).toEqual({ unresolvedStar: {} });
    expect(j(unresolvedStar("t.*"))).toEqual({ unresolvedStar: { unparsedTarget: "t.*" } });
    expect(() => unresolvedStar("t")).toThrow(/must end with "\.\*"/);
    expect(j(unresolvedRegex("`a.*`"))).toEqual({ unresolvedRegex: { colName: "`a.*`" } });
  });

  it("function calls, distinct and named arguments", () => {
    expect(j(unresolvedFunction("count", [a], { isDistinct: true }))).toEqual({
      unresolvedFunction: {
        functionName: "count",
        arguments: [{ unresolvedAttribute: { unparsedIdentifier: "a" } }],
        isDistinct: true,
      },
    });
    expect(j(callFunction("cat.db.f", [a]))).toEqual({
      callFunction: { functionName: "cat.db.f", arguments: [{ unresolvedAttribute: { unparsedIdentifier: "a" } }] },
    });
    expect(j(namedArgument("k", literal(1)))).toEqual({
      namedArgumentExpression: { key: "k", value: { literal: { integer: 1 } } },
    });
    expect(j(expressionString("a + 1"))).toEqual({ expressionString: { expression: "a + 1" } });
  });

  it("alias, cast with a DDL string or eval mode", () => {
    expect(j(alias(a, ["x", "y"]))).toEqual({
      alias: { expr: { unresolvedAttribute: { unparsedIdentifier: "a" } }, name: ["x", "y"] },
    });
    expect(() => alias(a, [])).toThrow(/at least one name/);
    expect(j(cast(a, "decimal(10,2)", "try"))).toEqual({
      cast: {
        expr: { unresolvedAttribute: { unparsedIdentifier: "a" } },
        typeStr: "decimal(10,2)",
        evalMode: "EVAL_MODE_TRY",
      },
    });
  });

  it("sort orders always state their null ordering", () => {
    expect(j(sortOrder(a, "descending", "nullsFirst"))).toMatchObject({
      sortOrder: { direction: "SORT_DIRECTION_DESCENDING", nullOrdering: "SORT_NULLS_FIRST" },
    });
  });

  it("window: plain expressions in the order spec become ascending sort orders", () => {
    const w = j(
      window(unresolvedFunction("rank", []), [a], [unresolvedAttribute("b")], {
        type: "range",
        lower: { kind: "value", value: literal(-3) },
        upper: { kind: "unbounded" },
      }),
    );
    expect(w).toEqual({
      window: {
        windowFunction: { unresolvedFunction: { functionName: "rank" } },
        partitionSpec: [{ unresolvedAttribute: { unparsedIdentifier: "a" } }],
        orderSpec: [
          {
            child: { unresolvedAttribute: { unparsedIdentifier: "b" } },
            direction: "SORT_DIRECTION_ASCENDING",
            nullOrdering: "SORT_NULLS_FIRST",
          },
        ],
        frameSpec: {
          frameType: "FRAME_TYPE_RANGE",
          lower: { value: { literal: { integer: -3 } } },
          upper: { unbounded: true },
        },
      },
    });
  });

  it("lambdas take 1 to 3 named variables", () => {
    expect(j(lambdaFunction(lambdaVariable("x"), ["x"]))).toEqual({
      lambdaFunction: {
        function: { unresolvedNamedLambdaVariable: { nameParts: ["x"] } },
        arguments: [{ nameParts: ["x"] }],
      },
    });
    expect(() => lambdaFunction(a, [])).toThrow(/1 to 3 parameters, got 0/);
    expect(() => lambdaFunction(a, ["a", "b", "c", "d"])).toThrow(/got 4/);
  });

  it("extract value and update fields", () => {
    expect(j(unresolvedExtractValue(a, literal("f")))).toEqual({
      unresolvedExtractValue: {
        child: { unresolvedAttribute: { unparsedIdentifier: "a" } },
        extraction: { literal: { string: "f" } },
      },
    });
    expect(j(updateFields(a, "f"))).toEqual({
      updateFields: { structExpression: { unresolvedAttribute: { unparsedIdentifier: "a" } }, fieldName: "f" },
    });
  });
});
