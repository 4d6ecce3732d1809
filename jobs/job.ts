/**
 * The shape every analysis job has: an id, a one-line description, the input tables and columns it
 * reads, typed parameters with defaults, the DataFrame plans it builds, and how its collected results
 * read in plain words. Jobs use only retail-lab's public client API; the runner executes the plans.
 */

import type { TableName } from "../generators/schema.ts";
import type { DataFrame, ProgressHandler, Row, SparkSession } from "../src/index.ts";
import type { JdbcTableSpec } from "./jdbc-sink.ts";
import type { Layout } from "./lake-layout.ts";

export type ParamValue = string | number | boolean;

export type ParamSpec =
  | { type: "string"; description: string; default: string }
  | { type: "integer"; description: string; default: number; min?: number; max?: number }
  | { type: "number"; description: string; default: number; min?: number; max?: number }
  | { type: "boolean"; description: string; default: boolean }
  | { type: "enum"; description: string; default: string; choices: readonly string[] };

export type ParamSpecs = Record<string, ParamSpec>;

/** The parameter values a job receives, typed from its specs. */
export type ParamValues<S extends ParamSpecs> = {
  [K in keyof S]: S[K] extends { type: "integer" | "number" }
    ? number
    : S[K] extends { type: "boolean" }
      ? boolean
      : string;
};

/** An input table and the columns the job needs from it. */
export interface InputSpec {
  table: TableName;
  columns: readonly string[];
}

/** What a job's plan builder gets: the session, its validated inputs and its parameters. */
export interface JobContext<S extends ParamSpecs> {
  spark: SparkSession;
  /** A validated input table (read from the data directory). */
  input(table: TableName): DataFrame;
  params: ParamValues<S>;
  /**
   * A data set the job declared in `datasets`: read back from where it was written (Parquet) when the run
   * writes output, else its plan. Only `plan` can use it.
   */
  dataset(name: string): DataFrame;
  /** The data directory of the run (jobs that write data, such as `lake`, write under it). */
  dataDir: string;
  /** Where the inputs are read from: the generated tables or their lake. */
  layout: Layout;
  /**
   * Marks a frame that several results reuse to be cached by Spark on first use, so it is computed once
   * per run; the runner releases it (unpersist) when the job's results are collected.
   */
  persist(frame: DataFrame): Promise<DataFrame>;
}

/** What a job's `write` step gets besides its context: cancellation, Spark progress, step announcements. */
export interface JobWriteOptions {
  signal?: AbortSignal;
  onProgress?: ProgressHandler;
  /** Called as each write starts, so its progress can be labelled. */
  onStep?(name: string, title: string): void;
}

/** One finding in plain words, with the numbers it rests on (so every number is traceable). */
export interface Finding {
  /** Short key, e.g. "top_failure_cause". */
  id: string;
  text: string;
  /** The values quoted in `text`, by name. */
  values?: Record<string, unknown>;
}

/** A result table: a DataFrame to collect, how to order it for display, and a title. */
export interface ResultSpec {
  title: string;
  frame: DataFrame;
  /** Rows shown in the terminal (all rows are written). Default 20. */
  display?: number;
}

/**
 * A data set a job writes with Spark into its output folder, `<out>/<job>/<name>/`, beside its result tables
 * (e.g. the mart's star schema). Written only when the run has an output directory.
 */
export interface DatasetSpec {
  title: string;
  /** Its plan, or a function building it from data sets declared before it (read back once written). */
  frame: DataFrame | ((dataset: (name: string) => DataFrame) => DataFrame | Promise<DataFrame>);
  format: "parquet" | "json";
  partitionBy?: readonly string[];
  /** Data source options of the writer, e.g. JSON's timestampFormat. */
  options?: Readonly<Record<string, string>>;
  /** Also loaded into the SQL database of `run --jdbc`, as this table with these keys. */
  jdbc?: JdbcTableSpec;
}

export interface Job<S extends ParamSpecs = ParamSpecs> {
  id: string;
  title: string;
  description: string;
  inputs: readonly InputSpec[];
  params: S;
  /**
   * Builds the result plans. No Spark job may run here (`explain` calls it too); analysis RPCs such as
   * `spark.sql` are fine, hence the optional promise.
   */
  plan(context: JobContext<S>): Record<string, ResultSpec> | Promise<Record<string, ResultSpec>>;
  /**
   * Data sets written with Spark before the result tables are collected, in order. No Spark job may run
   * here either (analysis RPCs are fine).
   */
  datasets?(
    context: Omit<JobContext<S>, "dataset">,
  ): Record<string, DatasetSpec> | Promise<Record<string, DatasetSpec>>;
  /**
   * Checks the collected result tables; each returned message is a failed check, and any failure fails the
   * job (nothing of it is published).
   */
  verify?(results: Record<string, Row[]>): string[];
  /**
   * Jobs that produce data (such as `lake`) write it here, after the inputs are validated and before
   * `plan` builds the result tables (which then describe what was written). `explain` never calls it;
   * `run all` leaves such jobs out, so they only run when named.
   */
  write?(context: Omit<JobContext<S>, "dataset">, options: JobWriteOptions): Promise<void>;
  /** The input layouts the job accepts (default: both). */
  layouts?: readonly Layout[];
  /** Register every input as a temporary view named after its table before planning (for SQL jobs). */
  inputsAsViews?: boolean;
  /** Reads the collected result tables as findings. */
  findings?(results: Record<string, Row[]>, params: ParamValues<S>): Finding[];
}

/** Declares a job with its parameter types inferred (an identity function, for type inference only). */
export function defineJob<const S extends ParamSpecs>(job: Job<S>): Job<S> {
  return job;
}
