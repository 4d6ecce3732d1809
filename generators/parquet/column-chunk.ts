/**
 * Encodes one column chunk (one row group of one column) as Parquet pages: an optional dictionary page and
 * one v1 data page holding the definition levels and the values. The values come straight from the
 * generator's typed arrays: int64 as exact doubles, vocabulary strings as indices into their
 * vocabulary (so a dictionary needs no hashing), other strings as UTF-8 bytes.
 */
import { ByteWriter, bitWidth } from "./bytes.ts";
import type { Codec } from "./codecs.ts";
import { writeDeltaBinaryPacked, writeHybrid } from "./encodings.ts";
import { type ColumnSchema, CompressionCodec, Encoding, PageType } from "./format.ts";
import { CompactWriter } from "./thrift.ts";

export type ColumnValues =
  /** Integers in (-2^53, 2^53), exact as doubles. */
  | { readonly kind: "int64"; readonly values: Float64Array }
  | { readonly kind: "int32"; readonly ints: Int32Array }
  /** Value i is bit i (least significant first). */
  | { readonly kind: "boolean"; readonly bits: Uint8Array }
  /** Value i is vocabulary[indices[i]]. */
  | { readonly kind: "vocabulary"; readonly indices: Int8Array | Int16Array; readonly vocabulary: readonly string[] }
  /** UTF-8 strings: value i is bytes[ends[i - 1], ends[i]) (from 0 for row 0); a null row has no bytes. */
  | { readonly kind: "text"; readonly bytes: Uint8Array; readonly ends: Int32Array };

export interface ColumnData {
  readonly values: ColumnValues;
  /** Bit i clear = row i is null; null when no row is. */
  readonly validity: Uint8Array | null;
  readonly nullCount: number;
}

export type Compress = (bytes: Uint8Array) => Uint8Array;

export interface ChunkMeta {
  /** The chunk's codec: the file's, or UNCOMPRESSED when its pages would not shrink. */
  codec: number;
  dictionaryPageOffset: number | null;
  dataPageOffset: number;
  uncompressedSize: number;
  compressedSize: number;
  /** The encodings of the chunk's pages and levels, and the data page's value encoding. */
  encodings: number[];
  dataEncoding: number;
  min: Uint8Array | null;
  max: Uint8Array | null;
  nullCount: number;
}

/** Dictionaries stop growing at this size; the chunk is then written PLAIN (as parquet-rs and parquet-mr do). */
const DICTIONARY_LIMIT = 1 << 20;
const TWO_POW_32 = 4_294_967_296;
const utf8 = new TextEncoder();

// Scratch space reused by every chunk of the thread.
const body = new ByteWriter(1 << 20);
const dictionaryBody = new ByteWriter(1 << 16);
const header = new ByteWriter(256);
let ints = new Int32Array(1 << 16);
let numbers = new Float64Array(1 << 16);

/** Levels, then indices or flags (the levels are encoded before the values are taken). */
function intScratch(n: number): Int32Array {
  if (ints.length < n) ints = new Int32Array(n);
  return ints;
}
function numberScratch(n: number): Float64Array {
  if (numbers.length < n) numbers = new Float64Array(n);
  return numbers;
}

const present = (validity: Uint8Array | null, i: number): boolean =>
  validity === null || ((validity[i >> 3] as number) & (1 << (i & 7))) !== 0;

