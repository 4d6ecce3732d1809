/**
 * One online session as a state machine, so that every funnel stage follows from the previous one:
 * landing page → browsing (page views, searches, product views, cart adds and removes) → begin checkout
 * (signed-in customers only) → payment attempts with retries, card switches and abandonment → an order
 * exactly when an attempt is approved. Events share one per-session `seq` and strictly increasing
 * timestamps. Shoppers whose cart holds Mineral Water view the planted personal-care targets (without
 * adding them) with the scenario's affinity. All draws come from the session's own generator.
 */

import type { GroundTruthData } from "./ground-truth.ts";
import { ORDER_COLUMNS, ORDER_LINE_COLUMNS } from "./order-columns.ts";
import { PaymentModel } from "./payments.ts";
import { cumulative, Rng, STREAM } from "./rng.ts";
import { columnIndex, TABLES } from "./schema.ts";
import type { TableBuffer } from "./table-buffer.ts";
import { TimePoint } from "./timeline.ts";
import {
  CART_ADD,
  CART_REMOVE,
  CATEGORIES,
  CH_APP,
  CH_WEB,
  DEV_ANDROID,
  DEV_DESKTOP,
  DEV_IOS,
  DEV_MOBILE,
  EV_BEGIN_CHECKOUT,
  EV_PAGE_VIEW,
  EV_PRODUCT_VIEW,
  EV_SEARCH,
  EXIT_ATTEMPTS_EXHAUSTED,
  EXIT_BROWSED,
  EXIT_CART_ABANDONED,
  EXIT_CHECKOUT_ABANDONED,
  EXIT_LOGIN_REQUIRED,
  EXIT_PAYMENT_ABANDONED,
  EXIT_PURCHASED,
  HARD_DECLINE_FROM,
  PM_PAYPAL,
  PM_WALLET,
  RES_APPROVED,
  RES_DECLINED,
  SEG_NEW,
  ST_BEGIN_CHECKOUT,
  ST_CART_ADD,
  ST_PAYMENT_ATTEMPT,
  ST_PRODUCT_VIEW,
  ST_PURCHASE,
  ST_VISIT,
} from "./vocabulary.ts";
import { CustomerProfile } from "./world/customers.ts";
import { COUNTRY_OF_STATE, STATES } from "./world/geography.ts";
import { APP_STORE_ID, WEB_STORE_ID } from "./world/stores.ts";
import type { World } from "./world/world.ts";

/** The buffers one session writes into. */
export interface SessionTables {
  sessions: TableBuffer;
  clickstream: TableBuffer;
  cart_events: TableBuffer;
  payment_attempts: TableBuffer;
  orders: TableBuffer;
  order_lines: TableBuffer;
  session_truth: TableBuffer;
}

/** event_id = session_id * EVENT_ID_STRIDE + seq; seq never reaches it (see the caps below). */
export const EVENT_ID_STRIDE = 1000;
const MAX_CART_LINES = 60;
const S = columnIndex(TABLES.sessions, [
  "session_id",
  "customer_id",
  "channel",
  "device",
  "country",
  "started_at",
  "ended_at",
]);
const K = columnIndex(TABLES.clickstream, [
  "event_id",
  "session_id",
  "customer_id",
  "seq",
  "ts",
  "event_type",
  "product_id",
]);
const C = columnIndex(TABLES.cart_events, [
  "cart_event_id",
  "session_id",
  "customer_id",
  "seq",
  "ts",
  "action",
  "product_id",
  "quantity",
  "unit_price",
]);
const P = columnIndex(TABLES.payment_attempts, [
  "attempt_id",
  "session_id",
  "customer_id",
  "order_id",
  "attempt_no",
  "seq",
  "ts",
  "channel",
  "device",
  "gateway",
  "method",
  "card_brand",
  "card_id",
  "amount",
  "result",
  "decline_code",
  "decline_type",
  "latency_ms",
]);
const O = ORDER_COLUMNS;
const L = ORDER_LINE_COLUMNS;
const T = columnIndex(TABLES.session_truth, [
  "session_id",
  "customer_id",
  "channel",
  "max_stage",
  "page_views",
  "searches",
  "product_views",
  "cart_adds",
  "cart_removes",
  "began_checkout",
  "checkout_attempts",
  "approved",
  "order_id",
  "exit_reason",
  "planted_cross_sell_views",
]);

