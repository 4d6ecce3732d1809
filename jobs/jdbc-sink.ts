/**
 * Loads data sets into PostgreSQL through Spark's JDBC data source, for BI tools that read SQL. Spark writes
 * each table into a staging table; then one PL/pgSQL block creates the target tables, their primary keys,
 * foreign keys and key indexes where missing, replaces their rows from the staging tables and drops those, in
 * one transaction: a reader sees the previous load or the new one, never half of each, and a rerun is safe.
 * Credentials come from the environment and never appear in messages.
 */
import type { DataFrame, ExecuteOptions, SparkSession } from "../src/index.ts";

/** A table of the target database and its keys. */
export interface JdbcTableSpec {
  table: string;
  primaryKey: readonly string[];
  foreignKeys?: ReadonlyArray<{ columns: readonly string[]; references: string; referencedColumns: readonly string[] }>;
}

/** Where to load: a `jdbc:postgresql://` URL and the credentials read from the environment. */
export interface JdbcTarget {
  url: string;
  user?: string;
  password?: string;
}

export class JdbcSinkError extends Error {
  override name = "JdbcSinkError";
}

const DRIVER = "org.postgresql.Driver";
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const STAGING_SUFFIX = "__staging";

/**
 * The target of `--jdbc <url>`: user from RETAIL_LAB_JDBC_USER, else PGUSER; password from
 * RETAIL_LAB_JDBC_PASSWORD, else PGPASSWORD (either may also be in the URL's query string).
 */
export function jdbcTargetFromEnv(url: string, env: NodeJS.ProcessEnv = process.env): JdbcTarget {
  if (!/^jdbc:postgresql:\/\/[^/?#]+\/[^/?#]+/.test(url)) {
    throw new JdbcSinkError(
      `--jdbc ${JSON.stringify(redactUrl(url))} is not a PostgreSQL JDBC URL; expected jdbc:postgresql://host:port/database (credentials in RETAIL_LAB_JDBC_USER / RETAIL_LAB_JDBC_PASSWORD or PGUSER / PGPASSWORD)`,
    );
  }
  const user = env.RETAIL_LAB_JDBC_USER || env.PGUSER || undefined;
  const password = env.RETAIL_LAB_JDBC_PASSWORD || env.PGPASSWORD || undefined;
  return { url, ...(user ? { user } : {}), ...(password ? { password } : {}) };
}

/** The URL with any password parameter masked, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/(password=)[^&;]*/gi, "$1***").replace(/\/\/([^/@:]+):[^/@]*@/, "//$1:***@");
}

/** Removes the password (wherever it is echoed, e.g. in a server error) from a message. */
export function redact(text: string, target: JdbcTarget): string {
  let out = text.split(target.url).join(redactUrl(target.url));
  if (target.password) out = out.split(target.password).join("***");
  return out;
}

function quote(identifier: string, what: string): string {
  if (!IDENTIFIER.test(identifier)) {
    throw new JdbcSinkError(`${what} ${JSON.stringify(identifier)} is not a plain lower-case SQL identifier`);
  }
  return `"${identifier}"`;
}

/**
 * The PL/pgSQL block that publishes staged tables (given in load order: referenced tables first). It does
 * nothing when the first staging table is gone, i.e. when this load was already published.
 */
