/**
 * Findings are sentences: `words` is a template tag that prints the numbers in them for people, with
 * thousands separators (37,090 of 150,455), whether they arrive as bigint, number or exact Decimal.
 */

const PLAIN_NUMBER = /^(-?)(\d+)(\.\d+)?$/;

/** Groups the integer digits of a plain decimal string: "360720.71" → "360,720.71". */
export function groupDigits(text: string): string {
  const match = PLAIN_NUMBER.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction] = match;
  return `${sign}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${fraction ?? ""}`;
}

/** Formats one interpolated value of a finding. */
export function formatWord(value: unknown): string {
  if (value === null || value === undefined) return "n/a";
  if (typeof value === "bigint") return groupDigits(value.toString());
  if (typeof value === "number") return Number.isInteger(value) ? groupDigits(String(value)) : String(value);
  if (typeof value === "object" && value.constructor?.name === "Decimal") return groupDigits(String(value));
  return String(value);
}

/** Template tag for finding texts: numbers get thousands separators, null reads "n/a". */
export function words(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? formatWord(values[i]) : ""), "");
}
