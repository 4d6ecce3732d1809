/**
 * A minimal reader for ZIP/JAR archives: enough to list entries and extract stored or deflated
 * files. Used to take Spark's .proto files out of its jars and to verify downloaded jars, without
 * depending on an `unzip` binary being installed.
 */
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export class ZipArchive {
  readonly entries: ZipEntry[];

  constructor(
    private readonly bytes: Buffer,
    private readonly label = "archive",
  ) {
    this.entries = this.readCentralDirectory();
  }

  static open(path: string): ZipArchive {
    return new ZipArchive(readFileSync(path), path);
  }

  read(name: string): Buffer {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`${this.label}: no entry named ${name}`);
    const at = entry.localHeaderOffset;
    if (this.bytes.readUInt32LE(at) !== LOCAL_SIGNATURE) throw new Error(`${this.label}: bad local header for ${name}`);
    const dataStart = at + 30 + this.bytes.readUInt16LE(at + 26) + this.bytes.readUInt16LE(at + 28);
    const raw = this.bytes.subarray(dataStart, dataStart + entry.compressedSize);
    if (entry.method === 0) return Buffer.from(raw);
    if (entry.method === 8) return inflateRawSync(raw);
    throw new Error(`${this.label}: unsupported compression method ${entry.method} for ${name}`);
  }

  private readCentralDirectory(): ZipEntry[] {
    const b = this.bytes;
    // The end-of-central-directory record sits in the last 64 KiB + 22 bytes (comment length is 16-bit).
    let eocd = -1;
    for (let i = b.length - 22; i >= Math.max(0, b.length - 65_557); i--) {
      if (b.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${this.label}: not a zip archive (no end-of-central-directory record)`);
    const count = b.readUInt16LE(eocd + 10);
    let at = b.readUInt32LE(eocd + 16);
    const entries: ZipEntry[] = [];
    for (let i = 0; i < count; i++) {
      if (b.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Error(`${this.label}: corrupt central directory`);
      const nameLength = b.readUInt16LE(at + 28);
      const extraLength = b.readUInt16LE(at + 30);
      const commentLength = b.readUInt16LE(at + 32);
      entries.push({
        method: b.readUInt16LE(at + 10),
        crc32: b.readUInt32LE(at + 16),
        compressedSize: b.readUInt32LE(at + 20),
        size: b.readUInt32LE(at + 24),
        localHeaderOffset: b.readUInt32LE(at + 42),
        name: b.toString("utf8", at + 46, at + 46 + nameLength),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  }
}
