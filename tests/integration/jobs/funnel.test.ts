/**
 * Job `funnel` against the generator's answer key: on a generated demo dataset every reference stage count
 * equals the manifest's event counts, and every session-funnel reach count equals the sessions whose
 * `session_truth.max_stage` is at least that step (overall and per channel, device and country). Hand-made
 * sessions pin the edge cases: timestamp ties ordered by seq, out-of-order steps, a view with nothing after
 * it, anonymous and visit-only sessions, the window boundary (≤ counts) and re-entry.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAGES } from "../../../generators/vocabulary.ts";
import { funnelJob, referenceStageCounts, sessionLevels } from "../../../jobs/funnel.ts";
import type { Row, SparkSession } from "../../../src/index.ts";
import {
  connect,
  type DataRow,
  type Dataset,
  generateDemo,
  pct,
  type Rows,
  readTable,
  roundHalfUp,
  runJob,
} from "./fixtures.ts";

let spark: SparkSession;
let data: Dataset;
let results: Rows;
let truth: DataRow[];

const STEPS = ["product_view", "cart_add", "begin_checkout", "payment_attempt", "purchase"] as const;
/** The session-funnel level of a truth row: its max stage's index (visit = 0 … purchase = 5). */
const levelOf = (row: DataRow) => STAGES.indexOf(row.max_stage as (typeof STAGES)[number]);

