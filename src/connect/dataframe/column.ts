/**
 * `Column`: an immutable wrapper around one unresolved Spark Connect `Expression`. Every method returns a
 * new Column built by the pure builders in plan/expressions.ts; nothing is resolved until a DataFrame
 * that uses it runs. Method names follow Spark's Column API (PySpark's where both exist).
 *
 * @see python/pyspark/sql/connect/column.py (PySpark's twin)
 */
import {
  alias,
  type CastEvalMode,
  cast,
  type Expression,
  sortOrder,
  unresolvedAttribute,
  unresolvedExtractValue,
  unresolvedFunction,
  unresolvedStar,
  updateFields,
  window,
} from "../plan/expressions.ts";
import { type LiteralValue, literal } from "../plan/literals.ts";
import { type DataType, toProtoDataType } from "../types/data-types.ts";
import type { WindowSpec } from "./window.ts";

/** A column or the name of one, as every column-taking API accepts (`"price"`, `"t.price"`, `"*"`). */
export type ColumnOrName = Column | string;

/** A column or a JS value turned into a literal by `lit()` (a string here is a string literal, not a name). */
export type ColumnOrValue = Column | LiteralValue;

/** A Spark data type for `cast`: a DDL string (`"decimal(10,2)"`, parsed by the server) or a DataType instance. */
export type DataTypeLike = string | DataType;

function dataTypeArgument(type: DataTypeLike) {
  if (typeof type === "string") return type;
  if (type === null || typeof type !== "object" || typeof type.simpleString !== "function") {
    throw new TypeError(`cast() takes a DDL type string or a DataType, got ${String(type)}`);
  }
  return toProtoDataType(type);
}

export class Column {
  /** The unresolved proto expression; an escape hatch for plan builders and tests. */
  readonly expression: Expression;

  constructor(expression: Expression) {
    this.expression = expression;
  }

  // MARK: comparison

  /** `this = other` (SQL equality: null if either side is null). */
  eq(other: ColumnOrValue): Column {
    return this.binary("==", other);
  }

  /** Same as `eq`, Spark's Scala name. */
  equalTo(other: ColumnOrValue): Column {
    return this.eq(other);
  }

  /** `this <> other` (sent as `NOT (this = other)`: the server registers no `!=` function). */
  notEqual(other: ColumnOrValue): Column {
    return this.eq(other).not();
  }

  /** Null-safe equality `this <=> other`: true when both are null. */
  eqNullSafe(other: ColumnOrValue): Column {
    return this.binary("<=>", other);
  }

  gt(other: ColumnOrValue): Column {
    return this.binary(">", other);
  }

  geq(other: ColumnOrValue): Column {
    return this.binary(">=", other);
  }

  lt(other: ColumnOrValue): Column {
    return this.binary("<", other);
  }

  leq(other: ColumnOrValue): Column {
    return this.binary("<=", other);
  }

  /** `lower <= this AND this <= upper`, both bounds inclusive. */
  between(lowerBound: ColumnOrValue, upperBound: ColumnOrValue): Column {
    return this.geq(lowerBound).and(this.leq(upperBound));
  }

