/**
 * DataFrame: an immutable `{ session, relation }` value. Transformations are synchronous and return a
 * new DataFrame wrapping a new relation (built by plan/relations.ts); only actions talk to the server,
 * are async and accept `{ signal }`. Method names and argument forms follow `pyspark.sql.DataFrame`.
 * @see python/pyspark/sql/connect/dataframe.py (PySpark's twin), proto/spark/connect/relations.proto
 */
import { create } from "@bufbuild/protobuf";
import type { Table } from "apache-arrow";
import type { Plan } from "../gen/spark/connect/base_pb.ts";
import { AnalyzePlanRequest_Explain_ExplainMode } from "../gen/spark/connect/base_pb.ts";
import {
  type Expression_Alias,
  Expression_AliasSchema,
  type Expression_SortOrder,
} from "../gen/spark/connect/expressions_pb.ts";
import type { Relation } from "../gen/spark/connect/relations_pb.ts";
import { DataFrameWriter, DataFrameWriterV2 } from "../io/writer.ts";
import { commandPlan, createDataFrameView, relationPlan } from "../plan/commands.ts";
import {
  asSortOrder,
  expressionString,
  sortOrderMessage,
  unresolvedAttribute,
  unresolvedFunction,
  unresolvedRegex,
  unresolvedStar,
} from "../plan/expressions.ts";
import { literal } from "../plan/literals.ts";
import * as R from "../plan/relations.ts";
import type { SparkSession } from "../session/spark-session.ts";
import { fromProtoDataType, StructType, toProtoDataType } from "../types/data-types.ts";
import { describeValue } from "../types/infer.ts";
import { Column, type ColumnOrName, type ColumnOrValue, toColumn, toExpression, toValueExpression } from "./column.ts";
import { GroupedData } from "./grouped-data.ts";
import { DataFrameNaFunctions } from "./na.ts";
import { type ActionOptions, collectRows, collectTable, type Row, streamRows } from "./results.ts";
import { randomSeed, toSeed } from "./seed.ts";
import { DataFrameStatFunctions } from "./stat.ts";
import { StorageLevel } from "./storage-level.ts";

export type { ActionOptions, Row } from "./results.ts";

/** `explain` modes, as PySpark names them; `true` means "extended", `false`/absent "simple". */
export type ExplainMode = "simple" | "extended" | "codegen" | "cost" | "formatted";

const EXPLAIN_MODES: Record<ExplainMode, AnalyzePlanRequest_Explain_ExplainMode> = {
  simple: AnalyzePlanRequest_Explain_ExplainMode.SIMPLE,
  extended: AnalyzePlanRequest_Explain_ExplainMode.EXTENDED,
  codegen: AnalyzePlanRequest_Explain_ExplainMode.CODEGEN,
  cost: AnalyzePlanRequest_Explain_ExplainMode.COST,
  formatted: AnalyzePlanRequest_Explain_ExplainMode.FORMATTED,
};

/** Options of `orderBy`/`sort`/`sortWithinPartitions`: one flag for all columns or one per column. */
export interface SortOptions {
  ascending?: boolean | boolean[];
}

/** Columns as varargs or as one array, as PySpark accepts both (`select("a", "b")`, `select(["a", "b"])`). */
export type ColumnArgs = Array<ColumnOrName | readonly ColumnOrName[]>;

function flatten<T>(args: Array<T | readonly T[]>): T[] {
  return args.flatMap((a) => (Array.isArray(a) ? [...(a as readonly T[])] : [a as T]));
}

function checkCount(method: string, name: string, n: unknown, min = 0): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > 2 ** 31 - 1) {
    throw new RangeError(`${method}: ${name} must be an integer from ${min} to 2147483647, got ${describeValue(n)}`);
  }
  return n;
}

function checkColumn(method: string, value: unknown): Column {
  if (!(value instanceof Column)) {
    throw new TypeError(`${method} expects a Column (e.g. F.col("x") or F.lit(1)), got ${describeValue(value)}`);
  }
  return value;
}

/** A Column's expression as a sort order: keeps an explicit asc/desc, otherwise ascending (nulls first). */
function sortOrderOf(c: ColumnOrName, ascending = true): Expression_SortOrder {
  const order = asSortOrder(toExpression(c));
  if (ascending) return order;
  return sortOrderMessage(order.child ?? toExpression(c), "descending", "nullsLast");
}

/** A lazy, immutable distributed table: transformations build plans, actions run them. */
export class DataFrame {
  readonly sparkSession: SparkSession;
  readonly #relation: Relation;
  #schema: Promise<StructType> | undefined;

  /** @internal Created by SparkSession, DataFrameReader and transformations; stamps a fresh plan id. */
  constructor(session: SparkSession, relation: Relation) {
    this.sparkSession = session;
    this.#relation = R.withPlanId(relation, session._nextPlanId());
  }

