/** The Parquet enums this writer uses (values from parquet.thrift). */

export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, BYTE_ARRAY: 6 } as const;
export type PhysicalTypeName = keyof typeof PhysicalType;

export const Encoding = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, RLE_DICTIONARY: 8 } as const;
export const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;
export const Repetition = { REQUIRED: 0, OPTIONAL: 1 } as const;
export const ConvertedType = { UTF8: 0, DECIMAL: 5, DATE: 6, TIMESTAMP_MICROS: 10 } as const;
export const CompressionCodec = { UNCOMPRESSED: 0, SNAPPY: 1, ZSTD: 6 } as const;

/** The logical types of the generator's columns. */
export type LogicalType =
  | { readonly type: "STRING" }
  | { readonly type: "DATE" }
  /** Microseconds since the epoch, isAdjustedToUTC = true: Spark reads TIMESTAMP (not TIMESTAMP_NTZ). */
  | { readonly type: "TIMESTAMP_MICROS_UTC" }
  | { readonly type: "DECIMAL"; readonly precision: number; readonly scale: number };

export interface ColumnSchema {
  readonly name: string;
  readonly physical: PhysicalTypeName;
  readonly nullable: boolean;
  readonly logical?: LogicalType;
  /**
   * "dictionary" falls back to PLAIN for a chunk whose dictionary would pass 1 MiB, and "delta" for a chunk
   * with values beyond ±2^51; BOOLEAN columns are always PLAIN.
   */
  readonly encoding: "plain" | "dictionary" | "delta";
}
