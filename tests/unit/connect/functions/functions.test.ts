import { toJson } from "@bufbuild/protobuf";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Column } from "../../../../src/connect/dataframe/column.ts";
import { functions as F, parseSignature } from "../../../../src/connect/functions/index.ts";
import { CATEGORIES, type FunctionEntry, REGISTRY } from "../../../../src/connect/functions/registry.ts";
import * as special from "../../../../src/connect/functions/special.ts";
import { ExpressionSchema } from "../../../../src/connect/gen/spark/connect/expressions_pb.ts";
import { IntegerType, StructField, StructType } from "../../../../src/connect/types/data-types.ts";

const j = (c: Column) => toJson(ExpressionSchema, c.expression) as Record<string, unknown>;
const attr = (name: string) => ({ unresolvedAttribute: { unparsedIdentifier: name } });
const fn = (c: Column) =>
  j(c).unresolvedFunction as { functionName: string; arguments?: unknown[]; isDistinct?: boolean };

describe("the registry", () => {
  const rows = REGISTRY as readonly FunctionEntry[];

  it("has unique names, known categories and well-formed shapes", () => {
    const names = rows.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const row of rows) {
      expect(Object.keys(CATEGORIES)).toContain(row.category);
      if (row.sig !== "special") expect(() => parseSignature(row.name, row.sig)).not.toThrow();
    }
  });

  it("every special row is implemented in special.ts and every special.ts function has a row", () => {
    const specialRows = rows.filter((r) => r.sig === "special").map((r) => r.name);
    const exported = Object.entries(special).flatMap(([k, v]) =>
      typeof v === "function" ? [k] : Object.keys(v as object).map((inner) => `${k}.${inner}`),
    );
    expect([...specialRows].sort()).toEqual([...exported].sort());
  });

  it("F has exactly one function per row", () => {
    const topLevel = new Set(rows.map((r) => r.name.split(".")[0]));
    expect(Object.keys(F).sort()).toEqual([...topLevel].sort());
    for (const row of rows) {
      const f = row.name.split(".").reduce<unknown>((scope, part) => (scope as Record<string, unknown>)[part], F);
      expect(typeof f, row.name).toBe("function");
    }
  });

  it("parseSignature rejects malformed shapes", () => {
    expect(() => parseSignature("f", "x")).toThrow(/bad argument token "x"/);
    expect(() => parseSignature("f", "c*,c")).toThrow(/"\*" must be last/);
    expect(() => parseSignature("f", "c?,c")).toThrow(/required argument follows an optional/);
  });
});

