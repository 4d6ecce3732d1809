/**
 * The functions that are not a plain "call a built-in by name" and so cannot be a registry row: column
 * references, literals, SQL fragments, `when`, hints, sort helpers, higher-order functions whose lambdas are
 * JS callbacks, time windows and `log`'s two call shapes.
 *
 * @see python/pyspark/sql/connect/functions/builtin.py (PySpark's twins)
 */

import {
  Column,
  type ColumnOrName,
  type ColumnOrValue,
  columnExpression,
  toColumn,
  toExpression,
  toValueExpression,
} from "../dataframe/column.ts";
import {
  callFunction,
  expressionString,
  lambdaFunction,
  lambdaVariable,
  unresolvedFunction,
} from "../plan/expressions.ts";
import { literal } from "../plan/literals.ts";

/** A column by name: `"price"`, `"t.price"`, `` "`odd.name`" ``, `"*"` or `"t.*"`. */
export function col(name: string): Column {
  if (typeof name !== "string") throw new TypeError(`col() takes a column name string, got ${String(name)}`);
  return new Column(columnExpression(name));
}

/** Same as `col`. */
export function column(name: string): Column {
  return col(name);
}

/**
 * A literal column (a Column is returned as is). JS → Spark type mapping: see `LiteralValue` in
 * plan/literals.ts; `lit(null)` is an untyped null, `lit(null).cast("int")` a typed one.
 */
export function lit(value: ColumnOrValue): Column {
  return value instanceof Column ? value : new Column(literal(value));
}

/** A SQL expression parsed by the server: `expr("price * qty AS total")`. */
export function expr(sql: string): Column {
  if (typeof sql !== "string") throw new TypeError(`expr() takes a SQL string, got ${String(sql)}`);
  return new Column(expressionString(sql));
}

/** `CASE WHEN condition THEN value`; chain `.when(...)` and `.otherwise(...)` on the result. */
export function when(condition: Column, value: ColumnOrValue): Column {
  if (!(condition instanceof Column)) {
    throw new TypeError(`when() takes a Column condition, got ${JSON.stringify(condition) ?? String(condition)}`);
  }
  return new Column(unresolvedFunction("when", [condition.expression, toValueExpression(value)]));
}

/** Marks a DataFrame as small enough to broadcast in joins (the `broadcast` hint). */
export function broadcast<T extends { hint(name: string): T }>(df: T): T {
  return df.hint("broadcast");
}

/** Calls a function by (possibly qualified) name, built-in or registered in the catalog (e.g. a SQL UDF). */
export function call_function(funcName: string, ...cols: ColumnOrName[]): Column {
  return new Column(callFunction(funcName, cols.map(toExpression)));
}

/** Calls a function registered in the session (a UDF) by name. */
export function call_udf(udfName: string, ...cols: ColumnOrName[]): Column {
  return new Column(unresolvedFunction(udfName, cols.map(toExpression)));
}

// MARK: sort helpers

export function asc(col: ColumnOrName): Column {
  return toColumn(col).asc();
}
export function asc_nulls_first(col: ColumnOrName): Column {
  return toColumn(col).asc_nulls_first();
}
export function asc_nulls_last(col: ColumnOrName): Column {
  return toColumn(col).asc_nulls_last();
}
export function desc(col: ColumnOrName): Column {
  return toColumn(col).desc();
}
export function desc_nulls_first(col: ColumnOrName): Column {
  return toColumn(col).desc_nulls_first();
}
export function desc_nulls_last(col: ColumnOrName): Column {
  return toColumn(col).desc_nulls_last();
}

// MARK: higher-order functions

let lambdaCounter = 0;

/**
 * Builds a `LambdaFunction` from a JS callback. Each parameter gets a fresh name (`x_17`), so lambdas
 * nested in lambdas never capture each other's variables.
 */
function lambda(fn: (...args: Column[]) => Column, arity: 1 | 2 | 3, name: string): ReturnType<typeof lambdaFunction> {
  const names = Array.from({ length: arity }, (_, i) => `${"xyz"[i]}_${++lambdaCounter}`);
  const body = fn(...names.map((n) => new Column(lambdaVariable(n))));
  if (!(body instanceof Column)) {
    throw new TypeError(`the function passed to ${name}() must return a Column, got ${String(body)}`);
  }
  return lambdaFunction(body.expression, names);
}

