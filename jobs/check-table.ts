/**
 * The shape of a job's self-checks: named (expected, actual) pairs computed by Spark from one-row frames,
 * unpivoted into (check, expected, actual, passed) rows that `verify` reads and the results show.
 */
import { type Column, type DataFrame, functions as F } from "../src/index.ts";

/** One-row frames, cross-joined, unpivoted into (check, expected, actual, passed) rows. */
export function checkTable(parts: readonly DataFrame[], checks: ReadonlyArray<[string, Column, Column]>): DataFrame {
  const joined = parts.slice(1).reduce((acc, part) => acc.crossJoin(part), parts[0]!);
  return joined
    .select(
      F.explode(
        F.array(
          ...checks.map(([name, expected, actual], i) =>
            F.struct(
              F.lit(i + 1).alias("n"),
              F.lit(name).alias("check"),
              expected.cast("string").alias("expected"),
              actual.cast("string").alias("actual"),
            ),
          ),
        ),
      ).alias("c"),
    )
    .select(
      "c.n",
      "c.check",
      "c.expected",
      "c.actual",
      F.col("c.expected").eqNullSafe(F.col("c.actual")).alias("passed"),
    )
    .orderBy("n")
    .drop("n");
}