describe("generated functions", () => {
  it("c arguments take column names, v arguments take literals", () => {
    expect(fn(F.regexp_extract("s", "(\\d+)", 1))).toEqual({
      functionName: "regexp_extract",
      arguments: [attr("s"), { literal: { string: "(\\d+)" } }, { literal: { integer: 1 } }],
    });
    expect(fn(F.concat_ws("-", "a", F.col("b")))).toEqual({
      functionName: "concat_ws",
      arguments: [{ literal: { string: "-" } }, attr("a"), attr("b")],
    });
  });

  it("n arguments: a string is a column name, a number a literal", () => {
    expect(fn(F.pow("x", 2)).arguments).toEqual([attr("x"), { literal: { integer: 2 } }]);
    expect(fn(F.date_add("d", "n")).arguments).toEqual([attr("d"), attr("n")]);
  });

  it("optional arguments are omitted when undefined, and cannot be skipped", () => {
    expect(fn(F.round("x")).arguments).toEqual([attr("x")]);
    expect(fn(F.round("x", 2)).arguments).toHaveLength(2);
    expect(fn(F.lag("x", undefined, undefined)).arguments).toEqual([attr("x")]);
    expect(() => F.lag("x", undefined, 0)).toThrow(/argument 2 is undefined but a later argument is given/);
  });

  it("checks the argument count, naming the function and shape", () => {
    expect(() => (F.sum as (...a: unknown[]) => Column)()).toThrow(/sum\(\) takes 1 argument\(s\) \(c\), got 0/);
    expect(() => (F.round as (...a: unknown[]) => Column)("a", 1, 2)).toThrow(/round\(\) takes 1 to 2/);
    expect(() => (F.coalesce as (...a: unknown[]) => Column)()).not.toThrow();
    expect(() => (F.count_distinct as (...a: unknown[]) => Column)()).toThrow(/at least 1/);
  });

  it("variadic column arguments accept one array, as PySpark accepts a list", () => {
    expect(fn(F.array(["a", "b"])).arguments).toEqual([attr("a"), attr("b")]);
    expect(fn(F.struct("a", "b")).arguments).toEqual([attr("a"), attr("b")]);
  });

  it("distinct aggregates and renamed server functions", () => {
    expect(fn(F.count_distinct("a", "b"))).toEqual({
      functionName: "count",
      arguments: [attr("a"), attr("b")],
      isDistinct: true,
    });
    expect(fn(F.sum_distinct("a"))).toMatchObject({ functionName: "sum", isDistinct: true });
    expect(fn(F.create_map("k", "v")).functionName).toBe("map");
    expect(fn(F.negate("a")).functionName).toBe("negative");
    expect(fn(F.bitwise_not("a")).functionName).toBe("~");
    expect(fn(F.timestamp_add("HOUR", "q", "ts")).functionName).toBe("timestampadd");
  });

  it("argOrder reorders to the server's order only when every argument is given", () => {
    expect(fn(F.trim("s")).arguments).toEqual([attr("s")]);
    expect(fn(F.trim("s", "chars")).arguments).toEqual([attr("chars"), attr("s")]);
  });

  it("seeded functions get a client-side seed when none is given, and keep a given one", () => {
    const args = fn(F.rand()).arguments as { literal: { integer: number } }[];
    expect(args).toHaveLength(1);
    expect(Number.isInteger(args[0]?.literal.integer)).toBe(true);
    expect(fn(F.rand(42)).arguments).toEqual([{ literal: { integer: 42 } }]);
    expect(fn(F.shuffle("a")).arguments).toHaveLength(2);
  });

  it("options objects become a map(...) call of strings; schemas accept DataTypes", () => {
    const c = fn(
      F.from_json("j", new StructType([new StructField("a", new IntegerType())]), { mode: "FAILFAST", x: 1 }),
    );
    expect(c.arguments?.[1]).toEqual({
      literal: { string: '{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]}' },
    });
    expect(c.arguments?.[2]).toEqual({
      unresolvedFunction: {
        functionName: "map",
        arguments: [
          { literal: { string: "mode" } },
          { literal: { string: "FAILFAST" } },
          { literal: { string: "x" } },
          { literal: { string: "1" } },
        ],
      },
    });
    expect(() => F.to_json("a", "nope" as never)).toThrow(/options must be an object or a Map/);
    expect(() => F.from_json("a", 5 as never)).toThrow(/schema must be a DataType, a schema string or a Column, got 5/);
  });
});

