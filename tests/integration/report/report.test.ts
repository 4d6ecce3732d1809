/**
 * The insights report, end to end: the jobs run on a generated demo dataset and write their results, the
 * report is built from those files alone, and real headless Chromium (Debian's, through playwright-core)
 * opens it offline: no request leaves the file, no console error, every chart draws as many marks as its
 * result has data points, calendar axes are in calendar order, every chart has its table and note; a
 * screenshot is saved (REPORT_SCREENSHOT=<path.png> also keeps the top of the page, e.g. for docs/).
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectJobs } from "../../../jobs/registry.ts";
import { runJobs } from "../../../jobs/runner.ts";
import { type ReportSummary, writeReport } from "../../../report/write-report.ts";
import type { SparkSession } from "../../../src/index.ts";
import { launchChromium } from "../../setup/chromium.ts";
import { connect, type Dataset, generateDemo } from "../jobs/fixtures.ts";

const REPORT_JOBS = ["funnel", "payment-failures", "cross-sell", "aov-daily", "channel-growth", "data-quality", "kpis"];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

type Row = Record<string, unknown>;

let spark: SparkSession;
let data: Dataset;
let results: string;
let summary: ReportSummary;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const consoleErrors: string[] = [];
const requests: string[] = [];

/** A result table as written (the report's only input), read independently of the report code. */
const rows = (job: string, result: string): Row[] =>
  (JSON.parse(readFileSync(join(results, job, `${result}.json`), "utf8")) as { rows: Row[] }).rows;

beforeAll(async () => {
  spark = await connect("retail-lab-report-test");
  data = await generateDemo();
  results = data.scratch("results");
  await runJobs({ spark, dataDir: data.dir, jobs: selectJobs(REPORT_JOBS), outDir: results });
  summary = await writeReport(results, data.scratch("report/insights.html"));
  browser = await launchChromium();
  await browser.context.setOffline(true);
  await browser.context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file://")) return route.continue();
    requests.push(url);
    return route.abort();
  });
  page = await browser.context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.goto(`file://${summary.path}`, { waitUntil: "load" });
});
afterAll(async () => {
  await browser?.close();
  await spark?.stop();
  data?.remove();
});

/** How many items of the chart's mark kind its SVG draws. */
async function drawnMarks(chart: string): Promise<number> {
  const figure = page.locator(`figure[data-chart="${chart}"]`);
  const kind = await figure.getAttribute("data-mark");
  return figure.locator(`svg g.mark-${kind}.role-mark > path`).count();
}

/** The text labels of a chart's axes, in document order. */
async function axisLabels(chart: string): Promise<string[]> {
  return page.locator(`figure[data-chart="${chart}"] svg g.role-axis-label text`).allTextContents();
}

describe("the insights report in headless Chromium", () => {
  it("is built from every section's results, with no chart warnings", () => {
    expect(summary.missing).toEqual([]);
    expect(summary.warnings).toEqual([]);
    expect(summary.charts.map((c) => c.id)).toEqual([
      "funnel-events",
      "funnel-sessions",
      "failures-gateway-channel",
      "decline-codes",
      "cross-sell",
      "aov-daily",
      "mom-growth",
      "margin-category",
      "ticket-weekday",
      "basket-month",
    ]);
  });

  it("loads offline, self-contained: no request beyond the file, no console error, no script", async () => {
    expect(await page.title()).toBe("retail-lab insights");
    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.locator("script, link[rel=stylesheet], img[src^=http]").count()).toBe(0);
  });

  it("draws every chart with one mark per data point (or per series)", async () => {
    const opportunities = rows("cross-sell", "opportunities");
    const expected: Record<string, number> = {
      "funnel-events": rows("funnel", "reference_counts").length,
      "funnel-sessions": rows("funnel", "session_funnel").length,
      "failures-gateway-channel": rows("payment-failures", "by_gateway_channel").length,
      "decline-codes": rows("payment-failures", "by_decline_code").length,
      "cross-sell": Math.min(10, opportunities.length),
      "aov-daily": new Set(rows("aov-daily", "daily").map((r) => r.channel)).size,
      "mom-growth": rows("channel-growth", "monthly").filter((r) => r.revenue_growth_pct !== null).length,
      "margin-category": rows("kpis", "margin_by_category").length,
      "ticket-weekday": 7,
      "basket-month": rows("kpis", "basket_by_month").length,
    };
    expect(expected["funnel-sessions"]).toBe(5);
    expect(expected["failures-gateway-channel"]).toBe(6);
    expect(expected["aov-daily"]).toBe(3);
    const drawn: Record<string, number> = {};
    for (const chart of Object.keys(expected)) drawn[chart] = await drawnMarks(chart);
    expect(drawn).toEqual(expected);
  });

  it("orders calendar axes by the calendar: weekdays Monday first, months chronologically", async () => {
    expect((await axisLabels("ticket-weekday")).filter((t) => WEEKDAYS.includes(t))).toEqual(WEEKDAYS);
    expect((await axisLabels("basket-month")).filter((t) => /^\d{4}-\d{2}$/.test(t))).toEqual([
      "2025-01",
      "2025-02",
      "2025-03",
    ]);
    expect((await axisLabels("mom-growth")).filter((t) => /^\d{4}-\d{2}$/.test(t))).toEqual(["2025-02", "2025-03"]);
    const funnel = (await axisLabels("funnel-sessions")).filter((t) => /^[a-z_]+$/.test(t));
    expect(funnel).toEqual(["product_view", "cart_add", "begin_checkout", "payment_attempt", "purchase"]);
  });

  it("gives every chart its numbers in a table and a one-line note of how they were computed", async () => {
    for (const chart of summary.charts) {
      const figure = page.locator(`figure[data-chart="${chart.id}"]`);
      await expect(figure.locator("p.note").count()).resolves.toBe(1);
      const note = await figure.locator("p.note").textContent();
      expect(note, chart.id).toMatch(/\(([a-z-]+\/[a-z_]+(, )?)+\)\.$/);
      await expect(figure.locator("table").count()).resolves.toBe(1);
      expect(await figure.locator("table tbody tr").count(), chart.id).toBeGreaterThan(0);
    }
    const sessionTable = page.locator('figure[data-chart="funnel-sessions"] table tbody tr');
    expect(await sessionTable.count()).toBe(5);
    const firstRow = await page.locator("section#headline table tbody tr").first().locator("td").allTextContents();
    expect(firstRow[0]).toBe("product views");
    expect(firstRow[1]?.replaceAll(",", "")).toBe("14898");
    expect(await page.locator("section#data-quality table tbody tr").count()).toBe(
      rows("data-quality", "checks").length,
    );
  });

  it("renders to a screenshot", async () => {
    const path = data.scratch("report.png");
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(100_000);
    const keep = process.env.REPORT_SCREENSHOT;
    if (keep) {
      await page.setViewportSize({ width: 1280, height: 1600 });
      await page.screenshot({ path: keep, clip: { x: 0, y: 0, width: 1280, height: 1600 } });
    }
  });
});
