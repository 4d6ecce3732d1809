/**
 * The payment model: which gateway processes an attempt (routing by channel and method, sticky per card in
 * a session) and how the attempt ends: approved, declined (soft: retryable, or hard: never retried on that
 * card), error or timeout, with a gateway latency. One gateway × channel pair (by default swiftpay on the
 * app) is planted as failing with mostly timeouts; customers retry it, which is why about three quarters of
 * all attempts fail while the other gateways approve most of theirs.
 */
import { cumulative, hash32, type Rng, STREAM } from "./rng.ts";
import type { Scenario } from "./scenario.ts";
import {
  CH_APP,
  CH_WEB,
  GATEWAYS,
  HARD_DECLINE_FROM,
  PM_DEBIT,
  RES_APPROVED,
  RES_DECLINED,
  RES_ERROR,
  RES_TIMEOUT,
} from "./vocabulary.ts";

/** Relative frequency of each decline code (DECLINE_CODES order); soft codes first, then hard ones. */
const SOFT_CODE_WEIGHTS = [0.44, 0.3, 0.12, 0.14];
const HARD_CODE_WEIGHTS = [0.3, 0.2, 0.1, 0.08, 0.25, 0.07];
/** Retrying a card that just lacked funds rarely works. */
const INSUFFICIENT_FUNDS_RETRY_DECLINE = 0.6;
const INSUFFICIENT_FUNDS = 0;
const AMEX = 2;
/** Orders above this (in cents) from new customers draw more fraud declines. */
const FRAUD_AMOUNT_CENTS = 10_000;
const MIN_LATENCY_MS = 40;

interface Rates {
  softDecline: number;
  hardDecline: number;
  error: number;
  timeout: number;
}

export class PaymentModel {
  readonly failingGateway: number;
  readonly failingChannel: number;
  readonly timeoutMs: number;
  /** Outcome of the last `attempt` call. */
  result = RES_APPROVED;
  declineCode = -1;
  latencyMs = 0;
  private readonly seed: number;
  private readonly healthy: Rates;
  private readonly failing: Rates;
  private readonly amexFactor: number;
  private readonly debitFactor: number;
  private readonly fraudFactor: number;
  private readonly latencyMedian: Float64Array;
  private readonly latencySigma: number;
  /** routes[channel][0 = card, 1 = paypal] → cumulative gateway weights. */
  private readonly routes: Float64Array[][];
  private readonly softCodes = cumulative(SOFT_CODE_WEIGHTS);
  private readonly hardCodes = cumulative(HARD_CODE_WEIGHTS);

  constructor(scenario: Scenario) {
    const p = scenario.payments;
    this.seed = scenario.seed;
    this.healthy = p.healthy;
    this.failing = p.failing;
    this.failingGateway = GATEWAYS.indexOf(p.failing.gateway as (typeof GATEWAYS)[number]);
    this.failingChannel = p.failing.channel === "app" ? CH_APP : CH_WEB;
    this.amexFactor = p.amexDeclineFactor;
    this.debitFactor = p.debitDeclineFactor;
    this.fraudFactor = p.newCustomerFraudFactor;
    this.latencyMedian = Float64Array.from(GATEWAYS.map((g) => p.latencyMedianMs[g]));
    this.latencySigma = p.latencySigma;
    this.timeoutMs = p.timeoutMs;
    const route = (weights: Record<string, number>) => cumulative(GATEWAYS.map((g) => weights[g] ?? 0));
    this.routes = [
      [route(p.routing.web.card), route(p.routing.web.paypal)],
      [route(p.routing.app.card), route(p.routing.app.paypal)],
    ];
  }

  /**
   * The gateway of a card (or PayPal account) in a session. A pure function of (seed, session, slot), so
   * retries on the same card go to the same gateway, as a real checkout's routing would.
   */
  route(sessionIndex: number, slot: number, channel: number, paypal: boolean): number {
    const cum = this.routes[channel]?.[paypal ? 1 : 0] as Float64Array;
    const target =
      (hash32(this.seed, STREAM.sessions, sessionIndex, 1_000 + slot) / 4_294_967_296) * (cum[cum.length - 1] ?? 1);
    let g = 0;
    while (g < cum.length - 1 && (cum[g] ?? 0) <= target) g++;
    return g;
  }

  /** Draws one attempt's outcome into result / declineCode / latencyMs. */
  attempt(
    rng: Rng,
    gateway: number,
    channel: number,
    method: number,
    brand: number,
    newCustomer: boolean,
    amountCents: number,
    lastDeclineOnCard: number,
  ): void {
    const base = gateway === this.failingGateway && channel === this.failingChannel ? this.failing : this.healthy;
    let soft = base.softDecline * (brand === AMEX ? this.amexFactor : 1) * (method === PM_DEBIT ? this.debitFactor : 1);
    if (lastDeclineOnCard === INSUFFICIENT_FUNDS) soft = Math.max(soft, INSUFFICIENT_FUNDS_RETRY_DECLINE);
    const hard = base.hardDecline * (newCustomer && amountCents > FRAUD_AMOUNT_CENTS ? this.fraudFactor : 1);
    const failTotal = soft + hard + base.error + base.timeout;
    // Boosted rates can exceed 1 together; scale them down rather than let approval go negative.
    const scale = failTotal > 1 ? 1 / failTotal : 1;
    const u = rng.float();
    const softEdge = soft * scale;
    const hardEdge = softEdge + hard * scale;
    const errorEdge = hardEdge + base.error * scale;
    const timeoutEdge = errorEdge + base.timeout * scale;
    this.declineCode = -1;
    if (u < softEdge) {
      this.result = RES_DECLINED;
      this.declineCode = rng.pick(this.softCodes);
    } else if (u < hardEdge) {
      this.result = RES_DECLINED;
      this.declineCode = HARD_DECLINE_FROM + rng.pick(this.hardCodes);
    } else if (u < errorEdge) {
      this.result = RES_ERROR;
    } else if (u < timeoutEdge) {
      this.result = RES_TIMEOUT;
    } else {
      this.result = RES_APPROVED;
    }
    if (this.result === RES_TIMEOUT) {
      this.latencyMs = this.timeoutMs;
    } else {
      const median = this.latencyMedian[gateway] ?? 500;
      const latency = Math.round(rng.logNormal(median, this.latencySigma));
      this.latencyMs = Math.min(this.timeoutMs - 1, Math.max(MIN_LATENCY_MS, latency));
    }
  }
}

/** Whether a decline code is hard (never retried on the same card). */
export function isHardDecline(code: number): boolean {
  return code >= HARD_DECLINE_FROM;
}
