/**
 * A strict reader for the small YAML subset docker/docker-compose.yml is written in: block mappings and
 * sequences, flow sequences on one line, quoted and plain scalars, comments. Anything else (anchors,
 * tags, flow mappings, block scalars, tabs) is an error rather than a guess, so a compose file the test
 * cannot read fails the test instead of passing it on a misreading.
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  number: number;
  indent: number;
  text: string;
}

export class YamlSubsetError extends Error {
  override name = "YamlSubsetError";
}

/** Removes a trailing comment (` #…` outside quotes) and trailing blanks. */
function stripComment(text: string, number: number): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || text[i - 1] === " ")) return text.slice(0, i).trimEnd();
  }
  if (quote) throw new YamlSubsetError(`line ${number}: unterminated ${quote} string`);
  return text.trimEnd();
}

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  source.split("\n").forEach((raw, i) => {
    if (raw.includes("\t")) throw new YamlSubsetError(`line ${i + 1}: tabs are not allowed`);
    const text = stripComment(raw, i + 1);
    if (text.trim() === "") return;
    lines.push({ number: i + 1, indent: text.length - text.trimStart().length, text: text.trim() });
  });
  return lines;
}

/** Splits a flow sequence body on commas outside quotes. */
function splitFlow(body: string, number: number): string[] {
  const items: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{")
      throw new YamlSubsetError(`line ${number}: nested flow collections are not supported`);
    else if (c === ",") {
      items.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = body.slice(start).trim();
  if (last !== "") items.push(last);
  return items;
}

function scalar(text: string, number: number): YamlValue {
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2)
      throw new YamlSubsetError(`line ${number}: bad double-quoted string ${text}`);
    return JSON.parse(text) as string;
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2)
      throw new YamlSubsetError(`line ${number}: bad single-quoted string ${text}`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (text.startsWith("[")) {
    if (!text.endsWith("]")) throw new YamlSubsetError(`line ${number}: a flow sequence must end on its line`);
    return splitFlow(text.slice(1, -1), number).map((item) => scalar(item, number));
  }
  if (/^[&*!|>{@`%]/.test(text)) throw new YamlSubsetError(`line ${number}: unsupported YAML construct: ${text}`);
  if (text === "null" || text === "~") return null;
  if (text === "true" || text === "false") return text === "true";
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text.includes(": ")) throw new YamlSubsetError(`line ${number}: a plain scalar cannot contain ": " (${text})`);
  return text;
}

/** Splits `key: rest` (key plain or quoted); undefined when the line is not a mapping entry. */
function mappingEntry(text: string, number: number): { key: string; rest: string } | undefined {
  const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#][^:]*?)\s*:(?:\s+(.*))?$/.exec(text);
  if (!match?.[1]) return undefined;
  const rawKey = match[1];
  const key = rawKey.startsWith('"') || rawKey.startsWith("'") ? String(scalar(rawKey, number)) : rawKey;
  return { key, rest: (match[2] ?? "").trim() };
}

class Parser {
  private at = 0;
  constructor(private readonly lines: Line[]) {}

  parseDocument(): YamlValue {
    if (this.lines.length === 0) return null;
    const value = this.parseBlock(this.lines[0]?.indent ?? 0);
    const extra = this.lines[this.at];
    if (extra) throw new YamlSubsetError(`line ${extra.number}: unexpected indentation`);
    return value;
  }

  private parseBlock(indent: number): YamlValue {
    const first = this.lines[this.at];
    if (!first) return null;
    return first.text === "-" || first.text.startsWith("- ") ? this.parseSequence(indent) : this.parseMapping(indent);
  }

  private parseSequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (let line = this.lines[this.at]; line && line.indent === indent; line = this.lines[this.at]) {
      if (!(line.text === "-" || line.text.startsWith("- "))) break;
      const rest = line.text.slice(1).trim();
      this.at++;
      if (rest === "") {
        const next = this.lines[this.at];
        items.push(next && next.indent > indent ? this.parseBlock(next.indent) : null);
      } else if (mappingEntry(rest, line.number) && !rest.startsWith('"') && !rest.startsWith("'")) {
        throw new YamlSubsetError(`line ${line.number}: mappings inside sequence items are not supported`);
      } else items.push(scalar(rest, line.number));
    }
    return items;
  }

  private parseMapping(indent: number): { [key: string]: YamlValue } {
    const map: { [key: string]: YamlValue } = {};
    for (let line = this.lines[this.at]; line && line.indent === indent; line = this.lines[this.at]) {
      const entry = mappingEntry(line.text, line.number);
      if (!entry) throw new YamlSubsetError(`line ${line.number}: expected "key: value", got ${line.text}`);
      if (Object.hasOwn(map, entry.key)) throw new YamlSubsetError(`line ${line.number}: duplicate key ${entry.key}`);
      this.at++;
      if (entry.rest !== "") {
        map[entry.key] = scalar(entry.rest, line.number);
        continue;
      }
      const next = this.lines[this.at];
      const nestedSequence = next && next.indent === indent && (next.text === "-" || next.text.startsWith("- "));
      map[entry.key] = next && (next.indent > indent || nestedSequence) ? this.parseBlock(next.indent) : null;
    }
    const stray = this.lines[this.at];
    if (stray && stray.indent > indent) throw new YamlSubsetError(`line ${stray.number}: unexpected indentation`);
    return map;
  }
}

/** Parses the supported YAML subset; throws YamlSubsetError naming the line for anything else. */
export function parseYamlSubset(source: string): YamlValue {
  return new Parser(splitLines(source)).parseDocument();
}
