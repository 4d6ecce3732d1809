/**
 * `df.na`: missing-value handling (fill, drop, replace), each one relation the server expands into
 * per-column expressions. Numbers travel as int64 when integral and as double otherwise, because the
 * server's fill accepts only long, double, string and boolean values.
 * @see python/pyspark/sql/connect/dataframe.py DataFrameNaFunctions, proto/spark/connect/relations.proto NAFill
 */
import { create } from "@bufbuild/protobuf";
import { type Expression_Literal, Expression_LiteralSchema } from "../gen/spark/connect/expressions_pb.ts";
import type { Relation } from "../gen/spark/connect/relations_pb.ts";
import { naDrop, naFill, naReplace } from "../plan/relations.ts";
import { describeValue } from "../types/infer.ts";
import type { DataFrame } from "./dataframe.ts";

/** A value `fill` accepts. */
export type FillValue = number | bigint | string | boolean;
/** A value `replace` accepts (null replaces with or matches nulls). */
export type ReplaceValue = FillValue | null;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function naLiteral(method: string, value: unknown, allowNull: boolean): Expression_Literal {
  const lit = (literalType: Expression_Literal["literalType"]) => create(Expression_LiteralSchema, { literalType });
  if (value === null && allowNull) {
    return create(Expression_LiteralSchema, {
      literalType: { case: "null", value: { kind: { case: "null", value: {} } } },
    });
  }
  if (typeof value === "boolean") return lit({ case: "boolean", value });
  if (typeof value === "string") return lit({ case: "string", value });
  if (typeof value === "bigint") {
    if (value < INT64_MIN || value > INT64_MAX) throw new RangeError(`${method}: ${value}n does not fit in int64`);
    return lit({ case: "long", value });
  }
  if (typeof value === "number" && !Number.isNaN(value)) {
    return Number.isSafeInteger(value) ? lit({ case: "long", value: BigInt(value) }) : lit({ case: "double", value });
  }
  const allowed = allowNull ? "a number, bigint, string, boolean or null" : "a number, bigint, string or boolean";
  throw new TypeError(`${method}: value must be ${allowed}, got ${describeValue(value)}`);
}

function subsetList(method: string, subset: string | readonly string[] | undefined): string[] {
  if (subset === undefined) return [];
  const list = typeof subset === "string" ? [subset] : [...subset];
  for (const c of list) {
    if (typeof c !== "string") throw new TypeError(`${method}: subset must hold column names, got ${describeValue(c)}`);
  }
  return list;
}

/** Missing-value functions of one DataFrame (PySpark's `DataFrameNaFunctions`). */
export class DataFrameNaFunctions {
  readonly #input: Relation;
  readonly #derive: (relation: Relation) => DataFrame;

  /** @internal Use `df.na`. */
  constructor(input: Relation, derive: (relation: Relation) => DataFrame) {
    this.#input = input;
    this.#derive = derive;
  }

  /**
   * Replaces nulls: with one value in every column of a matching type (numbers fill numeric columns,
   * strings string columns, booleans boolean columns), optionally only in `subset`; or per column with
   * `{ column: value }`.
   */
  fill(value: FillValue | Record<string, FillValue>, subset?: string | readonly string[]): DataFrame {
    if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value);
      if (entries.length === 0) throw new RangeError("na.fill: the value map is empty");
      return this.#derive(
        naFill(
          this.#input,
          entries.map(([c]) => c),
          entries.map(([c, v]) => naLiteral(`na.fill (column "${c}")`, v, false)),
        ),
      );
    }
    return this.#derive(naFill(this.#input, subsetList("na.fill", subset), [naLiteral("na.fill", value, false)]));
  }

  /**
   * Drops rows with nulls: `how` "any" (default) drops a row with any null, "all" only rows that are all
   * null; `thresh` keeps rows with at least that many non-null values (and overrides `how`).
   */
  drop(how: "any" | "all" = "any", thresh?: number, subset?: string | readonly string[]): DataFrame {
    if (how !== "any" && how !== "all")
      throw new RangeError(`na.drop: how must be "any" or "all", got ${describeValue(how)}`);
    if (thresh !== undefined && (!Number.isInteger(thresh) || thresh < 0)) {
      throw new RangeError(`na.drop: thresh must be a non-negative integer, got ${describeValue(thresh)}`);
    }
    // Unset means "as many non-nulls as columns", i.e. how="any"; the server counts the columns.
    const minNonNulls = thresh ?? (how === "all" ? 1 : undefined);
    return this.#derive(naDrop(this.#input, subsetList("na.drop", subset), minNonNulls));
  }

  /**
   * Replaces values: `replace(old, new)`, `replace([old1, old2], [new1, new2])`, `replace([old1, old2], new)`
   * or `replace({ old: new })` (string keys), optionally only in `subset`.
   */
  replace(
    toReplace: ReplaceValue | readonly ReplaceValue[] | Record<string, ReplaceValue>,
    value?: ReplaceValue | readonly ReplaceValue[],
    subset?: string | readonly string[],
  ): DataFrame {
    let pairs: Array<[ReplaceValue, ReplaceValue]>;
    if (toReplace !== null && typeof toReplace === "object" && !Array.isArray(toReplace)) {
      if (value !== undefined) throw new TypeError("na.replace: give either a replacement map or a value, not both");
      pairs = Object.entries(toReplace as Record<string, ReplaceValue>);
    } else {
      const olds: ReplaceValue[] = Array.isArray(toReplace) ? [...toReplace] : [toReplace as ReplaceValue];
      if (value === undefined) throw new TypeError("na.replace: the replacement value is missing");
      const news: ReplaceValue[] = Array.isArray(value) ? [...value] : olds.map(() => value as ReplaceValue);
      if (news.length !== olds.length) {
        throw new RangeError(`na.replace: ${olds.length} values to replace but ${news.length} replacements`);
      }
      pairs = olds.map((o, i) => [o, news[i] ?? null]);
    }
    if (pairs.length === 0) throw new RangeError("na.replace: nothing to replace");
    return this.#derive(
      naReplace(
        this.#input,
        subsetList("na.replace", subset),
        pairs.map(([o, n]) => [naLiteral("na.replace", o, true), naLiteral("na.replace", n, true)]),
      ),
    );
  }
}
