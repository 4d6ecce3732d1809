import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DOC_PATH,
  missingReason,
  readReference,
  renderArguments,
  renderFunctionsDoc,
} from "../../../../scripts/functions-doc.ts";
import { type FunctionEntry, REGISTRY } from "../../../../src/connect/functions/registry.ts";

const rows = REGISTRY as readonly FunctionEntry[];
const names = new Set(rows.map((r) => r.name));
const reference = [...readReference().values()].flat();

describe("docs/functions.md ties the registry to PySpark's function list", () => {
  it("is up to date (regenerate with `npx tsx scripts/gen-functions-doc.ts`)", () => {
    expect(readFileSync(DOC_PATH, "utf8")).toBe(renderFunctionsDoc());
  });

  it("every PySpark function is in the registry or has a recorded reason for its absence", () => {
    const unexplained = reference.filter((n) => !names.has(n) && missingReason(n) === undefined);
    expect(unexplained).toEqual([]);
  });

  it("no recorded reason hides a function that the registry has", () => {
    const contradicted = reference.filter((n) => names.has(n) && missingReason(n) !== undefined);
    expect(contradicted).toEqual([]);
  });

  it("every registry row is a PySpark function name (the deprecated aliases are not on its reference pages)", () => {
    const extras = rows.filter((r) => !reference.includes(r.name));
    expect(extras.filter((r) => r.category !== "deprecated")).toEqual([]);
    expect(rows.filter((r) => r.category === "deprecated" && reference.includes(r.name))).toEqual([]);
  });

  it("covers every function the issue names", () => {
    const required =
      "col lit expr when coalesce nullif greatest least isnan count count_distinct approx_count_distinct sum avg min max first last collect_list collect_set percentile_approx stddev variance count_if sum_distinct round floor ceil abs sqrt log pow concat concat_ws lower upper trim substring regexp_extract regexp_replace split length format_string current_date current_timestamp to_date to_timestamp date_trunc date_format date_add date_sub datediff months_between year month dayofweek dayofmonth hour window session_window from_unixtime unix_timestamp array struct named_struct create_map explode posexplode size array_contains element_at sort_array array_sort transform filter aggregate flatten md5 sha2 hash xxhash64 broadcast row_number rank dense_rank percent_rank ntile lag lead".split(
        " ",
      );
    expect(required.filter((n) => !names.has(n))).toEqual([]);
  });

  it("renders argument shapes readably", () => {
    const row = (name: string) => rows.find((r) => r.name === name)!;
    expect(renderArguments(row("round"))).toBe("(col, value?)");
    expect(renderArguments(row("concat_ws"))).toBe("(value, ...cols)");
    expect(renderArguments(row("from_json"))).toBe("(col, schema, options?)");
    expect(renderArguments(row("transform"))).toBe("(col, (x, i?) => Column)");
  });
});
