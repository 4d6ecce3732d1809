/**
 * Orders rung up at the tills of physical stores: no clickstream and no payment attempts, just an order
 * and its lines. A loyalty-card holder usually shops at their home store (else another store in the same
 * state); walk-ins are anonymous and spread over stores by traffic weight. Pharmacy items weigh more in
 * store baskets than online.
 */

import type { GroundTruthData } from "./ground-truth.ts";
import { ORDER_COLUMNS, ORDER_LINE_COLUMNS } from "./order-columns.ts";
import { cumulative, Rng, STREAM } from "./rng.ts";
import type { TableBuffer } from "./table-buffer.ts";
import { TimePoint } from "./timeline.ts";
import { CATEGORIES, CH_STORE } from "./vocabulary.ts";
import { CustomerProfile } from "./world/customers.ts";
import { STATES } from "./world/geography.ts";
import type { World } from "./world/world.ts";

/** POS order ids start above any online order id (which equals a session id). */
export const POS_ORDER_ID_BASE = 1_000_000_000_000;

const O = ORDER_COLUMNS;
const L = ORDER_LINE_COLUMNS;
const MAX_LINES = 64;

export class PosOrderGenerator {
  private readonly rng = new Rng();
  private readonly profile = new CustomerProfile();
  private readonly when = new TimePoint();
  private readonly categoryCum: Float64Array;
  private readonly quantityCum: Float64Array;
  private readonly moreLines: number;
  private readonly products = new Int32Array(MAX_LINES);

  constructor(
    private readonly world: World,
    private readonly truth: GroundTruthData,
  ) {
    const s = world.scenario;
    this.categoryCum = cumulative(
      CATEGORIES.map((c, i) => ((world.catalog.byCategory[i]?.length ?? 0) > 0 ? s.pos.categoryWeights[c] : 0)),
    );
    this.quantityCum = cumulative(s.journey.quantityWeights);
    // Lines = 1 + geometric extra lines with this continuation probability, giving mean pos.meanLines.
    this.moreLines = (s.pos.meanLines - 1) / s.pos.meanLines;
  }

  /** Generates POS order `index` (0-based) into the orders and order_lines buffers. */
  generate(index: number, orders: TableBuffer, lines: TableBuffer): void {
    const r = this.rng.reset(this.world.scenario.seed, STREAM.posOrders, index);
    const { timeline, customers, stores, catalog, scenario } = this.world;
    const when = timeline.posOrderTime(index, r, this.when);
    const customerId = r.chance(scenario.pos.memberCardShare)
      ? customers.pick(r, timeline.epochDay(when.day), this.profile)
      : 0;
    let store = stores.physical[r.pick(stores.physicalCum)];
    if (customerId > 0) {
      // Store ids are contiguous from 1, so a store's position is its id - 1.
      const home = stores.stores[this.profile.homeStoreId - 1];
      const sameState = stores.byState[this.profile.state] ?? [];
      store =
        r.chance(scenario.pos.homeStoreShare) || sameState.length === 0 ? home : sameState[r.int(sameState.length)];
    }
    const storeId = store?.id ?? 0;
    const orderId = POS_ORDER_ID_BASE + index + 1;
    const lineCount = Math.min(MAX_LINES, 1 + r.geometric(this.moreLines, scenario.pos.maxLines - 1));
    let subtotal = 0;
    let written = 0;
    for (let n = 0; n < lineCount; n++) {
      const category = r.pick(this.categoryCum);
      const ids = catalog.byCategory[category] as Int32Array;
      const product = ids[r.pick(catalog.popularityCum[category] as Float64Array)] ?? 1;
      let duplicate = false;
      for (let k = 0; k < written; k++) if (this.products[k] === product) duplicate = true;
      // A second scan of the same product is one line with a larger quantity at a real till; skip it here.
      if (duplicate) continue;
      this.products[written] = product;
      const quantity = r.pick(this.quantityCum) + 1;
      const price = catalog.priceCents[product] ?? 0;
      written++;
      subtotal += price * quantity;
      lines.int64(L.order_id, orderId);
      lines.int32(L.line_no, written);
      lines.int64(L.product_id, product);
      lines.int32(L.quantity, quantity);
      lines.decimal(L.unit_price, price);
      lines.decimal(L.unit_cost, catalog.costCents[product] ?? 0);
      lines.endRow();
    }
    const member = customerId > 0 && this.profile.isMember;
    const promo = scenario.journey;
    const discount =
      member && r.chance(promo.memberPromoShare) ? Math.round((subtotal * promo.memberPromoPercent) / 100) : 0;
    const tax = Math.round(((subtotal - discount) * (STATES[store?.state ?? 0]?.taxBasisPoints ?? 0)) / 10_000);
    const total = subtotal - discount + tax;
    orders.int64(O.order_id, orderId);
    if (customerId > 0) orders.int64(O.customer_id, customerId);
    else orders.null(O.customer_id);
    orders.null(O.session_id);
    orders.int64(O.store_id, storeId);
    orders.dict(O.channel, CH_STORE);
    orders.timestamp(O.ordered_at, when.ms);
    orders.decimal(O.subtotal, subtotal);
    orders.decimal(O.discount, discount);
    orders.decimal(O.tax, tax);
    orders.decimal(O.total, total);
    orders.endRow();
    this.truth.posOrders++;
    this.truth.posRevenueCents += total;
    this.truth.orderLines += written;
  }
}