  /** The relation this DataFrame wraps (with its plan id). An escape hatch for tests and plan builders. */
  get relation(): Relation {
    return this.#relation;
  }

  /** The plan id that columns from `df.col(name)` refer to. */
  get planId(): bigint {
    return R.planIdOf(this.#relation) ?? 0n;
  }

  /** The plan that actions send, as a protobuf message (for debugging and plan tests). */
  toProto(): Plan {
    return relationPlan(this.#relation);
  }

  #derive(relation: Relation): DataFrame {
    return new DataFrame(this.sparkSession, relation);
  }

  #checkSameSession(method: string, other: unknown): DataFrame {
    if (!(other instanceof DataFrame))
      throw new TypeError(`${method} expects a DataFrame, got ${describeValue(other)}`);
    if (other.sparkSession !== this.sparkSession) {
      throw new Error(`${method}: both DataFrames must belong to the same SparkSession`);
    }
    return other;
  }

  // MARK: - Columns of this DataFrame

  /**
   * A column of this DataFrame, bound to it by plan id so it stays unambiguous after joins
   * (PySpark's `df["name"]` / `df.name`). `"*"` means all columns of this DataFrame.
   */
  col(name: string): Column {
    if (typeof name !== "string") throw new TypeError(`col expects a column name string, got ${describeValue(name)}`);
    if (name === "*") return new Column(unresolvedStar(undefined, this.planId));
    return new Column(unresolvedAttribute(name, { planId: this.planId }));
  }

  /** Columns whose names match a Java regular expression written in backticks, e.g. "`(id|name)`". */
  colRegex(colName: string): Column {
    return new Column(unresolvedRegex(colName, this.planId));
  }

  // MARK: - Projection and filtering

  /** Selects columns or expressions; strings are column names (`"*"` for all). */
  select(...cols: ColumnArgs): DataFrame {
    return this.#derive(R.project(this.#relation, flatten(cols).map(toExpression)));
  }