function higherOrder(name: string, args: ColumnOrName[], ...lambdas: ReturnType<typeof lambdaFunction>[]): Column {
  return new Column(unresolvedFunction(name, [...args.map(toExpression), ...lambdas]));
}

/** Each element mapped by `f(x)` or `f(x, index)`. */
export function transform(col: ColumnOrName, f: (x: Column, i: Column) => Column): Column {
  return higherOrder("transform", [col], lambda(f as (...a: Column[]) => Column, f.length >= 2 ? 2 : 1, "transform"));
}

/** The elements for which `f(x)` (or `f(x, index)`) is true. */
export function filter(col: ColumnOrName, f: (x: Column, i: Column) => Column): Column {
  return higherOrder("filter", [col], lambda(f as (...a: Column[]) => Column, f.length >= 2 ? 2 : 1, "filter"));
}

/** Whether `f(x)` holds for at least one element. */
export function exists(col: ColumnOrName, f: (x: Column) => Column): Column {
  return higherOrder("exists", [col], lambda(f, 1, "exists"));
}

/** Whether `f(x)` holds for every element. */
export function forall(col: ColumnOrName, f: (x: Column) => Column): Column {
  return higherOrder("forall", [col], lambda(f, 1, "forall"));
}

/** Folds the array: `acc = merge(acc, x)` from `initialValue`, then `finish(acc)` when given. */
export function aggregate(
  col: ColumnOrName,
  initialValue: ColumnOrValue,
  merge: (acc: Column, x: Column) => Column,
  finish?: (acc: Column) => Column,
): Column {
  const args = [toExpression(col), toValueExpression(initialValue), lambda(merge, 2, "aggregate")];
  if (finish) args.push(lambda(finish, 1, "aggregate"));
  return new Column(unresolvedFunction("aggregate", args));
}

/** Same as `aggregate` (Spark's `reduce`). */
export function reduce(
  col: ColumnOrName,
  initialValue: ColumnOrValue,
  merge: (acc: Column, x: Column) => Column,
  finish?: (acc: Column) => Column,
): Column {
  const args = [toExpression(col), toValueExpression(initialValue), lambda(merge, 2, "reduce")];
  if (finish) args.push(lambda(finish, 1, "reduce"));
  return new Column(unresolvedFunction("reduce", args));
}

/** Merges two arrays element-wise with `f(left, right)` (the shorter is padded with nulls). */
export function zip_with(left: ColumnOrName, right: ColumnOrName, f: (x: Column, y: Column) => Column): Column {
  return higherOrder("zip_with", [left, right], lambda(f, 2, "zip_with"));
}

/** The map entries for which `f(key, value)` is true. */
export function map_filter(col: ColumnOrName, f: (k: Column, v: Column) => Column): Column {
  return higherOrder("map_filter", [col], lambda(f, 2, "map_filter"));
}

/** The map with keys replaced by `f(key, value)`. */
export function transform_keys(col: ColumnOrName, f: (k: Column, v: Column) => Column): Column {
  return higherOrder("transform_keys", [col], lambda(f, 2, "transform_keys"));
}

/** The map with values replaced by `f(key, value)`. */
export function transform_values(col: ColumnOrName, f: (k: Column, v: Column) => Column): Column {
  return higherOrder("transform_values", [col], lambda(f, 2, "transform_values"));
}

/** Merges two maps by key with `f(key, value1, value2)`. */
export function map_zip_with(
  col1: ColumnOrName,
  col2: ColumnOrName,
  f: (k: Column, v1: Column, v2: Column) => Column,
): Column {
  return higherOrder("map_zip_with", [col1, col2], lambda(f, 3, "map_zip_with"));
}

/**
 * The array sorted ascending (nulls last), or by `comparator(a, b)` returning a negative, zero or
 * positive integer.
 */
export function array_sort(col: ColumnOrName, comparator?: (a: Column, b: Column) => Column): Column {
  if (comparator === undefined) return higherOrder("array_sort", [col]);
  return higherOrder("array_sort", [col], lambda(comparator, 2, "array_sort"));
}

// MARK: time windows

