/**
 * What the insights report shows, section by section: for each chart a Vega-Lite spec over the written
 * result rows, the same numbers as a table, and one line on how they were computed. Time and calendar axes
 * are ordered by the calendar (months chronologically, weekdays Monday first), never by value: the
 * reference dashboards' month axis and weekday "trend" went wrong exactly there.
 */
import type { TopLevelSpec } from "vega-lite";
import { compareWithReference, headlineFindings } from "../jobs/reproduce.ts";
import { asJobRuns, type JobResults, type ResultRow, rowsOf } from "./results-folder.ts";

export interface ReportTable {
  title: string;
  columns: readonly string[];
  rows: readonly ResultRow[];
}

/** The mark whose drawn items are the chart's data points: bars and heat cells are rects, series are lines. */
export type MarkKind = "rect" | "line" | "symbol";

export interface ReportChart {
  id: string;
  title: string;
  /** One line: how the numbers were computed, and from which result. */
  note: string;
  spec: TopLevelSpec;
  mark: MarkKind;
  /** How many items of `mark` the chart draws (one per bar, cell, point or series). */
  marks: number;
  table: ReportTable;
}

export interface ReportSection {
  id: string;
  title: string;
  intro?: string;
  charts: ReportChart[];
  /** Lay the charts out side by side. */
  sideBySide?: boolean;
  tables: ReportTable[];
  findings: string[];
  /** Results this section needs that were not written, as `job/result`. */
  missing: string[];
}

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const GREY = "#8a94a6";
const ACCENT = "#3056d3";

/** A result value as a chart number (decimals arrive as exact strings; charts only need their magnitude). */
const num = (v: unknown): number | null => (v === null || v === undefined || v === "" ? null : Number(v));

/** Size and house style shared by every chart. */
function base(width: number, height: number): Record<string, unknown> {
  return {
    width,
    height,
    background: "white",
    config: {
      font: "Helvetica, Arial, sans-serif",
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal", gridColor: "#eceff3" },
      legend: { labelFontSize: 11, titleFontSize: 11 },
    },
  };
}

function missingSection(id: string, title: string, missing: string[]): ReportSection {
  return { id, title, charts: [], tables: [], findings: [], missing };
}

function findingsOf(jobs: Map<string, JobResults>, job: string, ids?: readonly string[]): string[] {
  const all = jobs.get(job)?.findings ?? [];
  return all.filter((f) => !ids || ids.includes(f.id)).map((f) => f.text);
}

/** Looks up results; returns undefined (and records them as missing) when any is absent. */
function need(
  jobs: Map<string, JobResults>,
  wanted: ReadonlyArray<[string, string]>,
  missing: string[],
): ResultRow[][] | undefined {
  const found = wanted.map(([job, result]) => rowsOf(jobs, job, result));
  wanted.forEach(([job, result], i) => {
    if (!found[i]) missing.push(`${job}/${result}`);
  });
  return found.every((rows) => rows !== undefined) ? (found as ResultRow[][]) : undefined;
}

function headline(jobs: Map<string, JobResults>): ReportSection {
  const missing: string[] = [];
  const rows = need(
    jobs,
    [
      ["funnel", "reference_counts"],
      ["funnel", "session_funnel"],
      ["payment-failures", "summary"],
    ],
    missing,
  );
  if (!rows) return missingSection("headline", "The reference study's numbers beside ours", missing);
  const runs = asJobRuns(jobs);
  const comparison = compareWithReference(runs) as unknown as ResultRow[];
  return {
    id: "headline",
    title: "The reference study's numbers beside ours",
    intro:
      "The reference counted events of separate tables; ours repeats its definitions on our data and adds the session-level view that a funnel needs.",
    charts: [],
    tables: [
      {
        title: "Reference beside ours",
        columns: ["metric", "reference", "ours_same_definition", "ours_session_level", "source"],
        rows: comparison,
      },
    ],
    findings: headlineFindings(runs).map((f) => f.text),
    missing,
  };
}