/** Writes the chunk's pages at the end of `out`, whose first byte sits at file offset `base`. */
export function writeColumnChunk(
  out: ByteWriter,
  base: number,
  column: ColumnSchema,
  data: ColumnData,
  rows: number,
  codec: Codec,
): ChunkMeta {
  const validity = data.nullCount > 0 ? data.validity : null;
  body.reset();
  if (column.nullable) writeLevels(body, validity, rows);
  const values = encodeValues(column, data.values, validity, rows, data.nullCount);
  const compress = shrinks(body.view(), codec.compress) ? codec.compress : null;
  const meta: ChunkMeta = {
    codec: compress ? codec.id : CompressionCodec.UNCOMPRESSED,
    dictionaryPageOffset: null,
    dataPageOffset: 0,
    uncompressedSize: 0,
    compressedSize: 0,
    encodings: [],
    dataEncoding: values.encoding,
    min: values.min,
    max: values.max,
    nullCount: data.nullCount,
  };
  if (values.dictionarySize !== null) {
    meta.dictionaryPageOffset = base + out.length;
    writePage(out, meta, PageType.DICTIONARY_PAGE, dictionaryBody.view(), values.dictionarySize, compress);
    meta.encodings.push(Encoding.PLAIN);
  }
  meta.dataPageOffset = base + out.length;
  writePage(out, meta, PageType.DATA_PAGE, body.view(), rows, compress, values.encoding);
  meta.encodings.push(Encoding.RLE);
  if (!meta.encodings.includes(values.encoding)) meta.encodings.push(values.encoding);
  return meta;
}

/** Pages this size or more are probed before compressing; smaller ones are compressed anyway. */
const PROBE_FROM = 8_192;
const PROBE_BYTES = 2_048;

/**
 * Whether compressing a data page is worth it, judged on a sample from its middle: bit-packed timestamps and
 * dictionary indices are close to random bytes, and compressing them would cost time for nothing. Parquet
 * records the codec per column chunk, so such chunks are stored uncompressed.
 */
function shrinks(page: Uint8Array, compress: Compress): boolean {
  if (page.length < PROBE_FROM) return true;
  const from = (page.length - PROBE_BYTES) >> 1;
  return compress(page.subarray(from, from + PROBE_BYTES)).length < PROBE_BYTES * 0.95;
}

function writePage(
  out: ByteWriter,
  meta: ChunkMeta,
  type: number,
  content: Uint8Array,
  count: number,
  compress: Compress | null,
  encoding: number = Encoding.PLAIN,
): void {
  const stored = compress ? compress(content) : content;
  header.reset();
  const w = new CompactWriter(header).begin().i32(1, type).i32(2, content.length).i32(3, stored.length);
  if (type === PageType.DATA_PAGE) {
    w.struct(5, (d) => d.i32(1, count).i32(2, encoding).i32(3, Encoding.RLE).i32(4, Encoding.RLE));
  } else {
    w.struct(7, (d) => d.i32(1, count).i32(2, Encoding.PLAIN));
  }
  w.end();
  out.append(header.view());
  out.append(stored);
  meta.uncompressedSize += header.length + content.length;
  meta.compressedSize += header.length + stored.length;
}

/** Definition levels (max level 1) with their 4-byte length prefix. */
function writeLevels(target: ByteWriter, validity: Uint8Array | null, rows: number): void {
  const at = target.length;
  target.int32LE(0);
  if (validity !== null) writeHybrid(target, bitsToInts(validity, rows), rows, 1);
  else if (rows > 0) {
    // No null: one RLE run of 1s.
    target.uvarint(rows * 2);
    target.byte(1);
  }
  target.patchInt32LE(at, target.length - at - 4);
}

interface EncodedValues {
  encoding: number;
  /** Entries in the dictionary page (written to `dictionaryBody`), or null without one. */
  dictionarySize: number | null;
  min: Uint8Array | null;
  max: Uint8Array | null;
}

/*
 * Every encoder but the text one first takes the present values into a dense scratch array (Float64Array for
 * integers, Int32Array for levels, flags and indices), so the encoding loops see one array type and no null
 * test; text values are walked with their validity, as copying them first would be a second pass over the bytes. Each hot
 * loop is a small function of its own: V8 optimises a long loop on the spot (OSR) before the code after it
 * has ever run, and such code then left the optimised version at that point on every later call.
 */

