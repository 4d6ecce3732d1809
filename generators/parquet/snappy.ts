/**
 * A Snappy compressor (the raw format Parquet pages use, no framing). The input is cut into 64 KiB blocks, as
 * the reference implementation does, so every copy has a 1- or 2-byte offset; matches are found with a
 * 14-bit hash of 4-byte sequences and a skip that speeds up over incompressible stretches.
 * Format: https://github.com/google/snappy/blob/main/format_description.txt
 */

const BLOCK = 1 << 16;
const MAX_HASH_BITS = 14;
/** Bytes at the end of a block that are never the start of a match (so 4-byte loads stay inside it). */
const MARGIN = 15;
const table = new Int32Array(1 << MAX_HASH_BITS);
/** The hash width of the current call: small inputs use (and clear) a smaller part of the table. */
let shift = 32 - MAX_HASH_BITS;
let output = new Uint8Array(1 << 16);

const load32 = (s: Uint8Array, i: number): number =>
  ((s[i] as number) | ((s[i + 1] as number) << 8) | ((s[i + 2] as number) << 16) | ((s[i + 3] as number) << 24)) >>> 0;
const hash = (word: number): number => Math.imul(word, 0x1e35a7bd) >>> shift;

/** Largest output for `n` input bytes. */
export function snappyMaxLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

/** Compresses `input`. The result is a view of a buffer reused by the next call: copy it or write it first. */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const bound = snappyMaxLength(input.length);
  if (output.length < bound) output = new Uint8Array(Math.max(bound, output.length * 2));
  const out = output;
  let op = 0;
  // Preamble: the uncompressed length as a varint.
  for (let n = input.length; ; ) {
    if (n < 128) {
      out[op++] = n;
      break;
    }
    out[op++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  let bits = 8;
  while (bits < MAX_HASH_BITS && 1 << bits < input.length) bits++;
  shift = 32 - bits;
  table.fill(-1, 0, 1 << bits);
  for (let start = 0; start < input.length; start += BLOCK) {
    op = compressBlock(input, start, Math.min(input.length, start + BLOCK), out, op);
  }
  return out.subarray(0, op);
}

function compressBlock(s: Uint8Array, start: number, end: number, out: Uint8Array, op: number): number {
  let emitFrom = start;
  if (end - start >= MARGIN) {
    const limit = end - MARGIN;
    let ip = start + 1;
    search: while (ip <= limit) {
      // Find a 4-byte match, probing further apart the longer nothing matches.
      let skip = 32;
      let candidate: number;
      for (;;) {
        const word = load32(s, ip);
        const h = hash(word);
        candidate = table[h] as number;
        table[h] = ip;
        if (candidate >= start && load32(s, candidate) === word) break;
        ip += skip++ >> 5;
        if (ip > limit) break search;
      }
      op = emitLiteral(s, emitFrom, ip, out, op);
      // Extend the match as far as it goes inside the block.
      let length = 4;
      while (ip + length < end && s[candidate + length] === s[ip + length]) length++;
      op = emitCopy(ip - candidate, length, out, op);
      ip += length;
      emitFrom = ip;
      if (ip <= limit) table[hash(load32(s, ip - 1))] = ip - 1;
    }
  }
  return emitLiteral(s, emitFrom, end, out, op);
}

function emitLiteral(s: Uint8Array, from: number, to: number, out: Uint8Array, op: number): number {
  const length = to - from;
  if (length === 0) return op;
  const n = length - 1;
  if (n < 60) out[op++] = n << 2;
  else if (n < 256) {
    out[op++] = 60 << 2;
    out[op++] = n;
  } else {
    out[op++] = 61 << 2;
    out[op++] = n & 0xff;
    out[op++] = n >>> 8;
  }
  if (length < 32) for (let i = from; i < to; i++) out[op++] = s[i] as number;
  else {
    out.set(s.subarray(from, to), op);
    op += length;
  }
  return op;
}

function emitCopy(offset: number, length: number, out: Uint8Array, op: number): number {
  // 2-byte-offset copies hold 1–64 bytes; keep every piece at 4 bytes or more.
  while (length >= 68) {
    op = copy2(offset, 64, out, op);
    length -= 64;
  }
  if (length > 64) {
    op = copy2(offset, 60, out, op);
    length -= 60;
  }
  if (length < 12 && offset < 2048) {
    out[op++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
    return op;
  }
  return copy2(offset, length, out, op);
}

function copy2(offset: number, length: number, out: Uint8Array, op: number): number {
  out[op++] = 2 | ((length - 1) << 2);
  out[op++] = offset & 0xff;
  out[op++] = offset >>> 8;
  return op;
}