function funnel(jobs: Map<string, JobResults>): ReportSection {
  const missing: string[] = [];
  const rows = need(
    jobs,
    [
      ["funnel", "reference_counts"],
      ["funnel", "session_funnel"],
    ],
    missing,
  );
  if (!rows) return missingSection("funnel", "Event counts beside the session funnel", missing);
  const [events, steps] = rows as [ResultRow[], ResultRow[]];
  const eventValues = events.map((r) => ({ stage: r.stage, count: num(r.count), step: num(r.step) }));
  const stepValues = steps.map((r) => ({
    step_name: r.step_name,
    sessions: num(r.sessions),
    label:
      r.conversion_from_previous_pct === null
        ? String(r.sessions)
        : `${r.sessions} (${r.conversion_from_previous_pct}%)`,
  }));
  const bars = (field: string, valueField: string, order: unknown[], color: string, label: string, title: string) =>
    ({
      ...base(380, 240),
      data: { values: field === "stage" ? eventValues : stepValues },
      encoding: {
        x: { field, type: "nominal", sort: order, axis: { labelAngle: -20, title: null } },
        y: { field: valueField, type: "quantitative", title },
      },
      layer: [
        { mark: { type: "bar", color } },
        { mark: { type: "text", dy: -6, fontSize: 10 }, encoding: { text: { field: label } } },
      ],
    }) as TopLevelSpec;
  return {
    id: "funnel",
    title: "Event counts beside the session funnel",
    intro:
      "Left, the reference's stage counts (events per table); right, sessions reaching each step in order, with the share of the previous step that made it.",
    sideBySide: true,
    charts: [
      {
        id: "funnel-events",
        title: "Event-count funnel (the reference's definition)",
        note: "Events counted per table: product_view clicks, cart adds, payment attempts, approved attempts (funnel/reference_counts).",
        spec: bars(
          "stage",
          "count",
          eventValues.map((v) => v.stage),
          GREY,
          "count",
          "events",
        ),
        mark: "rect",
        marks: eventValues.length,
        table: {
          title: "Event counts",
          columns: ["step", "stage", "count", "pct_of_first", "pct_of_previous", "monotonic"],
          rows: events,
        },
      },
      {
        id: "funnel-sessions",
        title: "Session funnel with drop-offs",
        note: "Sessions whose events reach each step in (ts, seq) order within the conversion window; label = sessions (% of previous step) (funnel/session_funnel).",
        spec: bars(
          "step_name",
          "sessions",
          stepValues.map((v) => v.step_name),
          ACCENT,
          "label",
          "sessions",
        ),
        mark: "rect",
        marks: stepValues.length,
        table: {
          title: "Session funnel",
          columns: [
            "step",
            "step_name",
            "sessions",
            "conversion_from_previous_pct",
            "conversion_from_first_pct",
            "dropped_sessions",
          ],
          rows: steps,
        },
      },
    ],
    tables: [],
    findings: findingsOf(jobs, "funnel"),
    missing,
  };
}

