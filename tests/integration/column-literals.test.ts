/**
 * Literals through the real server: every JS value kind `lit()` accepts comes back with the Spark type
 * documented in plan/literals.ts and the same value, losslessly (bigints past 2^53, decimals, microsecond
 * timestamps, dates without time-zone drift, binary, nested arrays/maps/structs, typed nulls).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Column } from "../../src/connect/dataframe/column.ts";
import { functions as F } from "../../src/connect/functions/index.ts";
import { typedLiteral } from "../../src/connect/plan/literals.ts";
import { ArrayType, DecimalType, MapType, ShortType, StringType } from "../../src/connect/types/data-types.ts";
import {
  CalendarInterval,
  DayTimeInterval,
  Decimal,
  LocalDate,
  LocalDateTime,
  LocalTime,
  Timestamp,
  YearMonthInterval,
} from "../../src/connect/types/values.ts";
import { ExpressionProbe } from "./support/expression-probe.ts";

let probe: ExpressionProbe;
beforeAll(async () => {
  probe = ExpressionProbe.open(inject("sparkRemote"));
  await probe.setConf({ "spark.sql.session.timeZone": "UTC", "spark.sql.timeType.enabled": "true" });
});
afterAll(() => probe.close());

const cases: [string, unknown, string, unknown][] = [
  ["int", 42, "int", 42],
  ["int32 max", 2 ** 31 - 1, "int", 2 ** 31 - 1],
  ["number past int32 → bigint", 2 ** 40, "bigint", 2n ** 40n],
  ["fraction → double", 0.1, "double", 0.1],
  ["NaN", Number.NaN, "double", Number.NaN],
  ["-Infinity", Number.NEGATIVE_INFINITY, "double", Number.NEGATIVE_INFINITY],
  ["bigint past 2^53", 2n ** 63n - 1n, "bigint", 2n ** 63n - 1n],
  ["boolean", false, "boolean", false],
  ["string (Unicode)", "Grüße, 世界 🌍", "string", "Grüße, 世界 🌍"],
  ["binary", new Uint8Array([0, 1, 254, 255]), "binary", new Uint8Array([0, 1, 254, 255])],
  ["null", null, "void", null],
  [
    "Decimal(38,18)",
    Decimal.parse("12345678901234567890.123456789012345678"),
    "decimal(38,18)",
    Decimal.parse("12345678901234567890.123456789012345678"),
  ],
  ["LocalDate", LocalDate.of(1582, 10, 15), "date", LocalDate.of(1582, 10, 15)],
  ["Timestamp (µs)", new Timestamp(1_700_000_000_123_456n), "timestamp", new Timestamp(1_700_000_000_123_456n, "UTC")],
  [
    "Date → timestamp",
    new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)),
    "timestamp",
    new Timestamp(1_709_251_199_999_000n, "UTC"),
  ],
  [
    "LocalDateTime",
    LocalDateTime.parse("2024-01-02T03:04:05.000006"),
    "timestamp_ntz",
    LocalDateTime.parse("2024-01-02T03:04:05.000006"),
  ],
  ["LocalTime", LocalTime.of(23, 59, 58, 123_456_000), "time(6)", LocalTime.of(23, 59, 58, 123_456_000)],
  ["YearMonthInterval", new YearMonthInterval(-14), "interval year to month", new YearMonthInterval(-14)],
  [
    "DayTimeInterval",
    new DayTimeInterval(90_061_000_001n),
    "interval day to second",
    new DayTimeInterval(90_061_000_001n),
  ],
  ["array with nulls", [1, null, 3], "array<int>", [1, null, 3]],
  ["array widened to double", [1, 2.5], "array<double>", [1, 2.5]],
  ["empty array", [], "array<void>", []],
  ["nested arrays", [["a"], [], ["b", "c"]], "array<array<string>>", [["a"], [], ["b", "c"]]],
  [
    "Map",
    new Map([
      ["a", 1n],
      ["b", null],
    ]),
    "map<string,bigint>",
    new Map([
      ["a", 1n],
      ["b", null],
    ]),
  ],
  [
    "nested struct",
    { id: 1, tags: ["x"], price: Decimal.parse("9.99"), when: LocalDate.of(2024, 5, 1), inner: { ok: true } },
    "struct<id:int,tags:array<string>,price:decimal(3,2),when:date,inner:struct<ok:boolean>>",
    { id: 1, tags: ["x"], price: Decimal.parse("9.99"), when: LocalDate.of(2024, 5, 1), inner: { ok: true } },
  ],
];

describe("lit() round trips through the server", () => {
  it.each(cases)("%s", async (_name, value, type, expected) => {
    const column = F.lit(value as never);
    const schema = await probe.schema([column.alias("v")]);
    expect(schema.fields[0]?.dataType.simpleString()).toBe(type);
    expect(await probe.value(column)).toEqual(expected);
  });

  it("CalendarInterval", async () => {
    const value = await probe.value(F.lit(new CalendarInterval(14, 3, 3_600_000_001n)).cast("string"));
    expect(value).toBe("1 years 2 months 3 days 1 hours 0.000001 seconds");
  });

  it("typed nulls and typedLiteral", async () => {
    const typed = (value: unknown, type: ConstructorParameters<typeof ArrayType>[0]) =>
      new Column(typedLiteral(value, type));
    const schema = await probe.schema([
      F.lit(null).cast("decimal(10,2)").alias("null_dec"),
      typed(5, new ShortType()).alias("short"),
      typed([], new ArrayType(new StringType())).alias("empty_strings"),
      typed(new Map(), new MapType(new StringType(), new DecimalType(5, 2))).alias("empty_map"),
    ]);
    expect(schema.fields.map((f) => f.dataType.simpleString())).toEqual([
      "decimal(10,2)",
      "smallint",
      "array<string>",
      "map<string,decimal(5,2)>",
    ]);
    const rows = await probe.select([
      typed(5, new ShortType()).alias("s"),
      typed([], new ArrayType(new StringType())).alias("e"),
    ]);
    expect(rows).toEqual([{ s: 5, e: [] }]);
  });

  it("literals compare exactly against server-computed values", async () => {
    const row = (
      await probe.select([
        F.lit(2n ** 62n)
          .eq(F.expr("shiftleft(1L, 62)"))
          .alias("big"),
        F.lit(Decimal.parse("0.1"))
          .plus(F.lit(Decimal.parse("0.2")))
          .eq(F.expr("0.3BD"))
          .alias("dec"),
        F.lit(LocalDate.of(2024, 2, 29))
          .eq(F.expr("date'2024-02-29'"))
          .alias("date"),
      ])
    )[0];
    expect(row).toEqual({ big: true, dec: true, date: true });
  });
});
