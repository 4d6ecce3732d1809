/**
 * `df.stat`: statistics the server computes in one relation each. crosstab, freqItems and sampleBy are
 * transformations; cov, corr and approxQuantile are actions returning plain numbers.
 * @see python/pyspark/sql/connect/dataframe.py DataFrameStatFunctions, relations.proto Stat*
 */
import type { Relation } from "../gen/spark/connect/relations_pb.ts";
import { type LiteralValue, literalMessageOf } from "../plan/literals.ts";
import { statApproxQuantile, statCorr, statCov, statCrosstab, statFreqItems, statSampleBy } from "../plan/relations.ts";
import { describeValue } from "../types/infer.ts";
import { type ColumnOrName, toExpression } from "./column.ts";
import type { ActionOptions, DataFrame } from "./dataframe.ts";
import { randomSeed, toSeed } from "./seed.ts";

function checkName(method: string, name: unknown): string {
  if (typeof name !== "string") throw new TypeError(`${method} expects column names, got ${describeValue(name)}`);
  return name;
}

async function singleValue(df: DataFrame, method: string, options?: ActionOptions): Promise<unknown> {
  const [row] = await df.collect(options);
  if (!row) throw new Error(`${method}: the server returned no row`);
  return Object.values(row)[0];
}

function asNumber(method: string, value: unknown): number {
  if (typeof value === "number") return value;
  if (value === null) return Number.NaN;
  throw new Error(`${method}: expected a double from the server, got ${describeValue(value)}`);
}

/** Statistic functions of one DataFrame (PySpark's `DataFrameStatFunctions`). */
export class DataFrameStatFunctions {
  readonly #input: Relation;
  readonly #derive: (relation: Relation) => DataFrame;

  /** @internal Use `df.stat`. */
  constructor(input: Relation, derive: (relation: Relation) => DataFrame) {
    this.#input = input;
    this.#derive = derive;
  }

  /** A contingency table: one row per value of `col1`, one column per value of `col2`, counts in the cells. */
  crosstab(col1: string, col2: string): DataFrame {
    return this.#derive(statCrosstab(this.#input, checkName("crosstab", col1), checkName("crosstab", col2)));
  }

  /** The sample covariance of two numeric columns. */
  async cov(col1: string, col2: string, options?: ActionOptions): Promise<number> {
    const df = this.#derive(statCov(this.#input, checkName("cov", col1), checkName("cov", col2)));
    return asNumber("cov", await singleValue(df, "cov", options));
  }

  /** The Pearson correlation coefficient of two numeric columns (the only method Spark supports). */
  async corr(col1: string, col2: string, method = "pearson", options?: ActionOptions): Promise<number> {
    if (method !== "pearson")
      throw new RangeError(`corr: only the "pearson" method is supported, got ${describeValue(method)}`);
    const df = this.#derive(statCorr(this.#input, checkName("corr", col1), checkName("corr", col2), method));
    return asNumber("corr", await singleValue(df, "corr", options));
  }

  /**
   * Approximate quantiles (Greenwald-Khanna) of a numeric column, or of several columns (one list each).
   * `relativeError` 0 computes exact quantiles, at a higher cost.
   */
  async approxQuantile(
    col: string,
    probabilities: readonly number[],
    relativeError: number,
    options?: ActionOptions,
  ): Promise<number[]>;
  async approxQuantile(
    col: readonly string[],
    probabilities: readonly number[],
    relativeError: number,
    options?: ActionOptions,
  ): Promise<number[][]>;
  async approxQuantile(
    col: string | readonly string[],
    probabilities: readonly number[],
    relativeError: number,
    options?: ActionOptions,
  ): Promise<number[] | number[][]> {
    const cols = (typeof col === "string" ? [col] : [...col]).map((c) => checkName("approxQuantile", c));
    for (const p of probabilities) {
      if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
        throw new RangeError(`approxQuantile: probabilities must be numbers in [0, 1], got ${describeValue(p)}`);
      }
    }
    if (typeof relativeError !== "number" || !(relativeError >= 0)) {
      throw new RangeError(`approxQuantile: relativeError must be a number >= 0, got ${describeValue(relativeError)}`);
    }
    const df = this.#derive(statApproxQuantile(this.#input, cols, [...probabilities], relativeError));
    const value = await singleValue(df, "approxQuantile", options);
    if (!Array.isArray(value))
      throw new Error(`approxQuantile: expected an array from the server, got ${describeValue(value)}`);
    const lists = value.map((inner) => {
      if (!Array.isArray(inner)) throw new Error("approxQuantile: expected one array per column");
      return inner.map((v) => asNumber("approxQuantile", v));
    });
    return typeof col === "string" ? (lists[0] ?? []) : lists;
  }

  /** Frequent items of each column (possibly with false positives), as one row of arrays. */
  freqItems(cols: readonly string[], support?: number): DataFrame {
    if (support !== undefined && !(support > 0 && support <= 1)) {
      throw new RangeError(`freqItems: support must be in (0, 1], got ${describeValue(support)}`);
    }
    return this.#derive(
      statFreqItems(
        this.#input,
        cols.map((c) => checkName("freqItems", c)),
        support,
      ),
    );
  }

  /** A stratified sample without replacement: `fractions` maps each stratum value of `col` to its fraction. */
  sampleBy(
    col: ColumnOrName,
    fractions: Readonly<Record<string, number>> | ReadonlyMap<LiteralValue, number>,
    seed?: number | bigint,
  ): DataFrame {
    const entries: Array<[LiteralValue, number]> =
      fractions instanceof Map ? [...fractions.entries()] : Object.entries(fractions as Record<string, number>);
    for (const [k, f] of entries) {
      if (typeof f !== "number" || !(f >= 0 && f <= 1)) {
        throw new RangeError(
          `sampleBy: the fraction of stratum ${describeValue(k)} must be in [0, 1], got ${describeValue(f)}`,
        );
      }
    }
    return this.#derive(
      statSampleBy(
        this.#input,
        toExpression(col),
        entries.map(([k, f]) => [literalMessageOf(k), f]),
        seed === undefined ? randomSeed() : toSeed("sampleBy", seed),
      ),
    );
  }
}