function payments(jobs: Map<string, JobResults>): ReportSection {
  const missing: string[] = [];
  const rows = need(
    jobs,
    [
      ["payment-failures", "by_gateway_channel"],
      ["payment-failures", "by_decline_code"],
    ],
    missing,
  );
  if (!rows) return missingSection("payments", "Payment failures", missing);
  const [cells, codes] = rows as [ResultRow[], ResultRow[]];
  const cellValues = cells.map((r) => ({
    gateway: r.gateway,
    channel: r.channel,
    failure_pct: num(r.failure_pct),
    label: `${r.failure_pct}% of ${r.attempts}`,
  }));
  const codeValues = codes.map((r) => ({ decline_code: r.decline_code, declines: num(r.declines) }));
  return {
    id: "payments",
    title: "Payment failures",
    intro:
      "Where attempts fail: the gateway × channel cells (a planted failing gateway shows as one hot cell) and the issuers' decline codes.",
    sideBySide: true,
    charts: [
      {
        id: "failures-gateway-channel",
        title: "Failure rate by gateway × channel",
        note: "Failed attempts (declined, error or timeout) ÷ attempts per gateway and channel (payment-failures/by_gateway_channel).",
        spec: {
          ...base(300, 220),
          data: { values: cellValues },
          encoding: {
            x: { field: "channel", type: "nominal", sort: "ascending", axis: { labelAngle: 0 } },
            y: { field: "gateway", type: "nominal", sort: "ascending" },
          },
          layer: [
            {
              mark: { type: "rect" },
              encoding: {
                color: {
                  field: "failure_pct",
                  type: "quantitative",
                  title: "failure %",
                  scale: { scheme: "reds", domain: [0, 100] },
                },
              },
            },
            {
              mark: { type: "text", fontSize: 10 },
              encoding: {
                text: { field: "label" },
                color: { condition: { test: "datum.failure_pct > 50", value: "white" }, value: "black" },
              },
            },
          ],
        } as TopLevelSpec,
        mark: "rect",
        marks: cellValues.length,
        table: {
          title: "Failure by gateway × channel",
          columns: [
            "gateway",
            "channel",
            "attempts",
            "failed",
            "failure_pct",
            "declined",
            "errors",
            "timeouts",
            "lost_checkouts",
            "lost_revenue",
          ],
          rows: cells,
        },
      },
      {
        id: "decline-codes",
        title: "Declines by issuer code",
        note: "Declined attempts per decline_code, most frequent first (payment-failures/by_decline_code).",
        spec: {
          ...base(320, Math.max(120, codeValues.length * 22)),
          data: { values: codeValues },
          mark: { type: "bar", color: ACCENT },
          encoding: {
            y: { field: "decline_code", type: "nominal", sort: codeValues.map((v) => v.decline_code), title: null },
            x: { field: "declines", type: "quantitative", title: "declined attempts" },
          },
        } as TopLevelSpec,
        mark: "rect",
        marks: codeValues.length,
        table: { title: "Declines by code", columns: ["decline_code", "declines", "share_pct"], rows: codes },
      },
    ],
    tables: [],
    findings: findingsOf(jobs, "payment-failures"),
    missing,
  };
}

function crossSell(jobs: Map<string, JobResults>): ReportSection {
  const missing: string[] = [];
  const rows = need(jobs, [["cross-sell", "opportunities"]], missing);
  if (!rows) return missingSection("cross-sell", "Top cross-sell opportunities", missing);
  const top = (rows[0] ?? []).slice(0, 10);
  const values = top.map((r) => ({ name: r.name, customers: num(r.customers) }));
  return {
    id: "cross-sell",
    title: "Top cross-sell opportunities",
    charts: [
      {
        id: "cross-sell",
        title: "Viewed but never bought by the anchor's buyers",
        note: "Distinct buyers of the anchor product who viewed each product and never bought it, top 10 (cross-sell/opportunities).",
        spec: {
          ...base(520, Math.max(120, values.length * 24)),
          data: { values },
          mark: { type: "bar", color: ACCENT },
          encoding: {
            y: { field: "name", type: "nominal", sort: values.map((v) => v.name), title: null },
            x: { field: "customers", type: "quantitative", title: "customers" },
          },
        } as TopLevelSpec,
        mark: "rect",
        marks: values.length,
        table: {
          title: "Top 10 opportunities",
          columns: ["product_id", "name", "category", "customers", "margin_pct", "confidence", "lift"],
          rows: top,
        },
      },
    ],
    tables: [],
    findings: findingsOf(jobs, "cross-sell"),
    missing,
  };
}

function aovDaily(jobs: Map<string, JobResults>): ReportSection {
  const missing: string[] = [];
  const rows = need(jobs, [["aov-daily", "daily"]], missing);
  if (!rows) return missingSection("aov", "Average order value by day", missing);
  const daily = rows[0] ?? [];
  const values = daily.map((r) => ({ day: r.day, channel: r.channel, aov: num(r.aov) }));
  const channels = new Set(values.map((v) => v.channel));
  return {
    id: "aov",
    title: "Average order value by day",
    charts: [
      {
        id: "aov-daily",
        title: "AOV by day and channel",
        note: "Σ order total ÷ orders per calendar day and channel, tax included (aov-daily/daily).",
        spec: {
          ...base(900, 260),
          data: { values },
          mark: { type: "line", strokeWidth: 1.5 },
          encoding: {
            x: { field: "day", type: "temporal", title: "day", axis: { format: "%b %d" } },
            y: { field: "aov", type: "quantitative", title: "average order value" },
            color: { field: "channel", type: "nominal" },
          },
        } as TopLevelSpec,
        mark: "line",
        marks: channels.size,
        table: {
          title: "AOV by day and channel",
          columns: ["day", "channel", "orders", "revenue", "aov"],
          rows: daily,
        },
      },
    ],
    tables: [],
    findings: findingsOf(jobs, "aov-daily"),
    missing,
  };
}

