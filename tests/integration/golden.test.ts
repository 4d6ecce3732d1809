/**
 * Golden decoding tests, one per Spark type: each tests/golden/queries/<case>.sql runs on the real server and its
 * decoded schema and rows (in typed JSON, see typed-json.ts) must equal <case>.answer.json beside it.
 * `UPDATE_GOLDEN=1` rewrites the answers. A `-- conf: key=value` line in a query sets a session conf for that
 * case only. The session time zone is America/Los_Angeles, so TIMESTAMP answers show it applied.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { rowsFromEvents, schemaFromEvent } from "../../src/connect/arrow/decode.ts";
import { PlanSchema } from "../../src/connect/gen/spark/connect/base_pb.ts";
import type { ExecuteEvent, SparkConnectClient } from "../../src/connect/transport/client.ts";
import { createClient } from "../../src/connect/transport/index.ts";
import type { StructType } from "../../src/connect/types/data-types.ts";
import { typedJson } from "../golden/typed-json.ts";

const QUERIES = join(import.meta.dirname, "../golden/queries");
const SESSION_TIME_ZONE = "America/Los_Angeles";
const cases = readdirSync(QUERIES)
  .filter((file) => file.endsWith(".sql"))
  .map((file) => file.slice(0, -".sql".length))
  .sort();

function sqlPlan(query: string) {
  return create(PlanSchema, { opType: { case: "root", value: { relType: { case: "sql", value: { query } } } } });
}

function confsOf(sql: string): [string, string][] {
  return [...sql.matchAll(/^-- conf: ([^=\s]+)=(\S+)\s*$/gm)].map((m) => [m[1] as string, m[2] as string]);
}

async function setConf(client: SparkConnectClient, pairs: [string, string][]): Promise<void> {
  await client.config({ opType: { case: "set", value: { pairs: pairs.map(([key, value]) => ({ key, value })) } } });
}

/** Runs a query and returns its schema (from the schema event) and decoded rows. */
async function run(client: SparkConnectClient, query: string) {
  let schema: StructType | undefined;
  async function* tapped(): AsyncGenerator<ExecuteEvent> {
    for await (const event of client.executePlan(sqlPlan(query))) {
      if (event.kind === "schema") schema = schemaFromEvent(event);
      yield event;
    }
  }
  const rows = [];
  for await (const row of rowsFromEvents(tapped())) rows.push(row);
  return { schema: schema?.simpleString() ?? null, rows: rows.map(typedJson) };
}

describe("golden decoding, one case per Spark type", () => {
  let client: SparkConnectClient;

  beforeAll(async () => {
    client = createClient(inject("sparkRemote"));
    await setConf(client, [["spark.sql.session.timeZone", SESSION_TIME_ZONE]]);
  });

  afterAll(async () => {
    await client?.close();
  });

  it.each(cases)("%s", async (name) => {
    const sql = readFileSync(join(QUERIES, `${name}.sql`), "utf8");
    const confs = confsOf(sql);
    if (confs.length > 0) await setConf(client, confs);
    try {
      const answer = await run(client, sql);
      const file = join(QUERIES, `${name}.answer.json`);
      if (process.env.UPDATE_GOLDEN === "1") {
        writeFileSync(file, `${JSON.stringify(answer, null, 2)}\n`);
      } else {
        expect(answer).toEqual(JSON.parse(readFileSync(file, "utf8")));
      }
    } finally {
      if (confs.length > 0) {
        await client.config({ opType: { case: "unset", value: { keys: confs.map(([key]) => key) } } });
      }
    }
  });

  it("covers every Spark type kind that SQL can produce", () => {
    // UDTs exist only through JVM/Python classes, so no SQL query yields one; they are unit-tested.
    const expected = [
      "array",
      "binary",
      "boolean",
      "byte",
      "calendar_interval",
      "char",
      "date",
      "day_time_interval",
      "decimal",
      "double",
      "float",
      "geography",
      "geometry",
      "integer",
      "long",
      "map",
      "null",
      "short",
      "string",
      "struct",
      "time",
      "timestamp",
      "timestamp_ntz",
      "variant",
      "varchar",
      "year_month_interval",
    ];
    expect(cases).toEqual(expected.sort());
  });
});
