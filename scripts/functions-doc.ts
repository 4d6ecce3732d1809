/**
 * Renders docs/functions.md from the function registry and PySpark's list of function names
 * (docs/reference/pyspark-functions.txt): what `F` offers, with which arguments, and which PySpark functions
 * are missing and why. `gen-functions-doc.ts` writes the file; a unit test fails when it is stale.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseSignature } from "../src/connect/functions/index.ts";
import { CATEGORIES, type FunctionEntry, REGISTRY } from "../src/connect/functions/registry.ts";

export const REFERENCE_PATH = fileURLToPath(new URL("../docs/reference/pyspark-functions.txt", import.meta.url));
export const DOC_PATH = fileURLToPath(new URL("../docs/functions.md", import.meta.url));

/** Why a PySpark function has no twin in `F`; every name of the reference list not in the registry needs one. */
export const NOT_IMPLEMENTED: Readonly<Record<string, string>> = {
  jaro_winkler_similarity: "not a function of the Spark 4.1.3 server",
  current_path: "not a function of the Spark 4.1.3 server",
  counter_diff: "not a function of the Spark 4.1.3 server",
  timestamp_nanos: "not a function of the Spark 4.1.3 server",
  unix_nanos: "not a function of the Spark 4.1.3 server",
  time_bucket: "not a function of the Spark 4.1.3 server",
  time_from_micros: "not a function of the Spark 4.1.3 server",
  time_from_millis: "not a function of the Spark 4.1.3 server",
  time_from_seconds: "not a function of the Spark 4.1.3 server",
  time_to_micros: "not a function of the Spark 4.1.3 server",
  time_to_millis: "not a function of the Spark 4.1.3 server",
  time_to_seconds: "not a function of the Spark 4.1.3 server",
  is_valid_variant: "not a function of the Spark 4.1.3 server",
  variant_array_append: "not a function of the Spark 4.1.3 server",
  variant_delete: "not a function of the Spark 4.1.3 server",
  variant_strip_nulls: "not a function of the Spark 4.1.3 server",
  variant_insert: "not a function of the Spark 4.1.3 server",
  try_variant_insert: "not a function of the Spark 4.1.3 server",
  variant_set: "not a function of the Spark 4.1.3 server",
  udf: "runs Python code in Python workers; a JS client cannot ship JS functions to Spark",
  pandas_udf: "runs Python code in Python workers; a JS client cannot ship JS functions to Spark",
  arrow_udf: "runs Python code in Python workers; a JS client cannot ship JS functions to Spark",
  udtf: "runs Python code in Python workers; a JS client cannot ship JS functions to Spark",
  arrow_udtf: "runs Python code in Python workers; a JS client cannot ship JS functions to Spark",
};
for (const prefix of ["tuple_", "vector_"]) {
  // Tuple sketches and vector functions arrived after Spark 4.1 (the reference list is from master).
  (NOT_IMPLEMENTED as Record<string, string>)[prefix] = "not a function of the Spark 4.1.3 server";
}

/** Extra remarks shown in the table. */
const NOTES: Readonly<Record<string, string>> = {
  make_time: "TIME type: needs `spark.sql.timeType.enabled=true` on Spark 4.1",
  time_diff: "TIME type: needs `spark.sql.timeType.enabled=true` on Spark 4.1",
  time_trunc: "TIME type: needs `spark.sql.timeType.enabled=true` on Spark 4.1",
  to_time: "TIME type: needs `spark.sql.timeType.enabled=true` on Spark 4.1",
  try_to_time: "TIME type: needs `spark.sql.timeType.enabled=true` on Spark 4.1",
  st_asbinary: "needs `spark.sql.geospatial.enabled=true` on Spark 4.1",
  st_geogfromwkb: "needs `spark.sql.geospatial.enabled=true` on Spark 4.1",
  st_geomfromwkb: "needs `spark.sql.geospatial.enabled=true` on Spark 4.1",
  st_setsrid: "needs `spark.sql.geospatial.enabled=true` on Spark 4.1",
  st_srid: "needs `spark.sql.geospatial.enabled=true` on Spark 4.1",
  grouping: "only inside rollup/cube aggregations",
  grouping_id: "only inside rollup/cube aggregations",
  log: "`log(col)` is the natural log, `log(base, col)` any base",
  window: "tumbling or sliding event-time windows; durations as interval strings",
  broadcast: "takes a DataFrame, returns it with the `broadcast` hint",
};

