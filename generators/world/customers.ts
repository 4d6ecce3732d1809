/**
 * Customers are never materialised: `load(id)` recomputes any customer from (seed, id) in a few hundred ns,
 * so sessions can pick one by activity and know their geography, membership, signup date and cards
 * without a lookup table. Activity is skewed: a seeded permutation gives every customer a rank and sessions
 * draw ranks from a log-uniform law, so a small share of customers (mostly members) makes most visits.
 */
import { cumulative, Rng, STREAM } from "../rng.ts";
import type { Scenario } from "../scenario.ts";
import {
  CARD_BRANDS,
  PM_CREDIT,
  PM_DEBIT,
  PM_PAYPAL,
  SEG_NEW,
  SEG_OCCASIONAL,
  SEG_REGULAR,
  SEG_VIP,
  SEGMENTS,
} from "../vocabulary.ts";
import type { StoreNetwork } from "./stores.ts";

/** At most this many cards or accounts per customer; card_id = customer_id * 4 + slot. */
export const MAX_INSTRUMENTS = 4;
const VIP_RANK_SHARE = 0.05;
const REGULAR_RANK_SHARE = 0.3;
const DAY_MS = 86_400_000;

/** A reusable, mutable view of one customer (hot loops load into it instead of allocating). */
export class CustomerProfile {
  id = 0;
  rank = 0;
  segment = SEG_OCCASIONAL;
  isMember = false;
  signupEpochDay = 0;
  homeStoreId = 0;
  country = 0;
  state = 0;
  city = 0;
  firstName = 0;
  lastName = 0;
  /** Uses a phone wallet (Apple/Google Pay) for its cards when the device allows it. */
  walletUser = false;
  instrumentCount = 1;
  /** Per slot: PM_CREDIT, PM_DEBIT or PM_PAYPAL, and an index into CARD_BRANDS (-1 for paypal). */
  readonly methods = new Int8Array(MAX_INSTRUMENTS);
  readonly brands = new Int8Array(MAX_INSTRUMENTS);
}

export class CustomerModel {
  readonly count: number;
  private readonly seed: number;
  private readonly multiplier: number;
  private readonly inverse: number;
  private readonly offset: number;
  private readonly concentration: number;
  private readonly logConcentration: number;
  private readonly windowStartDay: number;
  private readonly windowDays: number;
  private readonly newShare: number;
  private readonly memberShare: Float64Array;
  private readonly instrumentCum: Float64Array;
  private readonly methodCum: Float64Array;
  private readonly brandCum: Float64Array;
  private readonly walletShare: number;
  private readonly rng = new Rng();

  constructor(
    scenario: Scenario,
    private readonly stores: StoreNetwork,
    windowStartMs: number,
    private readonly poolSizes: { firstNames: number; lastNames: number },
  ) {
    this.count = scenario.world.customers;
    this.seed = scenario.seed;
    const n = this.count;
    // A seeded affine permutation of ranks onto ids: id - 1 = (multiplier * rank + offset) mod n.
    let m = Math.max(1, Math.floor(n * 0.6180339887) + (scenario.seed % 97));
    while (gcd(m, n) !== 1) m++;
    this.multiplier = m % n || 1;
    this.inverse = modInverse(this.multiplier, n);
    this.offset = scenario.seed % n;
    this.concentration = scenario.world.activityConcentration;
    this.logConcentration = Math.log1p(this.concentration);
    this.windowStartDay = Math.floor(windowStartMs / DAY_MS);
    this.windowDays = scenario.days;
    this.newShare = scenario.world.newCustomerShare;
    const ms = scenario.world.memberShareBySegment;
    this.memberShare = Float64Array.from(SEGMENTS.map((s) => ms[s]));
    const wallet = scenario.payments.wallet;
    this.instrumentCum = cumulative(wallet.instrumentsWeights);
    this.methodCum = cumulative([
      wallet.methodWeights.credit_card,
      wallet.methodWeights.debit_card,
      wallet.methodWeights.paypal,
    ]);
    this.brandCum = cumulative(CARD_BRANDS.map((b) => wallet.brandWeights[b]));
    this.walletShare = wallet.mobileWalletShare;
  }

