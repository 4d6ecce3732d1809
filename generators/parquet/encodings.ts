/**
 * Parquet's value encodings that need more than a copy: the RLE/bit-packing hybrid (definition levels and
 * dictionary indices) and DELTA_BINARY_PACKED (sorted or clustered integers such as ids and timestamps).
 * https://parquet.apache.org/docs/file-format/data-pages/encodings/
 */
import { type ByteWriter, bitWidth } from "./bytes.ts";

/** Shortest repeat worth an RLE run; shorter repeats stay in bit-packed groups of 8. */
const MIN_RUN = 8;

function runLength(values: Int32Array, at: number, n: number): number {
  const value = values[at];
  let end = at + 1;
  while (end < n && values[end] === value) end++;
  return end - at;
}

/**
 * The RLE/bit-packing hybrid of `values[0, n)`, all in [0, 2^width), without a length prefix. Repeats of 8 or
 * more become RLE runs; the rest is bit-packed in groups of 8 (the last group zero-padded, which readers
 * ignore because the page header gives the value count).
 */
export function writeHybrid(out: ByteWriter, values: Int32Array, n: number, width: number): void {
  const valueBytes = (width + 7) >> 3;
  let i = 0;
  while (i < n) {
    const run = runLength(values, i, n);
    if (run >= MIN_RUN) {
      out.uvarint(run * 2);
      const value = values[i] as number;
      for (let k = 0; k < valueBytes; k++) out.byte((value >>> (8 * k)) & 0xff);
      i += run;
      continue;
    }
    // Bit-pack groups of 8 until a long run starts at a group boundary (or the values end).
    const start = i;
    let groups = 0;
    do {
      i += 8;
      groups++;
    } while (i < n && runLength(values, i, Math.min(n, i + MIN_RUN)) < MIN_RUN);
    out.uvarint(groups * 2 + 1);
    const available = Math.min(n, i) - start;
    out.packBits(values, start, available, width);
    // Pad the last group with zero values: whole bytes, since 8 values of any width fill whole bytes.
    const padded = (groups * 8 * width) / 8 - Math.ceil((available * width) / 8);
    for (let k = 0; k < padded; k++) out.byte(0);
  }
}

const BLOCK = 128;
const MINIBLOCKS = 4;
const MINIBLOCK = BLOCK / MINIBLOCKS;
/** Values whose deltas could leave the exact range of JS numbers are written otherwise. */
const DELTA_LIMIT = 2 ** 51;

const deltas = new Float64Array(BLOCK);
/** The largest delta of each miniblock of the current block. */
const miniblockMax = new Float64Array(MINIBLOCKS);
const TWO_POW_24 = 16_777_216;

/**
 * DELTA_BINARY_PACKED of `values[0, n)`: blocks of 128 deltas in 4 miniblocks, each block storing its minimum
 * delta and each miniblock its bit width. Returns the smallest and largest value, found on the way, or null
 * when a value is beyond ±DELTA_LIMIT: the output is then unusable and the caller rewinds it.
 */
export function writeDeltaBinaryPacked(out: ByteWriter, values: Float64Array, n: number): [number, number] | null {
  const first = n > 0 ? (values[0] as number) : 0;
  let low = first;
  let high = first;
  out.uvarint(BLOCK);
  out.uvarint(MINIBLOCKS);
  out.uvarint(n);
  out.zigzag(Math.abs(first) < DELTA_LIMIT ? first : 0);
  let previous = first;
  for (let from = 1; from < n; from += BLOCK) {
    const count = Math.min(BLOCK, n - from);
    // One pass takes the deltas, the block's smallest delta, each miniblock's largest, and the value range.
    let min = Number.POSITIVE_INFINITY;
    for (let m = 0; m < MINIBLOCKS; m++) {
      const end = Math.min(count, (m + 1) * MINIBLOCK);
      let max = Number.NEGATIVE_INFINITY;
      for (let k = m * MINIBLOCK; k < end; k++) {
        const value = values[from + k] as number;
        const delta = value - previous;
        previous = value;
        deltas[k] = delta;
        // biome-ignore-start lint/complexity/useMathMinMax: V8's Math.min/max also handle NaN and -0, which integers never are; comparisons are 25% faster here.
        low = value < low ? value : low;
        high = value > high ? value : high;
        min = delta < min ? delta : min;
        max = delta > max ? delta : max;
        // biome-ignore-end lint/complexity/useMathMinMax: see above
      }
      miniblockMax[m] = max;
    }
    if (!(-DELTA_LIMIT < low && high < DELTA_LIMIT)) return null;
    // A partial last miniblock is padded to its full 32 values with deltas that pack as zeros.
    for (let k = count; k % MINIBLOCK !== 0; k++) deltas[k] = min;
    out.zigzag(min);
    const widthsAt = out.length;
    for (let m = 0; m < MINIBLOCKS; m++) out.byte(0);
    for (let m = 0; m * MINIBLOCK < count; m++) {
      const width = bitWidth((miniblockMax[m] as number) - min);
      out.bytes[widthsAt + m] = width;
      packMiniblock(out, m * MINIBLOCK, min, width);
    }
  }
  return -DELTA_LIMIT < low && high < DELTA_LIMIT ? [low, high] : null;
}

/**
 * Bit-packs the 32 values `deltas[start, start + 32) - min`, least significant bit first: ByteWriter.packBits
 * fused with the subtraction, for widths up to 53, and kept apart so that each loop sees one array type.
 */
function packMiniblock(out: ByteWriter, start: number, min: number, width: number): void {
  if (width === 0) return;
  out.ensure(4 * width);
  const b = out.bytes;
  let at = out.length;
  let acc = 0;
  let bits = 0;
  const stop = start + MINIBLOCK;
  if (width <= 32) {
    // A 32-bit accumulator written out whole: 32 values of `width` bits fill exactly `width` words.
    for (let k = start; k < stop; k++) {
      const value = (deltas[k] as number) - min;
      acc |= value << bits;
      bits += width;
      if (bits >= 32) {
        b[at] = acc;
        b[at + 1] = acc >>> 8;
        b[at + 2] = acc >>> 16;
        b[at + 3] = acc >>> 24;
        at += 4;
        bits -= 32;
        // The value's bits that did not fit (none when it ended exactly on the word).
        acc = bits === 0 ? 0 : value >>> (width - bits);
      }
    }
  } else {
    // Wider values go in 24-bit slices, low slice first (`& 0xffffff` is exact on any safe integer).
    for (let k = start; k < stop; k++) {
      let value = (deltas[k] as number) - min;
      for (let left = width; left > 0; left -= 24) {
        const part = value & 0xffffff;
        acc |= part << bits;
        bits += Math.min(left, 24);
        value = (value - part) / TWO_POW_24;
        while (bits >= 8) {
          b[at++] = acc & 0xff;
          acc >>>= 8;
          bits -= 8;
        }
      }
    }
  }
  out.length = at;
}
