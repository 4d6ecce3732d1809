/**
 * Job `payment-failures` against the generator's answer key and an independent computation over the raw
 * attempts (read with hyparquet): attempt and checkout totals, failure breakdowns by every attribute (null card
 * brands of PayPal included), decline codes, revenue at risk, and the ranking whose top cause must be the
 * planted failing gateway × channel.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutOutcomes, paymentFailuresJob, rankedSegments } from "../../../jobs/payment-failures.ts";
import { F, type SparkSession } from "../../../src/index.ts";
import {
  cents,
  centsText,
  connect,
  type Dataset,
  generateDemo,
  pct,
  plain,
  type Rows,
  readTable,
  roundHalfUp,
  runJob,
} from "./fixtures.ts";

interface Attempt {
  session_id: bigint;
  attempt_no: number;
  gateway: string;
  method: string;
  card_brand: string | null;
  device: string;
  channel: string;
  hour: number;
  amount: bigint;
  result: string;
  decline_code: string | null;
}

let spark: SparkSession;
let data: Dataset;
let results: Rows;
let attempts: Attempt[];
/** The last attempt of every lost checkout (no attempt of its session approved). */
let lostLast: Attempt[];
let sessionsWithAttempts: number;

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-payment-failures-test");
  data = await generateDemo();
  const raw = await readTable(data.dir, "payment_attempts");
  attempts = raw.map((r) => ({
    session_id: r.session_id as bigint,
    attempt_no: r.attempt_no as number,
    gateway: r.gateway as string,
    method: r.method as string,
    card_brand: (r.card_brand as string | null) ?? null,
    device: r.device as string,
    channel: r.channel as string,
    hour: Number(((r.ts as bigint) / 3_600_000_000n) % 24n),
    amount: cents(r.amount),
    result: r.result as string,
    decline_code: (r.decline_code as string | null) ?? null,
  }));
  const last = new Map<bigint, Attempt>();
  const paid = new Set<bigint>();
  for (const a of attempts) {
    const seen = last.get(a.session_id);
    if (!seen || a.attempt_no > seen.attempt_no) last.set(a.session_id, a);
    if (a.result === "approved") paid.add(a.session_id);
  }
  sessionsWithAttempts = last.size;
  lostLast = [...last.values()].filter((a) => !paid.has(a.session_id));
  ({ results } = await runJob(spark, data.dir, "payment-failures"));
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

/** Result rows with exact decimals as their text, so whole rows compare with toEqual. */

type Dim = "gateway" | "method" | "card_brand" | "device" | "channel" | "hour";

interface Stats {
  values: Array<string | number | null>;
  attempts: number;
  failed: number;
  declined: number;
  errors: number;
  timeouts: number;
  lost: number;
  lostCents: bigint;
}

/** Failure statistics per value of `dims`, computed in plain JS; a lost checkout counts for its last attempt's segment. */
function failureBy(dims: readonly Dim[]): Stats[] {
  const groups = new Map<string, Stats>();
  const group = (a: Attempt) => {
    const values = dims.map((d) => a[d]);
    const key = JSON.stringify(values);
    let s = groups.get(key);
    if (!s) {
      s = { values, attempts: 0, failed: 0, declined: 0, errors: 0, timeouts: 0, lost: 0, lostCents: 0n };
      groups.set(key, s);
    }
    return s;
  };
  for (const a of attempts) {
    const s = group(a);
    s.attempts++;
    if (a.result !== "approved") s.failed++;
    if (a.result === "declined") s.declined++;
    if (a.result === "error") s.errors++;
    if (a.result === "timeout") s.timeouts++;
  }
  for (const a of lostLast) {
    const s = group(a);
    s.lost++;
    s.lostCents += a.amount;
  }
  const compare = (x: string | number | null, y: string | number | null) =>
    x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
  return [...groups.values()].sort((p, q) => {
    for (let i = 0; i < dims.length; i++) {
      const c = compare(p.values[i]!, q.values[i]!);
      if (c !== 0) return c;
    }
    return 0;
  });
}

const statColumns = (s: Stats) => ({
  attempts: BigInt(s.attempts),
  failed: BigInt(s.failed),
  failure_pct: pct(s.failed, s.attempts),
  declined: BigInt(s.declined),
  errors: BigInt(s.errors),
  timeouts: BigInt(s.timeouts),
  lost_checkouts: BigInt(s.lost),
  lost_revenue: centsText(s.lostCents),
});

