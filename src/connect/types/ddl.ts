/**
 * Parses Spark DDL type strings into DataTypes: schemas (`a INT, b STRING NOT NULL COMMENT 'x'`, or PySpark's
 * `a: int, b: string`) and single types (`array<struct<x: decimal(10,2)>>`), locally and without a server round
 * trip. `parseDDLWithServer` asks the server instead (AnalyzePlan DDLParse), for the rare syntax not covered here.
 * @see sql/api/src/main/antlr4/org/apache/spark/sql/catalyst/parser/SqlBaseParser.g4 (dataType, colType)
 */
import type { CallOptions, SparkConnectClient } from "../transport/client.ts";
import {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  CalendarIntervalType,
  CharType,
  type DataType,
  DateType,
  DayTimeIntervalType,
  DecimalType,
  DoubleType,
  type FieldMetadata,
  FloatType,
  fromProtoDataType,
  GeographyType,
  GeometryType,
  IntegerType,
  LongType,
  MapType,
  MIXED_SRID,
  NullType,
  ShortType,
  StringType,
  StructField,
  StructType,
  TimestampNTZType,
  TimestampType,
  TimeType,
  VarcharType,
  VariantType,
  YearMonthIntervalType,
} from "./data-types.ts";

/** A DDL string that does not parse; `position` is the 0-based offset of the offending token. */
export class DDLParseError extends SyntaxError {
  constructor(
    message: string,
    readonly ddl: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position} in DDL "${ddl}"`);
    this.name = "DDLParseError";
  }
}

type TokenKind = "word" | "quoted" | "number" | "string" | "punct" | "end";

interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

function tokenize(ddl: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < ddl.length) {
    const ch = ddl[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (/[A-Za-z_0-9]/.test(ch)) {
      const start = i;
      while (i < ddl.length && /[A-Za-z_0-9]/.test(ddl[i] as string)) i++;
      const text = ddl.slice(start, i);
      tokens.push({ kind: /^\d+$/.test(text) ? "number" : "word", text, at: start });
    } else if (ch === "`") {
      const start = i;
      let text = "";
      i++;
      for (;;) {
        if (i >= ddl.length) throw new DDLParseError("unterminated back-quoted name", ddl, start);
        if (ddl[i] === "`") {
          if (ddl[i + 1] === "`") {
            text += "`";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += ddl[i];
        i++;
      }
      tokens.push({ kind: "quoted", text, at: start });
    } else if (ch === "'" || ch === '"') {
      const start = i;
      let text = "";
      i++;
      for (;;) {
        if (i >= ddl.length) throw new DDLParseError("unterminated string", ddl, start);
        const c = ddl[i] as string;
        if (c === "\\" && i + 1 < ddl.length) {
          text += ddl[i + 1];
          i += 2;
          continue;
        }
        i++;
        if (c === ch) break;
        text += c;
      }
      tokens.push({ kind: "string", text, at: start });
    } else if ("<>(),:".includes(ch)) {
      tokens.push({ kind: "punct", text: ch, at: i });
      i++;
    } else if (ch === "-" && /\d/.test(ddl[i + 1] ?? "")) {
      const start = i;
      i++;
      while (i < ddl.length && /\d/.test(ddl[i] as string)) i++;
      tokens.push({ kind: "number", text: ddl.slice(start, i), at: start });
    } else {
      throw new DDLParseError(`unexpected character "${ch}"`, ddl, i);
    }
  }
  tokens.push({ kind: "end", text: "", at: ddl.length });
  return tokens;
}

const SIMPLE_TYPES: Readonly<Record<string, () => DataType>> = {
  boolean: () => new BooleanType(),
  bool: () => new BooleanType(),
  tinyint: () => new ByteType(),
  byte: () => new ByteType(),
  smallint: () => new ShortType(),
  short: () => new ShortType(),
  int: () => new IntegerType(),
  integer: () => new IntegerType(),
  bigint: () => new LongType(),
  long: () => new LongType(),
  float: () => new FloatType(),
  real: () => new FloatType(),
  double: () => new DoubleType(),
  date: () => new DateType(),
  timestamp: () => new TimestampType(),
  timestamp_ltz: () => new TimestampType(),
  timestamp_ntz: () => new TimestampNTZType(),
  binary: () => new BinaryType(),
  void: () => new NullType(),
  null: () => new NullType(),
  variant: () => new VariantType(),
};

