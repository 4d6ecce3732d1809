/**
 * The output contract shared with jobs/: every table the generator writes, its columns, their Parquet/Spark
 * types and meaning. Ids are int64 (Spark bigint), money is decimal(10,2) or decimal(12,2), timestamps are
 * microsecond UTC-adjusted Parquet timestamps (Spark TIMESTAMP), low-cardinality strings are dictionary columns
 * whose values are the closed vocabularies. generators/README.md is the prose version of this file.
 */
import type { ColumnSchema } from "./parquet/format.ts";
import type { Pools } from "./pools.ts";
import {
  CARD_BRANDS,
  CART_ACTIONS,
  CATEGORIES,
  CHANNELS,
  DECLINE_CODES,
  DECLINE_TYPES,
  DEVICES,
  EVENT_TYPES,
  EXIT_REASONS,
  GATEWAYS,
  PAYMENT_METHODS,
  PAYMENT_RESULTS,
  SEGMENTS,
  STAGES,
} from "./vocabulary.ts";
import { CITY_NAMES, COUNTRIES, STATE_NAMES } from "./world/geography.ts";

export type ColumnType =
  | { readonly kind: "int64" }
  | { readonly kind: "int32" }
  | { readonly kind: "boolean" }
  /** Microseconds since the epoch, UTC-adjusted: Spark reads TIMESTAMP. Generators hand in epoch milliseconds. */
  | { readonly kind: "timestamp" }
  /** Days since the epoch: Spark reads DATE. */
  | { readonly kind: "date" }
  /** Exact decimal; generators hand in an integer count of 10^-scale units (cents for scale 2). */
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "string" }
  /** A string from a closed vocabulary; generators hand in the index of the value. */
  | { readonly kind: "dictionary"; readonly values: readonly string[] }
  /** A string from one of the seed's Faker pools (pools.ts), the vocabulary of its column; generators hand in the index. */
  | { readonly kind: "pool"; readonly pool: PoolName };

/**
 * How a column's values are encoded. "delta" (DELTA_BINARY_PACKED) suits integers: sorted or clustered ids and
 * timestamps pack into a few bits, and even unsorted ids and amounts take fewer bytes than PLAIN does after
 * compression; "plain" suits unique strings; "dictionary" suits everything with few distinct values
 * (vocabulary columns need no hashing: their values already are dictionary indices).
 */
export type ColumnEncoding = "delta" | "plain" | "dictionary";

export type PoolName = keyof Pools;

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly description: string;
  readonly encoding: ColumnEncoding;
}

export interface TableSpec {
  readonly name: TableName;
  readonly description: string;
  readonly columns: readonly ColumnSpec[];
  /** The order rows are written in, which is what makes a range filter on the first time column prune row groups. */
  readonly sortedBy: readonly string[];
}

