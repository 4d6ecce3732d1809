import { create } from "@bufbuild/protobuf";
import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import {
  batchesFromEvents,
  messageInfo,
  rowBatchesFromEvents,
  rowsFromEvents,
  splitIpcStream,
  tableFromEvents,
} from "../../../../src/connect/arrow/decode.ts";
import { encodeRows } from "../../../../src/connect/arrow/encode.ts";
import { ExecutePlanResponse_MetricsSchema } from "../../../../src/connect/gen/spark/connect/base_pb.ts";
import type { ExecuteEvent } from "../../../../src/connect/transport/client.ts";
import { type StructType, toProtoDataType } from "../../../../src/connect/types/data-types.ts";
import { parseStructType } from "../../../../src/connect/types/ddl.ts";
import { Decimal } from "../../../../src/connect/types/values.ts";

const SCHEMA = parseStructType("id bigint, price decimal(10,2), id string");

function arrowEvent(rows: unknown[][], declared?: number): ExecuteEvent {
  const { ipc } = encodeRows(rows, SCHEMA);
  return { kind: "arrow", ipc, rowCount: BigInt(declared ?? rows.length) };
}

const schemaEvent = (schema: StructType): ExecuteEvent => ({ kind: "schema", schema: toProtoDataType(schema) });

/** Replays events and records how many the consumer has pulled so far. */
function replay(events: ExecuteEvent[]) {
  const state = { pulled: 0 };
  async function* stream(): AsyncGenerator<ExecuteEvent> {
    for (const event of events) {
      state.pulled++;
      yield event;
    }
  }
  return { state, stream: stream() };
}

describe("decoding ExecutePlan events", () => {
  const events = [
    schemaEvent(SCHEMA),
    { kind: "progress", update: { operationId: "op", stages: [], inflightTasks: 0n, done: false } } as ExecuteEvent,
    arrowEvent([
      [1n, "1.50", "a"],
      [2n, null, "b"],
    ]),
    arrowEvent([[3n, "-0.01", null]]),
    { kind: "metrics", metrics: create(ExecutePlanResponse_MetricsSchema) } as ExecuteEvent,
    { kind: "complete", operationId: "op" } as ExecuteEvent,
  ];

  it("streams rows batch by batch, pulling events only as needed", async () => {
    const { state, stream } = replay(events);
    const iterator = rowBatchesFromEvents(stream)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toHaveLength(2);
    expect(state.pulled).toBe(3);
    const second = await iterator.next();
    expect(second.value).toHaveLength(1);
    expect(state.pulled).toBe(4);
    expect((await iterator.next()).done).toBe(true);
  });

  it("yields plain rows with lossless values and suffixed duplicate names", async () => {
    const seen: string[] = [];
    const rows = [];
    for await (const row of rowsFromEvents(replay(events).stream, { onEvent: (e) => seen.push(e.kind) }))
      rows.push(row);
    expect(rows.map((r) => [r.id, String(r.price), r.id_1])).toEqual([
      [1n, "1.50", "a"],
      [2n, "null", "b"],
      [3n, "-0.01", null],
    ]);
    expect(rows[0]?.price).toBeInstanceOf(Decimal);
    expect(seen).toEqual(["progress", "metrics", "complete"]);
  });

  it("can refuse duplicate column names", async () => {
    const rows = rowsFromEvents(replay(events).stream, { duplicateNames: "error" });
    await expect(rows.next()).rejects.toThrow(/duplicate field names "id"/);
  });

  it("collects a Table, and an empty result keeps its typed columns", async () => {
    const table = await tableFromEvents(replay(events).stream);
    expect(table.numRows).toBe(3);
    const empty = await tableFromEvents(replay([schemaEvent(SCHEMA)]).stream, { timeZone: "UTC" });
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => String(f.type))).toEqual(["Int64", "Decimal[10e+2]", "Utf8"]);
    const batches = [];
    for await (const batch of batchesFromEvents(replay(events).stream)) batches.push(batch);
    expect(batches.map((b) => b.numRows)).toEqual([2, 1]);
  });

  it("rejects a batch whose row count disagrees with its declaration", async () => {
    const bad = [schemaEvent(SCHEMA), arrowEvent([[1n, "1", "a"]], 2)];
    await expect(rowsFromEvents(replay(bad).stream).next()).rejects.toThrow(/declared 2 rows but holds 1/);
  });

  it("decodes from the Arrow schema alone when no schema event came", async () => {
    const table = arrow.tableFromArrays({ n: Int32Array.from([7]) });
    const event: ExecuteEvent = { kind: "arrow", ipc: arrow.tableToIPC(table, "stream"), rowCount: 1n };
    const rows = [];
    for await (const row of rowsFromEvents(replay([event]).stream)) rows.push(row);
    expect(rows).toEqual([{ n: 7 }]);
  });
});

