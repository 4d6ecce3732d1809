/**
 * `Window` and `WindowSpec`: immutable descriptions of `OVER (PARTITION BY … ORDER BY … frame)` that
 * `Column.over` turns into an `Expression.Window`. Frame bounds follow PySpark: offsets relative to the
 * current row, with `Window.unboundedPreceding`/`unboundedFollowing` (the int64 extremes) meaning unbounded.
 *
 * @see python/pyspark/sql/window.py (PySpark's twin), proto/spark/connect/expressions.proto Expression.Window
 */
import type { Expression, FrameBoundary, WindowFrame } from "../plan/expressions.ts";
import { literal } from "../plan/literals.ts";
import { Column, type ColumnOrName, toExpression } from "./column.ts";

/** A frame bound: an offset from the current row (negative = preceding), or a Column for range frames (e.g. an interval). */
export type FrameBound = number | bigint | Column;

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function isUnboundedPreceding(bound: number | bigint): boolean {
  return typeof bound === "bigint" ? bound <= LONG_MIN : bound <= Number.MIN_SAFE_INTEGER;
}

function isUnboundedFollowing(bound: number | bigint): boolean {
  return typeof bound === "bigint" ? bound >= LONG_MAX : bound >= Number.MAX_SAFE_INTEGER;
}

function toBoundary(bound: FrameBound, side: "start" | "end", frameType: "rows" | "range"): FrameBoundary {
  if (bound instanceof Column) {
    if (frameType === "rows") throw new TypeError("rowsBetween takes integer offsets, not Columns");
    return { kind: "value", value: bound.expression };
  }
  if (typeof bound === "number" && !Number.isInteger(bound) && Number.isFinite(bound)) {
    throw new RangeError(`window frame ${side} must be an integer offset, got ${bound}`);
  }
  if (typeof bound !== "number" && typeof bound !== "bigint") {
    throw new TypeError(`window frame ${side} must be a number, bigint or Column, got ${String(bound)}`);
  }
  if (side === "start" && isUnboundedPreceding(bound)) return { kind: "unbounded" };
  if (side === "end" && isUnboundedFollowing(bound)) return { kind: "unbounded" };
  if (bound === 0 || bound === 0n) return { kind: "currentRow" };
  if (isUnboundedPreceding(bound) || isUnboundedFollowing(bound)) {
    throw new RangeError(
      `window frame ${side} cannot be unbounded ${side === "start" ? "following" : "preceding"}, got ${String(bound)}`,
    );
  }
  return { kind: "value", value: literal(bound) };
}

/** A window specification; build one with the static methods of `Window`. */
export class WindowSpec {
  readonly partitionSpec: readonly Expression[];
  readonly orderSpec: readonly Expression[];
  readonly frame: WindowFrame | null;

  constructor(partitionSpec: readonly Expression[], orderSpec: readonly Expression[], frame: WindowFrame | null) {
    this.partitionSpec = partitionSpec;
    this.orderSpec = orderSpec;
    this.frame = frame;
  }

  /** Rows with equal values of these columns form one window; replaces any previous partitioning. */
  partitionBy(...cols: ColumnOrName[] | [readonly ColumnOrName[]]): WindowSpec {
    return new WindowSpec(flattenColumns(cols).map(toExpression), this.orderSpec, this.frame);
  }

  /** Order within each partition; Columns may carry `asc()`/`desc()` and null ordering. */
  orderBy(...cols: ColumnOrName[] | [readonly ColumnOrName[]]): WindowSpec {
    return new WindowSpec(this.partitionSpec, flattenColumns(cols).map(toExpression), this.frame);
  }

  /** A frame of physical rows, `start` and `end` relative to the current row (both inclusive). */
  rowsBetween(start: number | bigint, end: number | bigint): WindowSpec {
    return this.withFrame("rows", start, end);
  }

  /** A frame of rows whose order value lies within `[current + start, current + end]`. */
  rangeBetween(start: FrameBound, end: FrameBound): WindowSpec {
    return this.withFrame("range", start, end);
  }

  private withFrame(type: "rows" | "range", start: FrameBound, end: FrameBound): WindowSpec {
    const frame: WindowFrame = { type, lower: toBoundary(start, "start", type), upper: toBoundary(end, "end", type) };
    return new WindowSpec(this.partitionSpec, this.orderSpec, frame);
  }
}

function flattenColumns(cols: ColumnOrName[] | [readonly ColumnOrName[]]): ColumnOrName[] {
  return cols.length === 1 && Array.isArray(cols[0])
    ? [...(cols[0] as readonly ColumnOrName[])]
    : (cols as ColumnOrName[]);
}

/** Entry points for window specifications, as PySpark's `Window`. */
export const Window = {
  /** The int64 minimum: as a frame start, "from the first row of the partition". */
  unboundedPreceding: LONG_MIN,
  /** The int64 maximum: as a frame end, "to the last row of the partition". */
  unboundedFollowing: LONG_MAX,
  /** 0: the current row as a frame bound. */
  currentRow: 0n,

  partitionBy(...cols: ColumnOrName[] | [readonly ColumnOrName[]]): WindowSpec {
    return new WindowSpec([], [], null).partitionBy(...cols);
  },
  orderBy(...cols: ColumnOrName[] | [readonly ColumnOrName[]]): WindowSpec {
    return new WindowSpec([], [], null).orderBy(...cols);
  },
  rowsBetween(start: number | bigint, end: number | bigint): WindowSpec {
    return new WindowSpec([], [], null).rowsBetween(start, end);
  },
  rangeBetween(start: FrameBound, end: FrameBound): WindowSpec {
    return new WindowSpec([], [], null).rangeBetween(start, end);
  },
} as const;
