import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ResultsError } from "../../../report/results-folder.ts";
import { writeReport } from "../../../report/write-report.ts";

const root = mkdtempSync(join(tmpdir(), "retail-lab-report-unit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A results folder holding only channel-growth's monthly table, its rows deliberately out of calendar order. */
function channelGrowthOnly(): string {
  const dir = join(root, "results");
  mkdirSync(join(dir, "channel-growth"), { recursive: true });
  const row = (month: string, channel: string, growth: number | null) => ({
    month,
    channel,
    orders: 10,
    revenue: "100.00",
    order_growth_pct: growth,
    revenue_growth_pct: growth,
  });
  const rows = [
    row("2025-03-01", "web", 5),
    row("2025-01-01", "web", null),
    row("2025-10-01", "web", -2),
    row("2025-02-01", "web", 3),
  ];
  writeFileSync(join(dir, "channel-growth", "monthly.json"), JSON.stringify({ title: "Monthly", rows }));
  writeFileSync(
    join(dir, "channel-growth", "findings.json"),
    JSON.stringify({
      job: "channel-growth",
      params: {},
      findings: [{ id: "x", text: "growth <script>alert(1)</script>" }],
    }),
  );
  return dir;
}

describe("writeReport", () => {
  it("draws what the folder holds, names what it lacks, orders months by the calendar and escapes text", async () => {
    const summary = await writeReport(channelGrowthOnly(), join(root, "out", "report.html"));
    expect(summary.charts.map((c) => c.id)).toEqual(["mom-growth"]);
    expect(summary.charts[0]?.marks).toBe(3);
    expect(summary.warnings).toEqual([]);
    expect(summary.missing).toEqual(
      expect.arrayContaining(["funnel/reference_counts", "payment-failures/by_gateway_channel", "kpis/headline"]),
    );
    const html = readFileSync(summary.path, "utf8");
    const labels = [...html.matchAll(/>(2025-\d\d)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(["2025-02", "2025-03", "2025-10"]);
    expect(html).toContain("growth &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script");
    expect(html).toContain("Not in these results: funnel/reference_counts, funnel/session_funnel");
  });

  it("refuses a folder without results, saying how to make one", async () => {
    await expect(writeReport(join(root, "nothing"))).rejects.toThrow(ResultsError);
    mkdirSync(join(root, "empty"));
    await expect(writeReport(join(root, "empty"))).rejects.toThrow(/holds no job results/);
  });
});
