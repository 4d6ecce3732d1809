/**
 * The functions the issue names (and their close relatives), evaluated by the real server with expected
 * values. Where Spark defines the value (hashes, sketches) the function is compared with the same SQL
 * expression parsed by the server, which checks that F sends the right function and arguments.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Column } from "../../src/connect/dataframe/column.ts";
import { functions as F } from "../../src/connect/functions/index.ts";
import { sql } from "../../src/connect/plan/relations.ts";
import { IntegerType, StringType, StructField, StructType } from "../../src/connect/types/data-types.ts";
import { Decimal, LocalDate } from "../../src/connect/types/values.ts";
import { ExpressionProbe } from "./support/expression-probe.ts";

let probe: ExpressionProbe;
beforeAll(async () => {
  probe = ExpressionProbe.open(inject("sparkRemote"));
  await probe.setConf({ "spark.sql.session.timeZone": "UTC" });
});
afterAll(() => probe.close());

/** Evaluates named columns over one input and returns the single row. */
async function one(columns: Record<string, Column>, from?: string): Promise<Record<string, unknown>> {
  const rows = await probe.select(
    Object.entries(columns).map(([name, c]) => c.alias(name)),
    from,
  );
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

const SALES = `SELECT * FROM VALUES
  ('north', 'apple', 3, 1.50BD, 10.0D),
  ('north', 'pear', 1, 2.25BD, 20.0D),
  ('north', 'apple', 2, 1.50BD, NULL),
  ('south', 'fig', 5, 4.00BD, 40.0D),
  ('south', NULL, NULL, NULL, 50.0D)
  AS t(region, product, qty, price, score)`;

describe("conditional and null functions", () => {
  it("coalesce, nullif, ifnull/nvl/nvl2, greatest/least, isnan/nanvl", async () => {
    const row = await one(
      {
        coalesce: F.coalesce("n", "b", F.lit(0)),
        nullif_eq: F.nullif("a", F.lit(7)),
        nullif_ne: F.nullif("a", "b"),
        ifnull: F.ifnull("n", "a"),
        nvl: F.nvl("n", F.lit(-1)),
        nvl2: F.nvl2("a", F.lit("set"), F.lit("unset")),
        greatest: F.greatest("a", "b", F.lit(5)),
        least: F.least("a", "b"),
        isnan: F.isnan("x"),
        nanvl: F.nanvl("x", F.lit(0.5)),
        zeroifnull: F.zeroifnull("n"),
      },
      "SELECT 7 AS a, 2 AS b, CAST(NULL AS INT) AS n, double('NaN') AS x",
    );
    expect(row).toEqual({
      coalesce: 2,
      nullif_eq: null,
      nullif_ne: 7,
      ifnull: 7,
      nvl: -1,
      nvl2: "set",
      greatest: 7,
      least: 2,
      isnan: true,
      nanvl: 0.5,
      zeroifnull: 0,
    });
  });
});

describe("aggregate functions", () => {
  it("count, distinct counts, sums, averages, extremes, first/last", async () => {
    const [row] = await probe.aggregate(
      [
        F.count("*").alias("rows"),
        F.count("product").alias("products"),
        F.count_distinct("product").alias("distinct_products"),
        F.count_distinct("region", "product").alias("distinct_pairs"),
        F.approx_count_distinct("region").alias("approx_regions"),
        F.sum("qty").alias("qty"),
        F.sum_distinct("qty").alias("distinct_qty"),
        F.sum("price").alias("price_sum"),
        F.avg("qty").alias("avg_qty"),
        F.mean("score").alias("mean_score"),
        F.min("price").alias("min_price"),
        F.max("product").alias("max_product"),
        F.count_if(F.col("qty").gt(1)).alias("big"),
        F.max_by("product", "qty").alias("top_product"),
        F.min_by("region", "score").alias("low_region"),
      ],
      SALES,
    );
    expect(row).toEqual({
      rows: 5n,
      products: 4n,
      distinct_products: 3n,
      distinct_pairs: 3n,
      approx_regions: 2n,
      qty: 11n,
      distinct_qty: 11n,
      price_sum: new Decimal(925n, 13, 2),
      avg_qty: 2.75,
      mean_score: 30,
      min_price: new Decimal(150n, 3, 2),
      max_product: "pear",
      big: 3n,
      top_product: "fig",
      low_region: "north",
    });
  });

  it("first/last (with ignorenulls), collect_list/collect_set, grouped", async () => {
    const rows = await probe.aggregate(
      [
        F.first("product").alias("first"),
        F.last("product", true).alias("last_non_null"),
        F.sort_array(F.collect_list("qty")).alias("qtys"),
        F.sort_array(F.collect_set("product")).alias("products"),
      ],
      `${SALES} ORDER BY region, qty DESC NULLS LAST`,
      [F.col("region")],
    );
    const byRegion = Object.fromEntries(rows.map((r) => [r.region, r]));
    expect(byRegion.north).toMatchObject({ qtys: [1, 2, 3], products: ["apple", "pear"] });
    expect(byRegion.south).toMatchObject({ first: "fig", last_non_null: "fig", qtys: [5], products: ["fig"] });
  });

  it("statistics: stddev, variance, percentile_approx, median, corr", async () => {
    const from = "SELECT * FROM VALUES (1, 2.0D), (2, 4.0D), (3, 6.0D), (4, 8.0D) AS t(x, y)";
    const [row] = await probe.aggregate(
      [
        F.stddev("x").alias("stddev"),
        F.stddev_pop("x").alias("stddev_pop"),
        F.variance("x").alias("variance"),
        F.var_pop("x").alias("var_pop"),
        F.percentile_approx("x", 0.5).alias("p50"),
        F.percentile_approx("x", [0.25, 0.75], 100).alias("quartiles"),
        F.median("x").alias("median"),
        F.corr("x", "y").alias("corr"),
        F.product("x").alias("product"),
      ],
      from,
    );
    expect(row?.stddev).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(row?.stddev_pop).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(row?.variance).toBeCloseTo(5 / 3, 12);
    expect(row?.var_pop).toBeCloseTo(1.25, 12);
    expect(row?.p50).toBe(2);
    expect(row?.quartiles).toEqual([1, 3]);
    expect(row?.median).toBe(2.5);
    expect(row?.corr).toBeCloseTo(1, 12);
    expect(row?.product).toBe(24);
  });
});

describe("math functions", () => {
  it("round/bround, floor/ceil (with scale), abs, sqrt, log, pow, pmod, sign", async () => {
    const row = await one({
      round: F.round(F.lit(2.5)),
      round2: F.round(F.lit(Decimal.parse("3.14159")), 2),
      bround: F.bround(F.lit(2.5)),
      floor: F.floor(F.lit(-1.5)),
      floor_scale: F.floor(F.lit(Decimal.parse("1.256")), 2),
      ceil: F.ceil(F.lit(1.2)),
      abs: F.abs(F.lit(-3)),
      sqrt: F.sqrt(F.lit(16)),
      ln: F.log(F.exp(F.lit(2))),
      log10: F.log(10, F.lit(1000)),
      log2: F.log2(F.lit(8)),
      pow: F.pow(F.lit(2), 10),
      pmod: F.pmod(F.lit(-7), 3),
      sign: F.signum(F.lit(-4.2)),
      negate: F.negate(F.lit(5)),
    });
    expect(row).toMatchObject({
      round: 3,
      bround: 2,
      floor: -2n,
      ceil: 2n,
      abs: 3,
      sqrt: 4,
      log2: 3,
      pow: 1024,
      pmod: 2,
      sign: -1,
      negate: -5,
    });
    expect(String(row.round2)).toBe("3.14");
    expect(String(row.floor_scale)).toBe("1.25");
    expect(row.ln).toBeCloseTo(2, 12);
    expect(row.log10).toBeCloseTo(3, 12);
  });
});

describe("string functions", () => {
  const FROM = "SELECT '  Hello World  ' AS s, 'a,b,,c' AS csv, 'order-1234-x' AS code, 'ßpark' AS u";
  it("concat, concat_ws, case, trim, substring, length, format_string", async () => {
    const row = await one(
      {
        concat: F.concat(F.lit("a"), F.lit("b"), F.lit("c")),
        concat_null: F.concat(F.lit("a"), F.lit(null).cast("string")),
        concat_ws: F.concat_ws("-", F.lit("a"), F.lit(null).cast("string"), F.lit("c")),
        lower: F.lower("s"),
        upper: F.upper("u"),
        trim: F.trim("s"),
        ltrim: F.ltrim("s"),
        rtrim: F.rtrim("s"),
        trim_chars: F.trim(F.lit("xxhixx"), F.lit("x")),
        ltrim_chars: F.ltrim(F.lit("xxhixx"), F.lit("x")),
        rtrim_chars: F.rtrim(F.lit("xxhixx"), F.lit("x")),
        btrim_chars: F.btrim(F.lit("xxhixx"), F.lit("x")),
        overlay: F.overlay(F.lit("SPARK_SQL"), F.lit("CORE"), 7),
        mask: F.mask(F.lit("Ab1-"), F.lit("U")),
        substring: F.substring(F.trim("s"), 7, 5),
        length: F.length("s"),
        length_unicode: F.length("u"),
        format_string: F.format_string("%s has %d items (%.2f)", F.lit("cart"), F.lit(3), F.lit(1.5)),
        initcap: F.initcap(F.lit("hello wORLD")),
        lpad: F.lpad(F.lit("7"), 3, "0"),
        rpad: F.rpad(F.lit("7"), 3, "."),
        repeat: F.repeat(F.lit("ab"), 3),
        reverse: F.reverse(F.lit("abc")),
        instr: F.instr("code", "1234"),
        locate: F.locate("-", "code", 7),
        translate: F.translate(F.lit("abc"), "ab", "xy"),
        substring_index: F.substring_index("code", "-", 2),
        split_part: F.split_part("code", F.lit("-"), F.lit(2)),
        left: F.left("code", F.lit(5)),
      },
      FROM,
    );
    expect(row).toEqual({
      concat: "abc",
      concat_null: null,
      concat_ws: "a-c",
      lower: "  hello world  ",
      upper: "SSPARK",
      trim: "Hello World",
      ltrim: "Hello World  ",
      rtrim: "  Hello World",
      trim_chars: "hi",
      ltrim_chars: "hixx",
      rtrim_chars: "xxhi",
      btrim_chars: "hi",
      overlay: "SPARK_CORE",
      mask: "Uxn-",
      substring: "World",
      length: 15,
      length_unicode: 5,
      format_string: "cart has 3 items (1.50)",
      initcap: "Hello World",
      lpad: "007",
      rpad: "7..",
      repeat: "ababab",
      reverse: "cba",
      instr: 7,
      locate: 11,
      translate: "xyc",
      substring_index: "order-1234",
      split_part: "1234",
      left: "order",
    });
  });

  it("regexp_extract, regexp_replace, split (with limit), rlike/regexp_like", async () => {
    const row = await one(
      {
        extract: F.regexp_extract("code", "(\\d+)-(\\w)", 2),
        extract_none: F.regexp_extract("code", "(z+)", 1),
        replace: F.regexp_replace("code", "\\d", "#"),
        replace_col: F.regexp_replace("code", F.lit("[a-z]+"), F.lit("_")),
        split: F.split("csv", ","),
        split_limit: F.split("csv", ",", 2),
        extract_all: F.regexp_extract_all("code", F.lit("(\\d)"), 1),
        like: F.regexp_like("code", F.lit("^order")),
        count: F.regexp_count("code", F.lit("\\d")),
      },
      FROM,
    );
    expect(row).toEqual({
      extract: "x",
      extract_none: "",
      replace: "order-####-x",
      replace_col: "_-1234-_",
      split: ["a", "b", "", "c"],
      split_limit: ["a", "b,,c"],
      extract_all: ["1", "2", "3", "4"],
      like: true,
      count: 4,
    });
  });
});

describe("date and time functions", () => {
  const FROM =
    "SELECT timestamp'2024-03-15 13:45:30.123456' AS ts, date'2024-01-31' AS d, 1710510330L AS epoch, '15/03/2024' AS dmy";

  it("current_date / current_timestamp are today's values", async () => {
    const row = await one({ today: F.current_date(), now: F.current_timestamp() });
    const today = new Date().toISOString().slice(0, 10);
    expect(String(row.today)).toBe(today);
    const nowMicros = (row.now as { epochMicros: bigint }).epochMicros;
    expect(Math.abs(Number(nowMicros / 1000n) - Date.now())).toBeLessThan(120_000);
  });

  it("to_date / to_timestamp (with formats), date_format, date_trunc", async () => {
    const row = await one(
      {
        to_date: F.to_date("dmy", "dd/MM/yyyy"),
        to_date_default: F.to_date(F.lit("2024-02-29")),
        to_ts: F.to_timestamp(F.lit("2024-03-15 01:02:03")).cast("string"),
        to_ts_fmt: F.to_timestamp(F.lit("15.03.2024 01:02"), "dd.MM.yyyy HH:mm").cast("string"),
        date_format: F.date_format("ts", "yyyy/MM/dd HH:mm"),
        trunc_hour: F.date_trunc("hour", "ts").cast("string"),
        trunc_month: F.date_trunc("month", "ts").cast("string"),
        trunc_date: F.trunc("d", "year"),
      },
      FROM,
    );
    expect(row.to_date).toEqual(LocalDate.of(2024, 3, 15));
    expect(String(row.to_date_default)).toBe("2024-02-29");
    expect(row).toMatchObject({
      to_ts: "2024-03-15 01:02:03",
      to_ts_fmt: "2024-03-15 01:02:00",
      date_format: "2024/03/15 13:45",
      trunc_hour: "2024-03-15 13:00:00",
      trunc_month: "2024-03-01 00:00:00",
    });
    expect(String(row.trunc_date)).toBe("2024-01-01");
  });

  it("date arithmetic: date_add/date_sub/add_months/datediff/months_between/last_day/next_day", async () => {
    const row = await one(
      {
        add: F.date_add("d", 1),
        add_col: F.date_add("d", F.lit(-31)),
        sub: F.date_sub("d", 31),
        add_months: F.add_months("d", 1),
        datediff: F.datediff(F.lit(LocalDate.of(2024, 3, 1)), "d"),
        months_between: F.months_between(F.lit(LocalDate.of(2024, 3, 31)), "d"),
        months_between_raw: F.months_between(F.to_date(F.lit("2024-03-15")), "d", false),
        last_day: F.last_day(F.lit(LocalDate.of(2023, 2, 10))),
        next_day: F.next_day("d", "Mon"),
        make_date: F.make_date(F.lit(2024), F.lit(2), F.lit(29)),
      },
      FROM,
    );
    const s = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "number" ? v : String(v)]));
    expect(s).toEqual({
      add: "2024-02-01",
      add_col: "2023-12-31",
      sub: "2023-12-31",
      add_months: "2024-02-29",
      datediff: 30,
      months_between: 2,
      months_between_raw: 1.4838709677419355,
      last_day: "2023-02-28",
      next_day: "2024-02-05",
      make_date: "2024-02-29",
    });
  });

  it("fields: year/month/dayofweek/dayofmonth/hour/minute/second/quarter/weekofyear/dayofyear", async () => {
    const row = await one(
      {
        year: F.year("ts"),
        month: F.month("ts"),
        dayofweek: F.dayofweek("ts"),
        dayofmonth: F.dayofmonth("ts"),
        dayofyear: F.dayofyear("ts"),
        hour: F.hour("ts"),
        minute: F.minute("ts"),
        second: F.second("ts"),
        quarter: F.quarter("ts"),
        weekofyear: F.weekofyear("ts"),
        weekday: F.weekday("ts"),
        extract: F.extract(F.lit("SECOND"), "ts"),
      },
      FROM,
    );
    expect(row).toMatchObject({
      year: 2024,
      month: 3,
      dayofweek: 6,
      dayofmonth: 15,
      dayofyear: 75,
      hour: 13,
      minute: 45,
      second: 30,
      quarter: 1,
      weekofyear: 11,
      weekday: 4,
    });
    expect(String(row.extract)).toBe("30.123456");
  });

  it("unix time: from_unixtime / unix_timestamp / timestamp_seconds / timestamp_add / timestamp_diff", async () => {
    const row = await one(
      {
        from_unixtime: F.from_unixtime("epoch"),
        from_unixtime_fmt: F.from_unixtime("epoch", "yyyy-MM-dd"),
        unix_timestamp: F.unix_timestamp(F.lit("2024-03-15 13:45:30")),
        unix_timestamp_fmt: F.unix_timestamp(F.lit("15/03/2024"), "dd/MM/yyyy"),
        unix_timestamp_now: F.unix_timestamp(),
        seconds: F.timestamp_seconds("epoch").cast("string"),
        added: F.timestamp_add("HOUR", F.lit(2), "ts").cast("string"),
        diff: F.timestamp_diff("MINUTE", F.to_timestamp(F.lit("2024-03-15 13:00:00")), "ts"),
      },
      FROM,
    );
    expect(row).toMatchObject({
      from_unixtime: "2024-03-15 13:45:30",
      from_unixtime_fmt: "2024-03-15",
      unix_timestamp: 1710510330n,
      unix_timestamp_fmt: 1710460800n,
      seconds: "2024-03-15 13:45:30",
      added: "2024-03-15 15:45:30.123456",
      diff: 45n,
    });
    expect(Number(row.unix_timestamp_now) * 1000 - Date.now()).toBeLessThan(120_000);
  });

  it("window: tumbling, sliding and with a start time", async () => {
    const from = "SELECT timestamp'2024-03-15 13:47:30' AS ts";
    // Spark allows one time window per query, so each shape is its own query.
    const tumbling = await probe.value(F.window("ts", "10 minutes"), from);
    expect(tumbling).toMatchObject({ start: expect.anything(), end: expect.anything() });
    expect(String((tumbling as { start: unknown }).start)).toBe("2024-03-15T13:40:00+00:00");
    expect(String((tumbling as { end: unknown }).end)).toBe("2024-03-15T13:50:00+00:00");
    const offset = await probe.value(
      F.window("ts", "10 minutes", null, "5 minutes").getField("start").cast("string"),
      from,
    );
    expect(offset).toBe("2024-03-15 13:45:00");
    const sliding = await probe.select(
      [F.window("ts", "10 minutes", "5 minutes").getField("start").cast("string").alias("start")],
      from,
    );
    expect(sliding.map((r) => r.start).sort()).toEqual(["2024-03-15 13:40:00", "2024-03-15 13:45:00"]);
  });

  it("session_window groups events closer than the gap", async () => {
    const from = `SELECT * FROM VALUES
      (timestamp'2024-01-01 10:00:00'), (timestamp'2024-01-01 10:03:00'), (timestamp'2024-01-01 10:20:00')
      AS t(ts)`;
    const session = F.session_window("ts", "5 minutes");
    const rows = await probe.aggregate([F.count("*").alias("events")], from, [session.alias("s")]);
    const sessions = rows
      .map((r) => ({ start: String((r.s as { start: { toString(): string } }).start), events: r.events }))
      .sort((x, y) => x.start.localeCompare(y.start));
    expect(sessions).toEqual([
      { start: "2024-01-01T10:00:00+00:00", events: 2n },
      { start: "2024-01-01T10:20:00+00:00", events: 1n },
    ]);
  });
});