function growth(jobs: Map<string, JobResults>): ReportSection {
  const missing: string[] = [];
  const rows = need(jobs, [["channel-growth", "monthly"]], missing);
  if (!rows) return missingSection("growth", "Month-over-month growth by channel", missing);
  const monthly = rows[0] ?? [];
  const monthLabel = (m: unknown) => String(m).slice(0, 7);
  const values = monthly
    .filter((r) => r.revenue_growth_pct !== null && r.revenue_growth_pct !== undefined)
    .map((r) => ({ month: monthLabel(r.month), channel: r.channel, growth: num(r.revenue_growth_pct) }));
  const months = [...new Set(monthly.map((r) => monthLabel(r.month)))].sort();
  return {
    id: "growth",
    title: "Month-over-month growth by channel",
    charts: [
      {
        id: "mom-growth",
        title: "Revenue growth on the previous month, in %",
        note: "(revenue − previous month's) ÷ previous month's × 100 per channel, months in calendar order (channel-growth/monthly).",
        spec: {
          ...base(560, 240),
          data: { values },
          mark: { type: "bar" },
          encoding: {
            x: { field: "month", type: "ordinal", sort: months, axis: { labelAngle: 0 } },
            xOffset: { field: "channel" },
            y: { field: "growth", type: "quantitative", title: "growth %" },
            color: { field: "channel", type: "nominal" },
          },
        } as TopLevelSpec,
        mark: "rect",
        marks: values.length,
        table: {
          title: "Revenue and orders by month and channel",
          columns: ["month", "channel", "orders", "revenue", "order_growth_pct", "revenue_growth_pct"],
          rows: monthly,
        },
      },
    ],
    tables: [],
    findings: findingsOf(jobs, "channel-growth"),
    missing,
  };
}

