import { toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { DataFrame } from "../../../../src/connect/dataframe/dataframe.ts";
import { StorageLevel } from "../../../../src/connect/dataframe/storage-level.ts";
import { col, lit } from "../../../../src/connect/functions/special.ts";
import { RelationSchema } from "../../../../src/connect/gen/spark/connect/relations_pb.ts";
import type { AnalyzeResult } from "../../../fakes/fake-client.ts";
import { fakeSession } from "../../../fakes/fake-session.ts";

type Json = Record<string, unknown>;

/** The JSON of a DataFrame's relation, without plan ids (they are checked separately). */
function plan(df: DataFrame): Json {
  return JSON.parse(
    JSON.stringify(toJson(RelationSchema, df.relation), (key, value) => (key === "common" ? undefined : value)),
  ) as Json;
}

/** The single rel_type variant of a DataFrame's relation. */
function top(df: DataFrame): Json {
  return Object.values(plan(df))[0] as Json;
}

const attr = (name: string) => ({ unresolvedAttribute: { unparsedIdentifier: name } });

describe("DataFrame transformations build relations", () => {
  it("gives every DataFrame a fresh plan id and binds df.col to it", async () => {
    const { spark } = await fakeSession();
    const a = spark.range(3);
    const b = a.select("id");
    expect(b.planId).toBeGreaterThan(a.planId);
    expect(toJson(RelationSchema, b.relation)).toMatchObject({ common: { planId: String(b.planId) } });
    const c = a.col("id");
    expect(c.expression.exprType).toMatchObject({ case: "unresolvedAttribute", value: { planId: a.planId } });
    expect(a.col("*").expression.exprType).toMatchObject({ case: "unresolvedStar", value: { planId: a.planId } });
  });

  it("select accepts names, Columns and one list; selectExpr parses SQL", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(3);
    expect(top(df.select("id", col("id").plus(1).alias("next"))).expressions).toHaveLength(2);
    expect(top(df.select(["id", "id"])).expressions).toEqual([attr("id"), attr("id")]);
    expect(top(df.selectExpr("id * 2 AS twice"))).toMatchObject({
      expressions: [{ expressionString: { expression: "id * 2 AS twice" } }],
    });
    expect(() => df.selectExpr(1 as unknown as string)).toThrow(/selectExpr expects SQL strings/);
  });

  it("filter takes a Column or a SQL string", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(3);
    expect(top(df.where("id > 1")).condition).toEqual({ expressionString: { expression: "id > 1" } });
    expect(top(df.filter(col("id").gt(1))).condition).toMatchObject({ unresolvedFunction: { functionName: ">" } });
    expect(() => df.filter(true as unknown as string)).toThrow(/filter expects a Column/);
  });

  it("withColumn(s) alias each expression; withColumnRenamed and drop", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(3);
    expect(top(df.withColumn("two", lit(2))).aliases).toEqual([{ expr: { literal: { integer: 2 } }, name: ["two"] }]);
    expect(() => df.withColumn("x", 1 as never)).toThrow(/withColumn expects a Column/);
    expect(top(df.withColumnsRenamed({ id: "key", x: "y" })).renames).toEqual([
      { colName: "id", newColName: "key" },
      { colName: "x", newColName: "y" },
    ]);
    expect(top(df.drop("a", col("b")))).toMatchObject({ columnNames: ["a"], columns: [attr("b")] });
    expect(() => df.drop(3 as never)).toThrow(/drop expects column names or Columns/);
  });

  it("join: using names, a Column, a list of Columns (AND), and PySpark join types", async () => {
    const { spark } = await fakeSession();
    const a = spark.range(3);
    const b = spark.range(5);
    expect(top(a.join(b, "id"))).toMatchObject({ joinType: "JOIN_TYPE_INNER", usingColumns: ["id"] });
    expect(top(a.join(b, ["id"], "left_anti"))).toMatchObject({ joinType: "JOIN_TYPE_LEFT_ANTI" });
    const cond = top(a.join(b, [a.col("id").eq(b.col("id")), a.col("id").gt(0)], "full"));
    expect(cond).toMatchObject({
      joinType: "JOIN_TYPE_FULL_OUTER",
      joinCondition: { unresolvedFunction: { functionName: "and" } },
    });
    expect(top(a.crossJoin(b))).toMatchObject({ joinType: "JOIN_TYPE_CROSS" });
    expect(() => a.join(b, "id", "sideways")).toThrow(/Unsupported join type "sideways"/);
    expect(() => a.join(b, ["id", a.col("id")] as never)).toThrow(/not a mix/);
    const other = await fakeSession();
    expect(() => a.join(other.spark.range(1), "id")).toThrow(/same SparkSession/);
  });

  it("set operations follow PySpark: union is UNION ALL by position", async () => {
    const { spark } = await fakeSession();
    const a = spark.range(3);
    const b = spark.range(5);
    expect(top(a.union(b))).toMatchObject({ setOpType: "SET_OP_TYPE_UNION", isAll: true, byName: false });
    expect(top(a.unionByName(b, true))).toMatchObject({ byName: true, allowMissingColumns: true });
    expect(top(a.intersect(b))).toMatchObject({ setOpType: "SET_OP_TYPE_INTERSECT", isAll: false });
    expect(top(a.subtract(b))).toMatchObject({ setOpType: "SET_OP_TYPE_EXCEPT", isAll: false });
    expect(top(a.exceptAll(b))).toMatchObject({ setOpType: "SET_OP_TYPE_EXCEPT", isAll: true });
  });

  it("orderBy: names ascending nulls first, desc() kept, { ascending } per column", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(3);
    expect(top(df.orderBy("a", col("b").desc()))).toMatchObject({
      isGlobal: true,
      order: [
        { child: attr("a"), direction: "SORT_DIRECTION_ASCENDING", nullOrdering: "SORT_NULLS_FIRST" },
        { child: attr("b"), direction: "SORT_DIRECTION_DESCENDING", nullOrdering: "SORT_NULLS_LAST" },
      ],
    });
    expect(top(df.sort("a", "b", { ascending: [false, true] }))).toMatchObject({
      order: [{ direction: "SORT_DIRECTION_DESCENDING" }, { direction: "SORT_DIRECTION_ASCENDING" }],
    });
    expect(top(df.sortWithinPartitions("a")).isGlobal).toBe(false);
    expect(() => df.orderBy("a", { ascending: [true, false] })).toThrow(/2 flags for 1 columns/);
    expect(() => df.orderBy()).toThrow(/at least one column/);
  });

  it("limit/offset/sample/randomSplit validate their numbers; a sample seed is fixed on the client", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(100);
    expect(() => df.limit(-1)).toThrow(/limit: n must be an integer/);
    expect(() => df.limit(1.5)).toThrow(/limit/);
    expect(top(df.offset(3))).toMatchObject({ offset: 3 });
    const s = top(df.sample(0.25));
    expect(s).toMatchObject({ upperBound: 0.25 });
    expect(typeof s.seed).toBe("string");
    expect(top(df.sample(true, 2.0, 7))).toMatchObject({ withReplacement: true, upperBound: 2, seed: "7" });
    expect(top(df.sample({ fraction: 0.5, seed: 42n }))).toMatchObject({ seed: "42" });
    expect(() => df.sample(1.5)).toThrow(/at most 1 without replacement/);
    expect(() => df.sample(-0.1)).toThrow(/non-negative/);
    const splits = df.randomSplit([1, 3], 5);
    expect(splits.map((d) => [top(d).lowerBound ?? 0, top(d).upperBound])).toEqual([
      [0, 0.25],
      [0.25, 1],
    ]);
    expect(splits.every((d) => top(d).deterministicOrder === true && top(d).seed === "5")).toBe(true);
  });

  it("repartition, repartitionByRange and coalesce pick the right relation", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(10);
    expect(plan(df.repartition(4))).toMatchObject({ repartition: { numPartitions: 4, shuffle: true } });
    expect(plan(df.coalesce(1))).toMatchObject({ repartition: { numPartitions: 1 } });
    expect(plan(df.repartition(3, "id"))).toMatchObject({
      repartitionByExpression: { numPartitions: 3, partitionExprs: [attr("id")] },
    });
    expect(plan(df.repartition("id"))).toMatchObject({ repartitionByExpression: { partitionExprs: [attr("id")] } });
    expect(plan(df.repartitionByRange(2, "id"))).toMatchObject({
      repartitionByExpression: {
        partitionExprs: [{ sortOrder: { child: attr("id"), direction: "SORT_DIRECTION_ASCENDING" } }],
      },
    });
    expect(() => df.repartition(0)).toThrow(/numPartitions must be an integer from 1/);
  });

  it("distinct, dropDuplicates, hint, alias, transform, toDF, unpivot", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(10);
    expect(top(df.distinct())).toMatchObject({ allColumnsAsKeys: true });
    expect(top(df.dropDuplicates(["id"]))).toMatchObject({ columnNames: ["id"] });
    expect(() => df.dropDuplicates("id" as never)).toThrow(/list of column names/);
    expect(top(df.hint("broadcast"))).toMatchObject({ name: "broadcast" });
    expect(top(df.hint("repartition", 4))).toMatchObject({ parameters: [{ literal: { integer: 4 } }] });
    expect(top(df.alias("t"))).toMatchObject({ alias: "t" });
    expect(top(df.transform((d, n: number) => d.limit(n), 3))).toMatchObject({ limit: 3 });
    expect(() => df.transform(() => 3 as never)).toThrow(/must return a DataFrame/);
    expect(top(df.toDF("x"))).toMatchObject({ columnNames: ["x"] });
    expect(top(df.unpivot("id", null, "k", "v"))).toMatchObject({ ids: [attr("id")], variableColumnName: "k" });
  });

  it("describe and summary name their columns and statistics", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(10);
    expect(plan(df.describe("id"))).toMatchObject({ describe: { cols: ["id"] } });
    expect(plan(df.summary("count", "50%"))).toMatchObject({ summary: { statistics: ["count", "50%"] } });
  });
});

