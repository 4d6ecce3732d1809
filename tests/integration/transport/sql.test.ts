/**
 * The transport against the real Spark Connect server: SQL results decoded with apache-arrow, typed errors,
 * AnalyzePlan and Config round trips.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AnalysisException, ParseException } from "../../../src/connect/errors/index.ts";
import { AnalyzePlanRequest_Explain_ExplainMode as ExplainMode } from "../../../src/connect/gen/spark/connect/base_pb.ts";
import { createClient, type GrpcSparkConnectClient } from "../../../src/connect/transport/index.ts";
import { runSql, sqlPlan } from "./helpers.ts";

let client: GrpcSparkConnectClient;

beforeAll(() => {
  client = createClient(inject("sparkRemote"));
});
afterAll(async () => {
  await client.close();
});

describe("SQL over ExecutePlan", () => {
  it("returns typed Arrow rows: int64 as bigint, decimals exactly, strings", async () => {
    const { rows, events } = await runSql(
      client,
      "select id, cast(id * 1.5 as decimal(10,2)) as d, concat('row-', id) as s from range(0, 3)",
    );
    expect(rows.map((r) => r.id)).toEqual([0n, 1n, 2n]);
    expect(rows.map((r) => r.s)).toEqual(["row-0", "row-1", "row-2"]);
    expect(events[0]?.kind).toBe("schema");
    expect(events.at(-1)).toMatchObject({ kind: "complete" });
    expect(events.some((e) => e.kind === "metrics")).toBe(true);
  });

  it("streams a multi-batch result completely", async () => {
    const { rows, events } = await runSql(client, "select sum(id) as total, count(*) as n from range(0, 1000000)");
    expect(rows).toEqual([{ total: 499999500000n, n: 1000000n }]);
    const many = await runSql(client, "select id from range(0, 50000)");
    expect(many.rows).toHaveLength(50000);
    expect(many.events.filter((e) => e.kind === "arrow").length).toBeGreaterThan(1);
    expect(events.filter((e) => e.kind === "complete")).toHaveLength(1);
  });
});

describe("typed errors", () => {
  it("a missing table is an AnalysisException TABLE_OR_VIEW_NOT_FOUND / 42P01", async () => {
    const error = await runSql(client, "select * from retail_lab_no_such_table").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisException);
    const e = error as AnalysisException;
    expect(e.errorClass).toBe("TABLE_OR_VIEW_NOT_FOUND");
    expect(e.sqlState).toBe("42P01");
    expect(e.messageParameters).toEqual({ relationName: "`retail_lab_no_such_table`" });
    expect(e.message).toContain("retail_lab_no_such_table");
    expect(e.queryContexts[0]?.fragment).toBe("retail_lab_no_such_table");
    expect(e.jvmClasses).toContain("org.apache.spark.sql.AnalysisException");
    expect(e.grpcCode).toBeTypeOf("number");
  });

  it("a syntax error is a ParseException", async () => {
    const error = await runSql(client, "selec 1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseException);
    expect((error as ParseException).errorClass).toBe("PARSE_SYNTAX_ERROR");
    expect((error as ParseException).sqlState).toBe("42601");
  });

  it("errors from AnalyzePlan are typed too, and the session stays usable", async () => {
    const error = await client
      .analyzePlan({ case: "schema", value: { plan: sqlPlan("select nope_column from range(1)") } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisException);
    expect((error as AnalysisException).errorClass).toBe("UNRESOLVED_COLUMN.WITH_SUGGESTION");
    const { rows } = await runSql(client, "select 1 as one");
    expect(rows).toEqual([{ one: 1 }]);
  });
});

describe("AnalyzePlan and Config", () => {
  it("reports the Spark version, schemas and explain strings in every mode", async () => {
    const version = await client.analyzePlan({ case: "sparkVersion", value: {} });
    expect(version.result.case === "sparkVersion" && version.result.value.version).toBe("4.1.3");
    const schema = await client.analyzePlan({ case: "schema", value: { plan: sqlPlan("select 1L as a, 'x' as b") } });
    const fields = schema.result.case === "schema" ? schema.result.value.schema?.kind : undefined;
    expect(fields?.case).toBe("struct");
    for (const mode of [
      ExplainMode.SIMPLE,
      ExplainMode.EXTENDED,
      ExplainMode.CODEGEN,
      ExplainMode.COST,
      ExplainMode.FORMATTED,
    ]) {
      const explain = await client.analyzePlan({
        case: "explain",
        value: { plan: sqlPlan("select id from range(3)"), explainMode: mode },
      });
      expect(explain.result.case === "explain" && explain.result.value.explainString).toMatch(/Range/);
    }
  });

  it("sets, gets, lists and unsets session confs", async () => {
    const key = "spark.sql.shuffle.partitions";
    await client.config({ opType: { case: "set", value: { pairs: [{ key, value: "7" }] } } });
    const got = await client.config({ opType: { case: "get", value: { keys: [key] } } });
    expect(got.pairs).toMatchObject([{ key, value: "7" }]);
    const all = await client.config({ opType: { case: "getAll", value: { prefix: "spark.sql.shuffle" } } });
    // The server answers getAll with keys relative to the prefix.
    expect(all.pairs.find((p) => p.key === ".partitions")?.value).toBe("7");
    await client.config({ opType: { case: "unset", value: { keys: [key] } } });
    const after = await client.config({ opType: { case: "get", value: { keys: [key] } } });
    expect(after.pairs[0]?.value).toMatch(/^\d+$/);
    expect(after.pairs[0]?.value).not.toBe("7");
    const bad = await client
      .config({ opType: { case: "set", value: { pairs: [{ key, value: "many" }] } } })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ name: "IllegalArgumentException", errorClass: "INVALID_CONF_VALUE.TYPE_MISMATCH" });
    const missing = await client
      .config({ opType: { case: "get", value: { keys: ["spark.retail_lab.nope"] } } })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ errorClass: "SQL_CONF_NOT_FOUND" });
  });
});