function encodeValues(
  column: ColumnSchema,
  values: ColumnValues,
  validity: Uint8Array | null,
  rows: number,
  nullCount: number,
): EncodedValues {
  const count = rows - nullCount;
  switch (values.kind) {
    case "int64": {
      const dense = validity === null ? values.values : presentNumbers(values.values, validity, rows);
      return encodeIntegers(column, dense, count, 8, null);
    }
    case "int32": {
      const dense = validity === null ? intsToNumbers(values.ints, rows) : presentInts(values.ints, validity, rows);
      const plain = validity === null ? new Uint8Array(values.ints.buffer, values.ints.byteOffset, rows * 4) : null;
      return encodeIntegers(column, dense, count, 4, plain);
    }
    case "boolean":
      return encodeFlags(
        validity === null ? bitsToInts(values.bits, rows) : presentBits(values.bits, validity, rows),
        count,
      );
    case "vocabulary": {
      const dense =
        validity === null ? indicesToInts(values.indices, rows) : presentIndices(values.indices, validity, rows);
      return encodeVocabulary(dense, count, values.vocabulary);
    }
    case "text":
      return encodeTexts(column, values, validity, rows, count);
  }
}

function presentNumbers(values: Float64Array, validity: Uint8Array, rows: number): Float64Array {
  const out = numberScratch(rows);
  let k = 0;
  for (let i = 0; i < rows; i++) if (present(validity, i)) out[k++] = values[i] as number;
  return out;
}
function intsToNumbers(ints: Int32Array, rows: number): Float64Array {
  const out = numberScratch(rows);
  for (let i = 0; i < rows; i++) out[i] = ints[i] as number;
  return out;
}
function presentInts(ints: Int32Array, validity: Uint8Array, rows: number): Float64Array {
  const out = numberScratch(rows);
  let k = 0;
  for (let i = 0; i < rows; i++) if (present(validity, i)) out[k++] = ints[i] as number;
  return out;
}
function bitsToInts(bits: Uint8Array, rows: number): Int32Array {
  const out = intScratch(rows);
  for (let i = 0; i < rows; i++) out[i] = ((bits[i >> 3] as number) >> (i & 7)) & 1;
  return out;
}
function presentBits(bits: Uint8Array, validity: Uint8Array, rows: number): Int32Array {
  const out = intScratch(rows);
  let k = 0;
  for (let i = 0; i < rows; i++) if (present(validity, i)) out[k++] = ((bits[i >> 3] as number) >> (i & 7)) & 1;
  return out;
}
function indicesToInts(indices: Int8Array | Int16Array, rows: number): Int32Array {
  const out = intScratch(rows);
  out.set(indices.subarray(0, rows));
  return out;
}
function presentIndices(indices: Int8Array | Int16Array, validity: Uint8Array, rows: number): Int32Array {
  const out = intScratch(rows);
  let k = 0;
  for (let i = 0; i < rows; i++) if (present(validity, i)) out[k++] = indices[i] as number;
  return out;
}

/** One integer as a statistic: 4 or 8 little-endian bytes. */
function integerBytes(value: number, byteWidth: 4 | 8): Uint8Array {
  const target = new ByteWriter(byteWidth);
  appendIntegers(target, [value], 1, byteWidth);
  return target.view();
}

/**
 * INT32 or INT64 values: DELTA_BINARY_PACKED, dictionary or PLAIN as the column asks (with the fallbacks
 * ColumnSchema describes). `plain` is the PLAIN encoding when it is available as is.
 */
function encodeIntegers(
  column: ColumnSchema,
  values: Float64Array,
  count: number,
  byteWidth: 4 | 8,
  plain: Uint8Array | null,
): EncodedValues {
  const statistics = (low: number, high: number) =>
    count > 0 ? { min: integerBytes(low, byteWidth), max: integerBytes(high, byteWidth) } : { min: null, max: null };
  if (column.encoding === "delta") {
    const start = body.length;
    const bounds = writeDeltaBinaryPacked(body, values, count);
    if (bounds) return { encoding: Encoding.DELTA_BINARY_PACKED, dictionarySize: null, ...statistics(...bounds) };
    body.length = start;
  }
  const [min, max] = count > 0 ? range(values, count) : [0, 0];
  const stats = statistics(min, max);
  if (column.encoding === "dictionary") {
    const size = writeNumberDictionary(values, count, byteWidth, min, max);
    if (size !== null) return { encoding: Encoding.RLE_DICTIONARY, dictionarySize: size, ...stats };
  }
  if (plain !== null) body.append(plain);
  else appendIntegers(body, values, count, byteWidth);
  return { encoding: Encoding.PLAIN, dictionarySize: null, ...stats };
}

