import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import { CONVERTERS, createConverter, uniqueNames } from "../../../../src/connect/arrow/converters.ts";
import { rowsFromTable } from "../../../../src/connect/arrow/decode.ts";
import { encodeRows } from "../../../../src/connect/arrow/encode.ts";
import { DATA_TYPE_KINDS, DecimalType, StructType } from "../../../../src/connect/types/data-types.ts";
import { Decimal, type LocalDate, Timestamp } from "../../../../src/connect/types/values.ts";
import { ALL_TYPES, ALL_TYPES_ROWS, ALL_TYPES_SCHEMA } from "../all-types.ts";

/** A JSON form that keeps JS types apart (1 vs 1n, "1.5" vs Decimal 1.5) so equality means the same types. */
function typed(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === "bigint") return { bigint: value.toString() };
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [typed(k), typed(v)]) };
  if (Array.isArray(value)) return value.map(typed);
  if (typeof value === "object") {
    const name = value.constructor?.name ?? "Object";
    if (name === "Object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typed(v)]));
    return { [name]: String(value) };
  }
  return value;
}

function roundTrip(rows: Record<string, unknown>[], schema: StructType, timeZone = "UTC") {
  const table = arrow.tableFromIPC(encodeRows(rows, schema, { timeZone }).ipc);
  return rowsFromTable(table, schema);
}

describe("converter table", () => {
  it("has exactly one converter per Spark type kind", () => {
    expect(Object.keys(CONVERTERS).sort()).toEqual([...DATA_TYPE_KINDS].sort());
  });

  it.each(ALL_TYPES)("$kind: value and null decode to the documented JS form", ({ kind }) => {
    const schema = new StructType([ALL_TYPES_SCHEMA.get(kind)!]);
    const rows = ALL_TYPES_ROWS.map((row) => ({ [kind]: row[kind] }));
    expect(typed(roundTrip(rows, schema))).toEqual(typed(rows));
  });

  it("decodes a whole all-types batch, including a batch sliced at an odd offset", () => {
    const rows = [...ALL_TYPES_ROWS, ...ALL_TYPES_ROWS, ALL_TYPES_ROWS[0]!];
    const table = arrow.tableFromIPC(encodeRows(rows, ALL_TYPES_SCHEMA).ipc);
    expect(typed(rowsFromTable(table, ALL_TYPES_SCHEMA))).toEqual(typed(rows));
    // Slicing keeps the Data's offset non-zero: bit-packed buffers (validity, booleans) must honour it.
    expect(typed(rowsFromTable(table.slice(1, 4), ALL_TYPES_SCHEMA))).toEqual(typed(rows.slice(1, 4)));
  });

  it("gives timestamps the zone of the Arrow column (the session time zone)", () => {
    const [row] = roundTrip(
      [{ ts: Timestamp.parse("2024-06-01T12:00:00Z") }],
      new StructType().add("ts", ALL_TYPES_SCHEMA.get("timestamp")!.dataType),
      "Asia/Tokyo",
    );
    expect(row?.ts).toBeInstanceOf(Timestamp);
    expect(String(row?.ts)).toBe("2024-06-01T21:00:00+09:00");
  });

  it("reads foreign Arrow layouts Spark never sends: millisecond timestamps, Date64, dictionaries", () => {
    const table = arrow.tableFromArrays({ s: ["a", "b", "a"] });
    expect(arrow.DataType.isDictionary(table.schema.fields[0]!.type)).toBe(true);
    expect(rowsFromTable(table).map((r) => r.s)).toEqual(["a", "b", "a"]);
    const ms = arrow.makeVector({
      type: new arrow.TimestampMillisecond("UTC"),
      data: new BigInt64Array([-1n]),
    } as never);
    const days = arrow.makeVector({
      type: new arrow.DateMillisecond(),
      data: new BigInt64Array([-86_400_000n]),
    } as never);
    const [row] = rowsFromTable(new arrow.Table({ ms, days }));
    expect((row!.ms as Timestamp).epochMicros).toBe(-1000n);
    expect((row!.days as LocalDate).toString()).toBe("1969-12-31");
  });

  it("names the column when the Arrow type cannot carry the Spark type", () => {
    expect(() => createConverter(new DecimalType(10, 2), new arrow.Utf8(), "orders.total")).toThrow(
      /column orders.total: Spark type decimal\(10,2\) arrived as Arrow Utf8/,
    );
    expect(() => createConverter(new DecimalType(10, 2), new arrow.Decimal(3, 10, 128), "p")).toThrow(
      /decimal\(10,2\)/,
    );
  });

  it("keeps decimals exact at the 128-bit edges", () => {
    const schema = new StructType().add("d", new DecimalType(38, 0));
    const values = [
      "99999999999999999999999999999999999999",
      "-99999999999999999999999999999999999999",
      "-1",
      "18446744073709551616",
      "-9223372036854775809",
    ];
    const rows = roundTrip(
      values.map((v) => ({ d: Decimal.parse(v) })),
      schema,
    );
    expect(rows.map((r) => String(r.d))).toEqual(values);
  });
});

describe("duplicate names", () => {
  it("suffixes later duplicates, skipping taken names, or throws", () => {
    expect(uniqueNames(["id", "id", "id_1", "x", "id"], "suffix")).toEqual(["id", "id_2", "id_1", "x", "id_3"]);
    expect(uniqueNames(["a", "b"], "error")).toEqual(["a", "b"]);
    expect(() => uniqueNames(["id", "id"], "error")).toThrow(/duplicate field names "id"/);
  });
});