/** PySpark's names by section, from the reference file (comments and blank lines skipped). */
export function readReference(text = readFileSync(REFERENCE_PATH, "utf8")): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = [];
      sections.set(header[1]!, current);
    } else if (current) {
      current.push(line);
    } else {
      throw new Error(`pyspark-functions.txt: name ${line} before any [section]`);
    }
  }
  return sections;
}

/** Why `name` is missing, or undefined when there is no recorded reason. */
export function missingReason(name: string): string | undefined {
  return (
    NOT_IMPLEMENTED[name] ??
    Object.entries(NOT_IMPLEMENTED).find(([key]) => key.endsWith("_") && name.startsWith(key))?.[1]
  );
}

const TOKEN_WORDS = { c: "col", v: "value", n: "col|value", o: "options", t: "schema" } as const;

/** The argument list of a registry row as shown in the docs: `(col, value?)`, `(value, ...cols)`. */
export function renderArguments(entry: FunctionEntry): string {
  if (entry.sig === "special") {
    if (entry.args === undefined) throw new Error(`registry row ${entry.name} is special but has no args text`);
    return entry.args;
  }
  const words = parseSignature(entry.name, entry.sig).map((t) => {
    const word = TOKEN_WORDS[t.kind];
    if (t.variadic) return `...${word === "col" ? "cols" : `${word}s`}`;
    return t.optional ? `${word}?` : word;
  });
  return `(${words.join(", ")})`;
}

/** How `lit()` maps JS values, and the conventions of lambdas and windows (kept beside the generated tables). */
const LITERALS_SECTION = [
  "## Literals: `lit(value)`",
  "",
  "| JS value | Spark type |",
  "|---|---|",
  '| `null`, `undefined` | `void` (untyped null); `lit(null).cast("int")` is a typed null |',
  "| `boolean` | `boolean` |",
  "| `number`, integer in [-2^31, 2^31-1] | `int` |",
  "| `number`, other integer within ±(2^53-1) | `bigint`, as PySpark makes a Python int beyond int32 a long |",
  "| `number`, anything else (fraction, NaN, ±Infinity, -0, integer beyond 2^53) | `double` |",
  "| `bigint` (int64 range, else an error) | `bigint` |",
  "| `string` | `string` |",
  "| `Date` | `timestamp` (the instant, millisecond precision) |",
  "| `Uint8Array` / `Buffer` | `binary` |",
  "| `Decimal` | `decimal(precision, scale)` of the value |",
  "| `LocalDate` / `Timestamp` / `LocalDateTime` / `LocalTime` | `date` / `timestamp` / `timestamp_ntz` / `time(6)` |",
  "| `YearMonthInterval` / `DayTimeInterval` / `CalendarInterval` | `interval year to month` / `interval day to second` / `interval` |",
  "| array | `array<T>`, T the common element type (int → bigint → double widen, decimals to a common scale; `[]` is `array<void>`) |",
  "| `Map` | `map<K,V>` (no null keys) |",
  "| plain object | `struct<…>`, one field per own key, in key order |",
  "",
  'Values with no common type (`[1, "a"]`) and values with no Spark twin are refused with an error naming them.',
  "For an explicit type use `typedLiteral(value, dataType)` from `plan/literals.ts`.",
  "Column operators (`eq`, `plus`, `isin`, …) and `value` arguments take the same values; there a string is a",
  "literal, while `col` arguments read a string as a column name.",
  "",
  'Lambdas of higher-order functions are JS callbacks over Columns: `F.transform("xs", (x) => x.plus(1))`,',
  '`F.filter("xs", (x, i) => i.gt(0))`; each parameter gets a fresh variable name, so nested lambdas never',
  "capture each other's variables. Window functions take `.over(Window.partitionBy(…).orderBy(…).rowsBetween(…))`;",
  "`Window.unboundedPreceding` / `unboundedFollowing` are the int64 extremes (±Infinity works too) and",
  "`Window.currentRow` is 0.",
  "",
];