/**
 * Tumbling (`slideDuration` absent) or sliding event-time windows: a struct column `{start, end}`.
 * Durations are interval strings such as `"10 minutes"`.
 */
export function window(
  timeColumn: ColumnOrName,
  windowDuration: string,
  slideDuration?: string | null,
  startTime?: string | null,
): Column {
  for (const [name, value] of [
    ["windowDuration", windowDuration],
    ["slideDuration", slideDuration],
    ["startTime", startTime],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw new TypeError(`window() ${name} must be an interval string such as "10 minutes", got ${String(value)}`);
    }
  }
  const args = [toExpression(timeColumn), literal(windowDuration)];
  // The server's window() takes (time, window[, slide[, start]]): a start time without a slide needs
  // the window duration as the slide, which makes the windows tumbling.
  if (slideDuration != null) args.push(literal(slideDuration));
  else if (startTime != null) args.push(literal(windowDuration));
  if (startTime != null) args.push(literal(startTime));
  return new Column(unresolvedFunction("window", args));
}

/** Session windows that close after `gapDuration` (an interval string or a Column computing one) without events. */
export function session_window(timeColumn: ColumnOrName, gapDuration: string | Column): Column {
  if (typeof gapDuration !== "string" && !(gapDuration instanceof Column)) {
    throw new TypeError(
      `session_window() gapDuration must be an interval string or a Column, got ${String(gapDuration)}`,
    );
  }
  return new Column(unresolvedFunction("session_window", [toExpression(timeColumn), toValueExpression(gapDuration)]));
}

// MARK: math with two call shapes

/** `log(col)`: natural logarithm; `log(base, col)`: logarithm in the given base. */
export function log(arg1: ColumnOrName | number, arg2?: ColumnOrName): Column {
  if (arg2 === undefined) {
    if (typeof arg1 === "number") throw new TypeError("log() with one argument takes a column, got a number");
    return new Column(unresolvedFunction("ln", [toExpression(arg1)]));
  }
  const base = typeof arg1 === "number" ? literal(arg1) : toExpression(arg1);
  return new Column(unresolvedFunction("log", [base, toExpression(arg2)]));
}

// MARK: time zones

/**
 * Converts a timestamp without time zone from `sourceTz` (the session time zone when null/undefined) to
 * `targetTz`: `convert_timezone(lit("UTC"), lit("Europe/Paris"), "ts")`.
 */
export function convert_timezone(
  sourceTz: Column | null | undefined,
  targetTz: Column,
  sourceTs: ColumnOrName,
): Column {
  for (const [name, value] of [
    ["sourceTz", sourceTz],
    ["targetTz", targetTz],
  ] as const) {
    if (value !== null && value !== undefined && !(value instanceof Column)) {
      throw new TypeError(`convert_timezone() ${name} must be a Column (e.g. lit("UTC")), got ${String(value)}`);
    }
  }
  if (!(targetTz instanceof Column)) throw new TypeError("convert_timezone() needs a targetTz Column");
  const args = sourceTz == null ? [targetTz.expression] : [sourceTz.expression, targetTz.expression];
  return new Column(unresolvedFunction("convert_timezone", [...args, toExpression(sourceTs)]));
}

// MARK: partition transforms

function transformCall(name: string, col: ColumnOrName): Column {
  return new Column(unresolvedFunction(name, [toExpression(col)]));
}

/**
 * Partition transforms for `df.writeTo(t).partitionedBy(...)` (PySpark's `functions.partitioning`): they
 * only have a meaning there, not in `select`.
 */
export const partitioning = Object.freeze({
  /** Partition by the year of a date or timestamp. */
  years: (col: ColumnOrName): Column => transformCall("years", col),
  /** Partition by year and month. */
  months: (col: ColumnOrName): Column => transformCall("months", col),
  /** Partition by date. */
  days: (col: ColumnOrName): Column => transformCall("days", col),
  /** Partition by date and hour. */
  hours: (col: ColumnOrName): Column => transformCall("hours", col),
  /** Partition by a hash of the column into `numBuckets` buckets. */
  bucket: (numBuckets: Column | number, col: ColumnOrName): Column =>
    new Column(unresolvedFunction("bucket", [toValueExpression(numBuckets), toExpression(col)])),
});
