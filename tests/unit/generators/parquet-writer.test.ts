/**
 * The generator's own Parquet writer, read back with hyparquet (an independent reader): every value kind,
 * encoding and fallback, nulls, statistics, both codecs and byte-for-byte determinism. Spark reading the
 * writer's files is covered by every job test, which runs on generated datasets.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Compressors, parquetMetadata, parquetReadObjects, snappyUncompress } from "hyparquet";
import { afterAll, describe, expect, it } from "vitest";
import { type CodecName, loadCodec } from "../../../generators/parquet/codecs.ts";
import type { ColumnData } from "../../../generators/parquet/column-chunk.ts";
import { ParquetFileWriter } from "../../../generators/parquet/file-writer.ts";
import type { ColumnSchema } from "../../../generators/parquet/format.ts";
import { snappyCompress } from "../../../generators/parquet/snappy.ts";
import { TextColumn } from "../../../generators/text-column.ts";
import { SESSIONS_PER_THREAD, threadsFor } from "../../../generators/workers.ts";

const root = mkdtempSync(join(tmpdir(), "retail-lab-parquet-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const zstd = createRequire(import.meta.url)("@bokuweb/zstd-wasm") as { decompress(b: Uint8Array): Uint8Array };
const compressors: Compressors = { ZSTD: (input) => zstd.decompress(input) };

/** A deterministic LCG for test data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

function bitmap(flags: boolean[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(flags.length / 8) + 1);
  flags.forEach((on, i) => {
    if (on) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  });
  return bits;
}

/** String values as the generators hold them: UTF-8 in a TextColumn, null rows adding no bytes. */
function text(values: (string | null)[]): ColumnData["values"] {
  const column = new TextColumn(values.length, 4);
  values.forEach((value, row) => {
    if (value !== null) column.appendString(value);
    column.endRow(row);
  });
  return { kind: "text", bytes: column.bytes, ends: column.ends };
}

/** Column data whose first `rows` values are taken; nulls[i] makes row i null. */
function column(values: ColumnData["values"], nulls: boolean[] | null, rows: number): ColumnData {
  if (nulls === null) return { values, validity: null, nullCount: 0 };
  const used = nulls.slice(0, rows);
  return { values, validity: bitmap(used.map((n) => !n)), nullCount: used.filter(Boolean).length };
}

describe("snappy", () => {
  it("round-trips random, repetitive, mixed and empty inputs across block boundaries", () => {
    const next = random(7);
    for (const n of [0, 1, 14, 15, 16, 100, 65_535, 65_536, 65_537, 300_000]) {
      const inputs = [
        Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
        Uint8Array.from({ length: n }, (_, i) => i % 7),
        Uint8Array.from({ length: n }, (_, i) => (next() < 0.1 ? Math.floor(next() * 256) : i % 13)),
        new Uint8Array(n),
      ];
      for (const input of inputs) {
        const compressed = snappyCompress(input).slice();
        const output = new Uint8Array(n);
        snappyUncompress(compressed, output);
        expect(Buffer.compare(output, input), `length ${n}`).toBe(0);
      }
    }
    // Repetitive data does shrink.
    expect(snappyCompress(new Uint8Array(100_000)).length).toBeLessThan(6_000);
  });
});