export function renderFunctionsDoc(): string {
  const reference = readReference();
  const rows = REGISTRY as readonly FunctionEntry[];
  const byName = new Map(rows.map((r) => [r.name, r]));
  const referenceNames = [...reference.values()].flat();
  const covered = referenceNames.filter((n) => byName.has(n));
  const extras = rows.filter((r) => !referenceNames.includes(r.name));

  const out: string[] = [];
  out.push("# Functions (`F`)");
  out.push("");
  out.push(
    "<!-- Generated by `npx tsx scripts/gen-functions-doc.ts` from src/connect/functions/registry.ts; do not edit. -->",
  );
  out.push("");
  out.push(
    '`import { functions as F } from "retail-lab"` gives every function below under its PySpark name. ' +
      "Each generated function comes from one row of `src/connect/functions/registry.ts`; the special forms " +
      "(`col`, `lit`, `when`, lambdas, …) are written by hand in `special.ts`.",
  );
  out.push("");
  out.push(
    `**Coverage: ${covered.length} of the ${referenceNames.length} functions in PySpark's function reference** ` +
      "(`docs/reference/pyspark-functions.txt`, taken from apache/spark `functions.rst` after the 4.1 branch cut). " +
      `The other ${referenceNames.length - covered.length} are listed at the end with the reason.`,
  );
  out.push("");
  out.push("Arguments: `col` is a Column or a column name; `value` a Column or a JS value made a literal with `lit`");
  out.push(
    "(a string is a string literal); `col|value` a Column, a column name (string) or a literal (anything else);",
  );
  out.push("`options` an object or Map sent as `map<string,string>`; `schema` a DataType, a DDL/JSON string or a");
  out.push("Column. `?` marks an optional argument; `...cols` also accepts one array of columns.");
  out.push("");
  out.push("| Section | In PySpark | In `F` |");
  out.push("|---|---:|---:|");
  for (const [section, names] of reference) {
    out.push(`| ${section} | ${names.length} | ${names.filter((n) => byName.has(n)).length} |`);
  }
  out.push(`| **Total** | **${referenceNames.length}** | **${covered.length}** |`);
  out.push("");

  out.push(...LITERALS_SECTION);

  for (const [key, title] of Object.entries(CATEGORIES)) {
    const inSection = rows.filter((r) => r.category === key);
    if (inSection.length === 0) continue;
    out.push(`## ${title}`);
    out.push("");
    out.push("| Function | Kind | Arguments | Spark function | Notes |");
    out.push("|---|---|---|---|---|");
    for (const r of inSection) {
      const spark =
        r.sig === "special" ? "(special.ts)" : `\`${r.sparkName ?? r.name}\`${r.distinct ? " DISTINCT" : ""}`;
      const notes = [r.seeded ? "seed drawn on the client when omitted" : "", NOTES[r.name] ?? ""]
        .filter((n) => n !== "")
        .join("; ");
      out.push(`| \`${r.name}\` | ${r.kind} | \`${renderArguments(r)}\` | ${spark} | ${notes} |`);
    }
    out.push("");
  }

  out.push("## Not in `F`");
  out.push("");
  out.push("| PySpark function | Section | Reason |");
  out.push("|---|---|---|");
  for (const [section, names] of reference) {
    for (const name of names) {
      if (byName.has(name)) continue;
      out.push(`| \`${name}\` | ${section} | ${missingReason(name) ?? "**no reason recorded**"} |`);
    }
  }
  out.push("");
  if (extras.length > 0) {
    out.push("## In `F` but not in the PySpark reference list");
    out.push("");
    out.push("Deprecated PySpark aliases, kept so older PySpark code ports unchanged:");
    out.push("");
    for (const r of extras) out.push(`- \`${r.name}\``);
    out.push("");
  }
  return out.join("\n");
}