const INTERVAL_UNITS = ["year", "month", "day", "hour", "minute", "second"];

class Parser {
  private index = 0;
  constructor(
    private readonly ddl: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }

  private fail(message: string, token: Token = this.peek()): never {
    const found = token.kind === "end" ? "end of input" : `"${token.text}"`;
    throw new DDLParseError(`${message}, found ${found}`, this.ddl, token.at);
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === "punct" && token.text === text;
  }

  private isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === "word" && token.text.toLowerCase() === word;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail(`expected "${text}"`);
    this.next();
  }

  private integer(what: string): number {
    const token = this.next();
    if (token.kind !== "number") this.fail(`expected ${what}`, token);
    return Number(token.text);
  }

  atEnd(): boolean {
    return this.peek().kind === "end";
  }

  expectEnd(): void {
    if (!this.atEnd()) this.fail("expected end of DDL");
  }

  /** `name [:] type [NOT NULL] [COMMENT 'text']`. */
  field(): StructField {
    const token = this.next();
    if (token.kind !== "word" && token.kind !== "quoted" && token.kind !== "number") {
      this.fail("expected a field name", token);
    }
    if (this.isPunct(":")) this.next();
    const type = this.type();
    let nullable = true;
    let metadata: FieldMetadata = {};
    for (;;) {
      if (this.isWord("not") && this.isWord("null", 1)) {
        this.index += 2;
        nullable = false;
      } else if (this.isWord("comment")) {
        this.next();
        const comment = this.next();
        if (comment.kind !== "string") this.fail("expected a quoted comment", comment);
        metadata = { comment: comment.text };
      } else {
        break;
      }
    }
    return new StructField(token.text, type, nullable, metadata);
  }

  fields(closing?: string): StructField[] {
    const fields: StructField[] = [];
    if (closing !== undefined && this.isPunct(closing)) return fields;
    for (;;) {
      fields.push(this.field());
      if (!this.isPunct(",")) return fields;
      this.next();
    }
  }

  type(): DataType {
    const token = this.next();
    if (token.kind !== "word") this.fail("expected a data type", token);
    const name = token.text.toLowerCase();
    const simple = SIMPLE_TYPES[name];
    if (simple) return simple();
    switch (name) {
      case "string":
        if (this.isWord("collate")) {
          this.next();
          const collation = this.next();
          if (collation.kind !== "word" && collation.kind !== "quoted") this.fail("expected a collation", collation);
          return new StringType(collation.text.toUpperCase());
        }
        return new StringType();
      case "decimal":
      case "dec":
      case "numeric": {
        if (!this.isPunct("(")) return new DecimalType(10, 0);
        this.next();
        const precision = this.integer("a decimal precision");
        let scale = 0;
        if (this.isPunct(",")) {
          this.next();
          scale = this.integer("a decimal scale");
        }
        this.expectPunct(")");
        return new DecimalType(precision, scale);
      }
      case "char":
      case "character":
      case "varchar": {
        this.expectPunct("(");
        const length = this.integer(`a ${name} length`);
        this.expectPunct(")");
        return name === "varchar" ? new VarcharType(length) : new CharType(length);
      }
      case "time":
      case "geometry":
      case "geography": {
        let n: number | undefined;
        if (this.isPunct("(")) {
          this.next();
          if (name !== "time" && this.isWord("any")) {
            this.next();
            n = MIXED_SRID;
          } else {
            n = this.integer(name === "time" ? "a time precision" : "an SRID");
          }
          this.expectPunct(")");
        }
        if (name === "time") return new TimeType(n ?? 6);
        return name === "geometry" ? new GeometryType(n ?? 0) : new GeographyType(n ?? 4326);
      }
      case "interval":
        return this.interval();
      case "array": {
        this.expectPunct("<");
        const element = this.type();
        this.expectPunct(">");
        return new ArrayType(element);
      }
      case "map": {
        this.expectPunct("<");
        const key = this.type();
        this.expectPunct(",");
        const value = this.type();
        this.expectPunct(">");
        return new MapType(key, value);
      }
      case "struct": {
        this.expectPunct("<");
        const fields = this.fields(">");
        this.expectPunct(">");
        return new StructType(fields);
      }
      default:
        return this.fail(
          `unknown data type "${token.text}" (expected e.g. int, bigint, double, decimal(p,s), string, date, timestamp, array<…>, map<…,…>, struct<…>)`,
          token,
        );
    }
  }

  private interval(): DataType {
    const unitAt = this.peek();
    const start = INTERVAL_UNITS.indexOf(unitAt.kind === "word" ? unitAt.text.toLowerCase() : "");
    if (start < 0) return new CalendarIntervalType();
    this.next();
    let end = start;
    if (this.isWord("to")) {
      this.next();
      const endToken = this.next();
      end = INTERVAL_UNITS.indexOf(endToken.text.toLowerCase());
      if (end < 0) this.fail("expected an interval unit", endToken);
    }
    const yearMonth = start <= 1 && end <= 1;
    const dayTime = start >= 2 && end >= 2;
    if ((!yearMonth && !dayTime) || end < start) {
      this.fail(`invalid interval range ${INTERVAL_UNITS[start]} to ${INTERVAL_UNITS[end]}`, unitAt);
    }
    return yearMonth ? new YearMonthIntervalType(start, end) : new DayTimeIntervalType(start - 2, end - 2);
  }
}