describe("special functions", () => {
  it("col / lit / expr", () => {
    expect(j(F.col("a"))).toEqual(attr("a"));
    expect(j(F.column("*"))).toEqual({ unresolvedStar: {} });
    const c = F.col("x");
    expect(F.lit(c)).toBe(c);
    expect(j(F.expr("a + 1"))).toEqual({ expressionString: { expression: "a + 1" } });
    expect(() => F.col(1 as never)).toThrow(/column name string, got 1/);
  });

  it("lambdas get fresh variable names so nested lambdas never collide", () => {
    const c = F.transform("xs", (x) => F.transform("ys", (y) => y.plus(x)));
    const outer = fn(c).arguments?.[1] as {
      lambdaFunction: { arguments: { nameParts: string[] }[]; function: unknown };
    };
    const outerName = outer.lambdaFunction.arguments[0]?.nameParts[0];
    const inner = (outer.lambdaFunction.function as { unresolvedFunction: { arguments: unknown[] } }).unresolvedFunction
      .arguments[1] as { lambdaFunction: { arguments: { nameParts: string[] }[] } };
    const innerName = inner.lambdaFunction.arguments[0]?.nameParts[0];
    expect(outerName).toMatch(/^x_\d+$/);
    expect(innerName).toMatch(/^x_\d+$/);
    expect(innerName).not.toBe(outerName);
  });

  it("transform/filter pass the index when the callback takes two parameters", () => {
    const one = fn(F.transform("xs", (x) => x)).arguments?.[1] as { lambdaFunction: { arguments: unknown[] } };
    const two = fn(F.filter("xs", (x, i) => i.gt(x))).arguments?.[1] as { lambdaFunction: { arguments: unknown[] } };
    expect(one.lambdaFunction.arguments).toHaveLength(1);
    expect(two.lambdaFunction.arguments).toHaveLength(2);
  });

  it("aggregate has an optional finish lambda; a lambda must return a Column", () => {
    expect(fn(F.aggregate("xs", 0, (acc, x) => acc.plus(x))).arguments).toHaveLength(3);
    expect(
      fn(
        F.aggregate(
          "xs",
          0,
          (acc, x) => acc.plus(x),
          (acc) => acc.multiply(2),
        ),
      ).arguments,
    ).toHaveLength(4);
    expect(() => F.exists("xs", () => 1 as never)).toThrow(/passed to exists\(\) must return a Column/);
  });

  it("log: one argument is ln, two are (base, column)", () => {
    expect(fn(F.log("x"))).toEqual({ functionName: "ln", arguments: [attr("x")] });
    expect(fn(F.log(10, "x"))).toEqual({ functionName: "log", arguments: [{ literal: { integer: 10 } }, attr("x")] });
  });

  it("window: a start time without a slide repeats the window duration as the slide", () => {
    expect(fn(F.window("t", "10 minutes")).arguments).toHaveLength(2);
    expect(fn(F.window("t", "10 minutes", null, "2 minutes")).arguments).toEqual([
      attr("t"),
      { literal: { string: "10 minutes" } },
      { literal: { string: "10 minutes" } },
      { literal: { string: "2 minutes" } },
    ]);
    expect(() => F.window("t", 10 as never)).toThrow(/windowDuration must be an interval string/);
  });

  it("broadcast calls hint('broadcast') on the DataFrame", () => {
    const calls: string[] = [];
    const df = {
      hint(name: string) {
        calls.push(name);
        return df;
      },
    };
    expect(F.broadcast(df)).toBe(df);
    expect(calls).toEqual(["broadcast"]);
  });

  it("partition transforms", () => {
    expect(fn(F.partitioning.years("ts"))).toEqual({ functionName: "years", arguments: [attr("ts")] });
    expect(fn(F.partitioning.bucket(4, "id"))).toEqual({
      functionName: "bucket",
      arguments: [{ literal: { integer: 4 } }, attr("id")],
    });
  });

  it("convert_timezone omits a null source time zone", () => {
    expect(fn(F.convert_timezone(null, F.lit("UTC"), "ts")).arguments).toEqual([
      { literal: { string: "UTC" } },
      attr("ts"),
    ]);
  });
});

describe("F is typed from the registry", () => {
  it("generated signatures", () => {
    expectTypeOf(F.sum).parameters.toEqualTypeOf<[string | Column]>();
    expectTypeOf(F.round).returns.toEqualTypeOf<Column>();
    // @ts-expect-error sum takes exactly one argument
    expect(() => F.sum()).toThrow();
    // @ts-expect-error substring needs three
    expect(() => F.substring("a", 1)).toThrow();
    // @ts-expect-error unknown functions do not exist
    expect(F.not_a_function).toBeUndefined();
  });
});