describe("ParquetFileWriter", () => {
  const rows = 5_000;
  const next = random(42);
  const nulls = Array.from({ length: rows }, () => next() < 0.2);
  const allNull = Array.from({ length: rows }, () => true);
  // Sorted ids with gaps, negative values, and jumps wider than 32 bits.
  const deltaValues = Float64Array.from({ length: rows }, (_, i) =>
    i % 1000 === 999 ? -(2 ** 40) + i : i * 1_000 + Math.floor(next() * 50) + (i > 2500 ? 2 ** 45 : 0),
  );
  const beyondDelta = Float64Array.from({ length: rows }, (_, i) => (i === 7 ? 2 ** 52 + 2 : i));
  const wideRange = Float64Array.from({ length: rows }, () => Math.floor(next() * 200) * 1_000_003);
  const smallRange = Float64Array.from({ length: rows }, () => 5_000 + Math.floor(next() * 300));
  // Timestamps a few seconds apart with random microseconds: their deltas bit-pack into near-random bytes.
  const stamps = Float64Array.from({ length: rows }, (_, i) => 1.7e15 + i * 3_000_000 + Math.floor(next() * 1_000_000));
  const money = Float64Array.from({ length: rows }, () => Math.round((next() - 0.3) * 1_000_000));
  const ints = Int32Array.from({ length: rows }, () => Math.floor(next() * 2_000) - 1_000);
  const days = Int32Array.from({ length: rows }, (_, i) => 20_000 + (i % 90));
  const flags = bitmap(Array.from({ length: rows }, () => next() < 0.3));
  const vocabulary = ["web", "app", "store", "Zoë", "東京"];
  const indices = Int8Array.from({ length: rows }, () => Math.floor(next() * vocabulary.length));
  const names = Array.from(
    { length: rows },
    () => ["Ann", "Bob", "Zoë", "Chloé 🌸", "Dee"][Math.floor(next() * 5)] as string,
  );
  // Distinct 300-byte strings: their dictionary would pass 1 MiB, so the chunk falls back to PLAIN.
  const long = Array.from({ length: rows }, (_, i) => `${String(i).padStart(6, "0")}${"x".repeat(294)}`);
  // Values composed from parts, as e-mails are (bytes, digits up to 2^53, bytes), some null; written PLAIN.
  const codes = Array.from({ length: rows }, (_, i) => (nulls[i] ? null : `é-${i * 2 ** 40 + i}.x`));
  const composed = new TextColumn(rows, 2);
  for (let i = 0; i < rows; i++) {
    if (!nulls[i]) {
      composed.appendBytes(new TextEncoder().encode("é-"));
      composed.appendDigits(i * 2 ** 40 + i);
      composed.appendString(".x");
    }
    composed.endRow(i);
  }

  const schema: ColumnSchema[] = [
    { name: "delta_ids", physical: "INT64", nullable: true, encoding: "delta" },
    { name: "beyond_delta", physical: "INT64", nullable: false, encoding: "delta" },
    { name: "wide_dictionary", physical: "INT64", nullable: false, encoding: "dictionary" },
    { name: "small_dictionary", physical: "INT64", nullable: true, encoding: "dictionary" },
    { name: "all_null", physical: "INT64", nullable: true, encoding: "dictionary" },
    {
      name: "money",
      physical: "INT64",
      nullable: true,
      encoding: "plain",
      logical: { type: "DECIMAL", precision: 12, scale: 2 },
    },
    { name: "ts", physical: "INT64", nullable: false, encoding: "delta", logical: { type: "TIMESTAMP_MICROS_UTC" } },
    { name: "int_dictionary", physical: "INT32", nullable: true, encoding: "dictionary" },
    { name: "int_plain", physical: "INT32", nullable: false, encoding: "plain" },
    { name: "int_delta", physical: "INT32", nullable: false, encoding: "delta" },
    { name: "day", physical: "INT32", nullable: false, encoding: "dictionary", logical: { type: "DATE" } },
    { name: "flag", physical: "BOOLEAN", nullable: true, encoding: "plain" },
    { name: "channel", physical: "BYTE_ARRAY", nullable: true, encoding: "dictionary", logical: { type: "STRING" } },
    { name: "name", physical: "BYTE_ARRAY", nullable: false, encoding: "dictionary", logical: { type: "STRING" } },
    { name: "long", physical: "BYTE_ARRAY", nullable: false, encoding: "dictionary", logical: { type: "STRING" } },
    { name: "code", physical: "BYTE_ARRAY", nullable: true, encoding: "plain", logical: { type: "STRING" } },
  ];
  const dataFor = (n: number): ColumnData[] => [
    column({ kind: "int64", values: deltaValues }, nulls, n),
    column({ kind: "int64", values: beyondDelta }, null, n),
    column({ kind: "int64", values: wideRange }, null, n),
    column({ kind: "int64", values: smallRange }, nulls, n),
    column({ kind: "int64", values: new Float64Array(rows) }, allNull, n),
    column({ kind: "int64", values: money }, nulls, n),
    column({ kind: "int64", values: stamps }, null, n),
    column({ kind: "int32", ints }, nulls, n),
    column({ kind: "int32", ints }, null, n),
    column({ kind: "int32", ints: Int32Array.from({ length: rows }, (_, i) => i * 3) }, null, n),
    column({ kind: "int32", ints: days }, null, n),
    column({ kind: "boolean", bits: flags }, nulls, n),
    column({ kind: "vocabulary", indices, vocabulary }, nulls, n),
    column(text(names), null, n),
    column(text(long), null, n),
    column({ kind: "text", bytes: composed.bytes, ends: composed.ends }, nulls, n),
  ];

  const expected = (i: number): Record<string, unknown> => ({
    delta_ids: nulls[i] ? null : BigInt(deltaValues[i] as number),
    beyond_delta: BigInt(beyondDelta[i] as number),
    wide_dictionary: BigInt(wideRange[i] as number),
    small_dictionary: nulls[i] ? null : BigInt(smallRange[i] as number),
    all_null: null,
    money: nulls[i] ? null : (money[i] as number) / 100,
    int_dictionary: nulls[i] ? null : ints[i],
    int_plain: ints[i],
    int_delta: i * 3,
    flag: nulls[i] ? null : (((flags[i >> 3] as number) >> (i & 7)) & 1) === 1,
    channel: nulls[i] ? null : vocabulary[indices[i] as number],
    name: names[i],
    long: long[i],
    code: codes[i],
  });

  async function write(name: string, codec: CodecName, groups: number[]): Promise<string> {
    const path = join(root, name);
    const writer = new ParquetFileWriter(path, schema, {
      codec: await loadCodec(codec),
      metadata: { origin: "test" },
      createdBy: "retail-lab version 0.0.0",
    });
    for (const groupRows of groups) writer.writeRowGroup(groupRows, dataFor(groupRows));
    writer.close();
    return path;
  }

  const read = (path: string) => {
    const bytes = readFileSync(path);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return { file, metadata: parquetMetadata(file) };
  };

  for (const codec of ["snappy", "zstd"] as const) {
    it(`writes every kind of column so that an independent reader gets the values back (${codec})`, async () => {
      const path = await write(`all-${codec}.parquet`, codec, [rows, 1_000]);
      const { file, metadata } = read(path);
      const back = await parquetReadObjects({ file, compressors });
      expect(back).toHaveLength(rows + 1_000);
      for (let i = 0; i < rows + 1_000; i++) {
        const row = back[i] as Record<string, unknown>;
        const want = expected(i % rows);
        for (const [key, value] of Object.entries(want)) {
          if (row[key] !== value) expect(row[key], `row ${i} ${key}`).toEqual(value);
        }
        expect((row.ts as Date).getTime()).toBe(Math.floor((stamps[i % rows] as number) / 1000));
        expect((row.day as Date).toISOString().slice(0, 10)).toBe(
          new Date((20_000 + ((i % rows) % 90)) * 86_400_000).toISOString().slice(0, 10),
        );
      }
      expect(metadata.created_by).toBe("retail-lab version 0.0.0");
      expect(metadata.key_value_metadata).toEqual([{ key: "origin", value: "test" }]);
      expect(metadata.row_groups.map((g) => g.num_rows)).toEqual([BigInt(rows), 1_000n]);
      const chunk = (name: string) =>
        metadata.row_groups[0]?.columns.find((c) => c.meta_data?.path_in_schema[0] === name)?.meta_data;
      expect(chunk("delta_ids")?.encodings).toContain("DELTA_BINARY_PACKED");
      // Chunks that compress use the codec; near-random ones (bit-packed timestamps) are stored as they are.
      expect(chunk("long")?.codec).toBe(codec.toUpperCase());
      expect(chunk("ts")?.codec).toBe("UNCOMPRESSED");
      // Fallbacks: a value beyond ±2^51 turns delta into PLAIN; a dictionary past 1 MiB too.
      expect(chunk("beyond_delta")?.encodings).not.toContain("DELTA_BINARY_PACKED");
      expect(chunk("long")?.encodings).not.toContain("RLE_DICTIONARY");
      expect(chunk("code")?.encodings).not.toContain("RLE_DICTIONARY");
      expect(chunk("code")?.statistics?.null_count).toBe(BigInt(nulls.filter(Boolean).length));
      for (const name of ["wide_dictionary", "small_dictionary", "int_dictionary", "channel", "name"]) {
        expect(chunk(name)?.encodings, name).toContain("RLE_DICTIONARY");
      }
      // Statistics of the first row group.
      const present = (values: ArrayLike<number>) => Array.from(values).filter((_, i) => !nulls[i]);
      const ids = present(deltaValues);
      expect(chunk("delta_ids")?.statistics).toMatchObject({
        null_count: BigInt(nulls.filter(Boolean).length),
        min_value: BigInt(Math.min(...ids)),
        max_value: BigInt(Math.max(...ids)),
      });
      expect(chunk("all_null")?.statistics?.null_count).toBe(BigInt(rows));
      expect(chunk("all_null")?.statistics?.min_value).toBeUndefined();
      expect(chunk("int_plain")?.statistics).toMatchObject({
        min_value: Math.min(...ints),
        max_value: Math.max(...ints),
      });
      const channels = vocabulary.filter((_, k) => indices.some((v, i) => v === k && !nulls[i]));
      const byBytes = [...channels].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect(chunk("channel")?.statistics).toMatchObject({ min_value: byBytes[0], max_value: byBytes.at(-1) });
      expect(chunk("name")?.statistics).toMatchObject({ min_value: "Ann", max_value: "Zoë" });
    });
  }

  it("writes the same bytes for the same rows, and a valid file with no row group", async () => {
    const a = readFileSync(await write("a.parquet", "snappy", [rows]));
    const b = readFileSync(await write("b.parquet", "snappy", [rows]));
    expect(Buffer.compare(a, b)).toBe(0);
    const empty = read(await write("empty.parquet", "snappy", []));
    expect(empty.metadata.num_rows).toBe(0n);
    expect(empty.metadata.schema.slice(1).map((s) => s.name)).toEqual(schema.map((c) => c.name));
    expect(await parquetReadObjects({ file: empty.file })).toEqual([]);
  });

  it("refuses to overwrite a file", async () => {
    const path = await write("once.parquet", "snappy", [10]);
    await expect(write("once.parquet", "snappy", [10])).rejects.toThrow(/EEXIST/);
    expect(readFileSync(path).length).toBeGreaterThan(0);
  });
});

describe("threads", () => {
  it("adds a thread per SESSIONS_PER_THREAD sessions, up to the workers asked for", () => {
    expect(threadsFor(20_000, 2)).toBe(1);
    expect(threadsFor(SESSIONS_PER_THREAD - 1, 2)).toBe(1);
    expect(threadsFor(SESSIONS_PER_THREAD, 2)).toBe(2);
    expect(threadsFor(431_000, 8)).toBe(3);
    expect(threadsFor(431_000, 1)).toBe(1);
    expect(threadsFor(20_000, 4, 5_000)).toBe(4);
  });
});
