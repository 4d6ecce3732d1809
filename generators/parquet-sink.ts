/**
 * Streams row groups into one Parquet file with parquet-wasm (parquet-rs compiled to WebAssembly): each
 * TableBuffer flush becomes one Arrow IPC message, one wasm RecordBatch and one row group. Output bytes are
 * pulled with `for await` and written with fs.writeSync, which keeps memory flat (piping the stream into
 * a Node Writable retained every chunk, see the generator measurements). Compression and dictionary
 * encoding are parquet-rs's; nothing here depends on wall-clock time, so files are byte-reproducible.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import * as wasm from "parquet-wasm";
import { type Arrow, arrow } from "./arrow.ts";
import type { TableSpec } from "./schema.ts";
import { TableBuffer } from "./table-buffer.ts";

export const COMPRESSIONS = ["snappy", "zstd"] as const;
export type CompressionName = (typeof COMPRESSIONS)[number];

export interface SinkOptions {
  compression: CompressionName;
  /** Upper bound on rows per batch; parquet-rs must not split our batches further. */
  maxRowGroupRows: number;
  /** Provenance (seed, versions, table), stored as one JSON value under the Parquet key-value key "retail_lab". */
  metadata: Record<string, string>;
}

/** The Parquet key-value key holding the generator's provenance JSON. */
export const METADATA_KEY = "retail_lab";

function stableJson(record: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1))));
}

export interface WrittenFile {
  rows: number;
  bytes: number;
  /** Milliseconds spent serialising and encoding this file's row groups. */
  encodeMs: number;
}

export class ParquetPartWriter {
  private readonly fd: number;
  private readonly writer: WritableStreamDefaultWriter<wasm.RecordBatch>;
  private readonly drained: Promise<void>;
  private failure: unknown;
  private rows = 0;
  private bytes = 0;
  private encodeMs = 0;
  private closed = false;

  constructor(
    readonly path: string,
    readonly spec: TableSpec,
    options: SinkOptions,
  ) {
    this.fd = openSync(path, "wx");
    let builder = new wasm.WriterPropertiesBuilder()
      .setCompression(options.compression === "zstd" ? wasm.Compression.ZSTD : wasm.Compression.SNAPPY)
      .setMaxRowGroupSize(options.maxRowGroupRows)
      // One key only: parquet-rs keeps key-value metadata in a hash map whose iteration order differs between
      // wasm instances, so several keys would be written in a different order by each worker.
      .setKeyValueMetadata(new Map([[METADATA_KEY, stableJson(options.metadata)]]))
      .setCreatedBy("retail-lab generators (parquet-wasm 0.8)");
    for (const column of spec.columns) {
      if (column.encoding === "dictionary") continue;
      builder = builder.setColumnDictionaryEnabled(column.name, false);
      if (column.encoding === "delta")
        builder = builder.setColumnEncoding(column.name, wasm.Encoding.DELTA_BINARY_PACKED);
    }
    const properties = builder.build();
    const { readable, writable } = new TransformStream<wasm.RecordBatch, wasm.RecordBatch>();
    this.writer = writable.getWriter();
    // transformParquetStream resolves only once the first batch has arrived, so it must not be awaited here.
    this.drained = wasm.transformParquetStream(readable, properties).then(async (output) => {
      for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) {
        writeSync(this.fd, chunk);
        this.bytes += chunk.byteLength;
      }
    });
    this.drained.catch((error: unknown) => {
      this.failure = error;
    });
  }

  /** Writes the buffer's rows as one row group, then empties the buffer. */
  async write(buffer: TableBuffer): Promise<void> {
    if (buffer.length === 0) return;
    await this.writeBatch(buffer.toRecordBatch());
    this.rows += buffer.length;
    buffer.reset();
  }

  /** Finishes the file. A file that received no rows still gets the schema (an empty row group). */
  async close(): Promise<WrittenFile> {
    if (this.closed) throw new Error(`${this.path} is already closed`);
    this.closed = true;
    if (this.rows === 0) await this.writeBatch(new TableBuffer(this.spec, 1).toRecordBatch());
    const started = performance.now();
    await Promise.race([this.writer.close(), this.drained]);
    await this.drained;
    this.encodeMs += performance.now() - started;
    closeSync(this.fd);
    return { rows: this.rows, bytes: this.bytes, encodeMs: this.encodeMs };
  }

  /** Stops writing after a failure elsewhere; the partial file is left for the caller to delete. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.abort().catch(() => undefined);
    await this.drained.catch(() => undefined);
    closeSync(this.fd);
  }

  private async writeBatch(batch: Arrow.RecordBatch): Promise<void> {
    if (this.failure) throw this.failure;
    const started = performance.now();
    const ipc = arrow.tableToIPC(new arrow.Table([batch]), "stream");
    const table = wasm.Table.fromIPCStream(ipc);
    const wasmBatch = table.recordBatch(0);
    table.free();
    if (!wasmBatch) throw new Error(`no record batch for ${this.path}`);
    await Promise.race([this.writer.write(wasmBatch), this.drained]);
    this.encodeMs += performance.now() - started;
    if (this.failure) throw this.failure;
  }
}