  /** `this IN (values…)`; a single array argument is spread, as in PySpark. */
  isin(...values: ColumnOrValue[] | [readonly ColumnOrValue[]]): Column {
    const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as ColumnOrValue[]) : values;
    return call("in", [this.expression, ...list.map((v) => toValueExpression(v as ColumnOrValue))]);
  }

  isNull(): Column {
    return call("isnull", [this.expression]);
  }

  isNotNull(): Column {
    return call("isnotnull", [this.expression]);
  }

  /** True when the value is NaN (a float/double column). */
  isNaN(): Column {
    return call("isnan", [this.expression]);
  }

  // MARK: arithmetic

  plus(other: ColumnOrValue): Column {
    return this.binary("+", other);
  }

  minus(other: ColumnOrValue): Column {
    return this.binary("-", other);
  }

  multiply(other: ColumnOrValue): Column {
    return this.binary("*", other);
  }

  /** `this / other`: always fractional (double or decimal), as in SQL. */
  divide(other: ColumnOrValue): Column {
    return this.binary("/", other);
  }

  /** Remainder `this % other`, with the sign of the dividend. */
  mod(other: ColumnOrValue): Column {
    return this.binary("%", other);
  }

  bitwiseAND(other: ColumnOrValue): Column {
    return this.binary("&", other);
  }

  bitwiseOR(other: ColumnOrValue): Column {
    return this.binary("|", other);
  }

  bitwiseXOR(other: ColumnOrValue): Column {
    return this.binary("^", other);
  }

  // MARK: boolean logic

  and(other: ColumnOrValue): Column {
    return this.binary("and", other);
  }

  or(other: ColumnOrValue): Column {
    return this.binary("or", other);
  }

  not(): Column {
    return call("not", [this.expression]);
  }

  // MARK: strings

  /** SQL LIKE with `%` and `_` wildcards. */
  like(pattern: string): Column {
    return this.binary("like", pattern);
  }

  /** Case-insensitive LIKE. */
  ilike(pattern: string): Column {
    return this.binary("ilike", pattern);
  }

  /** Java regular-expression match anywhere in the string. */
  rlike(regex: string): Column {
    return this.binary("rlike", regex);
  }

  startswith(prefix: ColumnOrValue): Column {
    return this.binary("startswith", prefix);
  }

  endswith(suffix: ColumnOrValue): Column {
    return this.binary("endswith", suffix);
  }

  contains(other: ColumnOrValue): Column {
    return this.binary("contains", other);
  }

  /** Substring from the 1-based `startPos`, `length` characters (bytes for binary). */
  substr(startPos: Column | number, length: Column | number): Column {
    return call("substr", [this.expression, toValueExpression(startPos), toValueExpression(length)]);
  }

  // MARK: types and names

  /** `CAST(this AS type)`; `type` is a DDL string (`"int"`, `"decimal(10,2)"`) or a DataType. */
  cast(dataType: DataTypeLike): Column {
    return new Column(cast(this.expression, dataTypeArgument(dataType)));
  }

  /** Same as `cast`. */
  astype(dataType: DataTypeLike): Column {
    return this.cast(dataType);
  }

  /** Like `cast`, but yields null instead of failing on values that do not convert. */
  try_cast(dataType: DataTypeLike): Column {
    return new Column(cast(this.expression, dataTypeArgument(dataType), "try" satisfies CastEvalMode));
  }

  /**
   * Names the column. Several names are for expressions with several outputs (`posexplode`); `metadata`
   * (a JSON-serialisable object) is attached to the resulting field.
   */
  alias(...names: string[]): Column;
  alias(name: string, options: { metadata: Record<string, unknown> }): Column;
  alias(...args: (string | { metadata: Record<string, unknown> })[]): Column {
    const last = args.at(-1);
    const options = typeof last === "object" ? last : undefined;
    const names = (options ? args.slice(0, -1) : args) as string[];
    for (const name of names) {
      if (typeof name !== "string") throw new TypeError(`alias names must be strings, got ${String(name)}`);
    }
    if (options && names.length !== 1) {
      throw new Error(`alias metadata needs exactly one name, got ${names.length}`);
    }
    return new Column(alias(this.expression, names, options ? JSON.stringify(options.metadata) : undefined));
  }

  /** Same as `alias` (Spark's Scala name). */
  name(name: string): Column {
    return this.alias(name);
  }

  /** Same as `alias`. */
  as(...names: string[]): Column {
    return this.alias(...names);
  }

  // MARK: nested data

  /** `this[key]`: an array element by 0-based index or a map value by key. */
  getItem(key: ColumnOrValue): Column {
    return new Column(unresolvedExtractValue(this.expression, toValueExpression(key)));
  }

  /** A struct field by name. */
  getField(name: string): Column {
    if (typeof name !== "string") throw new TypeError(`getField takes a field name string, got ${String(name)}`);
    return new Column(unresolvedExtractValue(this.expression, literal(name)));
  }

  /** The struct with field `fieldName` added or replaced (a dotted name reaches into nested structs). */
  withField(fieldName: string, col: Column): Column {
    if (!(col instanceof Column)) throw new TypeError(`withField takes a Column value, got ${String(col)}`);
    return new Column(updateFields(this.expression, fieldName, col.expression));
  }

  /** The struct without the named fields. */
  dropFields(...fieldNames: string[]): Column {
    if (fieldNames.length === 0) throw new Error("dropFields needs at least one field name");
    let expr = this.expression;
    for (const name of fieldNames) expr = updateFields(expr, name);
    return new Column(expr);
  }

  // MARK: ordering

  /** Ascending sort key, nulls first (Spark's default for ascending). */
  asc(): Column {
    return new Column(sortOrder(this.expression, "ascending", "nullsFirst"));
  }

  asc_nulls_first(): Column {
    return this.asc();
  }

  asc_nulls_last(): Column {
    return new Column(sortOrder(this.expression, "ascending", "nullsLast"));
  }

  /** Descending sort key, nulls last (Spark's default for descending). */
  desc(): Column {
    return new Column(sortOrder(this.expression, "descending", "nullsLast"));
  }

  desc_nulls_first(): Column {
    return new Column(sortOrder(this.expression, "descending", "nullsFirst"));
  }

  desc_nulls_last(): Column {
    return this.desc();
  }

  // MARK: conditionals and windows

  /**
   * Adds a branch to a `when(...)` column: `F.when(c1, v1).when(c2, v2)`. Only valid on a column built by
   * `F.when` that has no `otherwise` yet.
   */
  when(condition: Column, value: ColumnOrValue): Column {
    const args = this.caseWhenArguments("when");
    return call("when", [...args, toCondition(condition, "when"), toValueExpression(value)]);
  }

  /** The value of a `when(...)` column when no branch matches (null when absent). */
  otherwise(value: ColumnOrValue): Column {
    const args = this.caseWhenArguments("otherwise");
    return call("when", [...args, toValueExpression(value)]);
  }

  /** This aggregate, ranking or analytic function evaluated over a window (the whole input when absent). */
  over(windowSpec?: WindowSpec): Column {
    if (windowSpec === undefined) return new Column(window(this.expression, [], []));
    return new Column(
      window(this.expression, windowSpec.partitionSpec, windowSpec.orderSpec, windowSpec.frame ?? undefined),
    );
  }

  /** A compact SQL-like rendering, for messages and debugging: `Column<(price * 2)>`. */
  toString(): string {
    return `Column<${describeExpression(this.expression)}>`;
  }

  private binary(name: string, other: ColumnOrValue): Column {
    return call(name, [this.expression, toValueExpression(other)]);
  }

  private caseWhenArguments(method: string): Expression[] {
    const e = this.expression.exprType;
    if (e.case !== "unresolvedFunction" || e.value.functionName !== "when" || e.value.arguments.length % 2 !== 0) {
      throw new Error(
        `${method}() applies only to a column built by F.when(...) without otherwise(), got ${this.toString()}`,
      );
    }
    return e.value.arguments;
  }
}

