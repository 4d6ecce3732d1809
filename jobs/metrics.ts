/**
 * Small column formulas the jobs share, so a percentage or a growth rate means the same thing in every
 * result table.
 */
import { type Column, functions as F } from "../src/index.ts";

/**
 * 100 × part / whole rounded to 2 decimals, as a double (a display ratio, unlike money); null when the whole
 * is null or zero.
 */
export function percent(part: Column, whole: Column): Column {
  const ratio = part.cast("double").multiply(100).divide(whole);
  return F.when(whole.isNull().or(whole.eq(0)), F.lit(null)).otherwise(F.round(ratio, 2));
}

/** Growth of `current` over `previous` in %, rounded to 2 decimals; null without a previous value. */
export function growthPercent(current: Column, previous: Column): Column {
  return percent(current.minus(previous), previous);
}
