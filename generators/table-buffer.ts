/**
 * A row group under construction: one typed array per column, filled row by row by the generators and
 * turned into an Arrow RecordBatch without copying (views over the arrays). int64 values are written as
 * two 32-bit words and decimals as four, so no BigInt is created per value; strings from closed
 * vocabularies are stored as dictionary indices.
 */
import { type Arrow, arrow } from "./arrow.ts";
import { arrowSchema, type TableSpec } from "./schema.ts";

const TWO_POW_32 = 4_294_967_296;

export class TableBuffer {
  readonly schema: Arrow.Schema;
  /** Rows filled so far; the row being written is `length`. */
  length = 0;
  private readonly words: (Uint32Array | null)[] = [];
  private readonly ints: (Int32Array | null)[] = [];
  private readonly flags: (Uint8Array | null)[] = [];
  private readonly indices: (Int8Array | Int16Array | null)[] = [];
  private readonly texts: (string[] | null)[] = [];
  /** Validity bitmaps of nullable columns (all ones after reset; `null` clears a bit) and their null counts. */
  private readonly valid: (Uint8Array | null)[] = [];
  private readonly nullCounts: Int32Array;
  private readonly dictionaries: (Arrow.Vector | null)[] = [];
  private readonly encoder = new TextEncoder();

  constructor(
    readonly spec: TableSpec,
    readonly capacity: number,
  ) {
    this.schema = arrowSchema(spec);
    this.nullCounts = new Int32Array(spec.columns.length);
    const bitmapBytes = (capacity + 7) >> 3;
    for (const column of spec.columns) {
      const t = column.type;
      this.words.push(
        t.kind === "int64" || t.kind === "timestamp"
          ? new Uint32Array(capacity * 2)
          : t.kind === "decimal"
            ? new Uint32Array(capacity * 4)
            : null,
      );
      this.ints.push(t.kind === "int32" || t.kind === "date" ? new Int32Array(capacity) : null);
      this.flags.push(t.kind === "boolean" ? new Uint8Array(bitmapBytes) : null);
      this.indices.push(
        t.kind === "dictionary" ? (t.values.length <= 127 ? new Int8Array(capacity) : new Int16Array(capacity)) : null,
      );
      this.texts.push(t.kind === "string" ? new Array<string>(capacity).fill("") : null);
      this.valid.push(column.nullable ? new Uint8Array(bitmapBytes).fill(0xff) : null);
      this.dictionaries.push(t.kind === "dictionary" ? arrow.vectorFromArray([...t.values], new arrow.Utf8()) : null);
    }
  }

  /** A non-negative integer below 2^53 into an int64 column. */
  int64(column: number, value: number): void {
    const w = this.words[column] as Uint32Array;
    const i = this.length * 2;
    w[i] = value >>> 0;
    w[i + 1] = Math.floor(value / TWO_POW_32);
  }

  /** Epoch milliseconds into a timestamp (microsecond) column. */
  timestamp(column: number, epochMs: number): void {
    this.int64(column, epochMs * 1000);
  }

  /** An integer number of 10^-scale units (cents) into a decimal column. */
  decimal(column: number, units: number): void {
    const w = this.words[column] as Uint32Array;
    const i = this.length * 4;
    w[i] = units >>> 0;
    w[i + 1] = Math.floor(units / TWO_POW_32);
    const sign = units < 0 ? 0xffffffff : 0;
    w[i + 2] = sign;
    w[i + 3] = sign;
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

  /** The index of a value in the column's vocabulary. */
  dict(column: number, index: number): void {
    (this.indices[column] as Int8Array | Int16Array)[this.length] = index;
  }

  string(column: number, value: string): void {
    (this.texts[column] as string[])[this.length] = value;
  }

  /** Marks the current row's value of a nullable column as null. */
  null(column: number): void {
    const bits = this.valid[column] as Uint8Array;
    const i = this.length;
    bits[i >> 3] = (bits[i >> 3] as number) & ~(1 << (i & 7));
    this.nullCounts[column] = (this.nullCounts[column] as number) + 1;
  }

  /** Finishes the current row; true when the buffer is full and must be flushed. */
  endRow(): void {
    // Typed arrays drop out-of-range writes silently, so overflowing must be loud.
    if (++this.length > this.capacity) throw new Error(`${this.spec.name} buffer overflow (${this.capacity} rows)`);
  }

  /** The filled rows as a RecordBatch (views over this buffer: serialise before writing more rows). */
  toRecordBatch(): Arrow.RecordBatch {
    const n = this.length;
    const bitmapBytes = (n + 7) >> 3;
    const children = this.schema.fields.map((field, c) => {
      const nullCount = this.nullCounts[c] ?? 0;
      const nullBitmap = nullCount > 0 ? this.valid[c]?.subarray(0, bitmapBytes) : undefined;
      const base = { type: field.type, length: n, nullCount, nullBitmap };
      const words = this.words[c];
      const ints = this.ints[c];
      const flags = this.flags[c];
      const indices = this.indices[c];
      const texts = this.texts[c];
      if (words) {
        return arrow.DataType.isDecimal(field.type)
          ? arrow.makeData({ ...base, type: field.type, data: words.subarray(0, n * 4) })
          : arrow.makeData({ ...base, type: field.type, data: new BigInt64Array(words.buffer, 0, n) });
      }
      if (ints) return arrow.makeData({ ...base, type: field.type, data: ints.subarray(0, n) });
      if (flags) return arrow.makeData({ ...base, type: field.type, data: flags.subarray(0, bitmapBytes) });
      if (indices) {
        return arrow.makeData({
          ...base,
          type: field.type,
          data: indices.subarray(0, n),
          dictionary: this.dictionaries[c] ?? undefined,
        });
      }
      if (texts) {
        const { offsets, bytes } = this.encodeStrings(texts, n);
        return arrow.makeData({ ...base, type: field.type, valueOffsets: offsets, data: bytes });
      }
      throw new Error(`column ${field.name} has no storage`);
    });
    const struct = arrow.makeData({
      type: new arrow.Struct(this.schema.fields),
      length: n,
      nullCount: 0,
      children,
    });
    return new arrow.RecordBatch(this.schema, struct);
  }

  /** Forgets the rows (after the batch has been serialised). */
  reset(): void {
    this.length = 0;
    for (const v of this.valid) v?.fill(0xff);
    this.nullCounts.fill(0);
  }

  private encodeStrings(texts: string[], n: number): { offsets: Int32Array; bytes: Uint8Array } {
    const offsets = new Int32Array(n + 1);
    let bytes = new Uint8Array(Math.max(64, n * 16));
    let at = 0;
    for (let i = 0; i < n; i++) {
      const text = texts[i] ?? "";
      // UTF-8 needs at most 3 bytes per UTF-16 unit.
      if (at + text.length * 3 > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, at + text.length * 3));
        grown.set(bytes.subarray(0, at));
        bytes = grown;
      }
      at += this.encoder.encodeInto(text, bytes.subarray(at)).written;
      offsets[i + 1] = at;
    }
    return { offsets, bytes: bytes.subarray(0, at) };
  }
}