export function publishStatement(tables: ReadonlyArray<{ spec: JdbcTableSpec; columns: readonly string[] }>): string {
  const first = tables[0];
  if (!first) throw new JdbcSinkError("nothing to publish: no tables");
  const lines: string[] = [];
  const literal = (name: string) => `'${name}'`;
  lines.push(`IF to_regclass(${literal(`${first.spec.table}${STAGING_SUFFIX}`)}) IS NULL THEN RETURN; END IF;`);
  for (const { spec } of tables) {
    const target = quote(spec.table, "table");
    const staging = quote(`${spec.table}${STAGING_SUFFIX}`, "table");
    const pk = quote(`${spec.table}_pk`, "constraint");
    lines.push(`CREATE TABLE IF NOT EXISTS ${target} (LIKE ${staging});`);
    lines.push(
      `IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = ${literal(target)}::regclass AND contype = 'p') THEN`,
      `  ALTER TABLE ${target} ADD CONSTRAINT ${pk} PRIMARY KEY (${spec.primaryKey.map((c) => quote(c, "column")).join(", ")});`,
      "END IF;",
    );
  }
  lines.push(`TRUNCATE ${tables.map(({ spec }) => quote(spec.table, "table")).join(", ")};`);
  for (const { spec, columns } of tables) {
    const list = columns.map((c) => quote(c, "column")).join(", ");
    lines.push(
      `INSERT INTO ${quote(spec.table, "table")} (${list}) SELECT ${list} FROM ${quote(`${spec.table}${STAGING_SUFFIX}`, "table")};`,
    );
  }
  for (const { spec } of tables) {
    const target = quote(spec.table, "table");
    for (const fk of spec.foreignKeys ?? []) {
      const name = `${spec.table}_${fk.columns.join("_")}_fk`;
      const cols = fk.columns.map((c) => quote(c, "column")).join(", ");
      lines.push(
        `IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = ${literal(name)} AND conrelid = ${literal(target)}::regclass) THEN`,
        `  ALTER TABLE ${target} ADD CONSTRAINT ${quote(name, "constraint")} FOREIGN KEY (${cols}) REFERENCES ${quote(fk.references, "table")} (${fk.referencedColumns.map((c) => quote(c, "column")).join(", ")});`,
        "END IF;",
        // PostgreSQL indexes the referenced keys, not the referencing columns that BI joins filter on.
        `CREATE INDEX IF NOT EXISTS ${quote(`${spec.table}_${fk.columns.join("_")}_idx`, "index")} ON ${target} (${cols});`,
      );
    }
  }
  for (const { spec } of tables) lines.push(`DROP TABLE ${quote(`${spec.table}${STAGING_SUFFIX}`, "table")};`);
  return `DO $retail_lab$\nBEGIN\n${lines.map((l) => `  ${l}`).join("\n")}\nEND\n$retail_lab$`;
}

export interface JdbcLoad {
  table: string;
  /** Rows in the table after the load, counted by PostgreSQL. */
  rows: bigint;
}

/**
 * Writes the tables (load order: referenced tables first) into PostgreSQL and publishes them atomically.
 * Returns the row count of each table as PostgreSQL reports it after the load.
 */
export async function loadIntoPostgres(
  spark: SparkSession,
  target: JdbcTarget,
  tables: ReadonlyArray<{ spec: JdbcTableSpec; frame: DataFrame }>,
  options: ExecuteOptions & { onTable?: (table: string) => void } = {},
): Promise<JdbcLoad[]> {
  const { onTable, ...execute } = options;
  const connection: Record<string, string> = {
    url: target.url,
    driver: DRIVER,
    ...(target.user ? { user: target.user } : {}),
    ...(target.password ? { password: target.password } : {}),
  };
  try {
    const staged: Array<{ spec: JdbcTableSpec; columns: string[] }> = [];
    for (const { spec, frame } of tables) {
      onTable?.(spec.table);
      const columns = await frame.columns({ signal: execute.signal });
      for (const c of columns) quote(c, `column of ${spec.table}`);
      await frame.write
        .format("jdbc")
        .mode("overwrite")
        .options({ ...connection, dbtable: `${spec.table}${STAGING_SUFFIX}`, batchsize: "5000" })
        .save(undefined, undefined, execute);
      staged.push({ spec, columns });
    }
    // Spark's JDBC source runs arbitrary SQL only as a read's session init statement; the read itself is a
    // constant query so that analysing it needs no table.
    await spark.read
      .format("jdbc")
      .options({ ...connection, query: "SELECT 1 AS published", sessionInitStatement: publishStatement(staged) })
      .load()
      .collect(execute);
    const counts = await spark.read
      .format("jdbc")
      .options({
        ...connection,
        query: tables
          .map(
            ({ spec }) =>
              `SELECT '${spec.table}' AS table_name, count(*) AS row_count FROM ${quote(spec.table, "table")}`,
          )
          .join(" UNION ALL "),
      })
      .load()
      .collect(execute);
    return tables.map(({ spec }) => {
      const row = counts.find((r) => r.table_name === spec.table);
      return { table: spec.table, rows: BigInt(row?.row_count as bigint | number) };
    });
  } catch (error) {
    if (error instanceof JdbcSinkError || options.signal?.aborted) throw error;
    const message = redact((error as Error).message ?? String(error), target);
    throw new JdbcSinkError(`loading into ${redactUrl(target.url)} failed: ${message}`);
  }
}
