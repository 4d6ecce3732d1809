/**
 * The pure parts of the lake layout: which table gets which layout, the catalog names a build uses, the
 * statement that registers a table again after a restart, SQL quoting and manifest checks.
 */
import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../../bench/lake-questions.ts";
import { TABLE_NAMES, TABLES } from "../../../generators/schema.ts";
import { tablePath } from "../../../jobs/data-paths.ts";
import {
  catalogDatabase,
  catalogLocation,
  describeLayout,
  LAKE_FORMAT,
  LAKE_TABLES,
  LakeError,
  lakePath,
  parseLakeManifest,
  registerStatement,
  sqlString,
} from "../../../jobs/lake-layout.ts";

describe("LAKE_TABLES", () => {
  it("partitions the tables of events, buckets the customer tables and compacts the rest", () => {
    const kinds = Object.fromEntries(TABLE_NAMES.map((t) => [t, LAKE_TABLES[t].kind]));
    expect(kinds).toEqual({
      stores: "compacted",
      customers: "bucketed",
      products: "compacted",
      sessions: "partitioned",
      clickstream: "partitioned",
      cart_events: "partitioned",
      payment_attempts: "partitioned",
      orders: "bucketed",
      order_lines: "bucketed",
      session_truth: "compacted",
    });
  });

  it("takes country from sessions exactly for the event tables that lack it", () => {
    for (const table of TABLE_NAMES) {
      const layout = LAKE_TABLES[table];
      if (layout.kind !== "partitioned") continue;
      const hasCountry = TABLES[table].columns.some((c) => c.name === "country");
      expect(layout.countryFrom, table).toBe(hasCountry ? "self" : "sessions");
      expect(
        TABLES[table].columns.some((c) => c.name === layout.time),
        table,
      ).toBe(true);
      expect(layout.sortBy[0], table).toBe("session_id");
    }
  });

  it("gives order_lines its order's customer, the other customer tables their own", () => {
    for (const table of ["orders", "order_lines", "customers"] as const) {
      const layout = LAKE_TABLES[table];
      const hasCustomer = TABLES[table].columns.some((c) => c.name === "customer_id");
      expect(layout.kind === "bucketed" && layout.customerFrom, table).toBe(hasCustomer ? "self" : "orders");
    }
  });

  it("describes each layout in words", () => {
    expect(describeLayout("clickstream", 8)).toBe("partitioned by country, event_date; sorted by session_id, ts");
    expect(describeLayout("orders", 16)).toBe("16 buckets by customer_id; sorted by customer_id, order_id");
    expect(describeLayout("stores", 8)).toBe("one file; sorted by store_id");
  });
});

describe("catalog names", () => {
  it("differ between builds and between lakes, and are stable for one build", () => {
    const a = catalogDatabase("/data/lake", "b1");
    expect(a).toMatch(/^retail_lab_lake_[0-9a-f]{12}$/);
    expect(catalogDatabase("/data/lake", "b1")).toBe(a);
    expect(catalogDatabase("/data/lake", "b2")).not.toBe(a);
    expect(catalogDatabase("/other/lake", "b1")).not.toBe(a);
  });

  it("keep the database folder apart from the lake's tables (dropping a database deletes its folder)", () => {
    expect(catalogLocation("/data/lake", "db1")).toBe("/data/lake/_catalog/db1.db");
    expect(catalogLocation("s3a://bucket/data/lake", "db1")).toBe("s3a://bucket/data/lake/_catalog/db1.db");
    expect(lakePath("s3a://bucket/data/")).toBe("s3a://bucket/data/lake");
    expect(tablePath("s3a://bucket/data", "lake/orders")).toBe("s3a://bucket/data/lake/orders");
  });
});

describe("registerStatement", () => {
  const entry = {
    columns: ["`customer_id` BIGINT", "`total` DECIMAL(12,2)"],
    rows: 1,
    files: 1,
    bytes: 1,
    partitions: null,
  };

  it("re-creates a bucketed table with its bucket spec over its folder", () => {
    expect(registerStatement("db", "orders", entry, "/d/lake", 8)).toBe(
      "CREATE TABLE IF NOT EXISTS db.orders (`customer_id` BIGINT, `total` DECIMAL(12,2)) USING parquet " +
        "CLUSTERED BY (customer_id) SORTED BY (customer_id, order_id) INTO 8 BUCKETS LOCATION '/d/lake/orders'",
    );
  });

  it("re-creates a partitioned table with its partition columns", () => {
    expect(registerStatement("db", "payment_attempts", entry, "s3a://b/it's/lake", 8)).toBe(
      "CREATE TABLE IF NOT EXISTS db.payment_attempts (`customer_id` BIGINT, `total` DECIMAL(12,2)) USING parquet " +
        "PARTITIONED BY (country, event_date) LOCATION 's3a://b/it\\'s/lake/payment_attempts'",
    );
  });

  it("quotes SQL strings", () => {
    expect(sqlString("a'b\\c")).toBe("'a\\'b\\\\c'");
  });
});

describe("parseLakeManifest", () => {
  const good = {
    format: LAKE_FORMAT,
    status: "complete",
    buildId: "b",
    startedAt: "t",
    source: null,
    buckets: 8,
    tables: {},
  };

  it("accepts a manifest and names a bad one", () => {
    expect(parseLakeManifest(JSON.stringify(good), "m").buildId).toBe("b");
    expect(() => parseLakeManifest("{", "/l/_lake")).toThrow(/^\/l\/_lake is not valid JSON \(/);
    expect(() => parseLakeManifest("null", "m")).toThrow(LakeError);
    expect(() => parseLakeManifest(JSON.stringify({ ...good, format: "x" }), "m")).toThrow(
      'm is not a retail-lab-lake/1 manifest (format "x")',
    );
    expect(() => parseLakeManifest(JSON.stringify({ ...good, status: "done" }), "m")).toThrow(
      'm has status "done"; expected "building" or "complete"',
    );
    expect(() => parseLakeManifest(JSON.stringify({ ...good, buckets: "8" }), "m")).toThrow(
      "m lacks buildId, buckets or tables",
    );
  });
});

describe("bench questions", () => {
  it("start on the first Monday of the window", () => {
    expect(defaultSettings("2025-01-01").weekStart).toBe("2025-01-06");
    expect(defaultSettings("2025-01-06").weekStart).toBe("2025-01-06");
    expect(defaultSettings("2024-12-29")).toEqual({ country: "Canada", weekStart: "2024-12-30", channel: "app" });
  });
});
