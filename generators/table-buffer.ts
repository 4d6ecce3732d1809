/**
 * A row group under construction: one typed array per column, filled row by row by the generators and
 * handed to the Parquet writer as they are. int64 values (ids, timestamps, decimals as cents) are kept as
 * doubles, exact below 2^53, so no BigInt is created per value; strings from closed vocabularies are stored
 * as indices into the vocabulary, other strings as UTF-8 (text-column.ts).
 */
import type { ColumnData } from "./parquet/column-chunk.ts";
import type { Pools } from "./pools.ts";
import type { TableSpec } from "./schema.ts";
import { TextColumn } from "./text-column.ts";

export class TableBuffer {
  /** Rows filled so far; the row being written is `length`. */
  length = 0;
  private readonly wide: (Float64Array | null)[] = [];
  private readonly ints: (Int32Array | null)[] = [];
  private readonly flags: (Uint8Array | null)[] = [];
  private readonly indices: (Int8Array | Int16Array | null)[] = [];
  private readonly texts: (TextColumn | null)[] = [];
  /** The columns in `texts`, whose row ends endRow records. */
  private readonly textColumns: TextColumn[] = [];
  /** Validity bitmaps of nullable columns (all ones after reset; `null` clears a bit) and their null counts. */
  private readonly valid: (Uint8Array | null)[] = [];
  private readonly nullCounts: Int32Array;

  constructor(
    readonly spec: TableSpec,
    readonly capacity: number,
    /** The vocabularies of pool columns. */
    private readonly pools: Pools,
  ) {
    this.nullCounts = new Int32Array(spec.columns.length);
    const bitmapBytes = (capacity + 7) >> 3;
    for (const column of spec.columns) {
      const t = column.type;
      const wide = t.kind === "int64" || t.kind === "timestamp" || t.kind === "decimal";
      this.wide.push(wide ? new Float64Array(capacity) : null);
      this.ints.push(t.kind === "int32" || t.kind === "date" ? new Int32Array(capacity) : null);
      this.flags.push(t.kind === "boolean" ? new Uint8Array(bitmapBytes) : null);
      this.indices.push(
        t.kind === "dictionary" && t.values.length <= 127
          ? new Int8Array(capacity)
          : t.kind === "dictionary" || t.kind === "pool"
            ? new Int16Array(capacity)
            : null,
      );
      const text = t.kind === "string" ? new TextColumn(capacity) : null;
      this.texts.push(text);
      if (text) this.textColumns.push(text);
      this.valid.push(column.nullable ? new Uint8Array(bitmapBytes).fill(0xff) : null);
    }
  }

  /** An integer in (-2^53, 2^53) into an int64 column. */
  int64(column: number, value: number): void {
    (this.wide[column] as Float64Array)[this.length] = value;
  }

  /** Epoch milliseconds into a timestamp (microsecond) column. */
  timestamp(column: number, epochMs: number): void {
    this.int64(column, epochMs * 1000);
  }

  /** An integer number of 10^-scale units (cents for scale 2) into a decimal column. */
  decimal(column: number, units: number): void {
    this.int64(column, units);
  }

  int32(column: number, value: number): void {
    (this.ints[column] as Int32Array)[this.length] = value;
  }

  /** Days since the epoch into a date column. */
  date(column: number, epochDay: number): void {
    (this.ints[column] as Int32Array)[this.length] = epochDay;
  }

  boolean(column: number, value: boolean): void {
    const bits = this.flags[column] as Uint8Array;
    const i = this.length;
    if (value) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
    else bits[i >> 3] = (bits[i >> 3] as number) & ~(1 << (i & 7));
  }

  /** The index of a value in the column's vocabulary (or pool). */
  dict(column: number, index: number): void {
    (this.indices[column] as Int8Array | Int16Array)[this.length] = index;
  }

  string(column: number, value: string): void {
    (this.texts[column] as TextColumn).appendString(value);
  }

  /** Appends UTF-8 bytes to the current row's value of a string column (values composed of parts). */
  appendBytes(column: number, bytes: Uint8Array): void {
    (this.texts[column] as TextColumn).appendBytes(bytes);
  }

  /** Appends a non-negative integer's decimal digits to the current row's value of a string column. */
  appendDigits(column: number, n: number): void {
    (this.texts[column] as TextColumn).appendDigits(n);
  }

  /** Marks the current row's value of a nullable column as null. */
  null(column: number): void {
    const bits = this.valid[column] as Uint8Array;
    const i = this.length;
    bits[i >> 3] = (bits[i >> 3] as number) & ~(1 << (i & 7));
    this.nullCounts[column] = (this.nullCounts[column] as number) + 1;
  }

  /** Finishes the current row. */
  endRow(): void {
    for (let t = 0; t < this.textColumns.length; t++) (this.textColumns[t] as TextColumn).endRow(this.length);
    // Typed arrays drop out-of-range writes silently, so overflowing must be loud.
    if (++this.length > this.capacity) throw new Error(`${this.spec.name} buffer overflow (${this.capacity} rows)`);
  }

  /** Column c's filled rows, as the Parquet writer takes them (views over this buffer). */
  column(c: number): ColumnData {
    const nullCount = this.nullCounts[c] ?? 0;
    const validity = nullCount > 0 ? (this.valid[c] ?? null) : null;
    const type = this.spec.columns[c]?.type;
    const wide = this.wide[c];
    const ints = this.ints[c];
    const flags = this.flags[c];
    const indices = this.indices[c];
    const texts = this.texts[c];
    if (wide) return { values: { kind: "int64", values: wide }, validity, nullCount };
    if (ints) return { values: { kind: "int32", ints }, validity, nullCount };
    if (flags) return { values: { kind: "boolean", bits: flags }, validity, nullCount };
    if (indices && type?.kind === "dictionary") {
      return { values: { kind: "vocabulary", indices, vocabulary: type.values }, validity, nullCount };
    }
    if (indices && type?.kind === "pool") {
      return { values: { kind: "vocabulary", indices, vocabulary: this.pools[type.pool] }, validity, nullCount };
    }
    if (texts) return { values: { kind: "text", bytes: texts.bytes, ends: texts.ends }, validity, nullCount };
    throw new Error(`column ${this.spec.columns[c]?.name} of ${this.spec.name} has no storage`);
  }

  /** Forgets the rows (after they have been written). */
  reset(): void {
    this.length = 0;
    for (const v of this.valid) v?.fill(0xff);
    for (const text of this.textColumns) text.reset();
    this.nullCounts.fill(0);
  }
}
