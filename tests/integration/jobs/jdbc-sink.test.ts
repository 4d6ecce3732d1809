/**
 * The mart's PostgreSQL sink against a real local PostgreSQL (tests/setup/postgres.ts installs and starts one
 * on 127.0.0.1): `run mart --jdbc` loads the tables with their keys, row counts and totals equal the Parquet
 * mart's, a second load replaces the rows (idempotent), and credentials never reach the output or errors.
 * The Spark server needs the PostgreSQL driver on its classpath (retail-lab's runtime provisions it); when the
 * test server lacks it (a SPARK_REMOTE started from other jars), this file starts its own local Spark.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { JdbcSinkError, jdbcTargetFromEnv, publishStatement, redactUrl } from "../../../jobs/jdbc-sink.ts";
import { selectJobs } from "../../../jobs/registry.ts";
import { type JobRun, runJobs } from "../../../jobs/runner.ts";
import { functions as F, SparkSession } from "../../../src/index.ts";
import { ensureLocalSpark, findFreePort } from "../../../src/runtime/index.ts";
import { type Postgres, startPostgres } from "../../setup/postgres.ts";
import { type Dataset, generateDemo } from "./fixtures.ts";

const TABLES = ["dim_date", "dim_product", "dim_customer", "dim_store", "fact_sales"];

let pg: Postgres;
let data: Dataset;
let remote: string;
let ownSpark: { stop(): Promise<void>; dir: string } | undefined;
let spark: SparkSession;
let run: JobRun;
let out: string;

async function session(url: string): Promise<SparkSession> {
  return SparkSession.builder()
    .remote(url)
    .appName("retail-lab-jdbc-sink-test")
    .config({ "spark.sql.session.timeZone": "UTC", "spark.sql.shuffle.partitions": 4 })
    .create();
}

/** True when the server can load the PostgreSQL driver (a trivial JDBC query succeeds). */
async function hasDriver(s: SparkSession): Promise<boolean> {
  try {
    await s.read
      .format("jdbc")
      .options({
        url: pg.jdbcUrl,
        driver: "org.postgresql.Driver",
        user: pg.user,
        password: pg.password,
        query: "SELECT 1 AS one",
      })
      .load()
      .collect();
    return true;
  } catch (error) {
    if (/org\.postgresql\.Driver|No suitable driver/i.test((error as Error).message)) return false;
    throw error;
  }
}

beforeAll(async () => {
  pg = await startPostgres();
  data = await generateDemo();
  remote = inject("sparkRemote");
  spark = await session(remote);
  if (!(await hasDriver(spark))) {
    await spark.stop();
    const dir = mkdtempSync(join(tmpdir(), "retail-lab-jdbc-spark-"));
    const local = await ensureLocalSpark({
      // Without SPARK_REMOTE: that is the server lacking the driver.
      env: { ...process.env, SPARK_REMOTE: "", RETAIL_LAB_STATE: dir },
      port: await findFreePort("127.0.0.1"),
      memory: "1g",
      conf: { "spark.sql.shuffle.partitions": "4" },
    });
    ownSpark = { stop: () => local.stop(), dir };
    remote = local.remote;
    spark = await session(remote);
    expect(await hasDriver(spark)).toBe(true);
  }
  out = data.scratch("out");
  [run] = (await runJobs({
    spark,
    dataDir: data.dir,
    jobs: selectJobs(["mart"]),
    outDir: out,
    jdbc: { url: pg.jdbcUrl, user: pg.user, password: pg.password },
  })) as [JobRun];
});
afterAll(async () => {
  await spark?.stop();
  if (ownSpark) {
    await ownSpark.stop();
    rmSync(ownSpark.dir, { recursive: true, force: true });
  }
  pg?.stop();
  data?.remove();
});

/** Row counts and money totals of the Parquet mart, through Spark. */
async function parquetTotals(): Promise<{ counts: Record<string, bigint>; totals: Record<string, string> }> {
  const counts: Record<string, bigint> = {};
  for (const t of TABLES) counts[t] = await spark.read.parquet(join(out, "mart", t)).count();
  const [row] = await spark.read
    .parquet(join(out, "mart", "fact_sales"))
    .agg(
      F.sum("gross_revenue").cast("string").alias("gross_revenue"),
      F.sum("net_revenue").cast("string").alias("net_revenue"),
      F.sum("cost").cast("string").alias("cost"),
      F.sum("gross_margin").cast("string").alias("gross_margin"),
      F.sum("quantity").cast("string").alias("quantity"),
    )
    .collect();
  return { counts, totals: row as Record<string, string> };
}

function postgresTotals(): { counts: Record<string, bigint>; totals: Record<string, string> } {
  const counts: Record<string, bigint> = {};
  for (const t of TABLES) counts[t] = BigInt(pg.query(`SELECT count(*) FROM ${t}`)[0]![0]!);
  const [sums] = pg.query(
    "SELECT sum(gross_revenue), sum(net_revenue), sum(cost), sum(gross_margin), sum(quantity) FROM fact_sales",
  );
  const [gross_revenue, net_revenue, cost, gross_margin, quantity] = sums!;
  return { counts, totals: { gross_revenue, net_revenue, cost, gross_margin, quantity } as Record<string, string> };
}

