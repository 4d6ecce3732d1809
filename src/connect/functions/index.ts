/**
 * `functions` (imported as `F` by convention, like `pyspark.sql.functions`): one function per registry row,
 * generated from its argument shape, plus the hand-written special forms. The TypeScript signature of each
 * generated function is derived from the same shape string, so the table is the single source of truth.
 *
 * @see ./registry.ts (the table), ./special.ts (the special forms)
 */
import {
  Column,
  type ColumnOrName,
  type ColumnOrValue,
  columnExpression,
  toExpression,
  toValueExpression,
} from "../dataframe/column.ts";
import { type Expression, unresolvedFunction } from "../plan/expressions.ts";
import { type LiteralValue, literal } from "../plan/literals.ts";
import type { DataType } from "../types/data-types.ts";
import { type FunctionEntry, REGISTRY, type RegistryEntry } from "./registry.ts";
import * as special from "./special.ts";

/** Reader options for `from_json`/`from_csv`/… : sent as a `map<string,string>`, values stringified. */
export type FunctionOptions = Readonly<Record<string, string | number | boolean>> | ReadonlyMap<string, unknown>;

/** A schema argument: a DataType, a DDL (`"a INT, b STRING"`) or JSON schema string, or a Column. */
export type SchemaLike = DataType | string | Column;

type Token<K extends string> = K extends "c"
  ? ColumnOrName
  : K extends "v"
    ? ColumnOrValue
    : K extends "n"
      ? Column | LiteralValue
      : K extends "o"
        ? FunctionOptions
        : K extends "t"
          ? SchemaLike
          : never;

type Split<S extends string> = S extends ""
  ? []
  : S extends `${infer Head},${infer Rest}`
    ? [Head, ...Split<Rest>]
    : [S];

type Params<T extends readonly string[]> = T extends [infer H extends string, ...infer R extends string[]]
  ? H extends `${infer K}?`
    ? [Token<K>?, ...Params<R>]
    : H extends `${infer K}*`
      ? K extends "c"
        ? (ColumnOrName | readonly ColumnOrName[])[]
        : Token<K>[]
      : [Token<H>, ...Params<R>]
  : [];

type GeneratedEntry = Exclude<RegistryEntry, { sig: "special" }>;

/** The generated part of `functions`, typed from the registry's shape strings. */
export type GeneratedFunctions = {
  readonly [E in GeneratedEntry as E["name"]]: (...args: Params<Split<E["sig"]>>) => Column;
};

interface ParsedToken {
  kind: "c" | "v" | "n" | "o" | "t";
  optional: boolean;
  variadic: boolean;
}

/** Parses a registry shape string; throws for a malformed one (so a bad row fails at import, and in tests). */
export function parseSignature(name: string, sig: string): ParsedToken[] {
  if (sig === "") return [];
  const tokens = sig.split(",").map((text, i, all) => {
    const m = /^([cvnot])([?*]?)$/.exec(text);
    if (!m) throw new Error(`registry row ${name}: bad argument token ${JSON.stringify(text)} in "${sig}"`);
    const variadic = m[2] === "*";
    if (variadic && i !== all.length - 1) throw new Error(`registry row ${name}: "*" must be last in "${sig}"`);
    return { kind: m[1] as ParsedToken["kind"], optional: m[2] === "?", variadic };
  });
  const firstOptional = tokens.findIndex((t) => t.optional);
  if (firstOptional >= 0 && tokens.slice(firstOptional).some((t) => !t.optional && !t.variadic)) {
    throw new Error(`registry row ${name}: a required argument follows an optional one in "${sig}"`);
  }
  return tokens;
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "object" && value !== null) return value.constructor?.name ?? "object";
  return JSON.stringify(value) ?? String(value);
}

function optionsExpression(name: string, options: unknown): Expression {
  const entries =
    options instanceof Map
      ? [...options.entries()]
      : typeof options === "object" && options !== null && !(options instanceof Column)
        ? Object.entries(options)
        : undefined;
  if (entries === undefined) {
    throw new TypeError(`${name}() options must be an object or a Map of option values, got ${describe(options)}`);
  }
  // The server accepts options only as a `map(...)` call (INVALID_OPTIONS.NON_MAP_FUNCTION for a map literal).
  return unresolvedFunction(
    "map",
    entries.flatMap(([k, v]) => [literal(String(k)), literal(String(v))]),
  );
}

