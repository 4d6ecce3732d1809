/**
 * Ground-truth aggregates counted while rows are generated: funnel reach, exit reasons, payment outcomes by
 * gateway × channel, orders and revenue. Each task fills its own instance; the parent adds them up (plain
 * integer sums, so the order tasks finish in does not matter) and writes them to the manifest, where jobs
 * and tests compare their results to them.
 */
import { CHANNELS, EVENT_TYPES, EXIT_REASONS, GATEWAYS, PAYMENT_RESULTS, STAGES } from "./vocabulary.ts";

export interface GroundTruthData {
  sessions: number[];
  anonymousSessions: number;
  /** Sessions whose max stage is exactly each stage. */
  maxStage: number[];
  exitReasons: number[];
  events: number[];
  cartAdds: number;
  cartRemoves: number;
  /** [gateway][channel][result] attempt counts (channel: web, app). */
  attempts: number[][][];
  hardDeclines: number;
  softDeclines: number;
  /** Attempts on a card after a hard decline of that card in the same session; the model keeps this at 0. */
  retriesAfterHardDecline: number;
  onlineOrders: number[];
  onlineRevenueCents: number[];
  posOrders: number;
  posRevenueCents: number;
  orderLines: number;
  anchorCartSessions: number;
  anchorSessionsWithPlantedViews: number;
  plantedViews: number;
}

export function emptyGroundTruth(): GroundTruthData {
  const zeros = (n: number) => new Array<number>(n).fill(0);
  return {
    sessions: zeros(2),
    anonymousSessions: 0,
    maxStage: zeros(STAGES.length),
    exitReasons: zeros(EXIT_REASONS.length),
    events: zeros(EVENT_TYPES.length),
    cartAdds: 0,
    cartRemoves: 0,
    attempts: GATEWAYS.map(() => [zeros(PAYMENT_RESULTS.length), zeros(PAYMENT_RESULTS.length)]),
    hardDeclines: 0,
    softDeclines: 0,
    retriesAfterHardDecline: 0,
    onlineOrders: zeros(2),
    onlineRevenueCents: zeros(2),
    posOrders: 0,
    posRevenueCents: 0,
    orderLines: 0,
    anchorCartSessions: 0,
    anchorSessionsWithPlantedViews: 0,
    plantedViews: 0,
  };
}

/** Adds `from` into `into` (element-wise for arrays). */
export function addGroundTruth(into: GroundTruthData, from: GroundTruthData): void {
  const add = (a: unknown, b: unknown): unknown => {
    if (Array.isArray(a) && Array.isArray(b)) return a.map((x, i) => add(x, b[i]));
    return (a as number) + (b as number);
  };
  for (const key of Object.keys(into) as (keyof GroundTruthData)[]) {
    (into as unknown as Record<string, unknown>)[key] = add(into[key], from[key]);
  }
}

/** The readable summary written to the manifest. */
export function summarizeGroundTruth(t: GroundTruthData) {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const attemptsByResult = PAYMENT_RESULTS.map((_, r) =>
    sum(t.attempts.map((g) => (g[0]?.[r] ?? 0) + (g[1]?.[r] ?? 0))),
  );
  const totalAttempts = sum(attemptsByResult);
  const approved = attemptsByResult[0] ?? 0;
  const reach = STAGES.map((_, s) => sum(t.maxStage.slice(s)));
  const cents = (c: number) => (c / 100).toFixed(2);
  return {
    sessions: {
      total: sum(t.sessions),
      byChannel: { web: t.sessions[0], app: t.sessions[1] },
      anonymous: t.anonymousSessions,
    },
    funnel: {
      // Sessions that reached at least each stage: never increases down the list.
      reach: Object.fromEntries(STAGES.map((s, i) => [s, reach[i]])),
      maxStage: Object.fromEntries(STAGES.map((s, i) => [s, t.maxStage[i]])),
      exitReasons: Object.fromEntries(EXIT_REASONS.map((s, i) => [s, t.exitReasons[i]])),
    },
    events: {
      clickstream: Object.fromEntries(EVENT_TYPES.map((e, i) => [e, t.events[i]])),
      cartAdds: t.cartAdds,
      cartRemoves: t.cartRemoves,
    },
    payments: {
      attempts: totalAttempts,
      approved,
      approvalRate: totalAttempts > 0 ? Number((approved / totalAttempts).toFixed(6)) : 0,
      byResult: Object.fromEntries(PAYMENT_RESULTS.map((r, i) => [r, attemptsByResult[i]])),
      softDeclines: t.softDeclines,
      hardDeclines: t.hardDeclines,
      retriesAfterHardDecline: t.retriesAfterHardDecline,
      byGatewayChannel: GATEWAYS.flatMap((g, gi) =>
        ["web", "app"].map((channel, ci) => {
          const counts = t.attempts[gi]?.[ci] ?? [];
          const n = sum(counts);
          return {
            gateway: g,
            channel,
            attempts: n,
            approved: counts[0] ?? 0,
            declined: counts[1] ?? 0,
            error: counts[2] ?? 0,
            timeout: counts[3] ?? 0,
            approvalRate: n > 0 ? Number(((counts[0] ?? 0) / n).toFixed(6)) : null,
          };
        }),
      ),
    },
    orders: {
      online: Object.fromEntries(CHANNELS.slice(0, 2).map((c, i) => [c, t.onlineOrders[i]])),
      pos: t.posOrders,
      total: sum(t.onlineOrders) + t.posOrders,
      lines: t.orderLines,
      revenue: {
        web: cents(t.onlineRevenueCents[0] ?? 0),
        app: cents(t.onlineRevenueCents[1] ?? 0),
        store: cents(t.posRevenueCents),
        total: cents(sum(t.onlineRevenueCents) + t.posRevenueCents),
      },
    },
    crossSell: {
      anchorCartSessions: t.anchorCartSessions,
      anchorSessionsWithPlantedViews: t.anchorSessionsWithPlantedViews,
      plantedViews: t.plantedViews,
    },
  };
}

export type GroundTruthSummary = ReturnType<typeof summarizeGroundTruth>;
