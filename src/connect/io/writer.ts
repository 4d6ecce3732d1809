/**
 * `df.write` (V1: paths and `saveAsTable`/`insertInto` with a save mode) and `df.writeTo(table)` (V2:
 * catalog tables with create/replace/append/overwrite). Builders chain; the terminal methods run one
 * write command and resolve when the server has finished writing.
 * @see python/pyspark/sql/connect/readwriter.py, commands.proto WriteOperation / WriteOperationV2
 */

import { Column, type ColumnOrName, toExpression } from "../dataframe/column.ts";
import type { Relation } from "../gen/spark/connect/relations_pb.ts";
import {
  commandPlan,
  saveMode,
  type WriteArgs,
  type WriteV2Mode,
  writeOperation,
  writeOperationV2,
} from "../plan/commands.ts";
import type { SparkSession } from "../session/spark-session.ts";
import type { ExecuteOptions } from "../transport/client.ts";
import { addOptions, type OptionValue, optionString, pathList } from "./options.ts";

/** Save modes: what a V1 write does when the target exists. */
export type SaveMode = "append" | "overwrite" | "error" | "errorifexists" | "ignore";

/** Per-call options of the format shortcuts: `mode`, `partitionBy`, and data source options. */
export type WriteOptions = { mode?: SaveMode; partitionBy?: string | readonly string[] } & Record<
  string,
  OptionValue | readonly string[] | undefined
>;

function names(method: string, cols: ReadonlyArray<string | readonly string[]>): string[] {
  const list = cols.flat();
  for (const c of list) {
    if (typeof c !== "string") throw new TypeError(`${method} expects column names, got ${String(c)}`);
  }
  if (list.length === 0) throw new RangeError(`${method} needs at least one column name`);
  return list;
}

/** Writes a DataFrame to files or tables (PySpark's `DataFrameWriter`). Builder methods return `this`. */
export class DataFrameWriter {
  readonly #session: SparkSession;
  readonly #input: Relation;
  #source: string | undefined;
  #mode: string | undefined;
  #partitionBy: string[] = [];
  #sortBy: string[] = [];
  #clusterBy: string[] = [];
  #bucketBy: { numBuckets: number; columns: string[] } | undefined;
  readonly #options: Record<string, string> = {};

  /** @internal Use `df.write`. */
  constructor(session: SparkSession, input: Relation) {
    this.#session = session;
    this.#input = input;
  }

  /** append, overwrite, error/errorifexists (the default) or ignore. */
  mode(saveModeName: SaveMode | string): this {
    saveMode(saveModeName);
    this.#mode = saveModeName;
    return this;
  }

  /** The data source: "parquet", "csv", "json", "orc", "text", … */
  format(source: string): this {
    if (typeof source !== "string" || source.length === 0)
      throw new TypeError(`format must be a non-empty string, got ${String(source)}`);
    this.#source = source;
    return this;
  }

  option(key: string, value: OptionValue): this {
    this.#options[key] = optionString(key, value);
    return this;
  }

  options(options: Readonly<Record<string, OptionValue | undefined>>): this {
    addOptions(this.#options, options);
    return this;
  }

  /** Lays the output out in directories `col=value/` per partition column. */
  partitionBy(...cols: Array<string | readonly string[]>): this {
    this.#partitionBy = names("partitionBy", cols);
    return this;
  }

  /** Hash-buckets the output into `numBuckets` buckets by the columns (tables only: `saveAsTable`). */
  bucketBy(numBuckets: number, col: string | readonly string[], ...cols: string[]): this {
    if (!Number.isInteger(numBuckets) || numBuckets < 1)
      throw new RangeError(`bucketBy: numBuckets must be a positive integer, got ${numBuckets}`);
    this.#bucketBy = { numBuckets, columns: names("bucketBy", [col, ...cols]) };
    return this;
  }

  /** Sorts each bucket by the columns (with `bucketBy`). */
  sortBy(col: string | readonly string[], ...cols: string[]): this {
    this.#sortBy = names("sortBy", [col, ...cols]);
    return this;
  }

  /** Clusters the table data by the columns (for sources that support clustering). */
  clusterBy(...cols: Array<string | readonly string[]>): this {
    this.#clusterBy = names("clusterBy", cols);
    return this;
  }

  #apply(options: WriteOptions | undefined): void {
    if (!options) return;
    const { mode, partitionBy, ...rest } = options;
    if (mode !== undefined) this.mode(mode);
    if (partitionBy !== undefined) this.partitionBy(partitionBy);
    addOptions(this.#options, rest);
  }

  async #run(target: Pick<WriteArgs, "path" | "table">, execute?: ExecuteOptions): Promise<void> {
    const command = writeOperation(this.#input, {
      ...target,
      source: this.#source,
      mode: this.#mode === undefined ? undefined : saveMode(this.#mode),
      partitionBy: this.#partitionBy,
      sortBy: this.#sortBy,
      bucketBy: this.#bucketBy,
      clusterBy: this.#clusterBy,
      options: { ...this.#options },
    });
    await this.#session._runCommand(commandPlan(command), execute);
  }

  /** Writes to `path` (or to the `path` option) with the configured format and mode. */
  async save(path?: string, options?: WriteOptions & { format?: string }, execute?: ExecuteOptions): Promise<void> {
    const { format, ...rest } = options ?? {};
    if (typeof format === "string") this.format(format);
    this.#apply(rest as WriteOptions);
    await this.#run(path === undefined ? {} : { path: pathList("save", path)[0] }, execute);
  }

