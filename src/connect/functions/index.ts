/**
 * `functions` (imported as `F` by convention, like PySpark's `pyspark.sql.functions`): every built-in
 * from the registry table plus the hand-written special forms.
 *
 * @see python/pyspark/sql/functions/builtin.py
 */
import * as special from "./special.ts";

export const functions = { ...special } as const;

export { broadcast, col, column, expr, lit, when } from "./special.ts";
