import { toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Window } from "../../../../src/connect/dataframe/window.ts";
import { functions as F } from "../../../../src/connect/functions/index.ts";
import { ExpressionSchema } from "../../../../src/connect/gen/spark/connect/expressions_pb.ts";

const windowOf = (c: ReturnType<typeof F.col>) =>
  (toJson(ExpressionSchema, c.expression) as { window: Record<string, unknown> }).window;

describe("Window / WindowSpec", () => {
  it("partitionBy + orderBy keep explicit sort orders and default others to ascending", () => {
    const w = windowOf(F.row_number().over(Window.partitionBy("k", F.col("j")).orderBy(F.col("t").desc(), "u")));
    expect(w.windowFunction).toEqual({ unresolvedFunction: { functionName: "row_number" } });
    expect(w.partitionSpec).toEqual([
      { unresolvedAttribute: { unparsedIdentifier: "k" } },
      { unresolvedAttribute: { unparsedIdentifier: "j" } },
    ]);
    expect(w.orderSpec).toEqual([
      {
        child: { unresolvedAttribute: { unparsedIdentifier: "t" } },
        direction: "SORT_DIRECTION_DESCENDING",
        nullOrdering: "SORT_NULLS_LAST",
      },
      {
        child: { unresolvedAttribute: { unparsedIdentifier: "u" } },
        direction: "SORT_DIRECTION_ASCENDING",
        nullOrdering: "SORT_NULLS_FIRST",
      },
    ]);
    expect(w.frameSpec).toBeUndefined();
  });

  it("accepts one array of columns, as PySpark accepts a list", () => {
    expect(windowOf(F.rank().over(Window.partitionBy(["a", "b"]))).partitionSpec).toHaveLength(2);
  });

  it("rowsBetween maps unbounded and current-row bounds", () => {
    const w = windowOf(F.sum("v").over(Window.orderBy("t").rowsBetween(Window.unboundedPreceding, Window.currentRow)));
    expect(w.frameSpec).toEqual({
      frameType: "FRAME_TYPE_ROW",
      lower: { unbounded: true },
      upper: { currentRow: true },
    });
    const w2 = windowOf(F.sum("v").over(Window.orderBy("t").rowsBetween(-2, Window.unboundedFollowing)));
    expect(w2.frameSpec).toEqual({
      frameType: "FRAME_TYPE_ROW",
      lower: { value: { literal: { integer: -2 } } },
      upper: { unbounded: true },
    });
  });

  it("rangeBetween takes offsets, ±Infinity as unbounded, or Columns", () => {
    const w = windowOf(F.sum("v").over(Window.orderBy("t").rangeBetween(Number.NEGATIVE_INFINITY, 5)));
    expect(w.frameSpec).toEqual({
      frameType: "FRAME_TYPE_RANGE",
      lower: { unbounded: true },
      upper: { value: { literal: { integer: 5 } } },
    });
    const w2 = windowOf(F.sum("v").over(Window.orderBy("t").rangeBetween(F.expr("INTERVAL 1 DAY"), 0)));
    expect(w2.frameSpec).toMatchObject({ lower: { value: { expressionString: { expression: "INTERVAL 1 DAY" } } } });
  });

  it("rejects bad bounds with the value in the message", () => {
    expect(() => Window.rowsBetween(1.5, 2)).toThrow(/integer offset, got 1.5/);
    expect(() => Window.rowsBetween(0, Window.unboundedPreceding)).toThrow(/end cannot be unbounded preceding/);
    expect(() => Window.rowsBetween(F.lit(1) as never, 2)).toThrow(/integer offsets, not Columns/);
  });

  it("specs are immutable: deriving one leaves the original unchanged", () => {
    const base = Window.partitionBy("k");
    const ordered = base.orderBy("t");
    expect(base.orderSpec).toHaveLength(0);
    expect(ordered.orderSpec).toHaveLength(1);
  });

  it("over() without a spec is a window over the whole input", () => {
    expect(windowOf(F.count("*").over())).toEqual({
      windowFunction: { unresolvedFunction: { functionName: "count", arguments: [{ unresolvedStar: {} }] } },
    });
  });
});
