import { describe, expect, it } from "vitest";
import { Decimal } from "../../../../src/connect/types/values.ts";
import { decodeVariant, VariantValue, variantDictionary } from "../../../../src/connect/types/variant.ts";

// parse_json('{"a":[1,2.5,"x",null,true],"b":{"c":12345678901234567890}}') as Spark 4.1.3 sends it.
const VALUE = new Uint8Array([
  2, 2, 0, 1, 0, 20, 43, 3, 5, 0, 2, 8, 10, 11, 12, 12, 1, 32, 1, 25, 0, 0, 0, 5, 120, 0, 4, 2, 1, 2, 0, 18, 40, 0, 210,
  10, 31, 235, 140, 169, 84, 171, 0, 0, 0, 0, 0, 0, 0, 0,
]);
const METADATA = new Uint8Array([1, 3, 0, 1, 2, 3, 97, 98, 99]);

describe("variant decoding", () => {
  it("reads the key dictionary", () => {
    expect(variantDictionary(METADATA)).toEqual(["a", "b", "c"]);
  });

  it("decodes objects, arrays, short strings, decimals and nulls exactly", () => {
    const value = decodeVariant(VALUE, METADATA) as Record<string, unknown>;
    const [one, twoAndHalf, x, nothing, yes] = value.a as unknown[];
    expect([one, x, nothing, yes]).toEqual([1, "x", null, true]);
    expect((twoAndHalf as Decimal).toString()).toBe("2.5");
    const c = (value.b as Record<string, unknown>).c as Decimal;
    expect(c).toBeInstanceOf(Decimal);
    expect(c.toString()).toBe("12345678901234567890");
  });

  it("renders JSON text with exact numbers", () => {
    const variant = new VariantValue(VALUE, METADATA);
    expect(variant.toString()).toBe('{"a":[1,2.5,"x",null,true],"b":{"c":12345678901234567890}}');
    expect(JSON.stringify({ v: variant })).toBe(JSON.stringify({ v: variant.toString() }));
  });

  it("rejects unknown metadata versions", () => {
    expect(() => decodeVariant(new Uint8Array([0]), new Uint8Array([2, 0, 0]))).toThrow(
      /unsupported variant metadata version 2/,
    );
  });
});