// Think times in ms: a floor plus an exponential tail.
const GAP = {
  pageView: [4_000, 25_000],
  search: [3_000, 12_000],
  productView: [5_000, 35_000],
  remove: [3_000, 20_000],
  checkout: [10_000, 30_000],
  enterPayment: [8_000, 25_000],
  crossSellView: [3_000, 20_000],
  afterFailure: [3_000, 15_000],
  afterDecline: [8_000, 30_000],
  switchCard: [15_000, 40_000],
} as const;

export class JourneyGenerator {
  private readonly rng = new Rng();
  private readonly profile = new CustomerProfile();
  private readonly start = new TimePoint();
  private readonly payments: PaymentModel;
  private readonly seed: number;
  private readonly categoryCum: Float64Array;
  private readonly stepCum: Float64Array;
  private readonly quantityCum: Float64Array;
  private readonly webDeviceCum: Float64Array;
  private readonly appDeviceCum: Float64Array;
  private readonly j: World["scenario"]["journey"];
  private readonly traffic: World["scenario"]["traffic"];
  private readonly browseContinue: number;
  private readonly maxAttempts: number;
  private readonly behaviour: World["scenario"]["payments"]["behaviour"];
  private readonly crossSell: World["scenario"]["crossSell"];
  // Per-session state, reused.
  private readonly cartProducts = new Int32Array(MAX_CART_LINES);
  private readonly cartQuantities = new Int32Array(MAX_CART_LINES);
  /** Per card slot: the decline code of its last attempt in this session, or -1. */
  private readonly lastDecline = new Int8Array(4);
  private cartLines = 0;
  private seq = 0;
  private t = 0;
  /**
   * The session's add-to-cart probability. A field, not an argument of viewProduct: a double passed to a call
   * that V8 does not inline is boxed, once per product view.
   */
  private addToCartP = 0.5;
  private sessionId = 0;
  private customerId = 0;
  private out!: SessionTables;
  private productViews = 0;
  private pageViews = 0;
  private searches = 0;
  private cartAdds = 0;
  private cartRemoves = 0;
  private plantedViews = 0;
  private anchorInCart = false;

  constructor(
    private readonly world: World,
    private readonly truth: GroundTruthData,
  ) {
    const s = world.scenario;
    this.seed = s.seed;
    this.j = s.journey;
    this.traffic = s.traffic;
    this.payments = new PaymentModel(s);
    this.categoryCum = cumulative(
      CATEGORIES.map((c, i) => ((world.catalog.byCategory[i]?.length ?? 0) > 0 ? s.world.categoryWeights[c] : 0)),
    );
    this.stepCum = cumulative([s.journey.stepMix.page_view, s.journey.stepMix.search, s.journey.stepMix.product_view]);
    this.quantityCum = cumulative(s.journey.quantityWeights);
    const d = s.traffic.devices;
    this.webDeviceCum = cumulative([d.web.desktop, d.web.mobile, d.web.tablet]);
    this.appDeviceCum = cumulative([d.app.ios, d.app.android]);
    this.browseContinue = s.journey.meanBrowseSteps / (s.journey.meanBrowseSteps + 1);
    this.maxAttempts = s.payments.behaviour.maxAttempts;
    this.behaviour = s.payments.behaviour;
    this.crossSell = s.crossSell;
  }

