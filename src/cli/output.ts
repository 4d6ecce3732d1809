/**
 * The only module that writes to the terminal. Commands print through it: tables, JSON/CSV, progress
 * bars with rate and ETA, and errors. Progress bars draw on stderr (so stdout stays pipeable) and only
 * when stderr is a TTY; otherwise they print a line now and then.
 */
import { stderr, stdout } from "node:process";

export type OutputFormat = "table" | "json" | "csv";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "json", "csv"];

/** Writes a line to stdout. */
export function print(text = ""): void {
  stdout.write(`${text}\n`);
}

/** Writes a line to stderr (notes, warnings, progress that must not pollute stdout). */
export function note(text: string): void {
  stderr.write(`${text}\n`);
}

const useColor = stderr.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const style = {
  bold: paint(1),
  dim: paint(2),
  red: paint(31),
  green: paint(32),
  yellow: paint(33),
  cyan: paint(36),
};

/** Formats any result value for display: bigint and decimals exactly, dates in ISO, nested values as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString("hex")}`;
  if (typeof (value as { toString?: unknown }).toString === "function" && value.constructor !== Object) {
    const text = String(value);
    if (text !== "[object Object]") return text;
  }
  return JSON.stringify(value, jsonReplacer);
}

/** JSON replacer that keeps bigint, Map and binary values readable and exact. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return value;
}

const NUMERIC = /^-?\d+(\.\d+)?(e[+-]?\d+)?%?$/i;

/** Renders rows as an aligned text table (numbers right-aligned), with an optional title. */
export function renderTable(
  rows: Record<string, unknown>[],
  options: { columns?: string[]; title?: string } = {},
): string {
  const columns = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((row) =>
    columns.map((c) => (row[c] === null || row[c] === undefined ? "–" : formatValue(row[c]))),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length)));
  const numeric = columns.map(
    (_, i) => cells.length > 0 && cells.every((r) => NUMERIC.test(r[i] ?? "") || r[i] === "–"),
  );
  const line = (values: string[]) =>
    values.map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join("  ");
  const out: string[] = [];
  if (options.title) out.push(style.bold(options.title));
  out.push(style.bold(line(columns)));
  out.push(widths.map((w) => "─".repeat(w)).join("  "));
  for (const row of cells) out.push(line(row));
  if (rows.length === 0) out.push(style.dim("(no rows)"));
  return out.join("\n");
}

/** Prints rows in the chosen format to stdout. */
export function printRows(
  rows: Record<string, unknown>[],
  format: OutputFormat,
  options: { columns?: string[]; title?: string } = {},
): void {
  if (format === "json") {
    print(JSON.stringify(rows, jsonReplacer, 2));
  } else if (format === "csv") {
    const columns = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
    print(columns.map(quote).join(","));
    for (const row of rows) print(columns.map((c) => (row[c] == null ? "" : quote(formatValue(row[c])))).join(","));
  } else {
    print(renderTable(rows, options));
  }
}

/** Human-readable byte count (binary units). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Human-readable duration: 850 ms, 12.3 s, 4m 05s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, "0")}s`;
}

/** Compact count: 1234 -> 1.2k, 5600000 -> 5.6M. */
export function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  return `${(n / 1_000_000_000).toFixed(1)}G`;
}

export interface ProgressBar {
  /** Sets the absolute amount done (and optionally a new total and a short status text). */
  update(done: number, options?: { total?: number; status?: string }): void;
  /** Ends the bar, leaving a final line with the message (or the last state). */
  finish(message?: string): void;
}

/**
 * A progress bar on stderr: `label [████░░░░] 42% 1.2M/3.0M rows · 350k rows/s · ETA 5.1 s · status`.
 * Without a known total it shows a count and a rate. Redraws at most 10 times a second.
 */
export function progressBar(options: { label: string; total?: number; unit?: string }): ProgressBar {
  const started = performance.now();
  const unit = options.unit ?? "";
  let total = options.total;
  let done = 0;
  let status = "";
  let lastDraw = 0;
  let lastLogged = 0;
  const tty = Boolean(stderr.isTTY);

  const render = (): string => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const parts: string[] = [];
    if (total && total > 0) {
      const fraction = Math.min(1, done / total);
      const width = 24;
      const filled = Math.round(fraction * width);
      parts.push(`[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
      parts.push(`${formatCount(done)}/${formatCount(total)}${unit ? ` ${unit}` : ""}`);
      if (rate > 0 && done < total) parts.push(`ETA ${formatDuration(((total - done) / rate) * 1000)}`);
    } else {
      parts.push(`${formatCount(done)}${unit ? ` ${unit}` : ""}`);
    }
    if (rate > 0) parts.push(`${formatCount(rate)}${unit ? ` ${unit}` : ""}/s`);
    parts.push(formatDuration(elapsed * 1000));
    if (status) parts.push(status);
    return `${style.cyan(options.label)} ${parts.join(" · ")}`;
  };

  const draw = (force: boolean) => {
    const now = performance.now();
    if (tty) {
      if (!force && now - lastDraw < 100) return;
      lastDraw = now;
      const columns = stderr.columns ?? 120;
      stderr.write(`\r\u001b[2K${render().slice(0, columns + 20)}`);
    } else if (now - (lastLogged || started) > 5000 || (force && now - started > 1000)) {
      // Without a terminal, a line every 5 s and a closing line for work that took more than a second.
      lastLogged = now;
      stderr.write(`${render()}\n`);
    }
  };

  return {
    update(value, update = {}) {
      done = value;
      if (update.total !== undefined) total = update.total;
      if (update.status !== undefined) status = update.status;
      draw(false);
    },
    finish(message) {
      if (message !== undefined) status = message;
      if (tty) {
        draw(true);
        stderr.write("\n");
      } else draw(true);
    },
  };
}
