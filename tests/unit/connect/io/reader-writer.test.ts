import { toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { col } from "../../../../src/connect/functions/special.ts";
import { CommandSchema } from "../../../../src/connect/gen/spark/connect/commands_pb.ts";
import { RelationSchema } from "../../../../src/connect/gen/spark/connect/relations_pb.ts";
import { LongType, StructField, StructType } from "../../../../src/connect/types/data-types.ts";
import { fakeSession } from "../../../fakes/fake-session.ts";

describe("DataFrameReader", () => {
  it("builds data source reads with format, schema and stringified options", async () => {
    const { spark } = await fakeSession();
    const csv = spark.read.csv(["a.csv", "b.csv"], { header: true, sep: ";", samplingRatio: 0.5, schema: "id BIGINT" });
    expect(toJson(RelationSchema, csv.relation)).toMatchObject({
      read: {
        dataSource: {
          format: "csv",
          schema: "id BIGINT",
          options: { header: "true", sep: ";", samplingRatio: "0.5" },
          paths: ["a.csv", "b.csv"],
        },
      },
    });
    const struct = new StructType([new StructField("id", new LongType())]);
    const json = spark.read.schema(struct).format("json").option("multiLine", true).load("x.json");
    expect(toJson(RelationSchema, json.relation)).toMatchObject({
      read: { dataSource: { format: "json", schema: struct.json(), options: { multiLine: "true" } } },
    });
    expect(toJson(RelationSchema, spark.read.option("k", 1).table("db.t").relation)).toMatchObject({
      read: { namedTable: { unparsedIdentifier: "db.t", options: { k: "1" } } },
    });
    expect(() => spark.read.option("k", null as never)).toThrow(/Option "k" must be a string/);
    expect(() => spark.read.parquet("")).toThrow(/non-empty strings/);
    expect(() => spark.read.schema("  ")).toThrow(/StructType or a non-empty DDL string/);
  });
});

describe("DataFrameWriter and DataFrameWriterV2", () => {
  it("V1: mode, format, partitionBy, bucketBy, sortBy, options, path or table", async () => {
    const { spark, client } = await fakeSession();
    const df = spark.range(3);
    await df.write
      .bucketBy(4, "id")
      .sortBy("id")
      .saveAsTable("t", { mode: "overwrite", format: "orc", compression: "zlib" });
    await df.write.parquet("/out", { mode: "append", partitionBy: ["d"] });
    await df.write.insertInto("t", true);
    const commands = client.executed.map((e) =>
      e.plan.opType.case === "command" ? toJson(CommandSchema, e.plan.opType.value) : undefined,
    );
    expect(commands[0]).toMatchObject({
      writeOperation: {
        source: "orc",
        table: { tableName: "t", saveMethod: "TABLE_SAVE_METHOD_SAVE_AS_TABLE" },
        mode: "SAVE_MODE_OVERWRITE",
        sortColumnNames: ["id"],
        bucketBy: { bucketColumnNames: ["id"], numBuckets: 4 },
        options: { compression: "zlib" },
      },
    });
    expect(commands[1]).toMatchObject({
      writeOperation: { source: "parquet", path: "/out", mode: "SAVE_MODE_APPEND", partitioningColumns: ["d"] },
    });
    expect(commands[2]).toMatchObject({
      writeOperation: {
        table: { tableName: "t", saveMethod: "TABLE_SAVE_METHOD_INSERT_INTO" },
        mode: "SAVE_MODE_OVERWRITE",
      },
    });
    expect(() => df.write.bucketBy(0, "id")).toThrow(/positive integer/);
    expect(() => df.write.partitionBy()).toThrow(/at least one column name/);
  });

  it("V2: provider, properties, partition transforms and each mode", async () => {
    const { spark, client } = await fakeSession();
    const df = spark.range(3);
    await df.writeTo("cat.db.t").using("iceberg").tableProperty("p", "1").partitionedBy("d", col("e")).create();
    await df.writeTo("cat.db.t").overwrite(col("d").eq(1));
    await df.writeTo("cat.db.t").overwritePartitions();
    const commands = client.executed.map((e) =>
      e.plan.opType.case === "command" ? toJson(CommandSchema, e.plan.opType.value) : undefined,
    );
    expect(commands[0]).toMatchObject({
      writeOperationV2: {
        tableName: "cat.db.t",
        provider: "iceberg",
        tableProperties: { p: "1" },
        mode: "MODE_CREATE",
        partitioningColumns: [
          { unresolvedAttribute: { unparsedIdentifier: "d" } },
          { unresolvedAttribute: { unparsedIdentifier: "e" } },
        ],
      },
    });
    expect(commands[1]).toMatchObject({
      writeOperationV2: { mode: "MODE_OVERWRITE", overwriteCondition: { unresolvedFunction: { functionName: "==" } } },
    });
    expect(commands[2]).toMatchObject({ writeOperationV2: { mode: "MODE_OVERWRITE_PARTITIONS" } });
    expect(() => df.writeTo("")).toThrow(/non-empty string/);
  });
});