function schemaExpression(name: string, schema: unknown): Expression {
  if (schema instanceof Column) return schema.expression;
  if (typeof schema === "string") return literal(schema);
  if (typeof schema === "object" && schema !== null && "json" in schema && typeof schema.json === "function") {
    return literal((schema as DataType).json());
  }
  throw new TypeError(`${name}() schema must be a DataType, a schema string or a Column, got ${describe(schema)}`);
}

function argumentExpression(name: string, token: ParsedToken, value: unknown): Expression {
  switch (token.kind) {
    case "c":
      return toExpression(value as ColumnOrName);
    case "v":
      return toValueExpression(value as ColumnOrValue);
    case "n":
      return typeof value === "string" ? columnExpression(value) : toValueExpression(value as ColumnOrValue);
    case "o":
      return optionsExpression(name, value);
    case "t":
      return schemaExpression(name, value);
  }
}

function randomSeed(): number {
  // A non-negative int32: every seeded Spark function accepts an INT seed, not all accept a BIGINT.
  return Math.floor(Math.random() * 2 ** 31);
}

/** Builds the JS function for one registry row. */
export function generatedFunction(entry: FunctionEntry): (...args: unknown[]) => Column {
  const tokens = parseSignature(entry.name, entry.sig);
  const required = tokens.filter((t) => !t.optional && !t.variadic).length;
  const variadic = tokens.at(-1)?.variadic === true;
  const sparkName = entry.sparkName ?? entry.name;
  const options = entry.distinct ? { isDistinct: true } : {};
  return (...args: unknown[]): Column => {
    let given = args.length;
    while (given > required && args[given - 1] === undefined) given--;
    if (given < required || (!variadic && given > tokens.length)) {
      const arity = variadic
        ? `at least ${required}`
        : required === tokens.length
          ? `${required}`
          : `${required} to ${tokens.length}`;
      throw new TypeError(`${entry.name}() takes ${arity} argument(s) (${entry.sig || "none"}), got ${given}`);
    }
    const expressions: Expression[] = [];
    for (let i = 0; i < given; i++) {
      const token = tokens[Math.min(i, tokens.length - 1)]!;
      const value = args[i];
      if (value === undefined) {
        throw new TypeError(`${entry.name}() argument ${i + 1} is undefined but a later argument is given`);
      }
      if (token.variadic && token.kind === "c" && Array.isArray(value)) {
        for (const item of value) expressions.push(argumentExpression(entry.name, token, item));
      } else {
        expressions.push(argumentExpression(entry.name, token, value));
      }
    }
    if (entry.seeded && given < tokens.length) expressions.push(literal(randomSeed()));
    if (entry.argOrder && expressions.length === entry.argOrder.length) {
      const given = [...expressions];
      entry.argOrder.forEach((from, to) => {
        expressions[to] = given[from]!;
      });
    }
    return new Column(unresolvedFunction(sparkName, expressions, options));
  };
}

/** The special.ts implementation of a registry name; dotted names reach into namespaces (`partitioning.years`). */
export function specialFunction(name: string): unknown {
  return name
    .split(".")
    .reduce<unknown>((scope, part) => (scope as Record<string, unknown> | undefined)?.[part], special);
}

function buildGenerated(): GeneratedFunctions {
  const out: Record<string, (...args: unknown[]) => Column> = {};
  for (const entry of REGISTRY as readonly FunctionEntry[]) {
    if (entry.sig === "special") {
      if (typeof specialFunction(entry.name) !== "function") {
        throw new Error(`registry row ${entry.name} is special but special.ts does not export it`);
      }
      continue;
    }
    out[entry.name] = generatedFunction(entry);
  }
  return out as unknown as GeneratedFunctions;
}

/** Every function: `import { functions as F } from "retail-lab"`, then `F.sum("amount")`. */
export const functions: GeneratedFunctions & typeof special = Object.freeze({ ...buildGenerated(), ...special });

export type Functions = typeof functions;

export {
  broadcast,
  call_function,
  col,
  column,
  expr,
  lit,
  when,
} from "./special.ts";
