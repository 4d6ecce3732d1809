/**
 * Rows of the three dimension tables: stores and products (small, written whole by one task) and
 * customers (recomputed from their id, written in id ranges so that large populations shard too).
 */
import { columnIndex, TABLES } from "../schema.ts";
import type { TableBuffer } from "../table-buffer.ts";
import { CustomerProfile } from "./customers.ts";
import type { World } from "./world.ts";

const S = columnIndex(TABLES.stores, ["store_id", "name", "channel", "country", "state", "city", "opened_on"]);
const P = columnIndex(TABLES.products, ["product_id", "name", "category", "brand", "unit_price", "unit_cost"]);
const C = columnIndex(TABLES.customers, [
  "customer_id",
  "first_name",
  "last_name",
  "email",
  "country",
  "state",
  "city",
  "home_store_id",
  "segment",
  "is_member",
  "signup_date",
]);

export function writeStore(world: World, index: number, out: TableBuffer): void {
  const store = world.stores.stores[index];
  if (!store) throw new Error(`no store at position ${index}`);
  out.int64(S.store_id, store.id);
  out.string(S.name, store.name);
  out.dict(S.channel, store.channel);
  if (store.country >= 0) {
    out.dict(S.country, store.country);
    out.dict(S.state, store.state);
    out.dict(S.city, store.city);
  } else {
    out.null(S.country);
    out.null(S.state);
    out.null(S.city);
  }
  out.date(S.opened_on, store.openedOn);
  out.endRow();
}

export function writeProduct(world: World, index: number, out: TableBuffer): void {
  const product = world.catalog.products[index];
  if (!product) throw new Error(`no product at position ${index}`);
  out.int64(P.product_id, product.id);
  out.string(P.name, product.name);
  out.dict(P.category, product.category);
  out.string(P.brand, product.brand);
  out.decimal(P.unit_price, product.priceCents);
  out.decimal(P.unit_cost, product.costCents);
  out.endRow();
}

const profile = new CustomerProfile();
const ascii = new TextEncoder();
// example.* domains are reserved, so no real mailbox is named.
const DOMAINS = ["@example.com", "@example.net", "@example.org"].map((d) => ascii.encode(d));
const DOT = ascii.encode(".");

/** The world's pool names as e-mail local parts (lower-case letters only), encoded once per world. */
let localParts: { pools: World["pools"]; first: Uint8Array[]; last: Uint8Array[] } | null = null;
function localPartsOf(pools: World["pools"]): { first: Uint8Array[]; last: Uint8Array[] } {
  if (localParts?.pools !== pools) {
    const encode = (pool: readonly string[]) =>
      pool.map((name) => ascii.encode(name.toLowerCase().replace(/[^a-z]/g, "")));
    localParts = { pools, first: encode(pools.firstNames), last: encode(pools.lastNames) };
  }
  return localParts;
}

export function writeCustomer(world: World, id: number, out: TableBuffer): void {
  const c = world.customers.load(id, profile);
  out.int64(C.customer_id, id);
  out.dict(C.first_name, c.firstName);
  out.dict(C.last_name, c.lastName);
  // first.last<id>@domain: the id makes the address unique. Composed from encoded parts, without a JS string.
  const parts = localPartsOf(world.pools);
  out.appendBytes(C.email, parts.first[c.firstName] as Uint8Array);
  out.appendBytes(C.email, DOT);
  out.appendBytes(C.email, parts.last[c.lastName] as Uint8Array);
  out.appendDigits(C.email, id);
  out.appendBytes(C.email, DOMAINS[id % DOMAINS.length] as Uint8Array);
  out.dict(C.country, c.country);
  out.dict(C.state, c.state);
  out.dict(C.city, c.city);
  out.int64(C.home_store_id, c.homeStoreId);
  out.dict(C.segment, c.segment);
  out.boolean(C.is_member, c.isMember);
  out.date(C.signup_date, c.signupEpochDay);
  out.endRow();
}
