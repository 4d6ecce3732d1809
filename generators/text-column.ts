/**
 * The values of one string column of a row group, as UTF-8: all bytes in one growing array and, per row, where
 * its value ends. The Parquet writer copies the bytes as they are, and a generator can compose a value from
 * pre-encoded parts (an e-mail from its name parts, id and domain) without building a JS string.
 */
const utf8 = new TextEncoder();

export class TextColumn {
  /** Value i is bytes[ends[i - 1], ends[i]) (from 0 for row 0). */
  bytes: Uint8Array;
  readonly ends: Int32Array;
  /** Bytes used. */
  length = 0;

  constructor(rows: number, bytesPerRow = 16) {
    this.ends = new Int32Array(rows);
    this.bytes = new Uint8Array(Math.max(64, rows * bytesPerRow));
  }

  /** Appends a string to the current row's value (ASCII is copied directly, the rest through TextEncoder). */
  appendString(value: string): void {
    this.ensure(value.length * 3);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        at = this.length + utf8.encodeInto(value, bytes.subarray(this.length)).written;
        break;
      }
      bytes[at++] = code;
    }
    this.length = at;
  }

  /** Appends UTF-8 bytes to the current row's value. */
  appendBytes(part: Uint8Array): void {
    this.ensure(part.length);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < part.length; i++) bytes[at++] = part[i] as number;
    this.length = at;
  }

  /** Appends a non-negative integer (below 2^53) in decimal digits, as `String(n)` writes it. */
  appendDigits(n: number): void {
    let digits = 1;
    for (let power = 10; power <= n; power *= 10) digits++;
    this.ensure(digits);
    let at = this.length + digits;
    this.length = at;
    do {
      const quotient = Math.floor(n / 10);
      this.bytes[--at] = 48 + (n - quotient * 10);
      n = quotient;
    } while (n > 0);
  }

  /** Ends row `row`'s value (an empty or null value ends where the previous one did). */
  endRow(row: number): void {
    this.ends[row] = this.length;
  }

  reset(): void {
    this.length = 0;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.length + extra, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}