  /** Generates session `index` (0-based; session_id = index + 1) into the buffers. */
  generate(index: number, out: SessionTables): void {
    const r = this.rng.reset(this.seed, STREAM.sessions, index);
    const { timeline, customers, stores } = this.world;
    this.out = out;
    this.sessionId = index + 1;
    this.seq = 0;
    this.cartLines = 0;
    this.productViews = 0;
    this.pageViews = 0;
    this.searches = 0;
    this.cartAdds = 0;
    this.cartRemoves = 0;
    this.plantedViews = 0;
    this.anchorInCart = false;

    const start = timeline.sessionStart(index, r, this.start);
    const appShare = timeline.appShare[start.day] ?? 0;
    let channel = r.chance(appShare) ? CH_APP : CH_WEB;
    const anonymous = r.chance(channel === CH_APP ? this.traffic.anonymousShare.app : this.traffic.anonymousShare.web);
    const profile = this.profile;
    this.customerId = anonymous ? 0 : customers.pick(r, timeline.epochDay(start.day), profile);
    const identified = this.customerId > 0;
    const member = identified && profile.isMember;
    // Members prefer the app: move some of their web visits there.
    if (member && channel === CH_WEB && appShare < 1) {
      const move = ((this.traffic.memberAppShareBoost - 1) * appShare) / (1 - appShare);
      if (r.chance(move)) channel = CH_APP;
    }
    const device = channel === CH_APP ? DEV_IOS + r.pick(this.appDeviceCum) : DEV_DESKTOP + r.pick(this.webDeviceCum);
    const country = identified ? profile.country : (COUNTRY_OF_STATE[r.pick(stores.stateCum)] ?? 0);
    const intent = r.pick(this.categoryCum);

    this.t = start.ms;
    this.click(EV_PAGE_VIEW, 0);
    const steps = r.geometric(this.browseContinue, this.j.maxBrowseSteps);
    const stapleStep = r.chance(this.j.stapleShare * (member ? 1.3 : 1)) ? r.int(steps + 1) : -1;
    let addP = this.j.addToCart * (member ? this.j.memberAddToCartBoost : 1);
    if (channel === CH_APP) addP *= this.j.appAddToCartBoost;
    this.addToCartP = Math.min(0.95, addP);
    for (let step = 0; step <= steps; step++) {
      if (step === stapleStep) this.viewProduct(r, this.world.catalog.anchorId, true);
      if (step === steps) break;
      const kind = r.pick(this.stepCum);
      if (kind === 0) {
        this.t += gap(r, GAP.pageView);
        this.click(EV_PAGE_VIEW, 0);
      } else if (kind === 1) {
        this.t += gap(r, GAP.search);
        this.click(EV_SEARCH, 0);
      } else {
        this.viewProduct(r, this.pickProduct(r, intent), false);
      }
      if (this.cartLines > 0 && r.chance(this.j.removeFromCart)) this.removeRandomLine(r);
    }

    let maxStage = this.cartAdds > 0 ? ST_CART_ADD : this.productViews > 0 ? ST_PRODUCT_VIEW : ST_VISIT;
    let exit = this.cartAdds > 0 ? EXIT_CART_ABANDONED : EXIT_BROWSED;
    let began = false;
    let attempts = 0;
    let approved = false;
    let lastMs = this.t;
    if (this.cartLines > 0 && !identified) {
      exit = EXIT_LOGIN_REQUIRED;
    } else if (
      this.cartLines > 0 &&
      r.chance(Math.min(1, this.j.checkout * (member ? this.j.memberCheckoutBoost : 1)))
    ) {
      this.t += gap(r, GAP.checkout);
      this.click(EV_BEGIN_CHECKOUT, 0);
      began = true;
      maxStage = ST_BEGIN_CHECKOUT;
      exit = EXIT_CHECKOUT_ABANDONED;
      lastMs = this.t;
      if (!r.chance(this.j.abandonAtCheckout)) {
        const amounts = this.orderAmounts(r, member, STATES[profile.state]?.taxBasisPoints ?? 0);
        const outcome = this.pay(r, index, channel, device, profile, amounts.total);
        attempts = outcome.attempts;
        lastMs = outcome.lastMs;
        maxStage = ST_PAYMENT_ATTEMPT;
        exit = outcome.exit;
        if (outcome.orderedAtMs > 0) {
          approved = true;
          maxStage = ST_PURCHASE;
          this.writeOrder(channel, outcome.orderedAtMs, amounts);
        }
      }
    }

    const sessions = out.sessions;
    sessions.int64(S.session_id, this.sessionId);
    if (identified) sessions.int64(S.customer_id, this.customerId);
    else sessions.null(S.customer_id);
    sessions.dict(S.channel, channel);
    sessions.dict(S.device, device);
    sessions.dict(S.country, country);
    sessions.timestamp(S.started_at, start.ms);
    sessions.timestamp(S.ended_at, Math.max(lastMs, this.t));
    sessions.endRow();

    const truth = out.session_truth;
    truth.int64(T.session_id, this.sessionId);
    if (identified) truth.int64(T.customer_id, this.customerId);
    else truth.null(T.customer_id);
    truth.dict(T.channel, channel);
    truth.dict(T.max_stage, maxStage);
    truth.int32(T.page_views, this.pageViews);
    truth.int32(T.searches, this.searches);
    truth.int32(T.product_views, this.productViews);
    truth.int32(T.cart_adds, this.cartAdds);
    truth.int32(T.cart_removes, this.cartRemoves);
    truth.boolean(T.began_checkout, began);
    truth.int32(T.checkout_attempts, attempts);
    truth.boolean(T.approved, approved);
    if (approved) truth.int64(T.order_id, this.sessionId);
    else truth.null(T.order_id);
    truth.dict(T.exit_reason, exit);
    truth.int32(T.planted_cross_sell_views, this.plantedViews);
    truth.endRow();

    const g = this.truth;
    g.sessions[channel] = (g.sessions[channel] ?? 0) + 1;
    if (!identified) g.anonymousSessions++;
    g.maxStage[maxStage] = (g.maxStage[maxStage] ?? 0) + 1;
    g.exitReasons[exit] = (g.exitReasons[exit] ?? 0) + 1;
    g.cartAdds += this.cartAdds;
    g.cartRemoves += this.cartRemoves;
    g.plantedViews += this.plantedViews;
    if (this.anchorInCart) {
      g.anchorCartSessions++;
      if (this.plantedViews > 0) g.anchorSessionsWithPlantedViews++;
    }
  }

