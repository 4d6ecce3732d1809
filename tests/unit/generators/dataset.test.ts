/**
 * Generates the demo dataset and checks, on the Parquet files read back with hyparquet, every invariant of
 * issue 4: types, referential integrity, coherent funnels, orders iff approved, order arithmetic, contiguous
 * attempts, no retry after a hard decline, events inside their session, plus the planted signals, the
 * trend, and byte-identical output across runs and worker counts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EVENT_ID_STRIDE,
  generate,
  type Manifest,
  POS_ORDER_ID_BASE,
  resolveScenario,
  TABLE_NAMES,
  TABLES,
} from "../../../generators/index.ts";
import { STATES } from "../../../generators/world/geography.ts";
import {
  cents,
  hashTree,
  ms,
  num,
  partFiles,
  type Row,
  readManifest,
  readMetadata,
  readTable,
} from "./read-dataset.ts";

const DAY_MS = 86_400_000;
let root: string;
let dir: string;
let manifest: Manifest;
const data: Record<string, Row[]> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "retail-lab-gen-"));
  dir = join(root, "demo");
  const { scenario, preset } = resolveScenario({ preset: "demo" });
  // One thread per 5,000 sessions, so that the demo's 20,000 run on worker threads too.
  const result = await generate({ scenario, preset, out: dir, workers: 2, sessionsPerThread: 5_000 });
  expect(result.workers).toBe(2);
  manifest = readManifest(dir);
  for (const table of TABLE_NAMES) data[table] = await readTable(dir, table);
}, 120_000);

afterAll(() => {
  if (root && !process.env.KEEP_GENERATED) rmSync(root, { recursive: true, force: true });
});

const t = (name: string): Row[] => data[name] ?? [];
const groupBy = (rows: Row[], key: string): Map<number, Row[]> => {
  const out = new Map<number, Row[]>();
  for (const row of rows) {
    const k = num(row[key]);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
};

describe("schema read back", () => {
  it("writes every table with the declared Parquet types, nullability and encodings", () => {
    for (const table of TABLE_NAMES) {
      const files = partFiles(dir, table);
      expect(files.length, table).toBeGreaterThan(0);
      const meta = readMetadata(files[0] as string);
      const keys = Object.fromEntries((meta.key_value_metadata ?? []).map((kv) => [kv.key, kv.value]));
      expect(JSON.parse(keys.retail_lab ?? "{}")).toEqual({
        faker_version: "10.6.0",
        generator_version: manifest.generator.version,
        seed: String(manifest.seed),
        table,
      });
      const leaves = meta.schema.slice(1);
      expect(leaves.map((s) => s.name)).toEqual(TABLES[table].columns.map((c) => c.name));
      for (const column of TABLES[table].columns) {
        const element = leaves.find((s) => s.name === column.name);
        const where = `${table}.${column.name}`;
        expect(element?.repetition_type, where).toBe(column.nullable ? "OPTIONAL" : "REQUIRED");
        const type = column.type;
        switch (type.kind) {
          case "int64":
            expect(element?.type, where).toBe("INT64");
            expect(element?.logical_type, where).toBeUndefined();
            break;
          case "int32":
            expect(element?.type, where).toBe("INT32");
            break;
          case "boolean":
            expect(element?.type, where).toBe("BOOLEAN");
            break;
          case "timestamp":
            expect(element?.type, where).toBe("INT64");
            // UTC-adjusted micros is what Spark reads as TIMESTAMP (not TIMESTAMP_NTZ).
            expect(element?.logical_type, where).toEqual({ type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" });
            break;
          case "date":
            expect(element?.type, where).toBe("INT32");
            expect(element?.logical_type, where).toEqual({ type: "DATE" });
            break;
          case "decimal":
            expect(element?.type, where).toBe("INT64");
            expect(element?.logical_type, where).toEqual({
              type: "DECIMAL",
              precision: type.precision,
              scale: type.scale,
            });
            break;
          case "string":
          case "dictionary":
          case "pool":
            expect(element?.type, where).toBe("BYTE_ARRAY");
            expect(element?.logical_type, where).toEqual({ type: "STRING" });
            break;
        }
        const chunk = meta.row_groups[0]?.columns.find((c) => c.meta_data?.path_in_schema[0] === column.name);
        const encodings = chunk?.meta_data?.encodings ?? [];
        if ((type.kind === "dictionary" || type.kind === "pool") && (meta.row_groups[0]?.num_rows ?? 0n) > 0n) {
          expect(encodings, where).toContain("RLE_DICTIONARY");
        }
        if (column.encoding === "delta") expect(encodings, where).toContain("DELTA_BINARY_PACKED");
      }
    }
  });

  it("has the row counts the manifest declares", () => {
    for (const table of TABLE_NAMES) expect(t(table).length, table).toBe(manifest.tables[table].rows);
    expect(manifest.events).toBe(t("clickstream").length + t("cart_events").length + t("payment_attempts").length);
    expect(t("sessions").length).toBe(20_000);
  });
});

describe("referential integrity", () => {
  it("every foreign key resolves", () => {
    const ids = (table: string, key: string) => new Set(t(table).map((r) => num(r[key])));
    const customers = ids("customers", "customer_id");
    const products = ids("products", "product_id");
    const stores = ids("stores", "store_id");
    const sessions = ids("sessions", "session_id");
    const orders = ids("orders", "order_id");
    const check = (table: string, key: string, target: Set<number>, nullable: boolean) => {
      for (const row of t(table)) {
        const value = row[key];
        if (value === null || value === undefined) {
          expect(nullable, `${table}.${key} is null`).toBe(true);
          continue;
        }
        if (!target.has(num(value))) throw new Error(`${table}.${key} = ${value} does not resolve`);
      }
    };
    check("customers", "home_store_id", stores, false);
    check("sessions", "customer_id", customers, true);
    for (const table of ["clickstream", "cart_events", "payment_attempts"]) {
      check(table, "session_id", sessions, false);
      check(table, "customer_id", customers, table !== "payment_attempts");
    }
    check("clickstream", "product_id", products, true);
    check("cart_events", "product_id", products, false);
    check("payment_attempts", "order_id", orders, true);
    check("orders", "customer_id", customers, true);
    check("orders", "session_id", sessions, true);
    check("orders", "store_id", stores, false);
    check("order_lines", "order_id", orders, false);
    check("order_lines", "product_id", products, false);
    check("session_truth", "session_id", sessions, false);
    check("session_truth", "order_id", orders, true);
    // Keys are unique.
    for (const [table, key] of [
      ["customers", "customer_id"],
      ["products", "product_id"],
      ["stores", "store_id"],
      ["sessions", "session_id"],
      ["clickstream", "event_id"],
      ["cart_events", "cart_event_id"],
      ["payment_attempts", "attempt_id"],
      ["orders", "order_id"],
    ] as const) {
      expect(ids(table, key).size, `${table}.${key} unique`).toBe(t(table).length);
    }
  });

  it("keeps geography consistent: cities lie in their state, customers live where their home store is", () => {
    const cityState = new Map<string, string>();
    for (const s of STATES) for (const c of s.cities) cityState.set(c, s.name);
    const stores = new Map(t("stores").map((s) => [num(s.store_id), s]));
    for (const store of stores.values()) {
      if (store.channel === "store") expect(cityState.get(String(store.city))).toBe(store.state);
      else expect(store.city).toBeNull();
    }
    expect(stores.get(1)?.channel).toBe("web");
    expect(stores.get(2)?.channel).toBe("app");
    for (const c of t("customers")) {
      const home = stores.get(num(c.home_store_id));
      expect(home?.channel).toBe("store");
      expect([c.country, c.state, c.city]).toEqual([home?.country, home?.state, home?.city]);
    }
    expect(new Set(t("customers").map((c) => c.email)).size).toBe(t("customers").length);
  });
});

describe("sessions and events", () => {
  it("numbers events with one contiguous seq per session, strictly increasing ts, inside the session span", () => {
    const sessions = new Map(t("sessions").map((s) => [num(s.session_id), s]));
    const events = new Map<number, { seq: number; ts: number; id: number }[]>();
    const add = (table: string, idColumn: string) => {
      for (const row of t(table)) {
        const sid = num(row.session_id);
        const list = events.get(sid) ?? [];
        list.push({ seq: num(row.seq), ts: ms(row.ts), id: num(row[idColumn]) });
        events.set(sid, list);
      }
    };
    add("clickstream", "event_id");
    add("cart_events", "cart_event_id");
    add("payment_attempts", "attempt_id");
    expect(events.size).toBe(sessions.size);
    for (const [sid, list] of events) {
      const session = sessions.get(sid) as Row;
      const start = ms(session.started_at);
      const end = ms(session.ended_at);
      list.sort((a, b) => a.seq - b.seq);
      list.forEach((e, i) => {
        expect(e.seq).toBe(i + 1);
        expect(e.id).toBe(sid * EVENT_ID_STRIDE + e.seq);
        expect(e.ts >= start && e.ts <= end, `session ${sid} event ${e.seq} outside its span`).toBe(true);
        if (i > 0) expect(e.ts, `session ${sid} seq ${e.seq}`).toBeGreaterThan(list[i - 1]?.ts ?? 0);
      });
      expect(list[0]?.ts).toBe(start);
    }
  });

  it("follows the funnel: views before adds before checkout before payment, and counts never grow down it", () => {
    const clicks = groupBy(t("clickstream"), "session_id");
    const carts = groupBy(t("cart_events"), "session_id");
    const attempts = groupBy(t("payment_attempts"), "session_id");
    const truth = new Map(t("session_truth").map((r) => [num(r.session_id), r]));
    const stages = ["visit", "product_view", "cart_add", "begin_checkout", "payment_attempt", "purchase"];
    const reach = new Array<number>(stages.length).fill(0);
    for (const [sid, clickRows] of clicks) {
      const cartRows = carts.get(sid) ?? [];
      const payRows = attempts.get(sid) ?? [];
      const views = clickRows.filter((r) => r.event_type === "product_view");
      const adds = cartRows.filter((r) => r.action === "add");
      const checkouts = clickRows.filter((r) => r.event_type === "begin_checkout");
      const approved = payRows.filter((r) => r.result === "approved");
      expect(clickRows[0]?.event_type).toBe("page_view");
      expect(views.length).toBeGreaterThanOrEqual(adds.length);
      expect(checkouts.length).toBeLessThanOrEqual(1);
      if (payRows.length > 0) expect(checkouts.length).toBe(1);
      if (checkouts.length > 0) expect(adds.length).toBeGreaterThan(0);
      expect(approved.length).toBeLessThanOrEqual(1);
      // Every add follows a view of the same product.
      for (const add of adds) {
        expect(views.some((v) => v.product_id === add.product_id && num(v.seq) < num(add.seq))).toBe(true);
      }
      const firstSeq = (rows: Row[]) => (rows.length > 0 ? Math.min(...rows.map((r) => num(r.seq))) : Infinity);
      if (adds.length > 0) expect(firstSeq(views)).toBeLessThan(firstSeq(adds));
      if (checkouts.length > 0) expect(firstSeq(adds)).toBeLessThan(firstSeq(checkouts));
      if (payRows.length > 0) expect(firstSeq(checkouts)).toBeLessThan(firstSeq(payRows));
      const reached = [
        true,
        views.length > 0,
        adds.length > 0,
        checkouts.length > 0,
        payRows.length > 0,
        approved.length > 0,
      ];
      // Reaching a stage implies reaching every stage before it.
      for (let s = 1; s < reached.length; s++) if (reached[s]) expect(reached[s - 1]).toBe(true);
      const max = reached.lastIndexOf(true);
      reached.forEach((r, s) => {
        if (r) reach[s] = (reach[s] ?? 0) + 1;
      });
      const truthRow = truth.get(sid) as Row;
      expect(truthRow.max_stage).toBe(stages[max]);
      expect(num(truthRow.product_views)).toBe(views.length);
      expect(num(truthRow.cart_adds)).toBe(adds.length);
      expect(num(truthRow.cart_removes)).toBe(cartRows.length - adds.length);
      expect(num(truthRow.checkout_attempts)).toBe(payRows.length);
      expect(truthRow.began_checkout).toBe(checkouts.length === 1);
      expect(truthRow.approved).toBe(approved.length === 1);
    }
    for (let s = 1; s < reach.length; s++) expect(reach[s]).toBeLessThanOrEqual(reach[s - 1] ?? 0);
    expect(manifest.groundTruth.funnel.reach).toEqual(Object.fromEntries(stages.map((s, i) => [s, reach[i]])));
    expect(reach[5]).toBeGreaterThan(0);
  });

  it("lets no customer visit before signing up, and only signed-in customers check out", () => {
    const customers = new Map(t("customers").map((c) => [num(c.customer_id), c]));
    for (const s of t("sessions")) {
      if (s.customer_id === null) continue;
      const signup = ms(customers.get(num(s.customer_id))?.signup_date);
      expect(Math.floor(ms(s.started_at) / DAY_MS) * DAY_MS).toBeGreaterThanOrEqual(signup);
    }
    for (const c of t("clickstream")) if (c.event_type === "begin_checkout") expect(c.customer_id).not.toBeNull();
  });
});

describe("payments and orders", () => {
  it("has an order exactly when an attempt is approved", () => {
    const orders = new Map(t("orders").map((o) => [num(o.order_id), o]));
    const sessions = new Map(t("sessions").map((s) => [num(s.session_id), s]));
    const approvedSessions = new Set<number>();
    for (const a of t("payment_attempts")) {
      if (a.result === "approved") {
        const sid = num(a.session_id);
        approvedSessions.add(sid);
        expect(num(a.order_id)).toBe(sid);
        const order = orders.get(sid) as Row;
        expect(num(order.session_id)).toBe(sid);
        expect(order.customer_id).toBe(a.customer_id);
        expect(cents(order.total)).toBe(cents(a.amount));
        expect(ms(order.ordered_at)).toBe(ms(a.ts) + num(a.latency_ms));
        expect(ms(order.ordered_at)).toBeLessThanOrEqual(ms(sessions.get(sid)?.ended_at));
      } else {
        expect(a.order_id).toBeNull();
      }
    }
    const onlineOrders = t("orders").filter((o) => o.session_id !== null);
    expect(new Set(onlineOrders.map((o) => num(o.session_id)))).toEqual(approvedSessions);
    for (const o of onlineOrders) expect(num(o.store_id)).toBe(o.channel === "app" ? 2 : 1);
    for (const o of t("orders").filter((x) => x.session_id === null)) {
      expect(o.channel).toBe("store");
      expect(num(o.order_id)).toBeGreaterThan(POS_ORDER_ID_BASE);
      expect(num(o.store_id)).toBeGreaterThanOrEqual(3);
    }
  });

  it("makes totals equal the sum of the lines minus discount plus tax, with contiguous line numbers", () => {
    const lines = groupBy(t("order_lines"), "order_id");
    for (const o of t("orders")) {
      const own = (lines.get(num(o.order_id)) ?? []).sort((a, b) => num(a.line_no) - num(b.line_no));
      expect(own.length).toBeGreaterThan(0);
      own.forEach((l, i) => {
        expect(num(l.line_no)).toBe(i + 1);
      });
      const subtotal = own.reduce((sum, l) => sum + num(l.quantity) * cents(l.unit_price), 0);
      expect(cents(o.subtotal)).toBe(subtotal);
      expect(cents(o.total)).toBe(subtotal - cents(o.discount) + cents(o.tax));
      expect(cents(o.tax)).toBeGreaterThanOrEqual(0);
    }
  });

  it("ships what was in the cart at checkout", () => {
    const carts = groupBy(t("cart_events"), "session_id");
    const lines = groupBy(t("order_lines"), "order_id");
    for (const o of t("orders").filter((x) => x.session_id !== null)) {
      const cart = new Map<number, number>();
      for (const e of (carts.get(num(o.session_id)) ?? []).sort((a, b) => num(a.seq) - num(b.seq))) {
        if (e.action === "add") cart.set(num(e.product_id), num(e.quantity));
        else cart.delete(num(e.product_id));
      }
      const shipped = new Map((lines.get(num(o.order_id)) ?? []).map((l) => [num(l.product_id), num(l.quantity)]));
      expect(shipped).toEqual(cart);
    }
  });

  it("numbers attempts contiguously and never retries a card after a hard decline", () => {
    for (const [sid, rows] of groupBy(t("payment_attempts"), "session_id")) {
      rows.sort((a, b) => num(a.seq) - num(b.seq));
      const hardDeclined = new Set<number>();
      rows.forEach((a, i) => {
        expect(num(a.attempt_no), `session ${sid}`).toBe(i + 1);
        if (a.card_id !== null) expect(hardDeclined.has(num(a.card_id)), `session ${sid} reused a card`).toBe(false);
        expect(a.decline_code === null).toBe(a.result !== "declined");
        expect(a.decline_type === null).toBe(a.result !== "declined");
        expect(a.card_id === null).toBe(a.method === "paypal");
        expect(a.card_brand === null).toBe(a.method === "paypal");
        if (a.result === "timeout") expect(num(a.latency_ms)).toBe(manifest.scenario.payments.timeoutMs);
        else expect(num(a.latency_ms)).toBeLessThan(manifest.scenario.payments.timeoutMs);
        if (a.decline_type === "hard" && a.card_id !== null) hardDeclined.add(num(a.card_id));
      });
      // Nothing after an approval.
      expect(rows.findIndex((a) => a.result === "approved")).toBeOneOf([-1, rows.length - 1]);
    }
    expect(t("payment_attempts").some((a) => a.decline_type === "hard")).toBe(true);
  });

  it("agrees with the manifest's ground truth", () => {
    const attempts = t("payment_attempts");
    const approved = attempts.filter((a) => a.result === "approved").length;
    expect(manifest.groundTruth.payments.attempts).toBe(attempts.length);
    expect(manifest.groundTruth.payments.approved).toBe(approved);
    expect(manifest.groundTruth.orders.total).toBe(t("orders").length);
    const revenue = t("orders").reduce((s, o) => s + cents(o.total), 0);
    expect(manifest.groundTruth.orders.revenue.total).toBe((revenue / 100).toFixed(2));
  });
});

describe("planted signals", () => {
  it("makes the failing gateway × channel recoverable from the attempts", () => {
    const stats = new Map<string, { n: number; approved: number; timeout: number }>();
    for (const a of t("payment_attempts")) {
      const key = `${a.gateway}/${a.channel}`;
      const s = stats.get(key) ?? { n: 0, approved: 0, timeout: 0 };
      s.n++;
      if (a.result === "approved") s.approved++;
      if (a.result === "timeout") s.timeout++;
      stats.set(key, s);
    }
    const ranked = [...stats].sort((a, b) => a[1].approved / a[1].n - b[1].approved / b[1].n);
    const planted = manifest.planted.failingGateway;
    expect(ranked[0]?.[0]).toBe(`${planted.gateway}/${planted.channel}`);
    const [, worst] = ranked[0] as [string, { n: number; approved: number; timeout: number }];
    expect(worst.timeout / worst.n).toBeGreaterThan(0.5);
    for (const [key, s] of ranked.slice(1)) expect(s.approved / s.n, key).toBeGreaterThan(0.7);
  });

  it("makes the planted cross-sell targets the top viewed-not-added products of Mineral Water buyers", () => {
    const anchor = manifest.planted.crossSell.anchor.product_id;
    expect(t("products").find((p) => num(p.product_id) === anchor)?.name).toBe("Mineral Water");
    const added = new Set<string>();
    const anchorBuyers = new Set<number>();
    for (const e of t("cart_events")) {
      if (e.action !== "add" || e.customer_id === null) continue;
      added.add(`${e.customer_id}/${e.product_id}`);
      if (num(e.product_id) === anchor) anchorBuyers.add(num(e.customer_id));
    }
    const viewers = new Map<number, Set<number>>();
    const allViewers = new Map<number, Set<number>>();
    for (const v of t("clickstream")) {
      if (v.event_type !== "product_view" || v.customer_id === null) continue;
      const c = num(v.customer_id);
      const p = num(v.product_id);
      if (p === anchor || added.has(`${c}/${p}`)) continue;
      const bucket = anchorBuyers.has(c) ? viewers : allViewers;
      const set = bucket.get(p) ?? new Set<number>();
      set.add(c);
      bucket.set(p, set);
    }
    const customers = new Set(
      t("sessions")
        .filter((s) => s.customer_id !== null)
        .map((s) => num(s.customer_id)),
    );
    const others = customers.size - anchorBuyers.size;
    const lift = (p: number) =>
      (viewers.get(p)?.size ?? 0) / anchorBuyers.size / (((allViewers.get(p)?.size ?? 0) + 1) / others);
    const targets = manifest.planted.crossSell.targets.map((x) => x.product_id).sort((a, b) => a - b);
    const byCount = [...viewers].sort((a, b) => b[1].size - a[1].size).map(([p]) => p);
    expect(byCount.slice(0, targets.length).sort((a, b) => a - b)).toEqual(targets);
    for (const p of targets) expect(lift(p)).toBeGreaterThan(3);
    for (const target of manifest.planted.crossSell.targets) expect(target.margin).toBeGreaterThanOrEqual(0.6);
    const margins = t("products").map((p) => ({ c: p.category, m: 1 - cents(p.unit_cost) / cents(p.unit_price) }));
    const mean = (c: string) => {
      const ms = margins.filter((x) => x.c === c).map((x) => x.m);
      return ms.reduce((a, b) => a + b, 0) / ms.length;
    };
    expect(mean("Personal Care")).toBeGreaterThan(mean("Beverages") + 0.15);
  });

  it("grows online (the app fastest) month over month faster than stores, with weekday and hour seasonality", () => {
    const perDay = (rows: Row[], column: string, month: number) => {
      const days = new Set<number>();
      let n = 0;
      for (const r of rows) {
        const d = r[column] as Date;
        if (d.getUTCMonth() !== month) continue;
        n++;
        days.add(d.getUTCDate());
      }
      return n / days.size;
    };
    const app = t("sessions").filter((s) => s.channel === "app");
    const stores = t("orders").filter((o) => o.channel === "store");
    const appGrowth = perDay(app, "started_at", 2) / perDay(app, "started_at", 0);
    const storeGrowth = perDay(stores, "ordered_at", 2) / perDay(stores, "ordered_at", 0);
    expect(appGrowth).toBeGreaterThan(1.08);
    expect(appGrowth).toBeGreaterThan(storeGrowth + 0.05);
    const hours = new Array<number>(24).fill(0);
    for (const s of t("sessions"))
      hours[(s.started_at as Date).getUTCHours()] = (hours[(s.started_at as Date).getUTCHours()] ?? 0) + 1;
    expect(hours.indexOf(Math.max(...hours))).toBeGreaterThanOrEqual(18);
    expect(hours[4] ?? 0).toBeLessThan((hours[20] ?? 0) / 5);
  });
});

describe("determinism", () => {
  it("writes byte-identical files for the same seed whatever the worker count, and different ones for another seed", async () => {
    const { scenario, preset } = resolveScenario({ preset: "demo" });
    const again = join(root, "demo-1-worker");
    await generate({ scenario, preset, out: again, workers: 1 });
    expect(hashTree(again)).toEqual(hashTree(dir));
    const other = join(root, "demo-seed-7");
    const seven = resolveScenario({ preset: "demo", overrides: { seed: 7 } });
    const threeThreads = await generate({
      scenario: seven.scenario,
      preset,
      out: other,
      workers: 3,
      sessionsPerThread: 5_000,
    });
    expect(threeThreads.workers).toBe(3);
    const a = hashTree(dir);
    const b = hashTree(other);
    expect(b["clickstream/part-00000.parquet"]).not.toBe(a["clickstream/part-00000.parquet"]);
    expect(Object.keys(b)).toEqual(Object.keys(a));
  }, 120_000);
});
