import { fromBinary, toJson } from "@bufbuild/protobuf";
import { tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { lit } from "../../../../src/connect/functions/special.ts";
import { LocalRelationSchema, RelationSchema } from "../../../../src/connect/gen/spark/connect/relations_pb.ts";
import { SparkSession } from "../../../../src/connect/session/spark-session.ts";
import { executeComplete, FakeClient, sqlCommandResult } from "../../../fakes/fake-client.ts";
import { fakeSession } from "../../../fakes/fake-session.ts";

describe("SparkSession.builder", () => {
  it("asks the version, applies configs in one Config call, and activates the session", async () => {
    const client = new FakeClient();
    client.onAnalyze = () => ({ case: "sparkVersion", value: { version: "4.1.3" } });
    const spark = await SparkSession.builder()
      .client(client)
      .config("spark.sql.shuffle.partitions", 4)
      .config({ "spark.sql.ansi.enabled": true })
      .getOrCreate();
    expect(spark.version).toBe("4.1.3");
    expect(client.configured).toHaveLength(1);
    expect(client.configured[0]).toMatchObject({
      opType: {
        case: "set",
        value: {
          pairs: [
            { key: "spark.sql.shuffle.partitions", value: "4" },
            { key: "spark.sql.ansi.enabled", value: "true" },
          ],
        },
      },
    });
    expect(SparkSession.getActiveSession()).toBe(spark);
    expect(await SparkSession.builder().getOrCreate()).toBe(spark);
    await spark.stop();
    expect(client.closed).toBe(1);
    expect(SparkSession.getActiveSession()).toBeUndefined();
  });

  it("fails when the server cannot be reached, and rejects bad builder arguments", async () => {
    const client = new FakeClient();
    client.onAnalyze = () => {
      throw new Error("unreachable server");
    };
    await expect(SparkSession.builder().client(client).create()).rejects.toThrow("unreachable server");
    expect(() => SparkSession.builder().config("k", undefined as never)).toThrow(/config "k" needs a value/);
    expect(() => SparkSession.builder().remote(42 as never)).toThrow(/sc:\/\/ URL string/);
  });
});

describe("sql", () => {
  it("sends a SqlCommand with named or positional arguments and continues from the server's relation", async () => {
    const { spark, client } = await fakeSession();
    const answer = { relType: { case: "range", value: { end: 1n, step: 1n } } } as never;
    client.onExecute = () => [sqlCommandResult(answer), executeComplete()];
    const df = await spark.sql("SELECT :x, :y", { x: 1, y: lit("two") });
    const plan = client.executed[0]?.plan;
    expect(plan?.opType.case).toBe("command");
    const command = plan?.opType.case === "command" ? plan.opType.value : undefined;
    expect(command?.commandType.case).toBe("sqlCommand");
    const input = command?.commandType.case === "sqlCommand" ? command.commandType.value.input : undefined;
    expect(toJson(RelationSchema, input!)).toEqual({
      sql: {
        query: "SELECT :x, :y",
        namedArguments: { x: { literal: { integer: 1 } }, y: { literal: { string: "two" } } },
      },
    });
    expect(df.relation.relType.case).toBe("range");
    await spark.sql("SELECT ?", [true]);
    const second = client.executed[1]?.plan;
    const json = JSON.stringify(second);
    expect(json).toContain("posArguments");
    await expect(spark.sql("SELECT 1", 5 as never)).rejects.toThrow(/args must be an object/);
  });

  it("falls back to the query relation when the server sends no command result", async () => {
    const { spark } = await fakeSession();
    const df = await spark.sql("SELECT 1");
    expect(toJson(RelationSchema, df.relation)).toMatchObject({ sql: { query: "SELECT 1" } });
  });
});

describe("createDataFrame", () => {
  it("inlines small data as a LocalRelation with a JSON schema", async () => {
    const { spark, client } = await fakeSession();
    const df = await spark.createDataFrame([{ a: 1, b: "x" }]);
    expect(df.relation.relType.case).toBe("localRelation");
    expect(client.configured[0]).toMatchObject({ opType: { case: "getOption" } });
    expect(client.uploaded).toHaveLength(0);
    const rel = df.relation.relType.case === "localRelation" ? df.relation.relType.value : undefined;
    expect(JSON.parse(rel?.schema ?? "{}")).toMatchObject({ type: "struct", fields: [{ name: "a" }, { name: "b" }] });
  });

  it("uploads data above the threshold once as cache/<sha256> and sends a CachedLocalRelation", async () => {
    const { spark, client } = await fakeSession();
    client.onConfig = () => ({ pairs: [{ key: "spark.sql.session.localRelationCacheThreshold", value: "64" }] });
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: i }));
    const df = await spark.createDataFrame(rows);
    expect(df.relation.relType.case).toBe("cachedLocalRelation");
    const hash = df.relation.relType.case === "cachedLocalRelation" ? df.relation.relType.value.hash : "";
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(client.uploaded.map((a) => a.name)).toEqual([`cache/${hash}`]);
    const local = fromBinary(LocalRelationSchema, client.uploaded[0]!.data);
    expect(local.data?.byteLength).toBeGreaterThan(64);
    expect(local.schema).toContain('"id"');
    await spark.createDataFrame(rows);
    expect(client.uploaded).toHaveLength(1);
    expect(client.statusQueries).toHaveLength(2);
  });

  it("takes Arrow Tables and rejects anything else", async () => {
    const { spark } = await fakeSession();
    const df = await spark.createDataFrame(tableFromArrays({ x: Int32Array.from([1, 2]) }));
    expect(df.relation.relType.case).toBe("localRelation");
    await expect(spark.createDataFrame({ a: 1 } as never)).rejects.toThrow(/array of rows or an Arrow Table/);
  });
});

describe("range, interrupts, tags, lifecycle", () => {
  it("range defaults and validation", async () => {
    const { spark } = await fakeSession();
    expect(toJson(RelationSchema, spark.range(5).relation)).toMatchObject({
      range: { start: "0", end: "5", step: "1" },
    });
    expect(toJson(RelationSchema, spark.range(1, 9, 2, 3).relation)).toMatchObject({
      range: { start: "1", end: "9", step: "2", numPartitions: 3 },
    });
    expect(() => spark.range(0, 5, 0)).toThrow(/step must not be 0/);
    expect(() => spark.range(0, 5, 1, 0)).toThrow(/numPartitions must be a positive integer/);
  });

  it("sends the three interrupt kinds and validates tags", async () => {
    const { spark, client } = await fakeSession();
    await spark.interruptAll();
    await spark.interruptTag("t1");
    await spark.interruptOperation("op-9");
    expect(client.interrupted.map((i) => [i.interruptType, i.interrupt?.value])).toEqual([
      [1, undefined],
      [2, "t1"],
      [3, "op-9"],
    ]);
    spark.addTag("nightly");
    expect(spark.getTags()).toEqual(["nightly"]);
    expect(() => spark.addTag("a,b")).toThrow(/without ","/);
    expect(() => spark.addTag("")).toThrow(/non-empty/);
  });

  it("refuses to run after stop", async () => {
    const { spark } = await fakeSession();
    await spark.stop();
    await expect(spark.range(1).collect()).rejects.toThrow(/has been stopped/);
    await expect(spark.range(1).explain()).rejects.toThrow(/has been stopped/);
  });
});
