/**
 * The baseline for `npm run bench:generate`: the way synthetic data is usually written (and the way the
 * reference study wrote it), with one Faker call per field of every row, rows as objects, Arrow builders
 * (`vectorFromArray`) per column and one `writeParquet` per part file. It writes the same tables and
 * columns, with the same Parquet/Spark types, and the same row count per table as the real generator.
 * It has no journeys or invariants: it exists to be timed.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { faker } from "@faker-js/faker/locale/en_US";
import * as wasm from "parquet-wasm";
import { type ColumnSpec, TABLES, type TableName } from "../generators/schema.ts";
import { type Arrow, arrow } from "./arrow.ts";

const PART_ROWS = 100_000;
const FROM = new Date(Date.UTC(2025, 0, 1));
const TO = new Date(Date.UTC(2025, 2, 31));

/** Id columns in random order in the real data; the other ids follow the row order (keys, clustered references). */
const RANDOM_IDS = new Set([
  "sessions.customer_id",
  "session_truth.customer_id",
  "orders.customer_id",
  "payment_attempts.card_id",
]);

/** One value of a column, straight from Faker. */
function fakeValue(table: TableName, column: ColumnSpec, row: number, rows: number): unknown {
  if (column.nullable && faker.datatype.boolean({ probability: 0.1 })) return null;
  const type = column.type;
  switch (type.kind) {
    case "int64":
      return column.name.endsWith("_id") && column.encoding === "delta" && !RANDOM_IDS.has(`${table}.${column.name}`)
        ? BigInt(row + 1)
        : BigInt(faker.number.int({ min: 1, max: Math.max(1, rows) }));
    case "int32":
      return faker.number.int({ min: 1, max: 1_000 });
    case "boolean":
      return faker.datatype.boolean();
    case "timestamp":
      return faker.date.between({ from: FROM, to: TO });
    case "date":
      return faker.date.past({ years: 5, refDate: FROM });
    case "decimal": {
      const cents = Math.round(Number(faker.commerce.price({ min: 1, max: 500 })) * 100);
      return new Uint32Array([cents >>> 0, Math.floor(cents / 2 ** 32), 0, 0]);
    }
    case "dictionary":
      return faker.helpers.arrayElement(type.values);
    // Names: one Faker call per value (the real generator indexes its Faker pools).
    case "pool":
    case "string":
      switch (column.name) {
        case "first_name":
          return faker.person.firstName();
        case "last_name":
          return faker.person.lastName();
        case "email":
          return faker.internet.email();
        case "brand":
          return faker.company.name();
        default:
          return faker.commerce.productName();
      }
  }
}

/** The Arrow type that gives the column's Parquet type through parquet-rs; vocabulary columns as plain strings. */
function naiveArrowType(column: ColumnSpec): Arrow.DataType {
  const type = column.type;
  switch (type.kind) {
    case "int64":
      return new arrow.Int64();
    case "int32":
      return new arrow.Int32();
    case "boolean":
      return new arrow.Bool();
    case "timestamp":
      // A timezone makes parquet-rs set isAdjustedToUTC=true, which Spark reads as TIMESTAMP.
      return new arrow.TimestampMicrosecond("UTC");
    case "date":
      return new arrow.DateDay();
    case "decimal":
      return new arrow.Decimal(type.scale, type.precision, 128);
    case "string":
    case "dictionary":
    case "pool":
      return new arrow.Utf8();
  }
}

function writePart(path: string, table: TableName, rows: Record<string, unknown>[]): number {
  const columns = TABLES[table].columns;
  const vectors = Object.fromEntries(
    columns.map((c) => [c.name, arrow.vectorFromArray(rows.map((r) => r[c.name]) as never[], naiveArrowType(c))]),
  );
  const ipc = arrow.tableToIPC(new arrow.Table(vectors), "stream");
  const bytes = wasm.writeParquet(
    wasm.Table.fromIPCStream(ipc),
    new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.SNAPPY).build(),
  );
  const fd = openSync(path, "w");
  writeSync(fd, bytes);
  closeSync(fd);
  return bytes.byteLength;
}

/** Writes `rows[table]` rows of every table under `out`; returns the bytes written. */
export function naiveGenerate(out: string, rows: Partial<Record<TableName, number>>, seed = 42): number {
  faker.seed(seed);
  let bytes = 0;
  for (const [table, count] of Object.entries(rows) as [TableName, number][]) {
    mkdirSync(join(out, table), { recursive: true });
    for (let part = 0, from = 0; from < count; part++, from += PART_ROWS) {
      const n = Math.min(PART_ROWS, count - from);
      const batch: Record<string, unknown>[] = [];
      for (let i = 0; i < n; i++) {
        const row: Record<string, unknown> = {};
        for (const column of TABLES[table].columns) row[column.name] = fakeValue(table, column, from + i, count);
        batch.push(row);
      }
      bytes += writePart(join(out, table, `part-${String(part).padStart(5, "0")}.parquet`), table, batch);
    }
  }
  return bytes;
}