function martKpis(jobs: Map<string, JobResults>): ReportSection {
  const missing: string[] = [];
  const rows = need(
    jobs,
    [
      ["kpis", "headline"],
      ["kpis", "margin_by_category"],
      ["kpis", "ticket_by_weekday"],
      ["kpis", "basket_by_month"],
    ],
    missing,
  );
  if (!rows) return missingSection("kpis", "Margins and dashboard KPIs (the mart)", missing);
  const [head, categories, weekdays, baskets] = rows as [ResultRow[], ResultRow[], ResultRow[], ResultRow[]];
  const categoryValues = categories.map((r) => ({
    category: r.category,
    gross_margin: num(r.gross_margin),
    label: `${r.margin_pct}%`,
  }));
  const dayValues = weekdays.map((r) => {
    const mean = num(r.avg_ticket) ?? 0;
    const half = num(r.ci95_half_width) ?? 0;
    return { weekday: r.weekday_name, avg_ticket: mean, low: mean - half, high: mean + half };
  });
  const months = baskets.map((r) => String(r.year_month)).sort();
  const basketValues = baskets.map((r) => ({ month: r.year_month, units: num(r.avg_units_per_basket) }));
  return {
    id: "kpis",
    title: "Margins and dashboard KPIs (the mart)",
    sideBySide: true,
    intro:
      "Computed on the star-schema mart; sales are net of discounts and before tax. Margins come from product costs, which differ by category (the reference's margin was a flat 30%).",
    charts: [
      {
        id: "margin-category",
        title: "Gross margin by category",
        note: "Σ (net revenue − quantity × unit cost) per product category; label = margin % of the category's sales (kpis/margin_by_category).",
        spec: {
          ...base(520, Math.max(140, categoryValues.length * 24)),
          data: { values: categoryValues },
          encoding: {
            y: { field: "category", type: "nominal", sort: categoryValues.map((v) => v.category), title: null },
            x: { field: "gross_margin", type: "quantitative", title: "gross margin" },
          },
          layer: [
            { mark: { type: "bar", color: ACCENT } },
            {
              mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
              encoding: { text: { field: "label" } },
            },
          ],
        } as TopLevelSpec,
        mark: "rect",
        marks: categoryValues.length,
        table: {
          title: "Gross margin by category",
          columns: [
            "category",
            "units",
            "sales",
            "cost",
            "gross_margin",
            "margin_pct",
            "share_of_margin_pct",
            "sales_rank",
            "margin_rank",
          ],
          rows: categories,
        },
      },
      {
        id: "ticket-weekday",
        title: "Average ticket by weekday, with 95% intervals",
        note: "Mean net sales per order by ISO weekday, Monday first; bars span ±1.96 standard errors (kpis/ticket_by_weekday).",
        spec: {
          ...base(420, 220),
          data: { values: dayValues },
          encoding: {
            x: { field: "weekday", type: "ordinal", sort: WEEKDAYS, axis: { labelAngle: 0, title: null } },
          },
          layer: [
            {
              mark: { type: "rule", color: GREY },
              encoding: {
                y: { field: "low", type: "quantitative", scale: { zero: false }, title: "average ticket" },
                y2: { field: "high" },
              },
            },
            {
              mark: { type: "point", filled: true, size: 60, color: ACCENT },
              encoding: { y: { field: "avg_ticket", type: "quantitative" } },
            },
          ],
        } as TopLevelSpec,
        mark: "symbol",
        marks: dayValues.length,
        table: {
          title: "Average ticket by weekday",
          columns: ["day_of_week", "weekday_name", "orders", "sales", "avg_ticket", "ci95_half_width"],
          rows: weekdays,
        },
      },
      {
        id: "basket-month",
        title: "Basket size by month",
        note: "Units per order, by calendar month in chronological order (kpis/basket_by_month).",
        spec: {
          ...base(320, 220),
          data: { values: basketValues },
          mark: { type: "bar", color: ACCENT },
          encoding: {
            x: { field: "month", type: "ordinal", sort: months, axis: { labelAngle: 0, title: null } },
            y: { field: "units", type: "quantitative", title: "units per basket" },
          },
        } as TopLevelSpec,
        mark: "rect",
        marks: basketValues.length,
        table: {
          title: "Basket size by month",
          columns: ["year_month", "orders", "units", "avg_units_per_basket", "avg_lines_per_basket"],
          rows: baskets,
        },
      },
    ],
    tables: [
      {
        title: "Headline KPIs",
        columns: [
          "orders",
          "sales",
          "avg_ticket",
          "unique_customers",
          "value_per_customer",
          "member_sales_pct",
          "walk_in_sales_pct",
          "units_per_basket",
          "gross_margin",
          "margin_pct",
        ],
        rows: head,
      },
    ],
    findings: findingsOf(jobs, "kpis"),
    missing,
  };
}

function dataQuality(jobs: Map<string, JobResults>): ReportSection {
  const missing: string[] = [];
  const rows = need(jobs, [["data-quality", "checks"]], missing);
  if (!rows) return missingSection("data-quality", "Data quality", missing);
  return {
    id: "data-quality",
    title: "Data quality",
    charts: [],
    tables: [{ title: "Data-quality checks", columns: ["check", "table", "violations"], rows: rows[0] ?? [] }],
    findings: findingsOf(jobs, "data-quality"),
    missing,
  };
}

/** Every section of the report, in reading order. */
export function buildSections(jobs: Map<string, JobResults>): ReportSection[] {
  return [
    headline(jobs),
    funnel(jobs),
    payments(jobs),
    crossSell(jobs),
    aovDaily(jobs),
    growth(jobs),
    martKpis(jobs),
    dataQuality(jobs),
  ];
}
