/**
 * `spark.read`: builds a `Read` relation for a data source (parquet, csv, json, orc, text, or any
 * format the server knows) or a catalog table. Nothing is read until an action runs; a missing path
 * fails then, with the server's PATH_NOT_FOUND error.
 * @see python/pyspark/sql/connect/readwriter.py DataFrameReader, relations.proto Read
 */
import { DataFrame } from "../dataframe/dataframe.ts";
import { readDataSource, readNamedTable } from "../plan/relations.ts";
import type { SparkSession } from "../session/spark-session.ts";
import { StructType } from "../types/data-types.ts";
import { addOptions, type OptionValue, optionString, pathList } from "./options.ts";

/** Per-call options of the format shortcuts: data source options plus an optional `schema`. */
export type ReadOptions = { schema?: StructType | string } & Record<string, OptionValue | StructType | undefined>;

/** Reads DataFrames from files and tables (PySpark's `DataFrameReader`). Methods chain and return `this`. */
export class DataFrameReader {
  readonly #session: SparkSession;
  #format: string | undefined;
  #schema: string | undefined;
  readonly #options: Record<string, string> = {};

  /** @internal Use `spark.read`. */
  constructor(session: SparkSession) {
    this.#session = session;
  }

  /** The data source: "parquet", "csv", "json", "orc", "text", "avro" (if installed), … */
  format(source: string): this {
    if (typeof source !== "string" || source.length === 0)
      throw new TypeError(`format must be a non-empty string, got ${String(source)}`);
    this.#format = source;
    return this;
  }

  /** The schema to read with (skips inference): a StructType or a DDL string such as "id BIGINT, name STRING". */
  schema(schema: StructType | string): this {
    if (schema instanceof StructType) this.#schema = schema.json();
    else if (typeof schema === "string" && schema.trim().length > 0) this.#schema = schema;
    else throw new TypeError("schema must be a StructType or a non-empty DDL string");
    return this;
  }

  /** One data source option, e.g. `option("header", true)`. */
  option(key: string, value: OptionValue): this {
    this.#options[key] = optionString(key, value);
    return this;
  }

  /** Several data source options. */
  options(options: Readonly<Record<string, OptionValue | undefined>>): this {
    addOptions(this.#options, options);
    return this;
  }

  #withCallOptions(options: ReadOptions | undefined): this {
    if (!options) return this;
    const { schema, ...rest } = options;
    if (schema !== undefined) this.schema(schema);
    addOptions(this.#options, rest);
    return this;
  }

  /** Loads from `path` (or several paths, or only options such as `path`/`dbtable`) with the configured format. */
  load(path?: string | readonly string[], format?: string, options?: ReadOptions): DataFrame {
    if (format !== undefined) this.format(format);
    this.#withCallOptions(options);
    return new DataFrame(
      this.#session,
      readDataSource({
        format: this.#format,
        schema: this.#schema,
        options: { ...this.#options },
        paths: pathList("load", path),
      }),
    );
  }

  /** Parquet files or directories. */
  parquet(paths: string | readonly string[], options?: ReadOptions): DataFrame {
    return this.format("parquet").load(pathList("parquet", paths), undefined, options);
  }

  /** CSV files, e.g. `csv(path, { header: true, inferSchema: true })`. */
  csv(paths: string | readonly string[], options?: ReadOptions): DataFrame {
    return this.format("csv").load(pathList("csv", paths), undefined, options);
  }

  /** JSON Lines files (one object per line), or whole-file JSON with `{ multiLine: true }`. */
  json(paths: string | readonly string[], options?: ReadOptions): DataFrame {
    return this.format("json").load(pathList("json", paths), undefined, options);
  }

  /** ORC files. */
  orc(paths: string | readonly string[], options?: ReadOptions): DataFrame {
    return this.format("orc").load(pathList("orc", paths), undefined, options);
  }

  /** Text files: one string column `value`, one row per line (or per file with `{ wholetext: true }`). */
  text(paths: string | readonly string[], options?: ReadOptions): DataFrame {
    return this.format("text").load(pathList("text", paths), undefined, options);
  }

  /** A catalog table or view, with the configured options. */
  table(tableName: string): DataFrame {
    if (typeof tableName !== "string" || tableName.length === 0)
      throw new TypeError("table name must be a non-empty string");
    return new DataFrame(this.#session, readNamedTable(tableName, { ...this.#options }));
  }
}
