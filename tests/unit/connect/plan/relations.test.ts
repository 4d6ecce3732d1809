import { create, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { PlanSchema } from "../../../../src/connect/gen/spark/connect/base_pb.ts";
import { type Expression, ExpressionSchema } from "../../../../src/connect/gen/spark/connect/expressions_pb.ts";
import {
  Join_JoinType,
  type Relation,
  RelationSchema,
} from "../../../../src/connect/gen/spark/connect/relations_pb.ts";
import {
  commandPlan,
  relationPlan,
  saveMode,
  sqlCommand,
  writeOperation,
} from "../../../../src/connect/plan/commands.ts";
import { PlanIdGenerator } from "../../../../src/connect/plan/plan-id.ts";
import * as R from "../../../../src/connect/plan/relations.ts";

const json = (rel: Relation) => toJson(RelationSchema, rel) as Record<string, unknown>;
/** The JSON of the relation's single rel_type variant. */
const variant = (rel: Relation) => Object.values(json(rel))[0] as Record<string, unknown>;
const attr = (name: string): Expression =>
  create(ExpressionSchema, { exprType: { case: "unresolvedAttribute", value: { unparsedIdentifier: name } } });

describe("relation builders", () => {
  const base = R.range(0n, 10n, 1n);

  it("builds range with int64 bounds as strings in JSON", () => {
    expect(json(R.range(5n, 9_007_199_254_740_993n, 2n, 3))).toEqual({
      range: { start: "5", end: "9007199254740993", step: "2", numPartitions: 3 },
    });
  });

  it("stamps plan ids without mutating the input", () => {
    const ids = new PlanIdGenerator();
    const stamped = R.withPlanId(base, ids.next());
    const again = R.withPlanId(base, ids.next());
    expect(R.planIdOf(base)).toBeUndefined();
    expect(R.planIdOf(stamped)).toBe(0n);
    expect(R.planIdOf(again)).toBe(1n);
    ids.reset();
    expect(ids.next()).toBe(0n);
  });

  it("nests the input relation in project/filter", () => {
    const rel = R.filter(R.project(base, [attr("id")]), attr("flag"));
    expect(json(rel)).toEqual({
      filter: {
        input: {
          project: {
            input: { range: { start: "0", end: "10", step: "1" } },
            expressions: [{ unresolvedAttribute: { unparsedIdentifier: "id" } }],
          },
        },
        condition: { unresolvedAttribute: { unparsedIdentifier: "flag" } },
      },
    });
  });

  it("maps PySpark join type names and rejects unknown ones", () => {
    expect(R.joinType("left_anti")).toBe(Join_JoinType.LEFT_ANTI);
    expect(R.joinType("FullOuter")).toBe(Join_JoinType.FULL_OUTER);
    expect(R.joinType("semi")).toBe(Join_JoinType.LEFT_SEMI);
    expect(() => R.joinType("sideways")).toThrow(/Unsupported join type "sideways".*left_semi/);
    expect(() => R.joinType("constructor")).toThrow(/Unsupported join type/);
  });

  it("builds a using-columns join", () => {
    const rel = R.join(base, base, { type: R.joinType("inner"), usingColumns: ["id"] });
    expect(variant(rel)).toMatchObject({ joinType: "JOIN_TYPE_INNER", usingColumns: ["id"] });
  });

  it("builds unionByName with allowMissingColumns", () => {
    const rel = R.setOperation(base, base, { type: "union", isAll: true, byName: true, allowMissingColumns: true });
    expect(variant(rel)).toMatchObject({
      setOpType: "SET_OP_TYPE_UNION",
      isAll: true,
      byName: true,
      allowMissingColumns: true,
    });
  });

  it("distinct keys on all columns, dropDuplicates on the given names", () => {
    expect(variant(R.deduplicate(base, undefined))).toMatchObject({ allColumnsAsKeys: true });
    expect(variant(R.deduplicate(base, ["a"]))).toMatchObject({ allColumnsAsKeys: false, columnNames: ["a"] });
  });

  it("builds pivot aggregates and grouping sets", () => {
    const rel = R.aggregate(base, {
      groupType: "pivot",
      grouping: [attr("k")],
      aggregates: [attr("v")],
      pivot: { col: attr("p") },
    });
    expect(variant(rel)).toMatchObject({ groupType: "GROUP_TYPE_PIVOT", pivot: { col: {} } });
    const sets = R.aggregate(base, {
      groupType: "grouping_sets",
      grouping: [],
      aggregates: [],
      groupingSets: [[attr("a")], []],
    });
    expect(variant(sets).groupingSets).toHaveLength(2);
  });

  it("builds show strings and reads", () => {
    expect(variant(R.showString(base, 20, 20, false))).toMatchObject({ numRows: 20, truncate: 20 });
    expect(json(R.readDataSource({ format: "parquet", paths: ["/x"], options: { mergeSchema: "true" } }))).toEqual({
      read: { dataSource: { format: "parquet", paths: ["/x"], options: { mergeSchema: "true" } } },
    });
    expect(json(R.readNamedTable("db.t"))).toEqual({ read: { namedTable: { unparsedIdentifier: "db.t" } } });
  });
});

describe("command builders", () => {
  it("wraps relations and commands in plans", () => {
    const rel = R.sql("SELECT 1");
    expect(toJson(PlanSchema, relationPlan(rel))).toEqual({ root: { sql: { query: "SELECT 1" } } });
    const plan = commandPlan(sqlCommand(rel));
    expect(plan.opType.case).toBe("command");
  });

  it("maps save modes and rejects unknown ones", () => {
    expect(() => saveMode("upsert")).toThrow(/Unknown save mode "upsert".*append/);
    expect(() => saveMode("toString")).toThrow(/Unknown save mode/);
    const cmd = writeOperation(R.range(0n, 1n, 1n), {
      source: "parquet",
      mode: saveMode("overwrite"),
      path: "/tmp/x",
      partitionBy: ["d"],
      bucketBy: { numBuckets: 4, columns: ["id"] },
    });
    expect(cmd.commandType.case).toBe("writeOperation");
    if (cmd.commandType.case !== "writeOperation") throw new Error("unreachable");
    expect(cmd.commandType.value.saveType).toEqual({ case: "path", value: "/tmp/x" });
    expect(cmd.commandType.value.bucketBy?.numBuckets).toBe(4);
  });
});