describe("collection functions", () => {
  const FROM =
    "SELECT array(3, 1, 2) AS xs, array(array(1, 2), array(3)) AS nested, map('a', 1, 'b', 2) AS m, array('b', NULL, 'a') AS strs";

  it("array, struct, named_struct, create_map", async () => {
    const row = await one({
      array: F.array(F.lit(1), F.lit(2)),
      struct: F.struct(F.lit(1).alias("x"), F.lit("y").alias("y")),
      named_struct: F.named_struct(F.lit("k"), F.lit(true)),
      create_map: F.create_map(F.lit("a"), F.lit(1), F.lit("b"), F.lit(2)),
    });
    expect(row).toEqual({
      array: [1, 2],
      struct: { x: 1, y: "y" },
      named_struct: { k: true },
      create_map: new Map([
        ["a", 1],
        ["b", 2],
      ]),
    });
  });

  it("size, array_contains, element_at, sort_array, array_sort, flatten and friends", async () => {
    const row = await one(
      {
        size: F.size("xs"),
        contains: F.array_contains("xs", 2),
        contains_not: F.array_contains("xs", 9),
        element_at: F.element_at("xs", 1),
        element_at_last: F.element_at("xs", -1),
        element_at_map: F.element_at("m", "b"),
        sort_asc: F.sort_array("xs"),
        sort_desc: F.sort_array("xs", false),
        sort_nulls: F.sort_array("strs"),
        array_sort: F.array_sort("strs"),
        array_sort_cmp: F.array_sort("xs", (l, r) => r.minus(l)),
        flatten: F.flatten("nested"),
        distinct: F.array_distinct(F.array(F.lit(1), F.lit(1), F.lit(2))),
        join: F.array_join("strs", ",", "?"),
        position: F.array_position("xs", 2),
        slice: F.slice("xs", 2, 2),
        sequence: F.sequence(F.lit(1), F.lit(5), F.lit(2)),
        max: F.array_max("xs"),
        keys: F.map_keys("m"),
        values: F.map_values("m"),
        from_arrays: F.map_from_arrays(F.array(F.lit("x")), F.array(F.lit(9))),
        zip: F.arrays_zip("xs", F.array(F.lit("a"))),
      },
      FROM,
    );
    expect(row).toEqual({
      size: 3,
      contains: true,
      contains_not: false,
      element_at: 3,
      element_at_last: 2,
      element_at_map: 2,
      sort_asc: [1, 2, 3],
      sort_desc: [3, 2, 1],
      sort_nulls: [null, "a", "b"],
      array_sort: ["a", "b", null],
      array_sort_cmp: [3, 2, 1],
      flatten: [1, 2, 3],
      distinct: [1, 2],
      join: "b,?,a",
      position: 3n,
      slice: [1, 2],
      sequence: [1, 3, 5],
      max: 3,
      keys: ["a", "b"],
      values: [1, 2],
      from_arrays: new Map([["x", 9]]),
      zip: [
        { xs: 3, "1": "a" },
        { xs: 1, "1": null },
        { xs: 2, "1": null },
      ],
    });
  });

  it("higher-order functions with JS lambdas", async () => {
    const row = await one(
      {
        transform: F.transform("xs", (x) => x.multiply(10)),
        transform_i: F.transform("xs", (x, i) => x.plus(i)),
        filter: F.filter("xs", (x) => x.gt(1)),
        filter_i: F.filter("xs", (_x, i) => i.eq(0)),
        exists: F.exists("xs", (x) => x.eq(2)),
        forall: F.forall("xs", (x) => x.gt(0)),
        aggregate: F.aggregate("xs", F.lit(0), (acc, x) => acc.plus(x)),
        aggregate_finish: F.aggregate(
          "xs",
          F.lit(0),
          (acc, x) => acc.plus(x),
          (acc) => acc.multiply(100),
        ),
        reduce: F.reduce("xs", F.lit(1), (acc, x) => acc.multiply(x)),
        nested: F.transform("nested", (inner) => F.aggregate(inner, F.lit(0), (acc, y) => acc.plus(y))),
        zip_with: F.zip_with("xs", F.array(F.lit(10), F.lit(20), F.lit(30)), (l, r) => l.plus(r)),
        map_filter: F.map_filter("m", (_k, v) => v.gt(1)),
        transform_keys: F.transform_keys("m", (k) => F.upper(k)),
        transform_values: F.transform_values("m", (_k, v) => v.multiply(2)),
        map_zip_with: F.map_zip_with("m", "m", (_k, v1, v2) => v1.plus(v2)),
      },
      FROM,
    );
    expect(row).toEqual({
      transform: [30, 10, 20],
      transform_i: [3, 2, 4],
      filter: [3, 2],
      filter_i: [3],
      exists: true,
      forall: true,
      aggregate: 6,
      aggregate_finish: 600,
      reduce: 6,
      nested: [3, 3],
      zip_with: [13, 21, 32],
      map_filter: new Map([["b", 2]]),
      transform_keys: new Map([
        ["A", 1],
        ["B", 2],
      ]),
      transform_values: new Map([
        ["a", 2],
        ["b", 4],
      ]),
      map_zip_with: new Map([
        ["a", 2],
        ["b", 4],
      ]),
    });
  });

  it("explode / posexplode / explode_outer / inline generate rows", async () => {
    expect(await probe.values(F.explode("xs"), FROM)).toEqual([3, 1, 2]);
    expect(await probe.select([F.posexplode("xs")], FROM)).toEqual([
      { pos: 0, col: 3 },
      { pos: 1, col: 1 },
      { pos: 2, col: 2 },
    ]);
    expect(await probe.select([F.explode("m")], FROM)).toEqual([
      { key: "a", value: 1 },
      { key: "b", value: 2 },
    ]);
    expect(await probe.values(F.explode_outer(F.array().cast("array<int>")), FROM)).toEqual([null]);
    expect(await probe.values(F.explode(F.array().cast("array<int>")), FROM)).toEqual([]);
    expect(await probe.select([F.inline(F.array(F.struct(F.lit(1).alias("a"), F.lit("x").alias("b"))))])).toEqual([
      { a: 1, b: "x" },
    ]);
  });
});

