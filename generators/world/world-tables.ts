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
const TLDS = ["com", "net", "org"];

export function writeCustomer(world: World, id: number, out: TableBuffer): void {
  const c = world.customers.load(id, profile);
  const first = world.pools.firstNames[c.firstName] ?? "Alex";
  const last = world.pools.lastNames[c.lastName] ?? "Smith";
  const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "");
  out.int64(C.customer_id, id);
  out.string(C.first_name, first);
  out.string(C.last_name, last);
  // The id makes the address unique; example.* domains are reserved, so no real mailbox is named.
  out.string(C.email, `${local}${id}@example.${TLDS[id % TLDS.length]}`);
  out.dict(C.country, c.country);
  out.dict(C.state, c.state);
  out.dict(C.city, c.city);
  out.int64(C.home_store_id, c.homeStoreId);
  out.dict(C.segment, c.segment);
  out.boolean(C.is_member, c.isMember);
  out.date(C.signup_date, c.signupEpochDay);
  out.endRow();
}