describe("payment-failures on a generated demo dataset", () => {
  it("summary: attempts and approvals equal the manifest; checkouts, paid and lost equal session_truth's reach", () => {
    const gt = data.manifest.groundTruth;
    const reach = gt.funnel.reach as Record<string, number>;
    expect(sessionsWithAttempts).toBe(reach.payment_attempt);
    const lost = reach.payment_attempt! - reach.purchase!;
    expect(lostLast).toHaveLength(lost);
    const atRisk = lostLast.reduce((n, a) => n + a.amount, 0n);
    expect(atRisk).toBeGreaterThan(0n);
    expect(plain(results.summary)).toEqual([
      {
        attempts: BigInt(gt.payments.attempts),
        approved: BigInt(gt.payments.approved),
        failed: BigInt(gt.payments.attempts - gt.payments.approved),
        attempt_success_pct: pct(gt.payments.approved, gt.payments.attempts),
        attempt_failure_pct: pct(gt.payments.attempts - gt.payments.approved, gt.payments.attempts),
        checkouts: BigInt(reach.payment_attempt!),
        paid_checkouts: BigInt(reach.purchase!),
        lost_checkouts: BigInt(lost),
        checkout_success_pct: pct(reach.purchase!, reach.payment_attempt!),
        attempts_per_checkout: roundHalfUp(gt.payments.attempts / reach.payment_attempt!, 2),
        revenue_at_risk: centsText(atRisk),
      },
    ]);
  });

  it("attempts by result equal the manifest's counts", () => {
    const byResult = data.manifest.groundTruth.payments.byResult as Record<string, number>;
    const total = data.manifest.groundTruth.payments.attempts;
    const expected = Object.entries(byResult)
      .sort(([, a], [, b]) => b - a)
      .map(([result, n]) => ({ result, attempts: BigInt(n), share_pct: pct(n, total) }));
    expect(results.by_result).toEqual(expected);
  });

  it("failure by gateway and by channel add up the manifest's gateway × channel counts", () => {
    const cells = data.manifest.groundTruth.payments.byGatewayChannel;
    for (const dim of ["gateway", "channel"] as const) {
      const rows = results[`by_${dim}`] ?? [];
      const keys = [...new Set(cells.map((c) => c[dim]))].sort();
      expect(rows.map((r) => r[dim])).toEqual(keys);
      for (const key of keys) {
        const own = cells.filter((c) => c[dim] === key);
        const sum = (f: "attempts" | "approved" | "declined" | "error" | "timeout") =>
          BigInt(own.reduce((n, c) => n + c[f], 0));
        expect(rows.find((r) => r[dim] === key)).toMatchObject({
          attempts: sum("attempts"),
          failed: sum("attempts") - sum("approved"),
          declined: sum("declined"),
          errors: sum("error"),
          timeouts: sum("timeout"),
        });
      }
    }
  });

  for (const dim of ["gateway", "method", "card_brand", "device", "channel", "hour"] as const) {
    it(`failure by ${dim}, lost checkouts and lost revenue included, equal a plain computation`, () => {
      const expected = failureBy([dim]).map((s) => ({ [dim]: s.values[0], ...statColumns(s) }));
      expect(plain(results[`by_${dim}`])).toEqual(expected);
    });
  }

  it("declines by issuer code add up to the manifest's declines, soft and hard", () => {
    const declines = attempts.filter((a) => a.result === "declined");
    const gt = data.manifest.groundTruth.payments;
    expect(declines).toHaveLength(gt.byResult.declined!);
    const counts = new Map<string, number>();
    for (const a of declines) counts.set(a.decline_code!, (counts.get(a.decline_code!) ?? 0) + 1);
    const expected = [...counts.entries()]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([code, n]) => ({ decline_code: code, declines: BigInt(n), share_pct: pct(n, declines.length) }));
    expect(results.by_decline_code).toEqual(expected);
    const soft = ["insufficient_funds", "do_not_honor", "try_again_later", "authentication_required"];
    const softCount = expected.filter((r) => soft.includes(r.decline_code)).reduce((n, r) => n + r.declines, 0n);
    expect(softCount).toBe(BigInt(gt.softDeclines));
    expect(BigInt(declines.length) - softCount).toBe(BigInt(gt.hardDeclines));
  });

  it("ranks segments by excess failures exactly, and the top cause is the planted failing gateway × channel", () => {
    const segments: Dim[][] = [
      ["gateway"],
      ["method"],
      ["card_brand"],
      ["device"],
      ["channel"],
      ["hour"],
      ["gateway", "channel"],
      ["gateway", "device"],
      ["gateway", "method"],
      ["method", "channel"],
    ];
    const failedAll = attempts.filter((a) => a.result !== "approved").length;
    const rate = failedAll / attempts.length;
    const all = segments.flatMap((dims) =>
      failureBy(dims).map((s) => ({
        dimension: dims.join(" × "),
        segment: s.values.map((v) => (v === null ? "none" : String(v))).join(" × "),
        ...statColumns(s),
        excess_failures: BigInt(roundHalfUp(s.failed - s.attempts * rate, 0)),
        main_failure:
          s.timeouts >= Math.max(s.declined, s.errors) ? "timeout" : s.errors >= s.declined ? "error" : "declined",
      })),
    );
    all.sort(
      (a, b) =>
        Number(b.excess_failures - a.excess_failures) ||
        (a.dimension < b.dimension ? -1 : a.dimension > b.dimension ? 1 : 0) ||
        (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0),
    );
    expect(plain(results.segments)).toEqual(all.slice(0, 15));

    const planted = data.manifest.planted.failingGateway;
    const top = results.segments?.[0];
    expect(top).toMatchObject({
      dimension: "gateway × channel",
      segment: `${planted.gateway} × ${planted.channel}`,
      attempts: BigInt(planted.observed.attempts),
      failed: BigInt(planted.observed.attempts - planted.observed.approved),
      timeouts: BigInt(planted.observed.timeout),
      main_failure: "timeout",
    });
    const findings = paymentFailuresJob.findings!(results, { top: 15 });
    expect(findings.find((f) => f.id === "top_cause")?.text).toMatch(
      new RegExp(`^Top cause: ${planted.gateway} × ${planted.channel} \\(gateway × channel\\)`),
    );
  });

  it("rankedSegments keeps the first `top` segments of the same ranking", async () => {
    const input = spark.read.parquet(`${data.dir}/payment_attempts`).withColumn("hour", F.hour("ts"));
    const top3 = await rankedSegments(input, checkoutOutcomes(input), 3).collect();
    expect(plain(top3)).toEqual(plain(results.segments).slice(0, 3));
  });
});
