/**
 * Page compression. Snappy is our own compressor (snappy.ts); zstd is the reference C library compiled to
 * WebAssembly (@bokuweb/zstd-wasm), loaded on first use because it must be instantiated asynchronously.
 * A compressor's result may be a view of a buffer it reuses: it is valid until its next call.
 */
import { createRequire } from "node:module";
import type { Compress } from "./column-chunk.ts";
import { CompressionCodec } from "./format.ts";
import { snappyCompress } from "./snappy.ts";

export const CODECS = ["snappy", "zstd"] as const;
export type CodecName = (typeof CODECS)[number];

export interface Codec {
  readonly id: number;
  readonly compress: Compress;
}

/** zstd's default level, as parquet-rs and parquet-mr use. */
const ZSTD_LEVEL = 3;

interface ZstdWasm {
  init(): Promise<void>;
  compress(bytes: Uint8Array, level: number): Uint8Array;
}
let zstd: Promise<ZstdWasm> | undefined;

/** The codec for `name`, ready to use. */
export async function loadCodec(name: CodecName): Promise<Codec> {
  switch (name) {
    case "snappy":
      return { id: CompressionCodec.SNAPPY, compress: snappyCompress };
    case "zstd": {
      zstd ??= (async () => {
        const module = createRequire(import.meta.url)("@bokuweb/zstd-wasm") as ZstdWasm;
        await module.init();
        return module;
      })();
      const library = await zstd;
      return { id: CompressionCodec.ZSTD, compress: (bytes) => library.compress(bytes, ZSTD_LEVEL) };
    }
  }
}
