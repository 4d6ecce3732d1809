/**
 * GroupedData: the result of `groupBy`/`rollup`/`cube`/`groupingSets` (and `pivot`), waiting for the
 * aggregations that turn it back into a DataFrame as one `Aggregate` relation.
 * @see python/pyspark/sql/connect/group.py, proto/spark/connect/relations.proto Aggregate
 */
import type { Expression, Expression_Literal } from "../gen/spark/connect/expressions_pb.ts";
import type { Relation } from "../gen/spark/connect/relations_pb.ts";
import { unresolvedFunction, unresolvedStar } from "../plan/expressions.ts";
import { type LiteralValue, literal, literalMessageOf } from "../plan/literals.ts";
import { aggregate, type GroupType } from "../plan/relations.ts";
import { describeValue } from "../types/infer.ts";
import { Column, type ColumnOrName, toColumn, toExpression } from "./column.ts";
import type { DataFrame } from "./dataframe.ts";

/** Aggregate function names accepted in `agg({ column: "name" })`, as PySpark's dict form. */
const DICT_AGGREGATES = new Set([
  "avg",
  "mean",
  "max",
  "min",
  "sum",
  "count",
  "first",
  "last",
  "stddev",
  "stddev_samp",
  "stddev_pop",
  "variance",
  "var_samp",
  "var_pop",
  "collect_list",
  "collect_set",
  "count_distinct",
  "approx_count_distinct",
  "skewness",
  "kurtosis",
  "median",
  "mode",
  "product",
  "any_value",
  "bool_and",
  "bool_or",
]);

interface GroupingExtras {
  groupingSets?: Expression[][];
  pivot?: { col: Expression; values?: Expression_Literal[] };
}

/** Rows grouped by key columns, waiting for aggregations. */
export class GroupedData {
  readonly #input: Relation;
  readonly #derive: (relation: Relation) => DataFrame;
  readonly #groupType: GroupType;
  readonly #grouping: Expression[];
  readonly #extras: GroupingExtras;

  /** @internal Created by DataFrame.groupBy/rollup/cube/groupingSets. */
  constructor(
    input: Relation,
    derive: (relation: Relation) => DataFrame,
    groupType: GroupType,
    grouping: Expression[],
    extras: GroupingExtras = {},
  ) {
    this.#input = input;
    this.#derive = derive;
    this.#groupType = groupType;
    this.#grouping = grouping;
    this.#extras = extras;
  }

  #aggregate(method: string, aggregates: Expression[]): DataFrame {
    if (aggregates.length === 0) throw new RangeError(`${method} needs at least one aggregate expression`);
    return this.#derive(
      aggregate(this.#input, {
        groupType: this.#groupType,
        grouping: this.#grouping,
        aggregates,
        pivot: this.#extras.pivot,
        groupingSets: this.#extras.groupingSets,
      }),
    );
  }

  /**
   * Computes aggregates: Columns (`F.sum("qty").alias("units")`) or one object mapping a column name to
   * an aggregate function name (`{ qty: "sum", price: "max" }`, result columns named like `sum(qty)`).
   */
  agg(...exprs: Array<Column | Record<string, string>>): DataFrame {
    if (exprs.length === 1 && !(exprs[0] instanceof Column) && typeof exprs[0] === "object" && exprs[0] !== null) {
      const entries = Object.entries(exprs[0]);
      const aggregates = entries.map(([name, fn]) => {
        if (typeof fn !== "string" || !DICT_AGGREGATES.has(fn.toLowerCase())) {
          throw new RangeError(
            `agg: unknown aggregate function ${describeValue(fn)} for column "${name}"; allowed: ${[...DICT_AGGREGATES].join(", ")}`,
          );
        }
        const arg = name === "*" ? unresolvedStar() : toExpression(name);
        return unresolvedFunction(fn.toLowerCase(), [arg]);
      });
      return this.#aggregate("agg", aggregates);
    }
    const columns = exprs.map((e) => {
      if (!(e instanceof Column)) {
        throw new TypeError(`agg expects Columns or one { column: "function" } object, got ${describeValue(e)}`);
      }
      return e.expression;
    });
    return this.#aggregate("agg", columns);
  }

  /** The number of rows per group, in a column named `count`. */
  count(): DataFrame {
    return this.#aggregate("count", [new Column(unresolvedFunction("count", [literal(1)])).alias("count").expression]);
  }

  #numeric(method: string, fn: string, cols: Array<string | readonly string[]>): DataFrame {
    const names = cols.flat();
    if (names.length === 0) {
      // PySpark would aggregate every numeric column, which needs the schema; name the columns instead.
      throw new RangeError(`${method} needs the names of the columns to aggregate, e.g. ${method}("price")`);
    }
    for (const n of names) {
      if (typeof n !== "string") throw new TypeError(`${method} expects column names, got ${describeValue(n)}`);
    }
    return this.#aggregate(
      method,
      names.map((n) => unresolvedFunction(fn, [toExpression(n)])),
    );
  }

  /** Sum of each named column per group, in columns named `sum(col)`. */
  sum(...cols: Array<string | readonly string[]>): DataFrame {
    return this.#numeric("sum", "sum", cols);
  }

  /** Mean of each named column per group, in columns named `avg(col)`. */
  avg(...cols: Array<string | readonly string[]>): DataFrame {
    return this.#numeric("avg", "avg", cols);
  }

  /** Same as `avg`. */
  mean(...cols: Array<string | readonly string[]>): DataFrame {
    return this.#numeric("mean", "avg", cols);
  }

  /** Minimum of each named column per group, in columns named `min(col)`. */
  min(...cols: Array<string | readonly string[]>): DataFrame {
    return this.#numeric("min", "min", cols);
  }

  /** Maximum of each named column per group, in columns named `max(col)`. */
  max(...cols: Array<string | readonly string[]>): DataFrame {
    return this.#numeric("max", "max", cols);
  }

  /**
   * Turns the distinct values of `pivotCol` into columns (only after `groupBy`). Listing `values` saves
   * the server a pass to find them and fixes the column order.
   */
  pivot(pivotCol: ColumnOrName, values?: readonly LiteralValue[]): GroupedData {
    if (this.#groupType !== "groupby") {
      throw new Error(`pivot is only allowed after groupBy, not after ${this.#groupType}`);
    }
    if (this.#extras.pivot) throw new Error("pivot was already called on this GroupedData");
    if (values !== undefined && !Array.isArray(values)) {
      throw new TypeError(`pivot values must be a list of literal values, got ${describeValue(values)}`);
    }
    return new GroupedData(this.#input, this.#derive, "pivot", this.#grouping, {
      pivot: { col: toColumn(pivotCol).expression, values: values?.map((v) => literalMessageOf(v)) },
    });
  }
}