beforeAll(async () => {
  spark = await connect("retail-lab-jobs-funnel-test");
  data = await generateDemo();
  truth = await readTable(data.dir, "session_truth", ["session_id", "channel", "max_stage"]);
  ({ results } = await runJob(spark, data.dir, "funnel"));
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

/** Expected breakdown rows for sessions grouped by `key`, from the truth levels. */
function expectedBreakdown(levels: ReadonlyArray<{ key: string; level: number }>) {
  const groups = new Map<string, number[]>();
  for (const { key, level } of levels) {
    const counts = groups.get(key) ?? [0, 0, 0, 0, 0, 0];
    counts[0]! += 1;
    for (let k = 1; k <= level; k++) counts[k]! += 1;
    groups.set(key, counts);
  }
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => y[0]! - x[0]! || (a < b ? -1 : 1))
    .map(([key, c]) => ({
      key,
      visits: BigInt(c[0]!),
      ...Object.fromEntries(STEPS.map((s, i) => [s, BigInt(c[i + 1]!)])),
      view_to_purchase_pct: pct(c[5]!, c[1]!),
      payment_success_pct: pct(c[5]!, c[4]!),
    }));
}

describe("on a generated demo dataset", () => {
  it("reference stage counts equal the manifest's event counts, flagged monotonic", () => {
    const gt = data.manifest.groundTruth;
    const counts = [
      gt.events.clickstream.product_view,
      gt.events.cartAdds,
      gt.payments.attempts,
      gt.payments.approved,
    ].map((n) => BigInt(n!));
    expect(counts.every((c) => c > 0n)).toBe(true);
    expect(results.reference_counts).toEqual(
      ["product views", "cart adds", "payment attempts", "approved payments"].map((stage, i) => ({
        step: i + 1,
        stage,
        count: counts[i],
        pct_of_first: pct(counts[i]!, counts[0]!),
        pct_of_previous: i === 0 ? null : pct(counts[i]!, counts[i - 1]!),
        monotonic: i === 0 || counts[i]! <= counts[i - 1]!,
      })),
    );
  });

  it("session reach per step equals the manifest's reach and the count of max_stage ≥ step in session_truth", () => {
    const reach = data.manifest.groundTruth.funnel.reach as Record<string, number>;
    const fromTruth = STEPS.map((_, i) => truth.filter((r) => levelOf(r) >= i + 1).length);
    expect(fromTruth).toEqual(STEPS.map((s) => reach[s]));
    expect(results.session_funnel).toEqual(
      STEPS.map((name, i) => ({
        step: i + 1,
        step_name: name,
        sessions: BigInt(fromTruth[i]!),
        conversion_from_previous_pct: i === 0 ? null : pct(fromTruth[i]!, fromTruth[i - 1]!),
        conversion_from_first_pct: pct(fromTruth[i]!, fromTruth[0]!),
        // Sessions that stopped exactly at the previous step.
        dropped_sessions: i === 0 ? 0n : BigInt(truth.filter((r) => levelOf(r) === i).length),
      })),
    );
  });

  it("breaks the funnel down by channel, device and country exactly as the truth does", async () => {
    const sessions = await readTable(data.dir, "sessions", ["session_id", "device", "country"]);
    const levelById = new Map(truth.map((r) => [r.session_id as bigint, levelOf(r)]));
    const level = (id: unknown) => levelById.get(id as bigint) ?? -1;
    for (const [dim, rows] of [
      ["channel", truth.map((r) => ({ key: String(r.channel), level: levelOf(r) }))],
      ["device", sessions.map((s) => ({ key: String(s.device), level: level(s.session_id) }))],
      ["country", sessions.map((s) => ({ key: String(s.country), level: level(s.session_id) }))],
    ] as const) {
      const expected = expectedBreakdown(rows).map(({ key, ...rest }) => ({ [dim]: key, ...rest }));
      expect(results[`by_${dim}`], dim).toEqual(expected);
    }
    expect(results.by_channel?.map((r) => r.channel)).toEqual(["app", "web"]);
  });

  it("time to convert covers exactly the sessions reaching each step, with exact median and p90 seconds", async () => {
    const expected = await expectedTimes(data.dir);
    expect(results.time_to_convert).toEqual(
      STEPS.slice(1).map((name, i) => {
        const seconds = expected[i + 2]!;
        return {
          step: i + 2,
          step_name: name,
          sessions: BigInt(seconds.length),
          median_seconds: roundHalfUp(rank(seconds, 0.5), 1),
          p90_seconds: roundHalfUp(rank(seconds, 0.9), 1),
        };
      }),
    );
    const reach = data.manifest.groundTruth.funnel.reach as Record<string, number>;
    expect(expected.slice(2).map((s) => s.length)).toEqual(STEPS.slice(1).map((s) => reach[s]));
  });

  it("findings read the results in words", async () => {
    const findings = funnelJob.findings!(results, { window_minutes: 1440 });
    const reach = data.manifest.groundTruth.funnel.reach as Record<string, number>;
    expect(findings.map((f) => f.id)).toEqual(["reference_monotonic", "largest_drop", "overall_conversion"]);
    expect(findings[0]!.text).toMatch(/is monotonic/);
    expect(findings[2]!.values).toMatchObject({
      viewed: BigInt(reach.product_view!),
      purchased: BigInt(reach.purchase!),
    });
  });
});

/** The exact percentile a small percentile_approx returns: the smallest value with at least p of the values ≤ it. */
function rank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * Seconds from the entry view to each step, per session, computed from the raw tables in seq order: the entry is
 * the last product view before the first cart add (a view restarts the chain until a later step is reached).
 * Generated sessions last minutes, far inside the default 24-hour window.
 */
async function expectedTimes(dir: string): Promise<number[][]> {
  type Event = { seq: number; ts: bigint; kind: string };
  const bySession = new Map<bigint, Event[]>();
  const add = (id: unknown, e: Event) => {
    const list = bySession.get(id as bigint) ?? [];
    list.push(e);
    bySession.set(id as bigint, list);
  };
  for (const r of await readTable(dir, "clickstream", ["session_id", "seq", "ts", "event_type"])) {
    if (r.event_type === "product_view" || r.event_type === "begin_checkout") {
      add(r.session_id, { seq: r.seq as number, ts: r.ts as bigint, kind: r.event_type as string });
    }
  }
  for (const r of await readTable(dir, "cart_events", ["session_id", "seq", "ts", "action"])) {
    if (r.action === "add") add(r.session_id, { seq: r.seq as number, ts: r.ts as bigint, kind: "add" });
  }
  for (const r of await readTable(dir, "payment_attempts", ["session_id", "seq", "ts", "result"])) {
    add(r.session_id, { seq: r.seq as number, ts: r.ts as bigint, kind: `attempt:${r.result}` });
  }
  const out: number[][] = [[], [], [], [], [], []];
  for (const events of bySession.values()) {
    events.sort((a, b) => a.seq - b.seq);
    const firstAdd = events.findIndex((e) => e.kind === "add");
    if (firstAdd < 0) continue;
    const entry = events.slice(0, firstAdd).findLast((e) => e.kind === "product_view");
    if (!entry) continue;
    const seconds = (e: Event | undefined) => (e ? Number(e.ts - entry.ts) / 1_000_000 : undefined);
    const after = events.slice(firstAdd);
    const times = [
      seconds(after[0]),
      seconds(after.find((e) => e.kind === "begin_checkout")),
      seconds(after.find((e) => e.kind.startsWith("attempt:"))),
      seconds(after.find((e) => e.kind === "attempt:approved")),
    ];
    times.forEach((t, i) => {
      if (t !== undefined) out[i + 2]!.push(t);
    });
  }
  return out;
}

describe("edge cases on hand-made sessions", () => {
  const T = Date.parse("2025-03-01T10:00:00Z");
  const at = (ms: number) => new Date(T + ms).toISOString();
  const sec = 1000;
  const min = 60 * sec;
  // [session, seq, ms after T, kind]; kinds: page_view/product_view/begin_checkout (clickstream),
  // add (cart_events), approved/declined (payment_attempts).
  const events: Array<[number, number, number, string]> = [
    // 1: view and add at the same instant, view first by seq → reaches the add.
    [1, 1, 0, "page_view"],
    [1, 2, 10 * sec, "product_view"],
    [1, 3, 10 * sec, "add"],
    // 2: add and view at the same instant, add first by seq → only the view counts.
    [2, 1, 0, "add"],
    [2, 2, 0, "product_view"],
    // 3: every step at the same instant, in seq order → purchase, zero seconds to convert.
    [3, 1, 0, "product_view"],
    [3, 2, 0, "add"],
    [3, 3, 0, "begin_checkout"],
    [3, 4, 0, "approved"],
    // 4: a product view with nothing after it.
    [4, 1, 0, "page_view"],
    [4, 2, 5 * sec, "product_view"],
    // 5: anonymous: view then add.
    [5, 1, 0, "product_view"],
    [5, 2, 20 * sec, "add"],
    // 6: a visit without funnel events.
    [6, 1, 0, "page_view"],
    // 7: checkout before the add and an attempt without checkout after it: only view → add is ordered.
    [7, 1, 0, "product_view"],
    [7, 2, 10 * sec, "begin_checkout"],
    [7, 3, 20 * sec, "add"],
    [7, 4, 30 * sec, "declined"],
    // 8: add exactly one minute after the view: inside a one-minute window (≤).
    [8, 1, 0, "product_view"],
    [8, 2, 60 * sec, "add"],
    // 9: add one millisecond later than that: outside a one-minute window.
    [9, 1, 0, "product_view"],
    [9, 2, 60 * sec + 1, "add"],
    // 10: re-entry: a second view ten minutes later restarts the chain, the add is 30 s after it.
    [10, 1, 0, "product_view"],
    [10, 2, 10 * min, "product_view"],
    [10, 3, 10 * min + 30 * sec, "add"],
    // 11: a declined attempt, then an approved retry.
    [11, 1, 0, "product_view"],
    [11, 2, 5 * sec, "add"],
    [11, 3, 15 * sec, "begin_checkout"],
    [11, 4, 25 * sec, "declined"],
    [11, 5, 45 * sec, "approved"],
  ];
  const sessionIds = [...new Set(events.map((e) => e[0]))];
  /** Expected level per session for a 24-hour and a one-minute window. */
  const expectedLevels: Record<number, [number, number]> = {
    1: [2, 2],
    2: [1, 1],
    3: [5, 5],
    4: [1, 1],
    5: [2, 2],
    6: [0, 0],
    7: [2, 2],
    8: [2, 2],
    9: [2, 1],
    10: [2, 2],
    11: [5, 5],
  };
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "retail-lab-funnel-edges-"));
    const click = events.filter((e) => ["page_view", "product_view", "begin_checkout"].includes(e[3]));
    const cart = events.filter((e) => e[3] === "add");
    const pay = events.filter((e) => e[3] === "approved" || e[3] === "declined");
    const write = async (table: string, rows: unknown[][], ddl: string) =>
      (await spark.createDataFrame(rows, ddl)).write.mode("overwrite").parquet(join(dir, table));
    await write(
      "sessions",
      sessionIds.map((id) => [id, id === 5 ? null : 100 + id, id % 2 ? "web" : "app", "desktop", "US"]),
      "session_id BIGINT, customer_id BIGINT, channel STRING, device STRING, country STRING",
    );
    await write(
      "clickstream",
      click.map(([s, seq, ms, kind]) => [s, seq, at(ms), kind, kind === "product_view" ? 7 : null]),
      "session_id BIGINT, seq INT, ts TIMESTAMP, event_type STRING, product_id BIGINT",
    );
    await write(
      "cart_events",
      cart.map(([s, seq, ms]) => [s, seq, at(ms), "add", 7]),
      "session_id BIGINT, seq INT, ts TIMESTAMP, action STRING, product_id BIGINT",
    );
    await write(
      "payment_attempts",
      pay.map(([s, seq, ms, kind]) => [s, seq, at(ms), kind]),
      "session_id BIGINT, seq INT, ts TIMESTAMP, result STRING",
    );
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [w, window] of [
    [0, 1440],
    [1, 1],
  ] as const) {
    it(`sessionLevels: the furthest step of each session, window ${window} min`, async () => {
      const read = (t: string) => spark.read.parquet(join(dir, t));
      const levels = await sessionLevels(read("clickstream"), read("cart_events"), read("payment_attempts"), window)
        .orderBy("session_id")
        .collect();
      const funnelSessions = sessionIds.filter((id) => id !== 6);
      expect(levels.map((r) => [Number(r.session_id), r.level])).toEqual(
        funnelSessions.map((id) => [id, expectedLevels[id]![w]]),
      );
      const byId = new Map(levels.map((r) => [Number(r.session_id), r]));
      const micros = (ms: number) => BigInt(T + ms) * 1000n;
      // Ties: the entry view and the step share the instant.
      expect(byId.get(1)).toMatchObject({ t1: micros(10 * sec), t2: micros(10 * sec), t3: null });
      expect(byId.get(3)).toMatchObject({ t1: micros(0), t4: micros(0), t5: micros(0) });
      expect(byId.get(4)).toMatchObject({ t1: micros(5 * sec), t2: null, t5: null });
      // Re-entry: the chain that converts starts at the second view.
      expect(byId.get(10)).toMatchObject({ t1: micros(10 * min), t2: micros(10 * min + 30 * sec) });
      // The attempt step is the first attempt, the purchase the approved one.
      expect(byId.get(11)).toMatchObject({ t4: micros(25 * sec), t5: micros(45 * sec) });
    });

    it(`the whole job on the hand-made tables, window ${window} min`, async () => {
      const { results: r } = await runJob(spark, dir, "funnel", { window_minutes: String(window) });
      const levels = sessionIds.map((id) => expectedLevels[id]![w]);
      const reached = STEPS.map((_, i) => levels.filter((l) => l >= i + 1).length);
      expect(r.session_funnel?.map((row) => row.sessions)).toEqual(reached.map(BigInt));
      // Anonymous session 5 counts like any other; visit-only session 6 only as a visit.
      const web = sessionIds.filter((id) => id % 2 === 1);
      expect(r.by_channel?.find((row) => row.channel === "web")).toMatchObject({
        visits: BigInt(web.length),
        product_view: BigInt(web.filter((id) => expectedLevels[id]![w] >= 1).length),
        cart_add: BigInt(web.filter((id) => expectedLevels[id]![w] >= 2).length),
      });
      expect(r.reference_counts?.map((row) => row.count)).toEqual([11n, 9n, 4n, 2n]);
      if (window === 1440) {
        // Seconds from the entry view to the add in sessions 1, 3, 5, 7, 8, 9, 10 and 11.
        const toAdd = [0, 0, 20, 20, 60, 60.001, 30, 5];
        expect(r.time_to_convert?.[0]).toEqual({
          step: 2,
          step_name: "cart_add",
          sessions: 8n,
          median_seconds: rank(toAdd, 0.5),
          p90_seconds: roundHalfUp(rank(toAdd, 0.9), 1),
        });
        expect(r.time_to_convert?.[3]).toMatchObject({ step: 5, sessions: 2n, median_seconds: 0, p90_seconds: 45 });
      }
    });
  }

  it("flags an event-count funnel that is not monotonic, and says so in the findings", async () => {
    const click = await spark.createDataFrame([["product_view"], ["page_view"]], "event_type STRING");
    const cart = await spark.createDataFrame([["add"], ["add"], ["add"], ["remove"]], "action STRING");
    const pay = await spark.createDataFrame(
      [["declined"], ["approved"], ["timeout"], ["error"], ["error"]],
      "result STRING",
    );
    const rows: Row[] = await referenceStageCounts(click, cart, pay).collect();
    expect(rows.map((r) => [r.count, r.monotonic])).toEqual([
      [1n, true],
      [3n, false],
      [5n, false],
      [1n, true],
    ]);
    expect(rows[1]).toMatchObject({ pct_of_first: 300, pct_of_previous: 300 });
    const [finding] = funnelJob.findings!({ reference_counts: rows, session_funnel: [] }, { window_minutes: 1440 });
    expect(finding?.text).toMatch(/not monotonic: cart adds \(3\) exceeds .*payment attempts \(5\) exceeds/);
  });
});
