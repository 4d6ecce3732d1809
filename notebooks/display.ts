/**
 * How the notebooks show results inline in the Deno Jupyter kernel: result rows as HTML tables (with a text
 * fallback) and Vega-Lite charts, published as a bundle of the rendered SVG (shown everywhere: Jupyter,
 * VS Code, GitHub, nbconvert) and the Vega-Lite spec (interactive where the front-end renders Vega-Lite).
 * Only the notebooks import this module; it runs in Deno, so it may use `Deno.jupyter`.
 */
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import * as vl from "vega-lite";
import type { Row } from "../src/index.ts";

/** The symbol the Deno kernel looks for on a cell's last value to get its MIME bundle. */
const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A value the kernel displays as a MIME bundle. */
export interface Displayable {
  [JUPYTER_DISPLAY](): Record<string, unknown>;
}

function displayable(bundle: Record<string, unknown>): Displayable {
  return { [JUPYTER_DISPLAY]: () => bundle };
}

/** Publishes displayables now, in order (a cell shows its last value by itself; this shows several). */
export async function show(...items: Displayable[]): Promise<void> {
  for (const item of items) {
    await Deno.jupyter.display(item[JUPYTER_DISPLAY](), { raw: true });
  }
}

/** Markdown, as a displayable (for a heading or a sentence between tables). */
export function markdown(text: string): Displayable {
  return displayable({ "text/markdown": text, "text/plain": text });
}

/** A result value as text, exactly: bigint and Decimal digits as they are, null as "null". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (value instanceof Date) return value.toISOString();
  // Decimal, LocalDate, Timestamp… print themselves exactly; plain objects (structs) as JSON-like text.
  if (Object.getPrototypeOf(value) !== Object.prototype) return String(value);
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(", ")}}`;
}

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const isNumeric = (value: unknown) =>
  typeof value === "number" ||
  typeof value === "bigint" ||
  (value !== null && typeof value === "object" && value.constructor?.name === "Decimal");

export interface TableOptions {
  /** A caption above the table. */
  title?: string;
  /** Columns to show, in order (default: the first row's keys). */
  columns?: readonly string[];
  /** Rows to show at most (default 20); the caption says how many were left out. */
  limit?: number;
}

/** Result rows as a table: HTML for notebook front-ends, aligned text as the plain fallback. */
export function table(rows: readonly Row[], options: TableOptions = {}): Displayable {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const limit = options.limit ?? 20;
  const shown = rows.slice(0, limit);
  const more = rows.length > limit ? ` (first ${limit} of ${rows.length} rows)` : "";
  const caption = options.title || more ? `${options.title ?? ""}${more}` : "";
  const cells = shown.map((row) => columns.map((c) => formatValue(row[c])));
  const html = [
    "<table>",
    caption ? `<caption style="text-align:left"><b>${escapeHtml(caption)}</b></caption>` : "",
    `<thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...shown.map(
      (row, r) =>
        `<tr>${columns
          .map((c, i) => {
            const align = isNumeric(row[c]) ? ' style="text-align:right"' : "";
            return `<td${align}>${escapeHtml(cells[r]![i]!)}</td>`;
          })
          .join("")}</tr>`,
    ),
    "</tbody></table>",
  ].join("");
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const text = [
    ...(caption ? [caption] : []),
    line(columns),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
  ].join("\n");
  return displayable({ "text/html": html, "text/plain": text });
}

/**
 * A number for plotting only: counts (bigint) and money (Decimal) become JS numbers, which is fine for a
 * chart's geometry and never used for a figure quoted in words.
 */
export function plotNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  const n = Number(String(value));
  if (Number.isNaN(n)) throw new Error(`plotNumber: ${formatValue(value)} is not a number`);
  return n;
}

/** Rows with the named numeric fields converted by `plotNumber`, for a chart's inline data. */
export function plotRows(rows: readonly Row[], numeric: readonly string[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      out[key] = numeric.includes(key) ? plotNumber(value) : value === null ? null : formatValue(value);
    }
    return out;
  });
}

/** Renders a Vega-Lite spec to SVG (server-side, with the project's vega and vega-lite). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * A Vega-Lite chart: the SVG rendered here plus the spec under Jupyter's Vega-Lite v5 MIME type (the specs
 * in these notebooks use only v5 features, so a v5 renderer draws them too).
 */
export async function chart(spec: TopLevelSpec): Promise<Displayable> {
  const withDefaults = { width: 480, height: 260, ...spec } as TopLevelSpec;
  const svg = await renderSvg(withDefaults);
  const title = typeof spec.title === "string" ? spec.title : "chart";
  return displayable({
    "image/svg+xml": svg,
    "application/vnd.vegalite.v5+json": {
      ...withDefaults,
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    },
    "text/plain": `[chart] ${title}`,
  });
}
