/**
 * Thrift's compact protocol, write side only, for Parquet's page headers and footer. Structs are written
 * field by field in increasing id order; `end()` closes the innermost struct.
 */
import type { ByteWriter } from "./bytes.ts";

const BOOL_TRUE = 1;
const BOOL_FALSE = 2;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

const utf8 = new TextEncoder();

export class CompactWriter {
  private last = 0;
  private readonly stack: number[] = [];

  constructor(readonly out: ByteWriter) {}

  /** Opens a struct (the top-level one, or a list element); fields follow. */
  begin(): this {
    this.stack.push(this.last);
    this.last = 0;
    return this;
  }

  /** Closes the innermost struct with a stop byte. */
  end(): this {
    this.out.byte(0);
    this.last = this.stack.pop() ?? 0;
    return this;
  }

  i16(id: number, value: number): this {
    return this.integer(id, I16, value);
  }

  i32(id: number, value: number): this {
    return this.integer(id, I32, value);
  }

  i64(id: number, value: number): this {
    return this.integer(id, I64, value);
  }

  bool(id: number, value: boolean): this {
    this.field(id, value ? BOOL_TRUE : BOOL_FALSE);
    return this;
  }

  binary(id: number, value: Uint8Array): this {
    this.field(id, BINARY);
    this.out.uvarint(value.length);
    this.out.append(value);
    return this;
  }

  string(id: number, value: string): this {
    return this.binary(id, utf8.encode(value));
  }

  /** A struct-valued field: `body` writes its fields. */
  struct(id: number, body: (w: this) => void): this {
    this.field(id, STRUCT);
    this.begin();
    body(this);
    return this.end();
  }

  structList<T>(id: number, items: readonly T[], body: (w: this, item: T, index: number) => void): this {
    this.listHeader(id, STRUCT, items.length);
    for (const [index, item] of items.entries()) {
      this.begin();
      body(this, item, index);
      this.end();
    }
    return this;
  }

  i32List(id: number, items: readonly number[]): this {
    this.listHeader(id, I32, items.length);
    for (const item of items) this.out.zigzag(item);
    return this;
  }

  stringList(id: number, items: readonly string[]): this {
    this.listHeader(id, BINARY, items.length);
    for (const item of items) {
      const bytes = utf8.encode(item);
      this.out.uvarint(bytes.length);
      this.out.append(bytes);
    }
    return this;
  }

  private listHeader(id: number, elementType: number, size: number): void {
    this.field(id, LIST);
    if (size < 15) this.out.byte((size << 4) | elementType);
    else {
      this.out.byte(0xf0 | elementType);
      this.out.uvarint(size);
    }
  }

  /** The compact protocol writes every integer width as a zigzag varint; only the field type differs. */
  private integer(id: number, type: number, value: number): this {
    this.field(id, type);
    this.out.zigzag(value);
    return this;
  }

  private field(id: number, type: number): void {
    const delta = id - this.last;
    if (delta > 0 && delta <= 15) this.out.byte((delta << 4) | type);
    else {
      this.out.byte(type);
      this.out.zigzag(id);
    }
    this.last = id;
  }
}
