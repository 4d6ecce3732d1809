/**
 * Writes a table's row groups into one Parquet part file with the generator's own Parquet writer
 * (generators/parquet/): each TableBuffer flush becomes one row group, encoded straight from the buffer's
 * typed arrays. Provenance (seed, versions, table) is stored as one JSON value under the key-value key
 * "retail_lab"; nothing depends on wall-clock time, so files are byte-reproducible.
 */
import { CODECS, type CodecName, loadCodec } from "./parquet/codecs.ts";
import { ParquetFileWriter } from "./parquet/file-writer.ts";
import { parquetColumn, type TableSpec } from "./schema.ts";
import type { TableBuffer } from "./table-buffer.ts";
import { GENERATOR_VERSION } from "./version.ts";

export const COMPRESSIONS = CODECS;
export type CompressionName = CodecName;

export interface SinkOptions {
  compression: CompressionName;
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
  /** Milliseconds spent encoding and writing this file's row groups. */
  encodeMs: number;
}

export class ParquetPartWriter {
  private rows = 0;
  private encodeMs = 0;

  private constructor(
    readonly spec: TableSpec,
    private readonly file: ParquetFileWriter,
  ) {}

  /** Creates the part file (it must not exist). */
  static async open(path: string, spec: TableSpec, options: SinkOptions): Promise<ParquetPartWriter> {
    const codec = await loadCodec(options.compression);
    const file = new ParquetFileWriter(path, spec.columns.map(parquetColumn), {
      codec,
      metadata: { [METADATA_KEY]: stableJson(options.metadata) },
      createdBy: `retail-lab version ${GENERATOR_VERSION}`,
    });
    return new ParquetPartWriter(spec, file);
  }

  /** Writes the buffer's rows as one row group, then empties the buffer. */
  write(buffer: TableBuffer): void {
    if (buffer.length === 0) return;
    const started = performance.now();
    this.file.writeRowGroup(
      buffer.length,
      this.spec.columns.map((_, c) => buffer.column(c)),
    );
    this.encodeMs += performance.now() - started;
    this.rows += buffer.length;
    buffer.reset();
  }

  /** Finishes the file. A file that received no rows has the schema and no row group. */
  close(): WrittenFile {
    this.file.close();
    return { rows: this.rows, bytes: this.file.bytes, encodeMs: this.encodeMs };
  }

  /** Stops writing after a failure elsewhere; the partial file is left for the caller to delete. */
  abort(): void {
    this.file.abort();
  }
}
