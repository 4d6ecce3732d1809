/**
 * Arrow encode/decode against the real server: local data of every type makes the LocalRelation round trip
 * unchanged, results stream batch by batch, the session time zone reaches TIMESTAMP values, and the local DDL
 * parser agrees with the server's.
 */
import { create } from "@bufbuild/protobuf";
import * as arrow from "apache-arrow";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { rowBatchesFromEvents, rowsFromEvents, tableFromEvents } from "../../src/connect/arrow/decode.ts";
import { encodeLocalRelation, type LocalData } from "../../src/connect/arrow/encode.ts";
import { PlanSchema } from "../../src/connect/gen/spark/connect/base_pb.ts";
import type { SparkConnectClient } from "../../src/connect/transport/client.ts";
import { createClient } from "../../src/connect/transport/index.ts";
import { StructType } from "../../src/connect/types/data-types.ts";
import { parseDDLWithServer, parseSchema } from "../../src/connect/types/ddl.ts";
import { Timestamp } from "../../src/connect/types/values.ts";
import { typedJson } from "../golden/typed-json.ts";
import { ALL_TYPES_ROWS, ALL_TYPES_SCHEMA } from "../unit/connect/all-types.ts";

const sqlPlan = (query: string) =>
  create(PlanSchema, { opType: { case: "root", value: { relType: { case: "sql", value: { query } } } } });

const localPlan = (local: LocalData) =>
  create(PlanSchema, {
    opType: {
      case: "root",
      value: { relType: { case: "localRelation", value: { data: local.ipc, schema: local.schemaJson } } },
    },
  });

async function collect(client: SparkConnectClient, plan: ReturnType<typeof sqlPlan>) {
  const rows = [];
  for await (const row of rowsFromEvents(client.executePlan(plan))) rows.push(row);
  return rows;
}

describe("Arrow through the real server", () => {
  let client: SparkConnectClient;

  beforeAll(async () => {
    client = createClient(inject("sparkRemote"));
    const pairs = [
      ["spark.sql.session.timeZone", "UTC"],
      ["spark.sql.timeType.enabled", "true"],
      ["spark.sql.geospatial.enabled", "true"],
    ].map(([key, value]) => ({ key, value }));
    await client.config({ opType: { case: "set", value: { pairs } } });
  });

  afterAll(async () => {
    await client?.close();
  });

  it("round-trips a value and a null of every type through a LocalRelation", async () => {
    // UDTs need their JVM class on the server; the rest is every kind.
    const schema = new StructType(ALL_TYPES_SCHEMA.fields.filter((field) => field.dataType.kind !== "udt"));
    const rows = ALL_TYPES_ROWS.map((row) => Object.fromEntries(schema.fieldNames().map((name) => [name, row[name]])));
    const back = await collect(client, localPlan(encodeLocalRelation(rows, schema, { timeZone: "UTC" })));
    expect(back.map(typedJson)).toEqual(rows.map(typedJson));
  });

  it("round-trips inferred rows and Arrow tables", async () => {
    const rows = [
      { id: 1n, name: "ä", tags: ["x"], price: 1.25, seen: Timestamp.parse("2024-01-01T00:00:00Z") },
      { id: 2n, name: null, tags: [], price: null, seen: null },
    ];
    const local = encodeLocalRelation(rows);
    expect(local.schema.simpleString()).toBe(
      "struct<id:bigint,name:string,tags:array<string>,price:double,seen:timestamp>",
    );
    expect((await collect(client, localPlan(local))).map(typedJson)).toEqual(rows.map(typedJson));

    const table = arrow.tableFromArrays({ city: ["Oslo", "Lima"], n: Int32Array.from([1, 2]) });
    expect(await collect(client, localPlan(encodeLocalRelation(table)))).toEqual([
      { city: "Oslo", n: 1 },
      { city: "Lima", n: 2 },
    ]);
  });

  it("streams a multi-partition result batch by batch and as one Table", async () => {
    const plan = sqlPlan("SELECT id, id * 2 AS twice FROM range(0, 40000, 1, 4)");
    const sizes: number[] = [];
    let last: unknown;
    for await (const rows of rowBatchesFromEvents(client.executePlan(plan))) {
      sizes.push(rows.length);
      last = rows[rows.length - 1];
    }
    expect(sizes.length).toBeGreaterThanOrEqual(4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(40000);
    expect(last).toEqual({ id: 39999n, twice: 79998n });
    const table = await tableFromEvents(client.executePlan(plan));
    expect(table.numRows).toBe(40000);
    expect(String(table.schema.fields[0]?.type)).toBe("Int64");
  });

  it("applies the session time zone to TIMESTAMP values and never to TIMESTAMP_NTZ", async () => {
    await client.config({
      opType: { case: "set", value: { pairs: [{ key: "spark.sql.session.timeZone", value: "Asia/Kolkata" }] } },
    });
    try {
      const [row] = await collect(
        client,
        sqlPlan("SELECT TIMESTAMP'2024-01-01 00:00:00 UTC' AS ts, TIMESTAMP_NTZ'2024-01-01 00:00:00' AS ntz"),
      );
      expect((row!.ts as Timestamp).timeZone).toBe("Asia/Kolkata");
      expect(String(row?.ts)).toBe("2024-01-01T05:30:00+05:30");
      expect(String(row?.ntz)).toBe("2024-01-01T00:00:00");
    } finally {
      await client.config({
        opType: { case: "set", value: { pairs: [{ key: "spark.sql.session.timeZone", value: "UTC" }] } },
      });
    }
  });

  it.each([
    "a INT, b STRING NOT NULL",
    "id BIGINT, price DECIMAL(12,2), tags ARRAY<STRING>, attrs MAP<STRING, DOUBLE>",
    "s STRUCT<x: INT, `y z`: TIMESTAMP_NTZ>, i INTERVAL DAY TO SECOND, ym INTERVAL YEAR TO MONTH",
    "b BINARY, d DATE, t TIMESTAMP, v VARIANT, f FLOAT, s SMALLINT, y TINYINT, bo BOOLEAN",
    "`weird``name` STRING COMMENT 'has a comment'",
  ])("the local DDL parser agrees with the server: %s", async (ddl) => {
    const server = await parseDDLWithServer(client, ddl);
    expect(parseSchema(ddl).json()).toBe(server.json());
  });
});
