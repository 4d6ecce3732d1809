import { describe, expect, it } from "vitest";
import { formatWord, groupDigits, words } from "../../../jobs/text.ts";
import { Decimal } from "../../../src/index.ts";

describe("finding texts", () => {
  it.each([
    ["0", "0"],
    ["999", "999"],
    ["1000", "1,000"],
    ["150455", "150,455"],
    ["-1234567.89", "-1,234,567.89"],
    ["24.65", "24.65"],
    ["2025-01-01", "2025-01-01"],
    ["swiftpay", "swiftpay"],
  ])("groups the digits of %s as %s", (input, expected) => {
    expect(groupDigits(input)).toBe(expected);
  });

  it("formats bigint, integers, fractions, exact decimals and nulls", () => {
    expect(formatWord(37090n)).toBe("37,090");
    expect(formatWord(12345678901234567890n)).toBe("12,345,678,901,234,567,890");
    expect(formatWord(1500)).toBe("1,500");
    expect(formatWord(66.35)).toBe("66.35");
    expect(formatWord(new Decimal(36072071n, 12, 2))).toBe("360,720.71");
    expect(formatWord(null)).toBe("n/a");
  });

  it("formats only the interpolated values of a template", () => {
    expect(words`${37090n} of ${150455n} attempts in 2025 (${24.65}%)`).toBe(
      "37,090 of 150,455 attempts in 2025 (24.65%)",
    );
  });
});