describe("hash functions", () => {
  const FROM = "SELECT 'Spark' AS s, 42 AS n";
  it("md5 / sha1 / sha2 match Node's crypto", async () => {
    const row = await one(
      { md5: F.md5("s"), sha1: F.sha1("s"), sha256: F.sha2("s", 256), sha512: F.sha2("s", 512) },
      FROM,
    );
    const hex = (algo: string) => createHash(algo).update("Spark").digest("hex");
    expect(row).toEqual({ md5: hex("md5"), sha1: hex("sha1"), sha256: hex("sha256"), sha512: hex("sha512") });
  });

  it("hash / xxhash64 / crc32 equal the server's SQL functions", async () => {
    const row = await one(
      {
        hash: F.hash("s", "n"),
        hash_sql: F.expr("hash(s, n)"),
        xxhash64: F.xxhash64("s", "n"),
        xxhash64_sql: F.expr("xxhash64(s, n)"),
        crc32: F.crc32(F.lit(new TextEncoder().encode("Spark"))),
        crc32_sql: F.expr("crc32('Spark')"),
      },
      FROM,
    );
    expect(typeof row.hash).toBe("number");
    expect(row.hash).toBe(row.hash_sql);
    expect(typeof row.xxhash64).toBe("bigint");
    expect(row.xxhash64).toBe(row.xxhash64_sql);
    expect(row.crc32).toBe(row.crc32_sql);
  });
});

