/**
 * Data source options as callers write them (`header: true`, `maxRecordsPerFile: 1000`) turned into the
 * string map the server expects. Shared by the reader and both writers.
 */

/** An option value; booleans become `true`/`false`, numbers and bigints their decimal text. */
export type OptionValue = string | number | bigint | boolean;

/** The string form of one option value, or an error naming the option. */
export function optionString(key: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  const shown =
    value === null ? "null" : typeof value === "object" ? (value.constructor?.name ?? "object") : String(value);
  throw new TypeError(`Option "${key}" must be a string, number, bigint or boolean, got ${shown}`);
}

/** Adds options to `target`, skipping undefined values (so `{ header: undefined }` means "not set"). */
export function addOptions(target: Record<string, string>, options: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) target[key] = optionString(key, value);
  }
}

/** A path or several, as a list; rejects non-strings with the offending value named. */
export function pathList(method: string, paths: string | readonly string[] | undefined): string[] {
  if (paths === undefined) return [];
  const list = typeof paths === "string" ? [paths] : [...paths];
  for (const p of list) {
    if (typeof p !== "string" || p.length === 0)
      throw new TypeError(`${method}: paths must be non-empty strings, got ${JSON.stringify(p)}`);
  }
  return list;
}