describe("GroupedData", () => {
  it("agg takes Columns or a { column: function } object", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(10);
    expect(top(df.groupBy("id").agg({ id: "max", "*": "count" }))).toMatchObject({
      groupType: "GROUP_TYPE_GROUPBY",
      groupingExpressions: [attr("id")],
      aggregateExpressions: [
        { unresolvedFunction: { functionName: "max", arguments: [attr("id")] } },
        { unresolvedFunction: { functionName: "count", arguments: [{ unresolvedStar: {} }] } },
      ],
    });
    expect(() => df.groupBy("id").agg({ id: "maximum" })).toThrow(
      /unknown aggregate function string "maximum" for column "id"/,
    );
    expect(() => df.groupBy().agg("id" as never)).toThrow(/agg expects Columns/);
  });

  it("count, sum, rollup/cube and pivot", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(10);
    expect(top(df.groupBy("id").count()).aggregateExpressions).toEqual([
      {
        alias: {
          expr: { unresolvedFunction: { functionName: "count", arguments: [{ literal: { integer: 1 } }] } },
          name: ["count"],
        },
      },
    ]);
    expect(top(df.rollup("a", "b").sum("c"))).toMatchObject({ groupType: "GROUP_TYPE_ROLLUP" });
    expect(top(df.cube("a").avg("c"))).toMatchObject({ groupType: "GROUP_TYPE_CUBE" });
    expect(() => df.groupBy("a").sum()).toThrow(/sum needs the names of the columns/);
    const pivoted = top(df.groupBy("a").pivot("b", ["x", "y"]).sum("c"));
    expect(pivoted).toMatchObject({
      groupType: "GROUP_TYPE_PIVOT",
      pivot: { col: attr("b"), values: [{ string: "x" }, { string: "y" }] },
    });
    expect(() => df.rollup("a").pivot("b")).toThrow(/pivot is only allowed after groupBy/);
    expect(top(df.groupingSets([["a"], []], "a").count())).toMatchObject({
      groupType: "GROUP_TYPE_GROUPING_SETS",
      groupingSets: [{ groupingSet: [attr("a")] }, {}],
    });
  });
});