describe("JSON and CSV functions", () => {
  it("from_json (DataType or DDL schema, options), to_json, get_json_object, json_tuple, schema_of_json", async () => {
    const schema = new StructType([new StructField("a", new IntegerType()), new StructField("b", new StringType())]);
    const FROM = `SELECT '{"a": 1, "b": "x"}' AS j`;
    const row = await one(
      {
        typed: F.from_json("j", schema),
        ddl: F.from_json("j", "a INT, b STRING"),
        lenient: F.from_json(F.lit('{"a": "oops"}'), schema, { mode: "PERMISSIVE" }),
        to_json: F.to_json(F.struct(F.lit(1).alias("a"), F.lit(null).cast("string").alias("b"))),
        to_json_opts: F.to_json(F.struct(F.lit(1).alias("a"), F.lit(null).cast("string").alias("b")), {
          ignoreNullFields: false,
        }),
        get: F.get_json_object("j", "$.b"),
        schema: F.schema_of_json('{"a": [1]}'),
      },
      FROM,
    );
    expect(row).toEqual({
      typed: { a: 1, b: "x" },
      ddl: { a: 1, b: "x" },
      lenient: { a: null, b: null },
      to_json: '{"a":1}',
      to_json_opts: '{"a":1,"b":null}',
      get: "x",
      schema: "STRUCT<a: ARRAY<BIGINT>>",
    });
    expect(await probe.select([F.json_tuple("j", "a", "b")], FROM)).toEqual([{ c0: "1", c1: "x" }]);
    await expect(probe.value(F.from_json(F.lit("{bad"), schema, { mode: "FAILFAST" }))).rejects.toThrow(
      /MALFORMED_RECORD_IN_PARSING/,
    );
  });

  it("from_csv / to_csv with options", async () => {
    const row = await one({
      parsed: F.from_csv(F.lit("1;x"), "a INT, b STRING", { sep: ";" }),
      written: F.to_csv(F.struct(F.lit(1).alias("a"), F.lit("x").alias("b")), { sep: "|" }),
    });
    expect(row).toEqual({ parsed: { a: 1, b: "x" }, written: "1|x" });
  });
});

