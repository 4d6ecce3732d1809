/**
 * A growable byte buffer with the primitive writes Parquet needs: little-endian integers, ULEB128 and
 * zigzag varints, and LSB-first bit packing. Integers are JS numbers (exact below 2^53), so no BigInt is
 * created per value.
 */

export class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 4_096) {
    this.bytes = new Uint8Array(capacity);
  }

  reset(): void {
    this.length = 0;
  }

  /** The bytes written so far (a view: copy it before writing more if it must survive). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }

  append(source: Uint8Array): void {
    this.ensure(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  int32LE(value: number): void {
    this.ensure(4);
    const b = this.bytes;
    let at = this.length;
    b[at++] = value & 0xff;
    b[at++] = (value >>> 8) & 0xff;
    b[at++] = (value >>> 16) & 0xff;
    b[at++] = (value >>> 24) & 0xff;
    this.length = at;
  }

  /** Overwrites four bytes at `at` (a length prefix written before its content was known). */
  patchInt32LE(at: number, value: number): void {
    const b = this.bytes;
    b[at] = value & 0xff;
    b[at + 1] = (value >>> 8) & 0xff;
    b[at + 2] = (value >>> 16) & 0xff;
    b[at + 3] = (value >>> 24) & 0xff;
  }

  /** Unsigned LEB128 of an integer in [0, 2^53). */
  uvarint(value: number): void {
    this.ensure(8);
    const b = this.bytes;
    let at = this.length;
    while (value >= 128) {
      b[at++] = (value & 127) | 128;
      value = Math.floor(value / 128);
    }
    b[at++] = value;
    this.length = at;
  }

  /** Zigzag varint of an integer in (-2^52, 2^52). */
  zigzag(value: number): void {
    this.uvarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  /**
   * Bit-packs `count` values of `width` bits (0–24), least significant bit first, as Parquet's RLE/bit-packing
   * hybrid requires (levels and dictionary indices); the last byte is zero-padded. Values must be non-negative
   * integers below 2^width. (DELTA_BINARY_PACKED, whose widths reach 53, packs its own miniblocks.)
   */
  packBits(values: Int32Array, start: number, count: number, width: number): void {
    if (width === 0) return;
    if (width > 24) throw new Error(`packBits takes widths up to 24, got ${width}`);
    this.ensure(Math.ceil((count * width) / 8));
    const b = this.bytes;
    let at = this.length;
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < count; i++) {
      // Fewer than 8 pending bits plus at most 24 new ones fit the 32 bits of integer operations.
      acc |= (values[start + i] as number) << bits;
      bits += width;
      while (bits >= 8) {
        b[at++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) b[at++] = acc;
    this.length = at;
  }
}

/** Bits needed to write a non-negative integer below 2^53. */
export function bitWidth(value: number): number {
  if (value < 4_294_967_296) return 32 - Math.clz32(value);
  return 64 - Math.clz32(Math.floor(value / 4_294_967_296));
}
