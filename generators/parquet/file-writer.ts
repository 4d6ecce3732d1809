/**
 * Writes one Parquet file row group by row group: each row group is encoded into memory and written with
 * one write call, and the footer (schema, row groups with column statistics, key-value metadata) at close.
 * Nothing depends on the clock or on the thread, so the same rows give the same bytes.
 * https://parquet.apache.org/docs/file-format/
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { ByteWriter } from "./bytes.ts";
import type { Codec } from "./codecs.ts";
import { type ChunkMeta, type ColumnData, writeColumnChunk } from "./column-chunk.ts";
import { type ColumnSchema, ConvertedType, PhysicalType, Repetition } from "./format.ts";
import { CompactWriter } from "./thrift.ts";

const MAGIC = Uint8Array.of(0x50, 0x41, 0x52, 0x31); // "PAR1"

export interface FileWriterOptions {
  codec: Codec;
  /** Key-value metadata of the file. */
  metadata: Record<string, string>;
  /** "<application> version <x.y.z>": parquet-mr distrusts string statistics of writers it cannot parse. */
  createdBy: string;
}

interface RowGroupMeta {
  rows: number;
  offset: number;
  uncompressedSize: number;
  compressedSize: number;
  chunks: ChunkMeta[];
}

/** One row group in encoding, shared by the thread's files: a row group is written before the next starts. */
const rowGroup = new ByteWriter(1 << 20);

export class ParquetFileWriter {
  private readonly fd: number;
  private readonly rowGroups: RowGroupMeta[] = [];
  private offset = 0;
  private closed = false;

  /** Creates the file; it must not exist. */
  constructor(
    readonly path: string,
    readonly columns: readonly ColumnSchema[],
    private readonly options: FileWriterOptions,
  ) {
    this.fd = openSync(path, "wx");
    this.write(MAGIC);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.offset;
  }

  /** Encodes and writes one row group; `data[c]` holds column c's first `rows` values. */
  writeRowGroup(rows: number, data: readonly ColumnData[]): void {
    if (this.closed) throw new Error(`${this.path} is closed`);
    if (data.length !== this.columns.length) {
      throw new Error(`${this.path}: ${data.length} columns given, the schema has ${this.columns.length}`);
    }
    rowGroup.reset();
    const chunks = this.columns.map((column, c) =>
      writeColumnChunk(rowGroup, this.offset, column, data[c] as ColumnData, rows, this.options.codec),
    );
    this.rowGroups.push({
      rows,
      offset: this.offset,
      uncompressedSize: chunks.reduce((n, c) => n + c.uncompressedSize, 0),
      compressedSize: rowGroup.length,
      chunks,
    });
    this.write(rowGroup.view());
  }

  /** Writes the footer and closes the file. */
  close(): void {
    if (this.closed) throw new Error(`${this.path} is already closed`);
    this.closed = true;
    try {
      const footer = new ByteWriter();
      this.writeFileMetaData(new CompactWriter(footer));
      footer.int32LE(footer.length);
      footer.append(MAGIC);
      this.write(footer.view());
    } finally {
      closeSync(this.fd);
    }
  }

  /** Closes the file without a footer (the caller deletes it). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private write(bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
    this.offset += bytes.length;
  }

  private writeFileMetaData(w: CompactWriter): void {
    const { metadata, createdBy } = this.options;
    const columns = this.columns;
    w.begin()
      .i32(1, 1)
      .structList(2, [null, ...columns], (e, column) => {
        if (column === null) e.string(4, "schema").i32(5, columns.length);
        else writeSchemaElement(e, column);
      })
      .i64(
        3,
        this.rowGroups.reduce((n, g) => n + g.rows, 0),
      )
      .structList(4, this.rowGroups, (g, group, ordinal) => {
        g.structList(1, group.chunks, (c, chunk, index) => {
          const column = columns[index] as ColumnSchema;
          c.i64(2, chunk.dictionaryPageOffset ?? chunk.dataPageOffset).struct(3, (m) => {
            m.i32(1, PhysicalType[column.physical])
              .i32List(2, chunk.encodings)
              .stringList(3, [column.name])
              .i32(4, chunk.codec)
              .i64(5, group.rows)
              .i64(6, chunk.uncompressedSize)
              .i64(7, chunk.compressedSize)
              .i64(9, chunk.dataPageOffset);
            if (chunk.dictionaryPageOffset !== null) m.i64(11, chunk.dictionaryPageOffset);
            m.struct(12, (s) => {
              s.i64(3, chunk.nullCount);
              if (chunk.max && chunk.min) s.binary(5, chunk.max).binary(6, chunk.min);
            });
            // Which pages use which encoding: readers use it to know that every data page is dictionary-encoded.
            const pages = chunk.dictionaryPageOffset === null ? [] : [[2, 0]];
            m.structList(13, [...pages, [0, chunk.dataEncoding]], (p, [type, encoding]) =>
              p
                .i32(1, type as number)
                .i32(2, encoding as number)
                .i32(3, 1),
            );
          });
        })
          .i64(2, group.uncompressedSize)
          .i64(3, group.rows)
          .i64(5, group.offset)
          .i64(6, group.compressedSize)
          .i16(7, ordinal);
      })
      .structList(5, Object.entries(metadata), (kv, [key, value]) => kv.string(1, key).string(2, value))
      .string(6, createdBy)
      // TYPE_DEFINED_ORDER for every column: tells readers how min_value/max_value compare.
      .structList(7, columns, (o) => o.struct(1, () => undefined))
      .end();
  }
}

function writeSchemaElement(e: CompactWriter, column: ColumnSchema): void {
  e.i32(1, PhysicalType[column.physical]).i32(3, column.nullable ? Repetition.OPTIONAL : Repetition.REQUIRED);
  e.string(4, column.name);
  const logical = column.logical;
  if (!logical) return;
  switch (logical.type) {
    case "STRING":
      e.i32(6, ConvertedType.UTF8).struct(10, (l) => l.struct(1, () => undefined));
      break;
    case "DATE":
      e.i32(6, ConvertedType.DATE).struct(10, (l) => l.struct(6, () => undefined));
      break;
    case "TIMESTAMP_MICROS_UTC":
      e.i32(6, ConvertedType.TIMESTAMP_MICROS).struct(10, (l) =>
        l.struct(8, (t) => t.bool(1, true).struct(2, (u) => u.struct(2, () => undefined))),
      );
      break;
    case "DECIMAL":
      e.i32(6, ConvertedType.DECIMAL)
        .i32(7, logical.scale)
        .i32(8, logical.precision)
        .struct(10, (l) => l.struct(5, (d) => d.i32(1, logical.scale).i32(2, logical.precision)));
      break;
  }
}