export const TABLE_NAMES = [
  "stores",
  "customers",
  "products",
  "sessions",
  "clickstream",
  "cart_events",
  "payment_attempts",
  "orders",
  "order_lines",
  "session_truth",
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

const int64: ColumnType = { kind: "int64" };
const int32: ColumnType = { kind: "int32" };
const boolean: ColumnType = { kind: "boolean" };
const timestamp: ColumnType = { kind: "timestamp" };
const date: ColumnType = { kind: "date" };
const string: ColumnType = { kind: "string" };
/** Unit prices and costs: up to 99,999,999.99. */
export const PRICE: ColumnType = { kind: "decimal", precision: 10, scale: 2 };
/** Order and attempt amounts: up to 9,999,999,999.99. */
export const AMOUNT: ColumnType = { kind: "decimal", precision: 12, scale: 2 };
const dict = (values: readonly string[]): ColumnType => ({ kind: "dictionary", values });

const col = (
  name: string,
  type: ColumnType,
  description: string,
  nullable = false,
  encoding: ColumnEncoding = type.kind === "int64" || type.kind === "timestamp" ? "delta" : "dictionary",
): ColumnSpec => ({ name, type, nullable, description, encoding });

export const TABLES: { readonly [T in TableName]: TableSpec } = {
  stores: {
    name: "stores",
    description: "Physical branches plus one row per online channel (store_id 1 = web, 2 = app).",
    sortedBy: ["store_id"],
    columns: [
      col("store_id", int64, "Store key; 1 and 2 are the web and app channels, physical stores start at 3."),
      col("name", string, "Display name.", false, "plain"),
      col("channel", dict(CHANNELS), "web, app, or store for a physical branch."),
      col("country", dict(COUNTRIES), "Country of a physical store; null for online channels.", true),
      col("state", dict(STATE_NAMES), "State or province; null for online channels.", true),
      col("city", dict(CITY_NAMES), "City, always inside `state`; null for online channels.", true),
      col("opened_on", date, "Opening date of the branch (or launch of the channel)."),
    ],
  },
  customers: {
    name: "customers",
    description: "Registered customers. Geography is that of the customer's home store.",
    sortedBy: ["customer_id"],
    columns: [
      col("customer_id", int64, "Customer key, 1..customers."),
      col("first_name", { kind: "pool", pool: "firstNames" }, "Given name (Faker pool)."),
      col("last_name", { kind: "pool", pool: "lastNames" }, "Family name (Faker pool)."),
      col("email", string, "Unique address on a reserved example domain.", false, "plain"),
      col("country", dict(COUNTRIES), "Country of the home store."),
      col("state", dict(STATE_NAMES), "State of the home store."),
      col("city", dict(CITY_NAMES), "City of the home store."),
      col(
        "home_store_id",
        int64,
        "The physical store the customer lives near and mostly buys in.",
        false,
        "dictionary",
      ),
      col("segment", dict(SEGMENTS), "vip, regular, occasional (by activity) or new (signed up in the window)."),
      col("is_member", boolean, "Loyalty member: converts more, buys more, uses the app more, gets discounts."),
      col("signup_date", date, "Account creation; no session of the customer starts before it."),
    ],
  },
  products: {
    name: "products",
    description: "The catalog. Margin (1 - unit_cost/unit_price) varies by category.",
    sortedBy: ["product_id"],
    columns: [
      col("product_id", int64, "Product key, 1..products. Product 102 is always Mineral Water."),
      col("name", string, "Product name with size or variant.", false, "plain"),
      col("category", dict(CATEGORIES), "Category."),
      col("brand", string, "Brand."),
      col("unit_price", PRICE, "Shelf price."),
      col("unit_cost", PRICE, "Unit cost to the retailer."),
    ],
  },
  sessions: {
    name: "sessions",
    description: "One row per online visit (web or app).",
    sortedBy: ["session_id"],
    columns: [
      col("session_id", int64, "Session key, 1..sessions, in start-time order."),
      col("customer_id", int64, "Signed-in customer; null for an anonymous visit.", true),
      col("channel", dict(CHANNELS), "web or app."),
      col("device", dict(DEVICES), "desktop, mobile or tablet on web; ios or android on app."),
      col("country", dict(COUNTRIES), "Country of the visitor (the customer's, else by traffic share)."),
      col("started_at", timestamp, "First event of the session."),
      col("ended_at", timestamp, "Last event of the session, or the last payment response if later."),
    ],
  },
  clickstream: {
    name: "clickstream",
    description: "Navigation events of online sessions.",
    sortedBy: ["session_id", "seq"],
    columns: [
      col("event_id", int64, "session_id * 1000 + seq: unique across clickstream, cart_events and payment_attempts."),
      col("session_id", int64, "Owning session."),
      col("customer_id", int64, "The session's customer; null when anonymous.", true),
      col("seq", int32, "Position in the session, shared with cart_events and payment_attempts, from 1."),
      col("ts", timestamp, "Event time; strictly increasing with seq within a session."),
      col("event_type", dict(EVENT_TYPES), "page_view, search, product_view or begin_checkout."),
      col("product_id", int64, "Viewed product for product_view; null otherwise.", true, "dictionary"),
    ],
  },
  cart_events: {
    name: "cart_events",
    description: "Cart additions and removals. Every add follows a product_view of the same product.",
    sortedBy: ["session_id", "seq"],
    columns: [
      col("cart_event_id", int64, "session_id * 1000 + seq."),
      col("session_id", int64, "Owning session."),
      col("customer_id", int64, "The session's customer; null when anonymous.", true),
      col("seq", int32, "Position in the session (shared sequence)."),
      col("ts", timestamp, "Event time."),
      col("action", dict(CART_ACTIONS), "add or remove (a remove takes the whole line out)."),
      col("product_id", int64, "Product added or removed.", false, "dictionary"),
      col("quantity", int32, "Units added or removed."),
      col("unit_price", PRICE, "Unit price at the time of the event."),
    ],
  },
  payment_attempts: {
    name: "payment_attempts",
    description: "Every authorisation attempt of a checkout; the order exists iff one is approved.",
    sortedBy: ["session_id", "seq"],
    columns: [
      col("attempt_id", int64, "session_id * 1000 + seq."),
      col("session_id", int64, "Owning session."),
      col("customer_id", int64, "Paying customer (checkout requires sign-in)."),
      col("order_id", int64, "The resulting order; set iff result = approved.", true),
      col("attempt_no", int32, "1, 2, 3… within the session, contiguous."),
      col("seq", int32, "Position in the session (shared sequence)."),
      col("ts", timestamp, "Submission time."),
      col("channel", dict(CHANNELS), "web or app (copied from the session)."),
      col("device", dict(DEVICES), "Device (copied from the session)."),
      col("gateway", dict(GATEWAYS), "Payment gateway that processed the attempt."),
      col("method", dict(PAYMENT_METHODS), "credit_card, debit_card, wallet or paypal."),
      col("card_brand", dict(CARD_BRANDS), "Card network; null for paypal.", true),
      col("card_id", int64, "The card used (customer_id * 4 + slot); null for paypal.", true),
      col("amount", AMOUNT, "Amount to authorise: the order total.", false, "delta"),
      col("result", dict(PAYMENT_RESULTS), "approved, declined, error or timeout."),
      col("decline_code", dict(DECLINE_CODES), "Issuer reason when declined; null otherwise.", true),
      col("decline_type", dict(DECLINE_TYPES), "soft (retryable) or hard (never retried on that card).", true),
      col("latency_ms", int32, "Gateway response time; a timeout reports the gateway's timeout.", false, "delta"),
    ],
  },
  orders: {
    name: "orders",
    description:
      "Online orders (one per approved session) and POS orders of physical stores. Online parts come first, then POS parts; both follow time.",
    sortedBy: ["order_id"],
    columns: [
      col("order_id", int64, "Online: equal to the session_id. POS: 1,000,000,000,000 + n."),
      col("customer_id", int64, "Buyer; null for a POS walk-in without loyalty card.", true),
      col("session_id", int64, "Online session; null for POS orders.", true),
      col("store_id", int64, "1 (web), 2 (app) or the physical store.", false, "dictionary"),
      col("channel", dict(CHANNELS), "web, app or store."),
      col("ordered_at", timestamp, "Online: when the approving response arrived. POS: checkout time."),
      col("subtotal", AMOUNT, "Sum of quantity * unit_price over the lines.", false, "delta"),
      col("discount", AMOUNT, "Member promotion.", false, "delta"),
      col("tax", AMOUNT, "Sales tax on subtotal - discount at the state's rate.", false, "delta"),
      col("total", AMOUNT, "subtotal - discount + tax.", false, "delta"),
    ],
  },
  order_lines: {
    name: "order_lines",
    description: "Lines of every order.",
    sortedBy: ["order_id", "line_no"],
    columns: [
      col("order_id", int64, "Owning order."),
      col("line_no", int32, "1, 2, 3… within the order."),
      col("product_id", int64, "Product.", false, "dictionary"),
      col("quantity", int32, "Units."),
      col("unit_price", PRICE, "Price charged per unit."),
      col("unit_cost", PRICE, "Cost per unit (for margin)."),
    ],
  },
  session_truth: {
    name: "session_truth",
    description: "The generator's answer key: the true path of every session, for exact tests of funnel jobs.",
    sortedBy: ["session_id"],
    columns: [
      col("session_id", int64, "Session."),
      col("customer_id", int64, "Customer; null when anonymous.", true),
      col("channel", dict(CHANNELS), "web or app."),
      col("max_stage", dict(STAGES), "Furthest funnel stage reached."),
      col("page_views", int32, "Number of page_view events."),
      col("searches", int32, "Number of search events."),
      col("product_views", int32, "Number of product_view events."),
      col("cart_adds", int32, "Number of cart adds."),
      col("cart_removes", int32, "Number of cart removes."),
      col("began_checkout", boolean, "Whether begin_checkout happened."),
      col("checkout_attempts", int32, "Number of payment attempts."),
      col("approved", boolean, "Whether an attempt was approved (an order exists)."),
      col("order_id", int64, "The order, when approved.", true),
      col("exit_reason", dict(EXIT_REASONS), "Why the session ended where it did."),
      col("planted_cross_sell_views", int32, "product_views caused by the planted Mineral Water affinity."),
    ],
  },
};

/**
 * Maps column names to positions, for the generators' hot loops. The list must name every column of the
 * table, so a generator cannot silently leave a new column unwritten.
 */
export function columnIndex<const N extends string>(table: TableSpec, names: readonly N[]): Record<N, number> {
  const out = {} as Record<N, number>;
  for (const name of names) {
    const index = table.columns.findIndex((c) => c.name === name);
    if (index < 0) throw new Error(`table ${table.name} has no column ${name}`);
    out[name] = index;
  }
  const missing = table.columns.filter((c) => !names.includes(c.name as N)).map((c) => c.name);
  if (missing.length > 0) throw new Error(`table ${table.name}: no writer for column(s) ${missing.join(", ")}`);
  return out;
}

/** How a column is written to Parquet: physical and logical type, nullability, encoding. */
export function parquetColumn(column: ColumnSpec): ColumnSchema {
  const { name, nullable, encoding, type } = column;
  switch (type.kind) {
    case "int64":
      return { name, nullable, encoding, physical: "INT64" };
    case "int32":
      return { name, nullable, encoding, physical: "INT32" };
    case "boolean":
      return { name, nullable, encoding: "plain", physical: "BOOLEAN" };
    case "timestamp":
      return { name, nullable, encoding, physical: "INT64", logical: { type: "TIMESTAMP_MICROS_UTC" } };
    case "date":
      return { name, nullable, encoding, physical: "INT32", logical: { type: "DATE" } };
    case "decimal":
      // Up to 18 digits fit an INT64 of 10^-scale units, which is how Spark itself writes such decimals.
      if (type.precision > 18) throw new Error(`${name}: decimal precision ${type.precision} is above 18`);
      return {
        name,
        nullable,
        encoding,
        physical: "INT64",
        logical: { type: "DECIMAL", precision: type.precision, scale: type.scale },
      };
    case "string":
      return { name, nullable, encoding, physical: "BYTE_ARRAY", logical: { type: "STRING" } };
    case "dictionary":
    case "pool":
      return { name, nullable, encoding: "dictionary", physical: "BYTE_ARRAY", logical: { type: "STRING" } };
  }
}