  /** The customer id at activity rank r (0 = most active). */
  idAtRank(rank: number): number {
    return modulo(mulMod(this.multiplier, rank, this.count) + this.offset, this.count) + 1;
  }

  /** The activity rank of a customer id. */
  rankOf(id: number): number {
    return mulMod(this.inverse, modulo(id - 1 - this.offset + this.count, this.count), this.count);
  }

  /** Recomputes customer `id` (whose rank is `rank`, when the caller knows it) into `out`. Pure: same (seed, id), same profile. */
  load(id: number, out: CustomerProfile, rank = this.rankOf(id)): CustomerProfile {
    const r = this.rng.reset(this.seed, STREAM.customers, id);
    out.id = id;
    out.rank = rank;
    const isNew = r.chance(this.newShare);
    if (isNew) {
      out.signupEpochDay = this.windowStartDay + r.int(this.windowDays);
      out.segment = SEG_NEW;
    } else {
      // Older accounts, more of them recent: up to six years before the window.
      out.signupEpochDay = this.windowStartDay - 1 - Math.floor(r.float() ** 1.5 * 6 * 365);
      const share = out.rank / this.count;
      out.segment = share < VIP_RANK_SHARE ? SEG_VIP : share < REGULAR_RANK_SHARE ? SEG_REGULAR : SEG_OCCASIONAL;
    }
    out.isMember = r.chance(this.memberShare[out.segment] ?? 0);
    const home = this.stores.physical[r.pick(this.stores.physicalCum)];
    out.homeStoreId = home?.id ?? 0;
    out.country = home?.country ?? 0;
    out.state = home?.state ?? 0;
    out.city = home?.city ?? 0;
    out.firstName = r.int(this.poolSizes.firstNames);
    out.lastName = r.int(this.poolSizes.lastNames);
    return this.loadInstruments(r, out);
  }

  /**
   * The rest of `load`, drawing from the same generator: a function of its own so that V8 inlines the draws of
   * each half (one function's inlining budget does not cover them all, and a draw that stays a call returns a
   * boxed number).
   */
  private loadInstruments(r: Rng, out: CustomerProfile): CustomerProfile {
    out.walletUser = r.chance(this.walletShare);
    out.instrumentCount = r.pick(this.instrumentCum) + 1;
    for (let k = 0; k < out.instrumentCount; k++) {
      const method = r.pick(this.methodCum);
      out.methods[k] = method === 0 ? PM_CREDIT : method === 1 ? PM_DEBIT : PM_PAYPAL;
      out.brands[k] = method === 2 ? -1 : r.pick(this.brandCum);
    }
    return out;
  }

  /**
   * Draws the customer of a visit on `epochDay` (log-uniform over activity ranks). A customer who has not
   * signed up yet cannot visit: after a few redraws the visit becomes anonymous and 0 is returned.
   */
  pick(rng: Rng, epochDay: number, out: CustomerProfile): number {
    for (let attempt = 0; attempt < 4; attempt++) {
      const u = rng.float();
      const fraction = this.concentration > 0 ? Math.expm1(u * this.logConcentration) / this.concentration : u;
      const rank = Math.min(this.count - 1, Math.floor(fraction * this.count));
      this.load(this.idAtRank(rank), out, rank);
      if (out.signupEpochDay <= epochDay) return out.id;
    }
    return 0;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** (a * b) mod n for a, b in [0, n), exact for n up to 2^31 (splits b into 16-bit halves). */
function mulMod(a: number, b: number, n: number): number {
  const high = modulo(a * Math.floor(b / 65_536), n) * 65_536;
  return modulo(high + a * (b & 0xffff), n);
}

/**
 * x mod n for integers 0 <= x < 2^53 and 0 < n < 2^31: what `x % n` gives, without the C call (fmod) V8 makes
 * for `%` on values beyond int32. The quotient from a division is off by at most one, so one correction is exact.
 */
function modulo(x: number, n: number): number {
  const r = x - Math.floor(x / n) * n;
  return r < 0 ? r + n : r >= n ? r - n : r;
}

function modInverse(a: number, n: number): number {
  if (n === 1) return 0;
  let [oldR, r] = [a % n, n];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % n) + n) % n;
}