  private pickProduct(r: Rng, intent: number): number {
    const catalog = this.world.catalog;
    const category = r.chance(this.j.intentShare) ? intent : r.pick(this.categoryCum);
    const ids = catalog.byCategory[category] as Int32Array;
    return ids[r.pick(catalog.popularityCum[category] as Float64Array)] ?? 1;
  }

  /** A product view, then maybe an add (never twice the same product), then the planted cross-sell views. */
  private viewProduct(r: Rng, productId: number, staple: boolean): void {
    this.t += gap(r, GAP.productView);
    this.click(EV_PRODUCT_VIEW, productId);
    if (this.cartLines >= MAX_CART_LINES || !r.chance(staple ? 1 : this.addToCartP)) return;
    for (let i = 0; i < this.cartLines; i++) if (this.cartProducts[i] === productId) return;
    const quantity = staple ? 1 + r.int(6) : r.pick(this.quantityCum) + 1;
    this.t += 2_000 + r.int(10_000);
    this.cartEvent(CART_ADD, productId, quantity);
    this.cartProducts[this.cartLines] = productId;
    this.cartQuantities[this.cartLines] = quantity;
    this.cartLines++;
    this.cartAdds++;
    const catalog = this.world.catalog;
    if (productId === catalog.anchorId && !this.anchorInCart) {
      this.anchorInCart = true;
      if (r.chance(this.crossSell.affinity)) {
        const targets = catalog.crossSellTargets;
        const views = 1 + r.int(this.crossSell.maxViewsPerSession);
        const first = r.int(targets.length);
        for (let v = 0; v < views && v < targets.length; v++) {
          this.t += gap(r, GAP.crossSellView);
          this.click(EV_PRODUCT_VIEW, targets[(first + v) % targets.length] ?? 1);
          this.plantedViews++;
        }
      }
    }
  }

  private removeRandomLine(r: Rng): void {
    const line = r.int(this.cartLines);
    this.t += gap(r, GAP.remove);
    this.cartEvent(CART_REMOVE, this.cartProducts[line] ?? 0, this.cartQuantities[line] ?? 0);
    // Keep the remaining lines in the order they were added (they become the order lines).
    this.cartProducts.copyWithin(line, line + 1, this.cartLines);
    this.cartQuantities.copyWithin(line, line + 1, this.cartLines);
    this.cartLines--;
    this.cartRemoves++;
  }

  private orderAmounts(r: Rng, member: boolean, taxBasisPoints: number) {
    const prices = this.world.catalog.priceCents;
    let subtotal = 0;
    for (let i = 0; i < this.cartLines; i++) {
      subtotal += (prices[this.cartProducts[i] ?? 0] ?? 0) * (this.cartQuantities[i] ?? 0);
    }
    const discount =
      member && r.chance(this.j.memberPromoShare) ? Math.round((subtotal * this.j.memberPromoPercent) / 100) : 0;
    const tax = Math.round(((subtotal - discount) * taxBasisPoints) / 10_000);
    return { subtotal, discount, tax, total: subtotal - discount + tax };
  }