/** Parses one data type, e.g. `decimal(10,2)` or `map<string, array<int>>`. */
export function parseDataType(ddl: string): DataType {
  const parser = new Parser(ddl, tokenize(ddl));
  const type = parser.type();
  parser.expectEnd();
  return type;
}

/**
 * Parses a schema string into a StructType: a field list (`a INT, b STRING NOT NULL`, `a: int, b: string`) or a
 * `struct<…>` type. Like PySpark's `_parse_datatype_string`, a lone non-struct type is returned as is (e.g. `int`).
 */
export function parseSchema(ddl: string): DataType {
  const tokens = tokenize(ddl);
  if (tokens.length === 1) return new StructType();
  // Try the whole input as one type first, so `interval day to second` is not read as a field named "interval".
  try {
    const parser = new Parser(ddl, tokens);
    const type = parser.type();
    parser.expectEnd();
    return type;
  } catch (error) {
    if (!(error instanceof DDLParseError)) throw error;
  }
  const parser = new Parser(ddl, tokens);
  const fields = parser.fields();
  parser.expectEnd();
  return new StructType(fields);
}

/** Parses a schema string that must describe rows (a field list or `struct<…>`). */
export function parseStructType(ddl: string): StructType {
  const type = parseSchema(ddl);
  if (!(type instanceof StructType)) {
    throw new DDLParseError(`expected a schema (fields or struct<…>), got the type ${type.simpleString()}`, ddl, 0);
  }
  return type;
}

/** Parses a DDL string on the server (AnalyzePlan DDLParse): exactly Spark's grammar, at the cost of an RPC. */
export async function parseDDLWithServer(
  client: SparkConnectClient,
  ddl: string,
  options?: CallOptions,
): Promise<DataType> {
  const response = await client.analyzePlan({ case: "ddlParse", value: { ddlString: ddl } }, options);
  if (response.result.case !== "ddlParse" || response.result.value.parsed === undefined) {
    throw new Error(`server answered DDLParse for "${ddl}" with ${response.result.case ?? "nothing"}`);
  }
  return fromProtoDataType(response.result.value.parsed);
}