describe("reading a result's payloads as one IPC stream", () => {
  const payload = (rows: unknown[][]) => encodeRows(rows, SCHEMA).ipc;

  it("reads each message's header type and body length as apache-arrow does", () => {
    const ipc = payload([
      [1n, "1.50", "a"],
      [2n, null, "b"],
    ]);
    const reader = new arrow.MessageReader(ipc);
    const expected: Array<{ headerType: number; bodyLength: number }> = [];
    for (let m = reader.readMessage(); m; m = reader.readMessage()) {
      expected.push({ headerType: m.headerType, bodyLength: m.bodyLength });
      reader.readMessageBody(m.bodyLength);
    }
    const view = new DataView(ipc.buffer, ipc.byteOffset, ipc.byteLength);
    const seen = [];
    for (let at = 0; view.getInt32(at + 4, true) !== 0; ) {
      const length = view.getInt32(at + 4, true);
      const info = messageInfo(ipc.subarray(at + 8, at + 8 + length));
      seen.push(info);
      at += 8 + length + info.bodyLength;
    }
    expect(seen).toEqual(expected);
    expect(seen.map((m) => m.headerType)).toEqual([1, 3]);
  });

  it("splits off the schema and the end marker, and declines other shapes", () => {
    const ipc = payload([[1n, "1.50", "a"]]);
    const parts = splitIpcStream(ipc);
    expect(parts).toBeDefined();
    expect(parts!.schema.byteLength % 8).toBe(0);
    expect(parts!.schema.byteLength + parts!.messages.byteLength).toBe(ipc.byteLength - 8);
    const withTrailingBytes = new Uint8Array([...ipc, 0, 0, 0]);
    expect(splitIpcStream(withTrailingBytes)).toBeUndefined();
    expect(splitIpcStream(ipc.subarray(8))).toBeUndefined();
  });

  it("gives the same Table as decoding each payload, also when one must be decoded alone", async () => {
    const rows = [
      [[1n, "1.50", "a"]],
      [
        [2n, null, "b"],
        [3n, "-0.01", null],
      ],
      [[4n, "7.00", "d"]],
    ];
    const events = (odd: boolean): ExecuteEvent[] =>
      rows.map((r, i) => {
        const ipc = payload(r);
        // Trailing bytes make a payload unsplittable: the whole result is then decoded payload by payload.
        return {
          kind: "arrow",
          ipc: odd && i === 1 ? new Uint8Array([...ipc, 0, 0, 0]) : ipc,
          rowCount: BigInt(r.length),
        };
      });
    for (const odd of [false, true]) {
      const table = await tableFromEvents(replay(events(odd)).stream);
      expect(table.numRows).toBe(4);
      expect([...table.getChildAt(0)!]).toEqual([1n, 2n, 3n, 4n]);
      expect([...table.getChildAt(2)!]).toEqual(["a", "b", null, "d"]);
      expect(table.schema.fields.map((f) => f.name)).toEqual(["id", "price", "id"]);
    }
  });

  it("rejects payloads whose rows disagree with their declared counts", async () => {
    const bad: ExecuteEvent[] = [{ kind: "arrow", ipc: payload([[1n, "1", "a"]]), rowCount: 2n }];
    await expect(tableFromEvents(replay(bad).stream)).rejects.toThrow(/declared 2 rows but hold 1/);
  });
});