describe("the mart's PostgreSQL sink", () => {
  it("loads every mart table: row counts and money totals equal the Parquet mart's, exactly", async () => {
    const parquet = await parquetTotals();
    expect(postgresTotals()).toEqual(parquet);
    expect(run.jdbc).toEqual(TABLES.map((table) => ({ table, rows: parquet.counts[table] })));
    expect(pg.query("SELECT count(*) FROM pg_tables WHERE tablename LIKE '%staging%'")).toEqual([["0"]]);
  });

  it("creates primary keys, foreign keys from the fact to every dimension, and exact money types", () => {
    const constraints = pg
      .query(
        "SELECT conrelid::regclass::text, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2, 3",
      )
      .map((r) => r.join(" "));
    expect(constraints).toEqual([
      "dim_customer p PRIMARY KEY (customer_key)",
      "dim_date p PRIMARY KEY (date_key)",
      "dim_product p PRIMARY KEY (product_key)",
      "dim_store p PRIMARY KEY (store_key)",
      "fact_sales f FOREIGN KEY (customer_key) REFERENCES dim_customer(customer_key)",
      "fact_sales f FOREIGN KEY (date_key) REFERENCES dim_date(date_key)",
      "fact_sales f FOREIGN KEY (product_key) REFERENCES dim_product(product_key)",
      "fact_sales f FOREIGN KEY (store_key) REFERENCES dim_store(store_key)",
      "fact_sales p PRIMARY KEY (order_id, line_no)",
    ]);
    const types = pg.query(
      "SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_name = 'fact_sales' AND column_name IN ('gross_revenue', 'gross_margin', 'order_id') ORDER BY 1",
    );
    expect(types).toEqual([
      ["gross_margin", "numeric", "12", "2"],
      ["gross_revenue", "numeric", "12", "2"],
      ["order_id", "bigint", "64", "0"],
    ]);
  });

  it("a second load replaces the rows (same counts, no duplicates) and keeps the keys", async () => {
    const before = postgresTotals();
    await runJobs({
      spark,
      dataDir: data.dir,
      jobs: selectJobs(["mart"]),
      jdbc: { url: pg.jdbcUrl, user: pg.user, password: pg.password },
    });
    expect(postgresTotals()).toEqual(before);
    expect(pg.query("SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace")).toEqual([["9"]]);
  });

  it("`run mart --jdbc` takes credentials from the environment and never prints them; a wrong one is redacted", () => {
    const cli = (password: string) =>
      spawnSync(
        process.execPath,
        ["bin/retail-lab.js", "run", "mart", "--data", data.dir, "--jdbc", pg.jdbcUrl, "--remote", remote],
        {
          encoding: "utf8",
          env: { ...process.env, NO_COLOR: "1", RETAIL_LAB_JDBC_USER: pg.user, RETAIL_LAB_JDBC_PASSWORD: password },
        },
      );
    const ok = cli(pg.password);
    expect(ok.status, ok.stderr).toBe(0);
    expect(`${ok.stdout}${ok.stderr}`).toContain("loaded into PostgreSQL: dim_date");
    expect(`${ok.stdout}${ok.stderr}`).not.toContain(pg.password);
    const wrong = `${pg.password}-wrong`;
    const failed = cli(wrong);
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(
      /loading into jdbc:postgresql:\/\/127\.0\.0\.1:\d+\/mart failed: .*password authentication failed/s,
    );
    expect(`${failed.stdout}${failed.stderr}`).not.toContain(wrong);
  });
});

describe("JDBC target and statements", () => {
  it("accepts only PostgreSQL URLs, reads credentials from the environment, and masks passwords", () => {
    expect(() => jdbcTargetFromEnv("jdbc:mysql://h/db")).toThrow(JdbcSinkError);
    expect(() => jdbcTargetFromEnv("postgres://u:secret@h/db")).toThrow(/postgres:\/\/u:\*\*\*@h\/db/);
    expect(jdbcTargetFromEnv("jdbc:postgresql://h:5432/db", { PGUSER: "u", PGPASSWORD: "p" })).toEqual({
      url: "jdbc:postgresql://h:5432/db",
      user: "u",
      password: "p",
    });
    expect(
      jdbcTargetFromEnv("jdbc:postgresql://h/db", {
        RETAIL_LAB_JDBC_USER: "a",
        PGUSER: "b",
        RETAIL_LAB_JDBC_PASSWORD: "x",
      }),
    ).toEqual({ url: "jdbc:postgresql://h/db", user: "a", password: "x" });
    expect(redactUrl("jdbc:postgresql://h/db?user=u&password=s3cret&ssl=true")).toBe(
      "jdbc:postgresql://h/db?user=u&password=***&ssl=true",
    );
  });

  it("refuses identifiers that are not plain lower-case names", () => {
    expect(() =>
      publishStatement([{ spec: { table: "fact; DROP TABLE x", primaryKey: ["id"] }, columns: ["id"] }]),
    ).toThrow(/table "fact; DROP TABLE x" is not a plain lower-case SQL identifier/);
  });
});