  /** Writes Parquet, e.g. `parquet(path, { mode: "overwrite", compression: "zstd" })`. */
  async parquet(path: string, options?: WriteOptions, execute?: ExecuteOptions): Promise<void> {
    await this.format("parquet").save(path, options, execute);
  }

  /** Writes CSV, e.g. `csv(path, { header: true })`. */
  async csv(path: string, options?: WriteOptions, execute?: ExecuteOptions): Promise<void> {
    await this.format("csv").save(path, options, execute);
  }

  /** Writes JSON Lines. */
  async json(path: string, options?: WriteOptions, execute?: ExecuteOptions): Promise<void> {
    await this.format("json").save(path, options, execute);
  }

  /** Writes ORC. */
  async orc(path: string, options?: WriteOptions, execute?: ExecuteOptions): Promise<void> {
    await this.format("orc").save(path, options, execute);
  }

  /** Writes text (the DataFrame must have one string column). */
  async text(path: string, options?: WriteOptions, execute?: ExecuteOptions): Promise<void> {
    await this.format("text").save(path, options, execute);
  }

  /** Saves as a catalog table; with mode "append"/"overwrite" an existing table is appended to or replaced. */
  async saveAsTable(
    name: string,
    options?: WriteOptions & { format?: string },
    execute?: ExecuteOptions,
  ): Promise<void> {
    const { format, ...rest } = options ?? {};
    if (typeof format === "string") this.format(format);
    this.#apply(rest as WriteOptions);
    await this.#run({ table: { name, method: "saveAsTable" } }, execute);
  }

  /** Inserts into an existing table by column position; `overwrite` replaces its data. */
  async insertInto(tableName: string, overwrite?: boolean, execute?: ExecuteOptions): Promise<void> {
    if (overwrite !== undefined) this.mode(overwrite ? "overwrite" : "append");
    await this.#run({ table: { name: tableName, method: "insertInto" } }, execute);
  }
}

/** Writes a DataFrame to a catalog table with V2 semantics (PySpark's `DataFrameWriterV2`). */
export class DataFrameWriterV2 {
  readonly #session: SparkSession;
  readonly #input: Relation;
  readonly #table: string;
  #provider: string | undefined;
  readonly #options: Record<string, string> = {};
  readonly #properties: Record<string, string> = {};
  #partitionedBy: ColumnOrName[] = [];
  #clusterBy: string[] = [];

  /** @internal Use `df.writeTo(table)`. */
  constructor(session: SparkSession, input: Relation, table: string) {
    if (typeof table !== "string" || table.length === 0)
      throw new TypeError("writeTo: the table name must be a non-empty string");
    this.#session = session;
    this.#input = input;
    this.#table = table;
  }

  /** The table provider (format) for create/replace, e.g. "parquet". */
  using(provider: string): this {
    this.#provider = provider;
    return this;
  }

  option(key: string, value: OptionValue): this {
    this.#options[key] = optionString(key, value);
    return this;
  }

  options(options: Readonly<Record<string, OptionValue | undefined>>): this {
    addOptions(this.#options, options);
    return this;
  }

  /** A table property for create/replace. */
  tableProperty(property: string, value: string): this {
    this.#properties[property] = optionString(property, value);
    return this;
  }

  /** Partitions the new table by columns or transforms (`F.years("ts")`, `F.bucket(8, "id")`). */
  partitionedBy(col: ColumnOrName, ...cols: ColumnOrName[]): this {
    this.#partitionedBy = [col, ...cols];
    return this;
  }

  clusterBy(col: string, ...cols: string[]): this {
    this.#clusterBy = names("clusterBy", [col, ...cols]);
    return this;
  }

  async #run(mode: WriteV2Mode, execute?: ExecuteOptions, condition?: Column): Promise<void> {
    const command = writeOperationV2(this.#input, this.#table, {
      mode,
      provider: this.#provider,
      partitionedBy: this.#partitionedBy.map(toExpression),
      clusterBy: this.#clusterBy,
      options: { ...this.#options },
      tableProperties: { ...this.#properties },
      overwriteCondition: condition?.expression,
    });
    await this.#session._runCommand(commandPlan(command), execute);
  }

  /** Creates the table; fails if it exists. */
  async create(execute?: ExecuteOptions): Promise<void> {
    await this.#run("create", execute);
  }

  /** Replaces the table's definition and data; fails if it does not exist. */
  async replace(execute?: ExecuteOptions): Promise<void> {
    await this.#run("replace", execute);
  }

  /** Creates the table, or replaces it if it exists. */
  async createOrReplace(execute?: ExecuteOptions): Promise<void> {
    await this.#run("createOrReplace", execute);
  }

  /** Appends rows to the existing table. */
  async append(execute?: ExecuteOptions): Promise<void> {
    await this.#run("append", execute);
  }

  /** Deletes the rows matching `condition`, then appends these rows. */
  async overwrite(condition: Column, execute?: ExecuteOptions): Promise<void> {
    if (!(condition instanceof Column)) {
      throw new TypeError(
        `overwrite expects a Column condition, e.g. F.col("day").eq("2024-01-01"), got ${String(condition)}`,
      );
    }
    await this.#run("overwrite", execute, condition);
  }

  /** Replaces every partition that these rows touch (dynamic partition overwrite). */
  async overwritePartitions(execute?: ExecuteOptions): Promise<void> {
    await this.#run("overwritePartitions", execute);
  }
}