  /**
   * The payment loop. After a timeout or error the shopper mostly retries the same card; after a soft
   * decline they retry, switch card or give up; after a hard decline that card is never used again.
   */
  private pay(r: Rng, index: number, channel: number, device: number, profile: CustomerProfile, amount: number) {
    const b = this.behaviour;
    const model = this.payments;
    const table = this.out.payment_attempts;
    const cards = profile.instrumentCount;
    // Phone wallets tokenise the customer's cards; the card (and its card_id) stays the same.
    const wallet = profile.walletUser && (device === DEV_IOS || device === DEV_ANDROID || device === DEV_MOBILE);
    const lastDecline = this.lastDecline.fill(-1);
    let banned = 0;
    let slot = r.chance(0.75) ? 0 : r.int(cards);
    let attemptNo = 0;
    let lastMs = this.t;
    let exit = EXIT_PAYMENT_ABANDONED;
    this.t += gap(r, GAP.enterPayment);
    while (attemptNo < this.maxAttempts) {
      attemptNo++;
      this.seq++;
      const method = profile.methods[slot] ?? 0;
      const paypal = method === PM_PAYPAL;
      const brand = profile.brands[slot] ?? -1;
      const shownMethod = !paypal && wallet ? PM_WALLET : method;
      const gateway = model.route(index, slot, channel, paypal);
      model.attempt(r, gateway, channel, method, brand, profile.segment === SEG_NEW, amount, lastDecline[slot] ?? -1);
      if ((banned & (1 << slot)) !== 0) this.truth.retriesAfterHardDecline++;
      const result = model.result;
      const ts = this.t;
      table.int64(P.attempt_id, this.sessionId * EVENT_ID_STRIDE + this.seq);
      table.int64(P.session_id, this.sessionId);
      table.int64(P.customer_id, this.customerId);
      if (result === RES_APPROVED) table.int64(P.order_id, this.sessionId);
      else table.null(P.order_id);
      table.int32(P.attempt_no, attemptNo);
      table.int32(P.seq, this.seq);
      table.timestamp(P.ts, ts);
      table.dict(P.channel, channel);
      table.dict(P.device, device);
      table.dict(P.gateway, gateway);
      table.dict(P.method, shownMethod);
      if (paypal) {
        table.null(P.card_brand);
        table.null(P.card_id);
      } else {
        table.dict(P.card_brand, brand);
        table.int64(P.card_id, profile.id * 4 + slot);
      }
      table.decimal(P.amount, amount);
      table.dict(P.result, result);
      if (result === RES_DECLINED) {
        const hard = model.declineCode >= HARD_DECLINE_FROM;
        table.dict(P.decline_code, model.declineCode);
        table.dict(P.decline_type, hard ? 1 : 0);
        if (hard) this.truth.hardDeclines++;
        else this.truth.softDeclines++;
      } else {
        table.null(P.decline_code);
        table.null(P.decline_type);
      }
      table.int32(P.latency_ms, model.latencyMs);
      table.endRow();
      const counts = this.truth.attempts[gateway]?.[channel];
      if (counts) counts[result] = (counts[result] ?? 0) + 1;
      lastMs = ts + model.latencyMs;
      this.t = lastMs;
      if (result === RES_APPROVED) return { attempts: attemptNo, lastMs, orderedAtMs: lastMs, exit: EXIT_PURCHASED };

      // What the shopper does next.
      const hard = result === RES_DECLINED && model.declineCode >= HARD_DECLINE_FROM;
      lastDecline[slot] = result === RES_DECLINED ? model.declineCode : -1;
      let retry = 0;
      let switchP = 0;
      if (hard) {
        banned |= 1 << slot;
        switchP = b.afterHardDecline.switch;
      } else if (result === RES_DECLINED) {
        retry = b.afterSoftDecline.retry;
        switchP = b.afterSoftDecline.switch;
      } else {
        retry = b.afterTimeoutOrError.retry;
        switchP = b.afterTimeoutOrError.switch;
      }
      const u = r.float();
      if (u < retry) {
        this.t += gap(r, result === RES_DECLINED ? GAP.afterDecline : GAP.afterFailure);
        continue;
      }
      if (u < retry + switchP) {
        const next = this.otherCard(r, slot, cards, banned);
        if (next >= 0) {
          slot = next;
          this.t += gap(r, GAP.switchCard);
          continue;
        }
      }
      return { attempts: attemptNo, lastMs, orderedAtMs: 0, exit };
    }
    exit = EXIT_ATTEMPTS_EXHAUSTED;
    return { attempts: attemptNo, lastMs, orderedAtMs: 0, exit };
  }