/** The smallest and largest of `count` values (count > 0). Branch-free, like the other scans here: a branch
 * that the first calls never took makes optimised code fall back to the interpreter every time it is taken. */
function range(values: Float64Array, count: number): [number, number] {
  let min = values[0] as number;
  let max = min;
  for (let i = 1; i < count; i++) {
    const v = values[i] as number;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return [min, max];
}

let plainWords = new Int32Array(1 << 17);

/** PLAIN integers: 4 or 8 little-endian bytes each (two's complement). */
function appendIntegers(target: ByteWriter, values: Float64Array | number[], count: number, byteWidth: 4 | 8): void {
  const words = count * (byteWidth / 4);
  if (plainWords.length < words) plainWords = new Int32Array(words);
  const out = plainWords;
  if (byteWidth === 4) for (let i = 0; i < count; i++) out[i] = values[i] as number;
  else {
    for (let i = 0; i < count; i++) {
      const value = values[i] as number;
      const low = value >>> 0;
      out[2 * i] = low;
      out[2 * i + 1] = (value - low) / TWO_POW_32;
    }
  }
  // Typed arrays are little-endian on every platform Node supports.
  target.append(new Uint8Array(out.buffer, 0, words * 4));
}

/** Integer dictionaries over a range up to this wide index a table instead of hashing. */
const DIRECT_RANGE = 1 << 16;
const direct = new Int32Array(DIRECT_RANGE).fill(-1);

/**
 * Dictionary-encodes integers in [min, max]: the distinct values in first-seen order into `dictionaryBody`
 * (PLAIN), the indices into `body`. Returns the dictionary size, or null (and writes nothing) when it would
 * pass the limit.
 */
function writeNumberDictionary(
  values: Float64Array,
  count: number,
  byteWidth: 4 | 8,
  min: number,
  max: number,
): number | null {
  const indices = intScratch(count);
  const limit = DICTIONARY_LIMIT / byteWidth;
  const distinct =
    max - min < DIRECT_RANGE ? indexByTable(values, count, min, indices) : indexByHash(values, count, limit, indices);
  if (distinct === null || distinct.length > limit) return null;
  dictionaryBody.reset();
  appendIntegers(dictionaryBody, distinct, distinct.length, byteWidth);
  writeIndices(indices, count, distinct.length);
  return distinct.length;
}

/** Dictionary indices of values in [min, min + DIRECT_RANGE); returns the distinct values in first-seen order. */
function indexByTable(values: Float64Array, count: number, min: number, indices: Int32Array): number[] {
  const distinct: number[] = [];
  for (let i = 0; i < count; i++) {
    const slot = (values[i] as number) - min;
    let index = direct[slot] as number;
    if (index < 0) {
      index = distinct.length;
      direct[slot] = index;
      distinct.push(slot);
    }
    indices[i] = index;
  }
  // Leave the table empty for the next chunk, and turn slots back into values.
  for (let k = 0; k < distinct.length; k++) {
    const slot = distinct[k] as number;
    direct[slot] = -1;
    distinct[k] = slot + min;
  }
  return distinct;
}

/** Dictionary indices through a hash map; null once there are more than `limit` distinct values. */
function indexByHash(values: Float64Array, count: number, limit: number, indices: Int32Array): number[] | null {
  const positions = new Map<number, number>();
  const distinct: number[] = [];
  for (let i = 0; i < count; i++) {
    const value = values[i] as number;
    let index = positions.get(value);
    if (index === undefined) {
      index = distinct.length;
      if (index >= limit) return null;
      positions.set(value, index);
      distinct.push(value);
    }
    indices[i] = index;
  }
  return distinct;
}

/** A data page's dictionary indices: one byte of bit width, then the hybrid encoding. */
function writeIndices(indices: Int32Array, count: number, dictionarySize: number): void {
  const width = Math.max(1, bitWidth(dictionarySize - 1));
  body.byte(width);
  writeHybrid(body, indices, count, width);
}

/** BOOLEAN values, PLAIN (bit-packed), from dense 0/1 flags: stale bits past the last row never reach the file. */
function encodeFlags(flags: Int32Array, count: number): EncodedValues {
  const trues = sum(flags, count);
  body.packBits(flags, 0, count, 1);
  const min = count === 0 ? null : Uint8Array.of(trues === count ? 1 : 0);
  const max = count === 0 ? null : Uint8Array.of(trues > 0 ? 1 : 0);
  return { encoding: Encoding.PLAIN, dictionarySize: null, min, max };
}

function sum(values: Int32Array, count: number): number {
  let total = 0;
  for (let i = 0; i < count; i++) total += values[i] as number;
  return total;
}

/** A vocabulary prepared once: its PLAIN dictionary page, UTF-8 values and their byte order. */
interface PreparedVocabulary {
  page: Uint8Array;
  encoded: Uint8Array[];
  /** rank[i]: position of value i in byte order; byRank[r]: the value at position r. */
  rank: Int32Array;
  byRank: Int32Array;
}
const vocabularies = new WeakMap<readonly string[], PreparedVocabulary>();

function prepareVocabulary(vocabulary: readonly string[]): PreparedVocabulary {
  let prepared = vocabularies.get(vocabulary);
  if (prepared) return prepared;
  const encoded = vocabulary.map((v) => utf8.encode(v));
  const page = new ByteWriter();
  for (const bytes of encoded) {
    page.int32LE(bytes.length);
    page.append(bytes);
  }
  const order = encoded
    .map((_, i) => i)
    .sort((a, b) => Buffer.compare(encoded[a] as Uint8Array, encoded[b] as Uint8Array));
  const rank = new Int32Array(vocabulary.length);
  order.forEach((index, position) => {
    rank[index] = position;
  });
  prepared = { page: page.view().slice(), encoded, rank, byRank: Int32Array.from(order) };
  vocabularies.set(vocabulary, prepared);
  return prepared;
}

function encodeVocabulary(indices: Int32Array, count: number, vocabulary: readonly string[]): EncodedValues {
  const prepared = prepareVocabulary(vocabulary);
  const [minIndex, maxIndex] = count > 0 ? rankRange(indices, count, prepared) : [-1, -1];
  dictionaryBody.reset();
  dictionaryBody.append(prepared.page);
  writeIndices(indices, count, vocabulary.length);
  return {
    encoding: Encoding.RLE_DICTIONARY,
    dictionarySize: vocabulary.length,
    min: minIndex < 0 ? null : (prepared.encoded[minIndex] as Uint8Array),
    max: maxIndex < 0 ? null : (prepared.encoded[maxIndex] as Uint8Array),
  };
}

/** The indices of the smallest and largest values used, through their byte-order ranks (count > 0). */
function rankRange(indices: Int32Array, count: number, prepared: PreparedVocabulary): [number, number] {
  const rank = prepared.rank;
  let low = rank[indices[0] as number] as number;
  let high = low;
  for (let i = 1; i < count; i++) {
    const r = rank[indices[i] as number] as number;
    low = Math.min(low, r);
    high = Math.max(high, r);
  }
  return [prepared.byRank[low] as number, prepared.byRank[high] as number];
}

type Text = Extract<ColumnValues, { kind: "text" }>;

/** BYTE_ARRAY values of the present rows: dictionary-encoded (hashing) or PLAIN. */
function encodeTexts(
  column: ColumnSchema,
  text: Text,
  validity: Uint8Array | null,
  rows: number,
  count: number,
): EncodedValues {
  if (column.encoding === "dictionary") {
    const indices = intScratch(count);
    dictionaryBody.reset();
    const size = indexTexts(text, validity, rows, indices);
    if (size >= 0) {
      const [min, max] = stringMinMax(dictionaryBody.view(), size);
      writeIndices(indices, count, size);
      return { encoding: Encoding.RLE_DICTIONARY, dictionarySize: size, min, max };
    }
  }
  const start = body.length;
  writeTexts(body, text, validity, rows);
  const [min, max] = stringMinMax(body.view().subarray(start), count);
  return { encoding: Encoding.PLAIN, dictionarySize: null, min, max };
}

const utf8Decoder = new TextDecoder();

/**
 * Dictionary indices of the present values, the dictionary (first-seen order) going to `dictionaryBody`; -1
 * once it passes the limit. Values are keyed by their decoded string: the generators hash only small tables
 * this way (brands); large low-cardinality columns are vocabularies.
 */
function indexTexts(text: Text, validity: Uint8Array | null, rows: number, indices: Int32Array): number {
  const positions = new Map<string, number>();
  let k = 0;
  let start = 0;
  for (let i = 0; i < rows; i++) {
    const end = text.ends[i] as number;
    if (present(validity, i)) {
      const key = utf8Decoder.decode(text.bytes.subarray(start, end));
      let index = positions.get(key);
      if (index === undefined) {
        index = positions.size;
        positions.set(key, index);
        writeText(dictionaryBody, text.bytes, start, end);
        if (dictionaryBody.length > DICTIONARY_LIMIT) return -1;
      }
      indices[k++] = index;
    }
    start = end;
  }
  return positions.size;
}

function writeTexts(target: ByteWriter, text: Text, validity: Uint8Array | null, rows: number): void {
  let start = 0;
  for (let i = 0; i < rows; i++) {
    const end = text.ends[i] as number;
    if (present(validity, i)) writeText(target, text.bytes, start, end);
    start = end;
  }
}

/** One PLAIN BYTE_ARRAY value, bytes[start, end): 4-byte length, then the bytes. */
function writeText(target: ByteWriter, bytes: Uint8Array, start: number, end: number): void {
  target.int32LE(end - start);
  target.ensure(end - start);
  const out = target.bytes;
  let at = target.length;
  for (let i = start; i < end; i++) out[at++] = bytes[i] as number;
  target.length = at;
}

/** Byte-order min and max of `count` PLAIN BYTE_ARRAY values (Parquet orders strings as unsigned bytes). */
function stringMinMax(plain: Uint8Array, count: number): [Uint8Array | null, Uint8Array | null] {
  if (count === 0) return [null, null];
  const length = (at: number) =>
    ((plain[at] as number) | ((plain[at + 1] as number) << 8) | ((plain[at + 2] as number) << 16)) +
    (plain[at + 3] as number) * 16_777_216;
  let at = 0;
  let [minAt, minLength, maxAt, maxLength] = [4, length(0), 4, length(0)];
  for (let i = 0; i < count; i++) {
    const n = length(at);
    const start = at + 4;
    if (compareRange(plain, start, n, minAt, minLength) < 0) [minAt, minLength] = [start, n];
    if (compareRange(plain, start, n, maxAt, maxLength) > 0) [maxAt, maxLength] = [start, n];
    at = start + n;
  }
  return [plain.slice(minAt, minAt + minLength), plain.slice(maxAt, maxAt + maxLength)];
}

function compareRange(bytes: Uint8Array, a: number, aLength: number, b: number, bLength: number): number {
  const n = Math.min(aLength, bLength);
  for (let i = 0; i < n; i++) {
    const d = (bytes[a + i] as number) - (bytes[b + i] as number);
    if (d !== 0) return d;
  }
  return aLength - bLength;
}