describe("random functions are seeded on the client", () => {
  it("an unseeded rand() gives the same values every time the same Column is evaluated", async () => {
    const r = F.rand();
    const from = "SELECT id FROM range(5) ORDER BY id";
    const first = await probe.values(r, from);
    const second = await probe.values(r, from);
    expect(first).toEqual(second);
    expect(new Set(first).size).toBe(5);
    const seeded = await probe.values(F.rand(7), from);
    expect(await probe.values(F.rand(7), from)).toEqual(seeded);
    const shuffled = await probe.value(F.shuffle(F.array(F.lit(1), F.lit(2), F.lit(3))));
    expect([...(shuffled as number[])].sort()).toEqual([1, 2, 3]);
  });
});

describe("call_function / call_udf / expr", () => {
  it("reach built-in functions and session SQL functions by name", async () => {
    await probe.rows(sql("CREATE OR REPLACE TEMPORARY FUNCTION x_plus_one(x INT) RETURNS INT RETURN x + 1"));
    const row = await one({
      call: F.call_function("upper", F.lit("x")),
      sql_function: F.call_function("x_plus_one", F.lit(41)),
      udf: F.call_udf("x_plus_one", F.lit(1)),
      expr: F.expr("1 + 2 * 3"),
    });
    expect(row).toEqual({ call: "X", sql_function: 42, udf: 2, expr: 7 });
    await expect(probe.value(F.call_function("no_such_function", F.lit(1)))).rejects.toThrow(/UNRESOLVED_ROUTINE/);
  });
});