  /** Another usable card of the customer, or -1. */
  private otherCard(r: Rng, current: number, cards: number, banned: number): number {
    let usable = 0;
    for (let k = 0; k < cards; k++) if (k !== current && (banned & (1 << k)) === 0) usable++;
    if (usable === 0) return -1;
    let n = r.int(usable);
    for (let k = 0; k < cards; k++) {
      if (k !== current && (banned & (1 << k)) === 0 && n-- === 0) return k;
    }
    return -1;
  }

  private writeOrder(
    channel: number,
    orderedAtMs: number,
    amounts: { subtotal: number; discount: number; tax: number; total: number },
  ): void {
    const orders = this.out.orders;
    orders.int64(O.order_id, this.sessionId);
    orders.int64(O.customer_id, this.customerId);
    orders.int64(O.session_id, this.sessionId);
    orders.int64(O.store_id, channel === CH_APP ? APP_STORE_ID : WEB_STORE_ID);
    orders.dict(O.channel, channel);
    orders.timestamp(O.ordered_at, orderedAtMs);
    orders.decimal(O.subtotal, amounts.subtotal);
    orders.decimal(O.discount, amounts.discount);
    orders.decimal(O.tax, amounts.tax);
    orders.decimal(O.total, amounts.total);
    orders.endRow();
    const lines = this.out.order_lines;
    const { priceCents, costCents } = this.world.catalog;
    for (let i = 0; i < this.cartLines; i++) {
      const product = this.cartProducts[i] ?? 0;
      lines.int64(L.order_id, this.sessionId);
      lines.int32(L.line_no, i + 1);
      lines.int64(L.product_id, product);
      lines.int32(L.quantity, this.cartQuantities[i] ?? 0);
      lines.decimal(L.unit_price, priceCents[product] ?? 0);
      lines.decimal(L.unit_cost, costCents[product] ?? 0);
      lines.endRow();
    }
    this.truth.onlineOrders[channel] = (this.truth.onlineOrders[channel] ?? 0) + 1;
    this.truth.onlineRevenueCents[channel] = (this.truth.onlineRevenueCents[channel] ?? 0) + amounts.total;
    this.truth.orderLines += this.cartLines;
  }

  private click(eventType: number, productId: number): void {
    this.seq++;
    const k = this.out.clickstream;
    k.int64(K.event_id, this.sessionId * EVENT_ID_STRIDE + this.seq);
    k.int64(K.session_id, this.sessionId);
    if (this.customerId > 0) k.int64(K.customer_id, this.customerId);
    else k.null(K.customer_id);
    k.int32(K.seq, this.seq);
    k.timestamp(K.ts, this.t);
    k.dict(K.event_type, eventType);
    if (productId > 0) k.int64(K.product_id, productId);
    else k.null(K.product_id);
    k.endRow();
    if (eventType === EV_PRODUCT_VIEW) this.productViews++;
    else if (eventType === EV_PAGE_VIEW) this.pageViews++;
    else if (eventType === EV_SEARCH) this.searches++;
    this.truth.events[eventType] = (this.truth.events[eventType] ?? 0) + 1;
  }

  private cartEvent(action: number, productId: number, quantity: number): void {
    this.seq++;
    const c = this.out.cart_events;
    c.int64(C.cart_event_id, this.sessionId * EVENT_ID_STRIDE + this.seq);
    c.int64(C.session_id, this.sessionId);
    if (this.customerId > 0) c.int64(C.customer_id, this.customerId);
    else c.null(C.customer_id);
    c.int32(C.seq, this.seq);
    c.timestamp(C.ts, this.t);
    c.dict(C.action, action);
    c.int64(C.product_id, productId);
    c.int32(C.quantity, quantity);
    c.decimal(C.unit_price, this.world.catalog.priceCents[productId] ?? 0);
    c.endRow();
  }
}

function gap(r: Rng, [floor, mean]: readonly [number, number]): number {
  return floor + Math.floor(r.exponential(mean));
}
