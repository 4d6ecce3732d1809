import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  CalendarInterval,
  DayTimeInterval,
  Decimal,
  LocalDate,
  LocalDateTime,
  LocalTime,
  Timestamp,
  YearMonthInterval,
} from "../../../../src/connect/types/values.ts";

describe("Decimal", () => {
  it.each([
    ["0", "0", 1, 0],
    ["-0.05", "-0.05", 2, 2],
    ["123.450", "123.450", 6, 3],
    ["1.5e3", "1500", 4, 0],
    ["-1.5E-3", "-0.0015", 4, 4],
    ["+7", "7", 1, 0],
    [".5", "0.5", 1, 1],
  ])("parses %s exactly", (text, printed, precision, scale) => {
    const d = Decimal.parse(text);
    expect([d.toString(), d.precision, d.scale]).toEqual([printed, precision, scale]);
  });

  it("keeps all 38 digits, beyond 2^53, positive and negative", () => {
    const max = "9".repeat(38);
    expect(Decimal.parse(max).toString()).toBe(max);
    expect(Decimal.parse(`-${max}`).unscaled).toBe(-(10n ** 38n - 1n));
    const big = new Decimal(2n ** 53n + 1n, 20, 0);
    expect(big.toString()).toBe("9007199254740993");
    expect(JSON.stringify({ big })).toBe('{"big":"9007199254740993"}');
    expect(new Decimal(-12345678901234567890123456789012345678n, 38, 38).toString()).toBe(
      "-0.12345678901234567890123456789012345678",
    );
  });

  it("scale 0 prints no point; scale keeps trailing zeros like Spark", () => {
    expect(new Decimal(-42n, 2, 0).toString()).toBe("-42");
    expect(new Decimal(150n, 3, 2).toString()).toBe("1.50");
    expect(new Decimal(-5n, 3, 3).toString()).toBe("-0.005");
  });

  it("rounds half up (away from zero) when a scale is imposed", () => {
    expect(Decimal.parse("2.345", 10, 2).toString()).toBe("2.35");
    expect(Decimal.parse("-2.345", 10, 2).toString()).toBe("-2.35");
    expect(Decimal.parse("2.344", 10, 2).toString()).toBe("2.34");
    expect(Decimal.parse("7", undefined, 3).toString()).toBe("7.000");
    expect(Decimal.parse("0.5").rescale(0).toString()).toBe("1");
  });

  it("rejects values that do not fit, naming the value and the limit", () => {
    expect(() => new Decimal(1000n, 3, 0)).toThrow(/has 4 digits, more than precision 3/);
    expect(() => Decimal.parse("1".repeat(39))).toThrow(/more than Spark's maximum of 38/);
    expect(() => Decimal.parse("12.3.4")).toThrow(/not a decimal number: "12.3.4"/);
    expect(() => Decimal.parse("")).toThrow(/not a decimal number/);
    expect(() => new Decimal(1n, 39, 0)).toThrow(/1..38/);
    expect(() => new Decimal(1 as never, 3, 0)).toThrow(/must be a bigint/);
  });

  it("never becomes a float silently", () => {
    const d = Decimal.parse("0.1");
    expect(() => (d as unknown as number) * 2).toThrow(/call toNumber\(\)/);
    expect(`${d}`).toBe("0.1");
    expect(d.toNumber()).toBe(0.1);
  });

  it("compares numerically across scales", () => {
    expect(Decimal.parse("1.50").equals(Decimal.parse("1.5"))).toBe(true);
    expect(Decimal.parse("-1").compareTo(Decimal.parse("0.001"))).toBe(-1);
    expect(Decimal.from(0.1).toString()).toBe("0.1");
    expect(Decimal.from(12n, 5, 2).toString()).toBe("12.00");
  });
});

describe("LocalDate", () => {
  it.each([
    [1970, 1, 1, 0],
    [1969, 12, 31, -1],
    [2000, 2, 29, 11016],
    [1, 1, 1, -719162],
    [9999, 12, 31, 2932896],
    [1582, 10, 4, -141438],
    [1582, 10, 15, -141427],
  ])("%i-%i-%i is day %i (proleptic Gregorian, like Spark)", (y, m, d, epochDay) => {
    const date = LocalDate.of(y, m, d);
    expect(date.epochDay).toBe(epochDay);
    expect([date.year, date.month, date.day]).toEqual([y, m, d]);
    expect(LocalDate.parse(date.toString()).epochDay).toBe(epochDay);
  });

  it("does not drift with the host time zone", () => {
    const date = LocalDate.parse("2024-01-01");
    expect(date.toString()).toBe("2024-01-01");
    expect(date.toDate().toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(JSON.stringify(date)).toBe('"2024-01-01"');
  });

  it("rejects impossible dates", () => {
    expect(() => LocalDate.of(2023, 2, 29)).toThrow(/day must be 1..28 for 2023-02, got 29/);
    expect(() => LocalDate.parse("2024-13-01")).toThrow(/month must be 1..12/);
    expect(() => LocalDate.parse("01/02/2024")).toThrow(/expected YYYY-MM-DD/);
  });
});

describe("Timestamp", () => {
  it("keeps microseconds and shows the instant in its zone", () => {
    const ts = new Timestamp(1_704_067_200_000_001n, "Europe/Paris");
    expect(ts.toString()).toBe("2024-01-01T01:00:00.000001+01:00");
    expect([ts.year, ts.hour, ts.microsecond]).toEqual([2024, 1, 1]);
    expect(ts.withTimeZone("UTC").toString()).toBe("2024-01-01T00:00:00.000001+00:00");
    expect(ts.withTimeZone("+05:30").toString()).toBe("2024-01-01T05:30:00.000001+05:30");
    expect(ts.toDate().getTime()).toBe(1_704_067_200_000);
  });

  it("floors instants before 1970 correctly", () => {
    const ts = new Timestamp(-1n, "UTC");
    expect(ts.toString()).toBe("1969-12-31T23:59:59.999999+00:00");
    expect(ts.epochMillis).toBe(-1);
  });

  it("applies DST and historical offsets from the tz database", () => {
    expect(Timestamp.parse("2024-07-01T12:00:00Z", "America/Los_Angeles").toString()).toBe("2024-07-01T05:00:00-07:00");
    expect(Timestamp.parse("2024-01-01T12:00:00Z", "America/Los_Angeles").toString()).toBe("2024-01-01T04:00:00-08:00");
    // Paris used local mean time (+00:09:21) before 1891.
    expect(Timestamp.parse("1800-01-01T00:00:00Z", "Europe/Paris").toString()).toBe("1800-01-01T00:09:21+00:09:21");
  });

  it("parses wall times in a zone: overlaps take the earlier instant, gaps move forward", () => {
    expect(Timestamp.parse("2024-10-27T02:30:00", "Europe/Paris").toString()).toBe("2024-10-27T02:30:00+02:00");
    expect(Timestamp.parse("2024-03-31T02:30:00", "Europe/Paris").toString()).toBe("2024-03-31T03:30:00+02:00");
    expect(Timestamp.parse("2024-01-02 03:04:05.123456789", "UTC").epochMicros).toBe(1_704_164_645_123_456n);
    expect(Timestamp.parse("2024-01-02T03:04:05-02:30").epochMicros).toBe(1_704_173_645_000_000n);
  });

  it("rejects unknown zones", () => {
    expect(() => new Timestamp(0n, "Mars/Olympus")).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});

describe("LocalDateTime and LocalTime", () => {
  it("are wall-clock values with no zone", () => {
    const dt = LocalDateTime.of(2024, 1, 1, 10, 0, 0, 5);
    expect(dt.toString()).toBe("2024-01-01T10:00:00.000005");
    expect(dt.toLocalDate().toString()).toBe("2024-01-01");
    expect(LocalDateTime.parse("1969-12-31 23:59:59.999999").epochMicros).toBe(-1n);
    expect(dt.atZone("America/New_York").toString()).toBe("2024-01-01T10:00:00.000005-05:00");
    expect(LocalTime.parse("12:30:00.5").toString()).toBe("12:30:00.500");
    expect(LocalTime.of(23, 59, 59, 999_999_000).toString()).toBe("23:59:59.999999");
    expect(() => LocalTime.of(24)).toThrow(/hour must be an integer in 0..23, got 24/);
  });
});

describe("intervals", () => {
  it("print ISO-8601 (ANSI types) and Spark's form (calendar interval)", () => {
    expect(new YearMonthInterval(-14).toString()).toBe("-P1Y2M");
    expect(new YearMonthInterval(0).toString()).toBe("P0M");
    expect(YearMonthInterval.of(2).toString()).toBe("P2Y");
    expect(DayTimeInterval.of(1, 1, 1, 1, 500_000).toString()).toBe("P1DT1H1M1.5S");
    expect(new DayTimeInterval(-1n).toString()).toBe("-PT0.000001S");
    expect(new DayTimeInterval(0n).toString()).toBe("PT0S");
    expect(new CalendarInterval(14, 3, 3_600_000_001n).toString()).toBe(
      "1 years 2 months 3 days 1 hours 0.000001 seconds",
    );
    expect(new CalendarInterval(0, 0, -1_500_000n).toString()).toBe("-1.5 seconds");
    expect(new CalendarInterval(0, 0, 0n).toString()).toBe("0 seconds");
  });
});

describe("printing", () => {
  it("console.log shows Name(text) and JSON.stringify writes the Spark text", () => {
    const values = [
      Decimal.parse("-1.50"),
      LocalDate.parse("2024-02-29"),
      new Timestamp(1_704_067_200_000_001n, "Europe/Paris"),
      new DayTimeInterval(90_061_000_001n),
    ];
    expect(values.map((v) => inspect(v))).toEqual([
      "Decimal(-1.50)",
      "LocalDate(2024-02-29)",
      "Timestamp(2024-01-01T01:00:00.000001+01:00)",
      "DayTimeInterval(P1DT1H1M1.000001S)",
    ]);
    expect(JSON.parse(JSON.stringify(values))).toEqual([
      "-1.50",
      "2024-02-29",
      "2024-01-01T01:00:00.000001+01:00",
      "P1DT1H1M1.000001S",
    ]);
  });
});