describe("na and stat", () => {
  it("na.fill sends int64 for integral numbers and double otherwise", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(10);
    expect(top(df.na.fill(0))).toMatchObject({ values: [{ long: "0" }] });
    expect(top(df.fillna(0.5, ["a"]))).toMatchObject({ cols: ["a"], values: [{ double: 0.5 }] });
    expect(top(df.na.fill({ a: "x", b: true }))).toMatchObject({
      cols: ["a", "b"],
      values: [{ string: "x" }, { boolean: true }],
    });
    expect(() => df.na.fill(null as never)).toThrow(/value must be a number, bigint, string or boolean/);
  });

  it("na.drop maps how/thresh to minNonNulls; na.replace accepts PySpark's forms", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(10);
    expect(top(df.na.drop()).minNonNulls).toBeUndefined();
    expect(top(df.na.drop("all"))).toMatchObject({ minNonNulls: 1 });
    expect(top(df.dropna("any", 2, "a"))).toMatchObject({ minNonNulls: 2, cols: ["a"] });
    expect(() => df.na.drop("some" as never)).toThrow(/how must be "any" or "all"/);
    expect(top(df.na.replace([1, 2], [10, 20]))).toMatchObject({
      replacements: [
        { oldValue: { long: "1" }, newValue: { long: "10" } },
        { oldValue: { long: "2" }, newValue: { long: "20" } },
      ],
    });
    expect(top(df.replace({ a: "b" }, undefined, "name"))).toMatchObject({ cols: ["name"] });
    expect(top(df.na.replace("x", null))).toMatchObject({
      replacements: [{ oldValue: { string: "x" }, newValue: { null: { null: {} } } }],
    });
    expect(() => df.na.replace([1, 2], [3])).toThrow(/2 values to replace but 1 replacements/);
  });

  it("stat builds crosstab, freqItems and sampleBy relations", async () => {
    const { spark } = await fakeSession();
    const df = spark.range(10);
    expect(plan(df.stat.crosstab("a", "b"))).toMatchObject({ crosstab: { col1: "a", col2: "b" } });
    expect(plan(df.stat.freqItems(["a"], 0.3))).toMatchObject({ freqItems: { cols: ["a"], support: 0.3 } });
    expect(plan(df.stat.sampleBy("k", { a: 0.5 }, 3))).toMatchObject({
      sampleBy: { col: attr("k"), fractions: [{ stratum: { string: "a" }, fraction: 0.5 }], seed: "3" },
    });
    expect(() => df.stat.sampleBy("k", { a: 2 })).toThrow(/must be in \[0, 1\]/);
    await expect(df.stat.corr("a", "b", "spearman")).rejects.toThrow(/only the "pearson" method/);
  });
});