  /** Selects SQL expressions, e.g. `selectExpr("price * qty AS total")`. */
  selectExpr(...exprs: Array<string | readonly string[]>): DataFrame {
    const list = flatten(exprs);
    for (const e of list) {
      if (typeof e !== "string") throw new TypeError(`selectExpr expects SQL strings, got ${describeValue(e)}`);
    }
    return this.#derive(
      R.project(
        this.#relation,
        list.map((e) => expressionString(e)),
      ),
    );
  }

  /** Keeps rows where `condition` is true; a string is parsed as a SQL predicate. */
  filter(condition: Column | string): DataFrame {
    const expr =
      typeof condition === "string" ? expressionString(condition) : checkColumn("filter", condition).expression;
    return this.#derive(R.filter(this.#relation, expr));
  }

  /** Same as `filter`. */
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  /** Adds a column or replaces the one with the same name. */
  withColumn(colName: string, col: Column): DataFrame {
    return this.withColumns({ [colName]: checkColumn("withColumn", col) });
  }

  /** Adds or replaces several columns at once (in the order given). */
  withColumns(colsMap: Record<string, Column> | ReadonlyMap<string, Column>): DataFrame {
    const entries = colsMap instanceof Map ? [...colsMap.entries()] : Object.entries(colsMap);
    if (entries.length === 0) throw new RangeError("withColumns needs at least one column");
    const aliases: Expression_Alias[] = entries.map(([name, col]) =>
      create(Expression_AliasSchema, { expr: checkColumn("withColumns", col).expression, name: [name] }),
    );
    return this.#derive(R.withColumns(this.#relation, aliases));
  }

  /** Renames one column; a no-op when `existing` does not exist, as in PySpark. */
  withColumnRenamed(existing: string, newName: string): DataFrame {
    return this.withColumnsRenamed({ [existing]: newName });
  }

  /** Renames several columns. */
  withColumnsRenamed(colsMap: Record<string, string> | ReadonlyMap<string, string>): DataFrame {
    const entries = colsMap instanceof Map ? [...colsMap.entries()] : Object.entries(colsMap);
    for (const [from, to] of entries) {
      if (typeof to !== "string")
        throw new TypeError(`new name for "${from}" must be a string, got ${describeValue(to)}`);
    }
    return this.#derive(R.withColumnsRenamed(this.#relation, entries));
  }

  /** Drops columns by name or Column; names that do not exist are ignored, as in PySpark. */
  drop(...cols: ColumnArgs): DataFrame {
    const list = flatten(cols);
    const names = list.filter((c): c is string => typeof c === "string");
    const exprs = list.filter((c): c is Column => c instanceof Column).map((c) => c.expression);
    if (names.length + exprs.length !== list.length) {
      const bad = list.find((c) => typeof c !== "string" && !(c instanceof Column));
      throw new TypeError(`drop expects column names or Columns, got ${describeValue(bad)}`);
    }
    return this.#derive(R.drop(this.#relation, exprs, names));
  }

  /** Renames all columns positionally. */
  toDF(...names: string[]): DataFrame {
    return this.#derive(R.toDF(this.#relation, names));
  }

  /** Reconciles this DataFrame with `schema`: columns matched by name, reordered and cast. */
  to(schema: StructType): DataFrame {
    return this.#derive(R.toSchema(this.#relation, toProtoDataType(schema)));
  }

  /** Names this DataFrame, so that `alias.column` resolves in joins and `selectExpr`. */
  alias(alias: string): DataFrame {
    return this.#derive(R.subqueryAlias(this.#relation, alias));
  }

  /** Attaches a hint such as `broadcast`, `merge`, `shuffle_hash`, `coalesce`, `repartition`, `rebalance`. */
  hint(name: string, ...parameters: ColumnOrValue[]): DataFrame {
    return this.#derive(R.hint(this.#relation, name, parameters.map(toValueExpression)));
  }

  /** Chains a function over this DataFrame: `df.transform(withTax, 0.2)` is `withTax(df, 0.2)`. */
  transform<A extends unknown[]>(func: (df: DataFrame, ...args: A) => DataFrame, ...args: A): DataFrame {
    const result = func(this, ...args);
    if (!(result instanceof DataFrame)) {
      throw new TypeError(`transform: the function must return a DataFrame, got ${describeValue(result)}`);
    }
    return result;
  }

  /** Wide to long: keeps `ids` and turns `values` (all other columns when null) into variable/value rows. */
  unpivot(
    ids: ColumnOrName | readonly ColumnOrName[],
    values: ColumnOrName | readonly ColumnOrName[] | null,
    variableColumnName: string,
    valueColumnName: string,
  ): DataFrame {
    const idList = flatten([ids]).map(toExpression);
    const valueList = values === null ? undefined : flatten([values]).map(toExpression);
    return this.#derive(R.unpivot(this.#relation, idList, valueList, variableColumnName, valueColumnName));
  }

  /** Same as `unpivot`. */
  melt(
    ids: ColumnOrName | readonly ColumnOrName[],
    values: ColumnOrName | readonly ColumnOrName[] | null,
    variableColumnName: string,
    valueColumnName: string,
  ): DataFrame {
    return this.unpivot(ids, values, variableColumnName, valueColumnName);
  }

  // MARK: - Aggregation

  /** Groups rows by columns for `agg`, `count`, `sum`, `pivot`, … */
  groupBy(...cols: ColumnArgs): GroupedData {
    return new GroupedData(this.#relation, (rel) => this.#derive(rel), "groupby", flatten(cols).map(toExpression));
  }

  /** Same as `groupBy`. */
  groupby(...cols: ColumnArgs): GroupedData {
    return this.groupBy(...cols);
  }

  /** Hierarchical subtotals: groups by each prefix of `cols`, plus a grand total. */
  rollup(...cols: ColumnArgs): GroupedData {
    return new GroupedData(this.#relation, (rel) => this.#derive(rel), "rollup", flatten(cols).map(toExpression));
  }

  /** Subtotals for every combination of `cols`, plus a grand total. */
  cube(...cols: ColumnArgs): GroupedData {
    return new GroupedData(this.#relation, (rel) => this.#derive(rel), "cube", flatten(cols).map(toExpression));
  }

  /** Groups by each of the given sets of columns; `cols` lists every column used in the sets. */
  groupingSets(groupingSets: ReadonlyArray<readonly ColumnOrName[]>, ...cols: ColumnArgs): GroupedData {
    const sets = groupingSets.map((set) => set.map(toExpression));
    return new GroupedData(
      this.#relation,
      (rel) => this.#derive(rel),
      "grouping_sets",
      flatten(cols).map(toExpression),
      { groupingSets: sets },
    );
  }

  /** Aggregates over all rows: `df.agg(F.max("price"))`, or `{ price: "max" }`. */
  agg(...exprs: Array<Column | Record<string, string>>): DataFrame {
    return this.groupBy().agg(...exprs);
  }

  // MARK: - Joins and set operations

  /**
   * Joins with `other`. `on` is a column name, a list of names (equi-join keeping one copy of each key),
   * a Column condition or a list of Columns (combined with AND). `how` is a PySpark join type: inner,
   * cross, outer/full/fullouter/full_outer, left/leftouter/left_outer, right/rightouter/right_outer,
   * semi/leftsemi/left_semi, anti/leftanti/left_anti.
   */
  join(other: DataFrame, on?: string | readonly string[] | Column | readonly Column[], how?: string): DataFrame {
    const right = this.#checkSameSession("join", other);
    if (how !== undefined && typeof how !== "string") {
      throw new TypeError(`join: how must be a join type name, got ${describeValue(how)}`);
    }
    const type = R.joinType(how ?? "inner");
    if (on === undefined || on === null) return this.#derive(R.join(this.#relation, right.#relation, { type }));
    const list: Array<string | Column> = Array.isArray(on) ? [...on] : [on as string | Column];
    if (list.length === 0) return this.#derive(R.join(this.#relation, right.#relation, { type }));
    if (list.every((c) => typeof c === "string")) {
      return this.#derive(R.join(this.#relation, right.#relation, { type, usingColumns: list as string[] }));
    }
    if (list.every((c) => c instanceof Column)) {
      const condition = (list as Column[]).reduce((acc, c) => acc.and(c));
      return this.#derive(R.join(this.#relation, right.#relation, { type, condition: condition.expression }));
    }
    throw new TypeError("join: `on` must be column names or Columns, not a mix of both");
  }

  /** The Cartesian product with `other`. */
  crossJoin(other: DataFrame): DataFrame {
    const right = this.#checkSameSession("crossJoin", other);
    return this.#derive(R.join(this.#relation, right.#relation, { type: R.joinType("cross") }));
  }

  /** All rows of both, matched by position (SQL UNION ALL); follow with `distinct()` for UNION. */
  union(other: DataFrame): DataFrame {
    const right = this.#checkSameSession("union", other);
    return this.#derive(R.setOperation(this.#relation, right.#relation, { type: "union", isAll: true }));
  }

  /** Same as `union`. */
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  /** All rows of both, matched by column name; missing columns become null when `allowMissingColumns`. */
  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    const right = this.#checkSameSession("unionByName", other);
    return this.#derive(
      R.setOperation(this.#relation, right.#relation, {
        type: "union",
        isAll: true,
        byName: true,
        allowMissingColumns,
      }),
    );
  }

  /** Distinct rows present in both. */
  intersect(other: DataFrame): DataFrame {
    const right = this.#checkSameSession("intersect", other);
    return this.#derive(R.setOperation(this.#relation, right.#relation, { type: "intersect", isAll: false }));
  }

  /** Rows present in both, keeping duplicates. */
  intersectAll(other: DataFrame): DataFrame {
    const right = this.#checkSameSession("intersectAll", other);
    return this.#derive(R.setOperation(this.#relation, right.#relation, { type: "intersect", isAll: true }));
  }

  /** Distinct rows of this DataFrame that are not in `other` (SQL EXCEPT DISTINCT). */
  subtract(other: DataFrame): DataFrame {
    const right = this.#checkSameSession("subtract", other);
    return this.#derive(R.setOperation(this.#relation, right.#relation, { type: "except", isAll: false }));
  }

  /** Rows of this DataFrame not in `other`, keeping duplicates (SQL EXCEPT ALL). */
  exceptAll(other: DataFrame): DataFrame {
    const right = this.#checkSameSession("exceptAll", other);
    return this.#derive(R.setOperation(this.#relation, right.#relation, { type: "except", isAll: true }));
  }

  /** Distinct rows. */
  distinct(): DataFrame {
    return this.#derive(R.deduplicate(this.#relation, undefined));
  }

  /** Removes duplicate rows, considering only `subset` when given. */
  dropDuplicates(subset?: readonly string[]): DataFrame {
    if (subset !== undefined) {
      if (!Array.isArray(subset))
        throw new TypeError(`dropDuplicates expects a list of column names, got ${describeValue(subset)}`);
      for (const c of subset) {
        if (typeof c !== "string") throw new TypeError(`dropDuplicates expects column names, got ${describeValue(c)}`);
      }
    }
    return this.#derive(R.deduplicate(this.#relation, subset ? [...subset] : undefined));
  }

  /** Same as `dropDuplicates`. */
  drop_duplicates(subset?: readonly string[]): DataFrame {
    return this.dropDuplicates(subset);
  }

  // MARK: - Ordering, limits, sampling, partitioning

  #sortOrders(
    method: string,
    args: Array<ColumnOrName | readonly ColumnOrName[] | SortOptions>,
  ): Expression_SortOrder[] {
    const last = args.at(-1);
    const options =
      last !== undefined && typeof last === "object" && !(last instanceof Column) && !Array.isArray(last)
        ? (last as SortOptions)
        : undefined;
    const cols = flatten((options ? args.slice(0, -1) : args) as ColumnArgs);
    if (cols.length === 0) throw new RangeError(`${method} needs at least one column`);
    const ascending = options?.ascending ?? true;
    if (Array.isArray(ascending) && ascending.length !== cols.length) {
      throw new RangeError(`${method}: ascending has ${ascending.length} flags for ${cols.length} columns`);
    }
    return cols.map((c, i) => sortOrderOf(c, Array.isArray(ascending) ? ascending[i] : ascending));
  }

  /** Sorts globally; Columns may carry `asc()`/`desc()`/nulls ordering; `{ ascending }` may come last. */
  orderBy(...args: Array<ColumnOrName | readonly ColumnOrName[] | SortOptions>): DataFrame {
    return this.#derive(R.sort(this.#relation, this.#sortOrders("orderBy", args), true));
  }

  /** Same as `orderBy`. */
  sort(...args: Array<ColumnOrName | readonly ColumnOrName[] | SortOptions>): DataFrame {
    return this.orderBy(...args);
  }

  /** Sorts within each partition, without a global order. */
  sortWithinPartitions(...args: Array<ColumnOrName | readonly ColumnOrName[] | SortOptions>): DataFrame {
    return this.#derive(R.sort(this.#relation, this.#sortOrders("sortWithinPartitions", args), false));
  }

  /** The first `n` rows. */
  limit(n: number): DataFrame {
    return this.#derive(R.limit(this.#relation, checkCount("limit", "n", n)));
  }

  /** Skips the first `n` rows. */
  offset(n: number): DataFrame {
    return this.#derive(R.offset(this.#relation, checkCount("offset", "n", n)));
  }

  /**
   * A random sample: `sample(fraction, seed?)`, `sample(withReplacement, fraction, seed?)` or an options
   * object. Without a seed, one is drawn here so that the sample is stable across actions.
   */
  sample(fraction: number, seed?: number | bigint): DataFrame;
  sample(withReplacement: boolean, fraction: number, seed?: number | bigint): DataFrame;
  sample(options: { fraction: number; withReplacement?: boolean; seed?: number | bigint }): DataFrame;
  sample(
    a: number | boolean | { fraction: number; withReplacement?: boolean; seed?: number | bigint },
    b?: number | bigint,
    c?: number | bigint,
  ): DataFrame {
    let withReplacement = false;
    let fraction: unknown;
    let seed: unknown;
    if (typeof a === "object" && a !== null) ({ fraction, withReplacement = false, seed } = a);
    else if (typeof a === "boolean") [withReplacement, fraction, seed] = [a, b, c];
    else [fraction, seed] = [a, b];
    if (typeof fraction !== "number" || !Number.isFinite(fraction) || fraction < 0) {
      throw new RangeError(`sample: fraction must be a non-negative number, got ${describeValue(fraction)}`);
    }
    if (!withReplacement && fraction > 1) {
      throw new RangeError(`sample: fraction must be at most 1 without replacement, got ${fraction}`);
    }
    const seedValue = seed === undefined || seed === null ? randomSeed() : toSeed("sample", seed);
    return this.#derive(
      R.sample(this.#relation, { lowerBound: 0, upperBound: fraction, withReplacement, seed: seedValue }),
    );
  }

  /** Splits rows randomly by the given weights (normalised to sum to 1); each row lands in exactly one split. */
  randomSplit(weights: readonly number[], seed?: number | bigint): DataFrame[] {
    for (const w of weights) {
      if (typeof w !== "number" || !Number.isFinite(w) || w < 0) {
        throw new RangeError(`randomSplit: weights must be non-negative numbers, got ${describeValue(w)}`);
      }
    }
    const total = weights.reduce((a, b) => a + b, 0);
    if (weights.length < 2 || total <= 0)
      throw new RangeError("randomSplit needs at least two weights with a positive sum");
    const seedValue = seed === undefined ? randomSeed() : toSeed("randomSplit", seed);
    const splits: DataFrame[] = [];
    let lower = 0;
    for (const w of weights) {
      const upper = lower + w / total;
      splits.push(
        this.#derive(
          R.sample(this.#relation, {
            lowerBound: lower,
            upperBound: upper,
            withReplacement: false,
            seed: seedValue,
            deterministicOrder: true,
          }),
        ),
      );
      lower = upper;
    }
    return splits;
  }

  /**
   * `repartition(n)` shuffles into n partitions; `repartition(n?, ...cols)` hash-partitions by columns.
   */
  repartition(numPartitions: number | ColumnOrName, ...cols: ColumnOrName[]): DataFrame {
    if (typeof numPartitions === "number") {
      checkCount("repartition", "numPartitions", numPartitions, 1);
      if (cols.length === 0) return this.#derive(R.repartition(this.#relation, numPartitions, true));
      return this.#derive(R.repartitionByExpression(this.#relation, cols.map(toExpression), numPartitions));
    }
    return this.#derive(R.repartitionByExpression(this.#relation, [numPartitions, ...cols].map(toExpression)));
  }

  /** Range-partitions by the given columns (ascending unless a Column says otherwise). */
  repartitionByRange(numPartitions: number | ColumnOrName, ...cols: ColumnOrName[]): DataFrame {
    const n =
      typeof numPartitions === "number"
        ? checkCount("repartitionByRange", "numPartitions", numPartitions, 1)
        : undefined;
    const list = typeof numPartitions === "number" ? cols : [numPartitions, ...cols];
    if (list.length === 0) throw new RangeError("repartitionByRange needs at least one column");
    const orders = list.map((c) => {
      const expr = toExpression(c);
      return expr.exprType.case === "sortOrder" ? expr : toColumn(c).asc().expression;
    });
    return this.#derive(R.repartitionByExpression(this.#relation, orders, n));
  }

  /** Reduces to `numPartitions` partitions without a shuffle. */
  coalesce(numPartitions: number): DataFrame {
    return this.#derive(
      R.repartition(this.#relation, checkCount("coalesce", "numPartitions", numPartitions, 1), false),
    );
  }

  // MARK: - Missing values and statistics

  /** Functions for missing values: `df.na.fill(0)`, `df.na.drop()`, `df.na.replace(...)`. */
  get na(): DataFrameNaFunctions {
    return new DataFrameNaFunctions(this.#relation, (rel) => this.#derive(rel));
  }

  /** Statistic functions: `df.stat.corr("a", "b")`, `crosstab`, `approxQuantile`, … */
  get stat(): DataFrameStatFunctions {
    return new DataFrameStatFunctions(this.#relation, (rel) => this.#derive(rel));
  }

  /** Same as `na.fill`. */
  fillna(...args: Parameters<DataFrameNaFunctions["fill"]>): DataFrame {
    return this.na.fill(...args);
  }

  /** Same as `na.drop`. */
  dropna(...args: Parameters<DataFrameNaFunctions["drop"]>): DataFrame {
    return this.na.drop(...args);
  }

  /** Same as `na.replace`. */
  replace(...args: Parameters<DataFrameNaFunctions["replace"]>): DataFrame {
    return this.na.replace(...args);
  }

  /** count, mean, stddev, min and max of the given columns (all numeric and string columns when none). */
  describe(...cols: Array<string | readonly string[]>): DataFrame {
    return this.#derive(R.statDescribe(this.#relation, flatten(cols)));
  }

  /**
   * The given statistics (default: count, mean, stddev, min, 25%, 50%, 75%, max); percentiles are
   * written like "25%", and "count_distinct"/"approx_count_distinct" are allowed.
   */
  summary(...statistics: Array<string | readonly string[]>): DataFrame {
    return this.#derive(R.statSummary(this.#relation, flatten(statistics)));
  }

  // MARK: - Actions: results

  /** All rows as an Arrow Table (every type lossless; see docs/types.md). */
  async toArrow(options?: ActionOptions): Promise<Table> {
    return collectTable(this.sparkSession, relationPlan(this.#relation), options);
  }

  /**
   * Streams rows batch by batch: memory holds one Arrow batch at a time. Rows are plain objects keyed by
   * column name; see docs/api.md for duplicate names.
   */
  toLocalIterator(options?: ActionOptions): AsyncIterable<Row> {
    return streamRows(this.sparkSession, relationPlan(this.#relation), options);
  }

  /** `for await (const row of df)` streams rows like `toLocalIterator()`. */
  [Symbol.asyncIterator](): AsyncIterator<Row> {
    return this.toLocalIterator()[Symbol.asyncIterator]();
  }

  /** All rows, in order. */
  async collect(options?: ActionOptions): Promise<Row[]> {
    return collectRows(this.sparkSession, relationPlan(this.#relation), options);
  }

  /** The number of rows (a bigint, as Spark counts in int64). */
  async count(options?: ActionOptions): Promise<bigint> {
    const counted = this.#derive(
      R.aggregate(this.#relation, {
        groupType: "groupby",
        grouping: [],
        aggregates: [new Column(unresolvedFunction("count", [literal(1)])).alias("count").expression],
      }),
    );
    const [row] = await counted.collect(options);
    const value = row?.count;
    if (typeof value !== "bigint")
      throw new Error(`count: the server returned ${describeValue(value)} instead of a count`);
    return value;
  }

  /** The first `n` rows. */
  async take(n: number, options?: ActionOptions): Promise<Row[]> {
    return this.limit(n).collect(options);
  }

  /** The first row, or undefined if there is none; with `n`, the first `n` rows. */
  async head(): Promise<Row | undefined>;
  async head(n: number, options?: ActionOptions): Promise<Row[]>;
  async head(n?: number, options?: ActionOptions): Promise<Row | undefined | Row[]> {
    if (n === undefined) return (await this.take(1))[0];
    return this.take(n, options);
  }

  /** The first row, or undefined for an empty DataFrame. */
  async first(options?: ActionOptions): Promise<Row | undefined> {
    return (await this.take(1, options))[0];
  }

  /** The last `n` rows (brought to the client; keep `n` small). */
  async tail(n: number, options?: ActionOptions): Promise<Row[]> {
    return collectRows(
      this.sparkSession,
      relationPlan(this.#derive(R.tail(this.#relation, checkCount("tail", "n", n))).#relation),
      options,
    );
  }

  /** True when the DataFrame has no rows (reads at most one row). */
  async isEmpty(options?: ActionOptions): Promise<boolean> {
    return (await this.select().limit(1).collect(options)).length === 0;
  }

  /**
   * The table as Spark's `show` renders it, computed by the server. The library never prints: print
   * the returned string yourself. `truncate` is true (20 characters), false, or a width.
   */
  async show(n = 20, truncate: boolean | number = true, vertical = false, options?: ActionOptions): Promise<string> {
    checkCount("show", "n", n);
    const width = truncate === true ? 20 : truncate === false ? 0 : checkCount("show", "truncate", truncate);
    const rel = this.#derive(R.showString(this.#relation, n, width, vertical)).#relation;
    const [row] = await collectRows(this.sparkSession, relationPlan(rel), options);
    const text = row?.show_string;
    if (typeof text !== "string") throw new Error("show: the server returned no show_string");
    return text;
  }

  // MARK: - Actions: schema and plans (AnalyzePlan)

  /** The schema, asked from the server once per DataFrame. */
  async schema(options?: ActionOptions): Promise<StructType> {
    if (!this.#schema) {
      const pending = this.sparkSession
        ._analyze({ case: "schema", value: { plan: this.toProto() } }, options)
        .then((response) => {
          if (response.result.case !== "schema" || !response.result.value.schema) {
            throw new Error("schema: the server's answer holds no schema");
          }
          const type = fromProtoDataType(response.result.value.schema);
          if (!(type instanceof StructType)) throw new Error(`schema: expected a struct, got ${type.simpleString()}`);
          return type;
        });
      this.#schema = pending;
      pending.catch(() => {
        if (this.#schema === pending) this.#schema = undefined;
      });
    }
    return this.#schema;
  }

  /** The column names, in order. */
  async columns(options?: ActionOptions): Promise<string[]> {
    return (await this.schema(options)).fields.map((f) => f.name);
  }

  /** `[name, simpleString type]` pairs, e.g. `["price", "decimal(10,2)"]`. */
  async dtypes(options?: ActionOptions): Promise<Array<[string, string]>> {
    return (await this.schema(options)).fields.map((f) => [f.name, f.dataType.simpleString()]);
  }

  /** The schema as Spark's tree string ("root\n |-- id: long (nullable = false)\n"); printing is the caller's. */
  async printSchema(level?: number, options?: ActionOptions): Promise<string> {
    if (level !== undefined) checkCount("printSchema", "level", level, 1);
    const response = await this.sparkSession._analyze(
      { case: "treeString", value: { plan: this.toProto(), level } },
      options,
    );
    if (response.result.case !== "treeString") throw new Error("printSchema: the server's answer holds no tree string");
    return response.result.value.treeString;
  }

  /** The plans as Spark's EXPLAIN text; `mode` is simple (default), extended, codegen, cost or formatted. */
  async explain(mode: ExplainMode | boolean = "simple", options?: ActionOptions): Promise<string> {
    const name: ExplainMode = mode === true ? "extended" : mode === false ? "simple" : mode;
    const explainMode =
      typeof name === "string" && Object.hasOwn(EXPLAIN_MODES, name) ? EXPLAIN_MODES[name] : undefined;
    if (explainMode === undefined) {
      throw new RangeError(
        `explain: unknown mode ${describeValue(mode)}; allowed: ${Object.keys(EXPLAIN_MODES).join(", ")}`,
      );
    }
    const response = await this.sparkSession._analyze(
      { case: "explain", value: { plan: this.toProto(), explainMode } },
      options,
    );
    if (response.result.case !== "explain") throw new Error("explain: the server's answer holds no plan text");
    return response.result.value.explainString;
  }

  /** True when `collect()` and `take()` can run locally without executors. */
  async isLocal(options?: ActionOptions): Promise<boolean> {
    const response = await this.sparkSession._analyze({ case: "isLocal", value: { plan: this.toProto() } }, options);
    if (response.result.case !== "isLocal") throw new Error("isLocal: unexpected answer");
    return response.result.value.isLocal;
  }

  /** True when this DataFrame reads from a streaming source. */
  async isStreaming(options?: ActionOptions): Promise<boolean> {
    const response = await this.sparkSession._analyze(
      { case: "isStreaming", value: { plan: this.toProto() } },
      options,
    );
    if (response.result.case !== "isStreaming") throw new Error("isStreaming: unexpected answer");
    return response.result.value.isStreaming;
  }

  /** The files this DataFrame reads, best effort. */
  async inputFiles(options?: ActionOptions): Promise<string[]> {
    const response = await this.sparkSession._analyze({ case: "inputFiles", value: { plan: this.toProto() } }, options);
    if (response.result.case !== "inputFiles") throw new Error("inputFiles: unexpected answer");
    return response.result.value.files;
  }

  /** True when both logical plans compute the same result. */
  async sameSemantics(other: DataFrame, options?: ActionOptions): Promise<boolean> {
    const right = this.#checkSameSession("sameSemantics", other);
    const response = await this.sparkSession._analyze(
      { case: "sameSemantics", value: { targetPlan: this.toProto(), otherPlan: right.toProto() } },
      options,
    );
    if (response.result.case !== "sameSemantics") throw new Error("sameSemantics: unexpected answer");
    return response.result.value.result;
  }

  /** A hash of the logical plan that is equal for plans with the same semantics. */
  async semanticHash(options?: ActionOptions): Promise<number> {
    const response = await this.sparkSession._analyze(
      { case: "semanticHash", value: { plan: this.toProto() } },
      options,
    );
    if (response.result.case !== "semanticHash") throw new Error("semanticHash: unexpected answer");
    return response.result.value.result;
  }

  // MARK: - Caching

  /** Caches with `StorageLevel.MEMORY_AND_DISK_DESER` (the first action fills the cache). Returns this. */
  async cache(options?: ActionOptions): Promise<DataFrame> {
    return this.persist(StorageLevel.MEMORY_AND_DISK_DESER, options);
  }

  /** Caches with the given storage level. Returns this. */
  async persist(
    storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_DESER,
    options?: ActionOptions,
  ): Promise<DataFrame> {
    if (!(storageLevel instanceof StorageLevel)) {
      throw new TypeError(`persist expects a StorageLevel, got ${describeValue(storageLevel)}`);
    }
    await this.sparkSession._analyze(
      { case: "persist", value: { relation: this.#relation, storageLevel: storageLevel.toProto() } },
      options,
    );
    return this;
  }

  /** Drops the cached data; with `blocking`, waits until it is gone. Returns this. */
  async unpersist(blocking = false, options?: ActionOptions): Promise<DataFrame> {
    await this.sparkSession._analyze({ case: "unpersist", value: { relation: this.#relation, blocking } }, options);
    return this;
  }

  /** The current storage level (`StorageLevel.NONE` when not cached). */
  async storageLevel(options?: ActionOptions): Promise<StorageLevel> {
    const response = await this.sparkSession._analyze(
      { case: "getStorageLevel", value: { relation: this.#relation } },
      options,
    );
    if (response.result.case !== "getStorageLevel" || !response.result.value.storageLevel) {
      throw new Error("storageLevel: unexpected answer");
    }
    return StorageLevel.fromProto(response.result.value.storageLevel);
  }

  // MARK: - Views and writes

  async #createView(name: string, isGlobal: boolean, replace: boolean, options?: ActionOptions): Promise<void> {
    if (typeof name !== "string" || name.length === 0)
      throw new TypeError(`view name must be a non-empty string, got ${describeValue(name)}`);
    await this.sparkSession._runCommand(
      commandPlan(createDataFrameView(this.#relation, name, isGlobal, replace)),
      options,
    );
  }

  /** Registers a session-scoped temporary view; fails if it exists. */
  async createTempView(name: string, options?: ActionOptions): Promise<void> {
    await this.#createView(name, false, false, options);
  }

  /** Registers or replaces a session-scoped temporary view. */
  async createOrReplaceTempView(name: string, options?: ActionOptions): Promise<void> {
    await this.#createView(name, false, true, options);
  }

  /** Registers an application-wide view in `global_temp`; fails if it exists. */
  async createGlobalTempView(name: string, options?: ActionOptions): Promise<void> {
    await this.#createView(name, true, false, options);
  }

  /** Registers or replaces an application-wide view in `global_temp`. */
  async createOrReplaceGlobalTempView(name: string, options?: ActionOptions): Promise<void> {
    await this.#createView(name, true, true, options);
  }

  /** The V1 writer: `df.write.mode("overwrite").partitionBy("d").parquet(path)`. */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this.sparkSession, this.#relation);
  }

  /** The V2 writer for a catalog table: `df.writeTo("db.t").using("parquet").createOrReplace()`. */
  writeTo(table: string): DataFrameWriterV2 {
    return new DataFrameWriterV2(this.sparkSession, this.#relation, table);
  }
}
