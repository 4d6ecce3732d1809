import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import { rowsFromTable } from "../../../../src/connect/arrow/decode.ts";
import { ENCODERS, encodeLocalRelation, encodeRows, encodeTable } from "../../../../src/connect/arrow/encode.ts";
import { DATA_TYPE_KINDS, IntegerType } from "../../../../src/connect/types/data-types.ts";
import { parseStructType } from "../../../../src/connect/types/ddl.ts";
import { LocalDateTime, type Timestamp } from "../../../../src/connect/types/values.ts";

const decode = (ipc: Uint8Array) => rowsFromTable(arrow.tableFromIPC(ipc));

describe("encoding local data", () => {
  it("has exactly one encoder per Spark type kind", () => {
    expect(Object.keys(ENCODERS).sort()).toEqual([...DATA_TYPE_KINDS].sort());
  });

  it("writes Spark's Arrow layout and JSON schema, with CHAR/VARCHAR as STRING for the server", () => {
    const local = encodeRows(
      [{ id: 1, code: "ab", ts: new Date(0) }],
      "id int not null, code varchar(3), ts timestamp",
      {
        timeZone: "Europe/Paris",
      },
    );
    const table = arrow.tableFromIPC(local.ipc);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`)).toEqual([
      "id:Int32:false",
      "code:Utf8:true",
      "ts:Timestamp<MICROSECOND, Europe/Paris>:true",
    ]);
    expect(local.schema.simpleString()).toBe("struct<id:int,code:varchar(3),ts:timestamp>");
    expect(JSON.parse(local.schemaJson).fields.map((f: { type: string }) => f.type)).toEqual([
      "integer",
      "string",
      "timestamp",
    ]);
    expect(local.rowCount).toBe(1);
  });

  it("accepts rows as objects, arrays, or scalars with an atomic schema", () => {
    const schema = parseStructType("a int, b string");
    expect(decode(encodeRows([{ a: 1, b: "x" }, [2, "y"]], schema).ipc)).toEqual([
      { a: 1, b: "x" },
      { a: 2, b: "y" },
    ]);
    const atomic = encodeLocalRelation([1, 2, null], new IntegerType());
    expect(atomic.schema.simpleString()).toBe("struct<value:int>");
    expect(decode(atomic.ipc).map((r) => r.value)).toEqual([1, 2, null]);
    expect(encodeLocalRelation([[1, "a"]], ["id", "name"]).schema.simpleString()).toBe("struct<id:bigint,name:string>");
  });

  it("splits large inputs into record batches", () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ i }));
    const table = arrow.tableFromIPC(encodeRows(rows, undefined, { batchSize: 4 }).ipc);
    expect(table.batches.map((b) => b.numRows)).toEqual([4, 4, 2]);
    expect(rowsFromTable(table).map((r) => r.i)).toEqual(rows.map((r) => BigInt(r.i)));
  });

  it.each([
    [{ a: 2 ** 31 }, "a int", /field "a": int expects an integer in -2147483648..2147483647, got number 2147483648/],
    [{ a: "1" }, "a bigint", /field "a": bigint expects a bigint .* got string "1"/],
    [{ a: 2 ** 53 }, "a bigint", /got number 9007199254740992/],
    [{ a: null }, "a int not null", /field "a": is not nullable but holds null/],
    [{ a: "1.005" }, "a decimal(5,2)", /1.005 has more than 2 decimal places for decimal\(5,2\)/],
    [{ a: "1000" }, "a decimal(5,2)", /1000 does not fit decimal\(5,2\)/],
    [{ a: new Date(0) }, "a date", /a JS Date is an instant, not a calendar date/],
    [{ a: new Date(0) }, "a timestamp_ntz", /timestamp_ntz needs a LocalDateTime/],
    [{ a: "abcd" }, "a varchar(3)", /string of 4 characters exceeds varchar\(3\)/],
    [{ a: { x: 1, y: 2 } }, "a struct<x: int>", /field "a": has no field "y" \(fields: x\)/],
    [{ a: { x: null } }, "a struct<x: int not null>", /field "a.x": is not nullable but holds null/],
    [{ a: [1, "b"] }, "a array<int>", /field "a\[\]": int expects an integer/],
    [{ b: 1 }, "a int", /row 0: has field "b", not in the schema \(a\)/],
  ])("rejects %j for %s, naming the value and what is allowed", (row, ddl, message) => {
    expect(() => encodeRows([row], ddl)).toThrow(message);
  });

  it("converts temporal inputs the way Spark would", () => {
    const rows = decode(
      encodeRows(
        [{ ts: LocalDateTime.parse("2024-01-01T10:00:00"), text: "2024-01-01T10:00:00", d: "2024-02-29" }],
        "ts timestamp, text timestamp, d date",
        { timeZone: "America/New_York" },
      ).ipc,
    );
    expect((rows[0]!.ts as Timestamp).toString()).toBe("2024-01-01T10:00:00-05:00");
    expect((rows[0]!.text as Timestamp).epochMicros).toBe((rows[0]!.ts as Timestamp).epochMicros);
    expect(String(rows[0]?.d)).toBe("2024-02-29");
  });

  it("passes Spark-native Arrow tables through and normalises others", () => {
    const native = new arrow.Table({ n: arrow.makeVector(Int32Array.from([1, 2])) });
    expect(encodeTable(native).ipc).toEqual(arrow.tableToIPC(native, "stream"));
    const dictionary = arrow.tableFromArrays({ s: ["x", "y"], n: Float64Array.from([1, 2]) });
    const local = encodeTable(dictionary, ["label", "value"]);
    expect(arrow.tableFromIPC(local.ipc).schema.fields.map((f) => String(f.type))).toEqual(["Utf8", "Float64"]);
    expect(local.schema.simpleString()).toBe("struct<label:string,value:double>");
    expect(() => encodeTable(native, "a int, b int")).toThrow(
      /schema has 2 columns \(a, b\) but the Arrow table has 1/,
    );
  });
});
