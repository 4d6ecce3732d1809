/**
 * Every Column method evaluated by the real server, with expected values: comparisons (incl. null
 * semantics), arithmetic, boolean logic, strings, casts, names, nested access, sort orders, when/otherwise.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Column } from "../../src/connect/dataframe/column.ts";
import { Window } from "../../src/connect/dataframe/window.ts";
import { functions as F } from "../../src/connect/functions/index.ts";
import { DecimalType, IntegerType, StringType } from "../../src/connect/types/data-types.ts";
import { Decimal } from "../../src/connect/types/values.ts";
import { ExpressionProbe } from "./support/expression-probe.ts";

let probe: ExpressionProbe;
beforeAll(async () => {
  probe = ExpressionProbe.open(inject("sparkRemote"));
  await probe.setConf({ "spark.sql.session.timeZone": "UTC" });
});
afterAll(() => probe.close());

const a = F.col("a");
const b = F.col("b");
// One row: a = 7, b = 2, n = NULL (int), s = 'Spark SQL', d = 2.5 (double), x = NaN
const ROW = "SELECT 7 AS a, 2 AS b, CAST(NULL AS INT) AS n, 'Spark SQL' AS s, 2.5D AS d, double('NaN') AS x";

describe("comparisons", () => {
  it.each([
    ["eq", a.eq(7), true],
    ["equalTo", a.equalTo(b), false],
    ["notEqual", a.notEqual(b), true],
    ["gt", a.gt(b), true],
    ["geq", a.geq(7), true],
    ["lt", a.lt(b), false],
    ["leq", a.leq(7), true],
    ["between (inclusive)", a.between(2, 7), true],
    ["between (outside)", a.between(8, 9), false],
    ["isin values", a.isin(1, 7), true],
    ["isin array", a.isin([1, 2]), false],
    ["isin with a column", a.isin(b, F.lit(7)), true],
  ])("%s", async (_name, column, expected) => {
    expect(await probe.value(column, ROW)).toBe(expected);
  });

  it("null semantics: = with null is null, <=> is null-safe", async () => {
    const [row] = await probe.select(
      [
        F.col("n").eq(1).alias("eq"),
        F.col("n").eqNullSafe(null).alias("ens_null"),
        a.eqNullSafe(F.col("n")).alias("ens_value"),
        F.col("n").isNull().alias("is_null"),
        F.col("n").isNotNull().alias("is_not_null"),
        F.col("x").isNaN().alias("nan"),
        F.col("d").isNaN().alias("not_nan"),
      ],
      ROW,
    );
    expect(row).toEqual({
      eq: null,
      ens_null: true,
      ens_value: false,
      is_null: true,
      is_not_null: false,
      nan: true,
      not_nan: false,
    });
  });
});

describe("arithmetic and bitwise operators", () => {
  it("plus/minus/multiply/divide/mod keep SQL types", async () => {
    const [row] = await probe.select(
      [
        a.plus(b).alias("plus"),
        a.minus(b).alias("minus"),
        a.multiply(b).alias("times"),
        a.divide(b).alias("div"),
        a.mod(b).alias("mod"),
        F.lit(-7).mod(2).alias("neg_mod"),
        a.plus(F.lit(2n ** 40n)).alias("widened"),
        a.bitwiseAND(3).alias("and"),
        a.bitwiseOR(8).alias("or"),
        a.bitwiseXOR(1).alias("xor"),
      ],
      ROW,
    );
    expect(row).toEqual({
      plus: 9,
      minus: 5,
      times: 14,
      div: 3.5,
      mod: 1,
      neg_mod: -1,
      widened: 2n ** 40n + 7n,
      and: 3,
      or: 15,
      xor: 6,
    });
  });
});

describe("boolean logic", () => {
  it("and/or/not with SQL's three-valued logic", async () => {
    const t = F.lit(true);
    const f = F.lit(false);
    const n = F.lit(null).cast("boolean");
    const [row] = await probe.select([
      t.and(f).alias("tf"),
      t.or(f).alias("t_or_f"),
      f.not().alias("not_f"),
      n.and(f).alias("null_and_false"),
      n.or(t).alias("null_or_true"),
      n.and(t).alias("null_and_true"),
    ]);
    expect(row).toEqual({
      tf: false,
      t_or_f: true,
      not_f: true,
      null_and_false: false,
      null_or_true: true,
      null_and_true: null,
    });
  });
});

describe("string predicates", () => {
  it.each([
    ["like", F.col("s").like("Spark%"), true],
    ["like (case-sensitive)", F.col("s").like("spark%"), false],
    ["ilike", F.col("s").ilike("spark%"), true],
    ["rlike", F.col("s").rlike("S[a-z]+ SQL$"), true],
    ["startswith", F.col("s").startswith("Spa"), true],
    ["endswith", F.col("s").endswith("QL"), true],
    ["contains", F.col("s").contains("k S"), true],
    ["contains (absent)", F.col("s").contains("x"), false],
  ])("%s", async (_name, column, expected) => {
    expect(await probe.value(column, ROW)).toBe(expected);
  });

  it("substr takes 1-based positions, as numbers or columns", async () => {
    expect(await probe.value(F.col("s").substr(1, 5), ROW)).toBe("Spark");
    expect(await probe.value(F.col("s").substr(b.plus(5), F.lit(3)), ROW)).toBe("SQL");
  });
});

describe("casts", () => {
  it("cast to DDL strings and DataTypes, exactly", async () => {
    const [row] = await probe.select(
      [
        F.lit("12.345").cast("decimal(10,2)").alias("dec"),
        F.col("d").cast(new IntegerType()).alias("int"),
        a.astype(new StringType()).alias("str"),
        F.lit("2024-02-29").cast("date").alias("date"),
        a.cast(new DecimalType(5, 1)).alias("dec2"),
      ],
      ROW,
    );
    expect(row?.dec).toEqual(new Decimal(1235n, 10, 2));
    expect(String(row?.dec)).toBe("12.35");
    expect(row?.int).toBe(2);
    expect(row?.str).toBe("7");
    expect(String(row?.date)).toBe("2024-02-29");
    expect(String(row?.dec2)).toBe("7.0");
  });

  it("typed nulls via lit(null).cast", async () => {
    const schema = await probe.schema([F.lit(null).cast("bigint").alias("n")]);
    expect(schema.fields[0]?.dataType.simpleString()).toBe("bigint");
    expect(await probe.value(F.lit(null).cast("bigint"))).toBeNull();
  });

  it("try_cast yields null where cast fails", async () => {
    expect(await probe.value(F.lit("abc").try_cast("int"))).toBeNull();
    await expect(probe.value(F.lit("abc").cast("int"))).rejects.toThrow(/CAST_INVALID_INPUT/);
  });
});

describe("names", () => {
  it("alias, name, as (multi-name for generators), metadata", async () => {
    const rows = await probe.select([a.alias("x"), b.name("y"), F.col("s").as("z")], ROW);
    expect(rows).toEqual([{ x: 7, y: 2, z: "Spark SQL" }]);
    const exploded = await probe.select([F.posexplode(F.array(F.lit("p"), F.lit("q"))).alias("pos", "val")]);
    expect(exploded).toEqual([
      { pos: 0, val: "p" },
      { pos: 1, val: "q" },
    ]);
    const schema = await probe.schema([a.alias("x", { metadata: { comment: "seven" } })], ROW);
    expect(schema.fields[0]?.metadata).toEqual({ comment: "seven" });
  });

  it("Unicode and dotted names (backtick-quoted) resolve", async () => {
    const from = "SELECT 1 AS `prix €`, 2 AS `a.b`";
    const [row] = await probe.select([F.col("prix €").alias("p"), F.col("`a.b`").alias("ab")], from);
    expect(row).toEqual({ p: 1, ab: 2 });
  });

  it("a missing column fails with the server's UNRESOLVED_COLUMN naming it", async () => {
    await expect(probe.select([F.col("nope")], ROW)).rejects.toThrow(/UNRESOLVED_COLUMN.*nope/s);
  });
});

describe("nested data", () => {
  const NESTED =
    "SELECT array(10, 20, 30) AS arr, map('k', 'v') AS m, named_struct('x', 1, 'y', named_struct('z', 'deep')) AS st";

  it("getItem on arrays (0-based) and maps; getField on structs", async () => {
    const [row] = await probe.select(
      [
        F.col("arr").getItem(1).alias("i1"),
        F.col("m").getItem("k").alias("mk"),
        F.col("m").getItem("missing").alias("mmissing"),
        F.col("st").getField("y").getField("z").alias("deep"),
        F.col("st.x").alias("dotted"),
      ],
      NESTED,
    );
    expect(row).toEqual({ i1: 20, mk: "v", mmissing: null, deep: "deep", dotted: 1 });
    // ANSI mode (Spark 4's default): an index past the end is an error, not null.
    await expect(probe.value(F.col("arr").getItem(5), NESTED)).rejects.toThrow(/INVALID_ARRAY_INDEX/);
  });

  it("withField adds or replaces (also nested); dropFields removes", async () => {
    const [row] = await probe.select(
      [
        F.col("st").withField("w", F.lit(true)).alias("added"),
        F.col("st").withField("x", F.lit(9)).alias("replaced"),
        F.col("st").withField("y.z", F.lit("new")).alias("nested"),
        F.col("st").dropFields("y").alias("dropped"),
      ],
      NESTED,
    );
    expect(row).toEqual({
      added: { x: 1, y: { z: "deep" }, w: true },
      replaced: { x: 9, y: { z: "deep" } },
      nested: { x: 1, y: { z: "new" } },
      dropped: { x: 1 },
    });
  });
});

describe("when / otherwise", () => {
  it("evaluates branches in order, with otherwise and without (null)", async () => {
    const from = "SELECT * FROM VALUES (1), (5), (10), (NULL) AS t(v)";
    const v = F.col("v");
    const bucket = F.when(v.lt(3), "small").when(v.lt(8), "medium").otherwise("large");
    const noElse = F.when(v.gt(3), v.multiply(10));
    const rows = await probe.select([v, bucket.alias("bucket"), noElse.alias("no_else")], from);
    expect(rows).toEqual([
      { v: 1, bucket: "small", no_else: null },
      { v: 5, bucket: "medium", no_else: 50 },
      { v: 10, bucket: "large", no_else: 100 },
      { v: null, bucket: "large", no_else: null },
    ]);
  });
});

describe("sort orders", () => {
  const FROM = "SELECT * FROM VALUES (2), (NULL), (1), (3) AS t(v)";
  // The probe has no ORDER BY, so the sort order is observed through row_number() over a window ordered by it.
  const order = async (sortColumn: Column) => {
    const rows = await probe.select([F.col("v"), F.row_number().over(Window.orderBy(sortColumn)).alias("r")], FROM);
    return rows.sort((x, y) => (x.r as number) - (y.r as number)).map((r) => r.v);
  };
  it.each([
    ["asc", F.col("v").asc(), [null, 1, 2, 3]],
    ["asc_nulls_first", F.col("v").asc_nulls_first(), [null, 1, 2, 3]],
    ["asc_nulls_last", F.col("v").asc_nulls_last(), [1, 2, 3, null]],
    ["desc", F.col("v").desc(), [3, 2, 1, null]],
    ["desc_nulls_first", F.col("v").desc_nulls_first(), [null, 3, 2, 1]],
    ["desc_nulls_last", F.col("v").desc_nulls_last(), [3, 2, 1, null]],
  ])("%s", async (_name, sortColumn, expected) => {
    expect(await order(sortColumn)).toEqual(expected);
  });
});
