/**
 * Every generated function of the registry, called with its fewest and its most arguments, is analysed by
 * the real server: the name must resolve and the argument count must be accepted (a wrong name or shape
 * gives UNRESOLVED_ROUTINE / WRONG_NUM_ARGS). Argument *types* are placeholders, so type errors are fine
 * here; values are checked in functions.test.ts and window.test.ts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Column } from "../../src/connect/dataframe/column.ts";
import { functions as F, parseSignature } from "../../src/connect/functions/index.ts";
import { type FunctionEntry, REGISTRY } from "../../src/connect/functions/registry.ts";
import { ExpressionProbe } from "./support/expression-probe.ts";

let probe: ExpressionProbe;
beforeAll(async () => {
  probe = ExpressionProbe.open(inject("sparkRemote"));
  // Off by default in Spark 4.1; enabled for this session only so their functions can be analysed too.
  await probe.setConf({ "spark.sql.timeType.enabled": "true", "spark.sql.geospatial.enabled": "true" });
});
afterAll(() => probe.close());

const SHAPE_ERRORS = /UNRESOLVED_ROUTINE|WRONG_NUM_ARGS|INVALID_FUNCTION|NON_MAP_FUNCTION|CANNOT_PARSE_DATATYPE/;

function sampleArguments(entry: FunctionEntry, most: boolean): unknown[] {
  const args: unknown[] = [];
  for (const token of parseSignature(entry.name, entry.sig)) {
    if (token.optional && !most) break;
    const sample = { c: "i", v: 1, n: 1, o: { k: "v" }, t: "a INT" }[token.kind];
    // Variadic tails get two values (four at most): several server functions need at least two, and
    // named_struct/map need an even count.
    args.push(sample);
    if (token.variadic) args.push(...Array<unknown>(most ? 3 : 1).fill(sample));
  }
  return args;
}

const generated = (REGISTRY as readonly FunctionEntry[]).filter((e) => e.sig !== "special");

describe("every registry row resolves on the server", () => {
  it(`${generated.length} generated functions, fewest and most arguments`, async () => {
    const failures: string[] = [];
    for (const entry of generated) {
      for (const most of [false, true]) {
        const column = (F as unknown as Record<string, (...a: unknown[]) => Column>)[entry.name]!(
          ...sampleArguments(entry, most),
        );
        try {
          await probe.schema([column], "SELECT 1 AS i, 'a' AS s");
        } catch (error) {
          const message = String((error as Error).message);
          if (SHAPE_ERRORS.test(message))
            failures.push(`${entry.name} (${most ? "most" : "fewest"}): ${message.slice(0, 160)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