function call(name: string, args: Expression[]): Column {
  return new Column(unresolvedFunction(name, args));
}

function toCondition(condition: unknown, method: string): Expression {
  if (!(condition instanceof Column)) {
    throw new TypeError(`${method}() takes a Column condition, got ${JSON.stringify(condition) ?? String(condition)}`);
  }
  return condition.expression;
}

/**
 * The expression for a column name: `*` and `t.*` expand to all columns (of `t`); anything else is an
 * attribute parsed by the server, so `a.b` reaches a struct field and backticks quote dots (`` `a.b` ``).
 */
export function columnExpression(name: string): Expression {
  if (name === "*") return unresolvedStar();
  if (name.endsWith(".*")) return unresolvedStar(name);
  return unresolvedAttribute(name);
}

/** A Column for a Column or a column name. Throws, naming the value, for anything else. */
export function toColumn(c: ColumnOrName): Column {
  if (c instanceof Column) return c;
  if (typeof c === "string") return new Column(columnExpression(c));
  throw new TypeError(`expected a Column or a column name string, got ${describeValue(c)}`);
}

/** The proto expression of a Column or a column name. */
export function toExpression(c: ColumnOrName): Expression {
  return toColumn(c).expression;
}

/** A Column as is; any other value as a literal (a string is a string literal, not a column name). */
export function toValueColumn(v: ColumnOrValue): Column {
  return v instanceof Column ? v : new Column(literal(v));
}

/** The proto expression of a Column or a literal value. */
export function toValueExpression(v: ColumnOrValue): Expression {
  return v instanceof Column ? v.expression : literal(v);
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return value.constructor?.name ?? "object";
  if (typeof value === "bigint") return `${value}n`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

const INFIX = new Set(["==", "!=", "<=>", ">", ">=", "<", "<=", "+", "-", "*", "/", "%", "&", "|", "^", "and", "or"]);

/** A short, SQL-like text of an expression tree (not guaranteed to parse back). */
export function describeExpression(expr: Expression | undefined): string {
  if (expr === undefined) return "?";
  const e = expr.exprType;
  switch (e.case) {
    case "unresolvedAttribute":
      return e.value.unparsedIdentifier;
    case "unresolvedStar":
      return e.value.unparsedTarget ?? "*";
    case "literal": {
      const l = e.value.literalType;
      if (l.case === "null") return "NULL";
      if (l.case === "string") return `'${l.value}'`;
      if (l.case === "array") return `[${l.value.elements.length} elements]`;
      if (l.case === "map" || l.case === "struct" || l.case === "binary") return l.case;
      return String(l.value);
    }
    case "unresolvedFunction": {
      const args = e.value.arguments.map(describeExpression);
      if (INFIX.has(e.value.functionName) && args.length === 2) {
        return `(${args[0]} ${e.value.functionName.toUpperCase()} ${args[1]})`;
      }
      return `${e.value.functionName}(${e.value.isDistinct ? "DISTINCT " : ""}${args.join(", ")})`;
    }
    case "alias":
      return `${describeExpression(e.value.expr)} AS ${e.value.name.join(", ")}`;
    case "cast":
      return `CAST(${describeExpression(e.value.expr)} AS ${e.value.castToType.case === "typeStr" ? e.value.castToType.value : "type"})`;
    case "sortOrder":
      return `${describeExpression(e.value.child)} ${e.value.direction === 2 ? "DESC" : "ASC"}`;
    case "window":
      return `${describeExpression(e.value.windowFunction)} OVER (...)`;
    case "unresolvedExtractValue":
      return `${describeExpression(e.value.child)}[${describeExpression(e.value.extraction)}]`;
    case "expressionString":
      return e.value.expression;
    case "unresolvedNamedLambdaVariable":
      return e.value.nameParts.join(".");
    case "lambdaFunction":
      return `(${e.value.arguments.map((a) => a.nameParts.join(".")).join(", ")}) -> ${describeExpression(e.value.function)}`;
    default:
      return e.case ?? "?";
  }
}