describe("AnalyzePlan-backed methods", () => {
  it("explain sends the mode; printSchema the level; invalid modes are named", async () => {
    const { spark, client } = await fakeSession();
    client.onAnalyze = (input) => {
      if (input?.case === "explain")
        return { case: "explain", value: { explainString: `mode ${input.value.explainMode}` } };
      if (input?.case === "treeString") return { case: "treeString", value: { treeString: "root\n" } };
      throw new Error("unexpected");
    };
    const df = spark.range(3);
    expect(await df.explain()).toBe("mode 1");
    expect(await df.explain(true)).toBe("mode 2");
    expect(await df.explain("formatted")).toBe("mode 5");
    await expect(df.explain("verbose" as never)).rejects.toThrow(
      /unknown mode string "verbose"; allowed: simple, extended/,
    );
    await expect(df.explain("toString" as never)).rejects.toThrow(/unknown mode/);
    expect(await df.printSchema(2)).toBe("root\n");
    expect(client.analyzed.at(-1)).toMatchObject({ case: "treeString", value: { level: 2 } });
  });

  it("cache/persist/unpersist send the relation and storage level", async () => {
    const { spark, client } = await fakeSession();
    client.onAnalyze = (input): AnalyzeResult => {
      if (input?.case === "getStorageLevel") {
        return { case: "getStorageLevel", value: { storageLevel: StorageLevel.DISK_ONLY_2.toProto() } };
      }
      if (input?.case === "persist") return { case: "persist", value: {} };
      return { case: "unpersist", value: {} };
    };
    const df = spark.range(3);
    expect(await df.cache()).toBe(df);
    expect(client.analyzed[0]).toMatchObject({
      case: "persist",
      value: { storageLevel: { useDisk: true, useMemory: true, deserialized: true } },
    });
    await df.persist(StorageLevel.MEMORY_ONLY);
    expect(client.analyzed[1]).toMatchObject({ value: { storageLevel: { useDisk: false, useMemory: true } } });
    await df.unpersist(true);
    expect(client.analyzed[2]).toMatchObject({ case: "unpersist", value: { blocking: true } });
    expect((await df.storageLevel()).equals(StorageLevel.DISK_ONLY_2)).toBe(true);
    expect(String(StorageLevel.MEMORY_AND_DISK_DESER)).toBe("Disk Memory Deserialized 1x Replicated");
  });
});
