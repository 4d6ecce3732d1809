/**
 * The report page: one self-contained HTML document (inline CSS and SVG, no script, no external resource)
 * laying out each section's charts with their tables, notes and findings.
 */
import type { ReportSection, ReportTable } from "./sections.ts";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (Array.isArray(value))
    return escapeHtml(value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", "));
  if (typeof value === "object") return escapeHtml(JSON.stringify(value));
  return escapeHtml(String(value));
}

const isNumeric = (value: unknown) =>
  typeof value === "number" || (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value));

export function renderTable(table: ReportTable): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = table.rows
    .map(
      (row) =>
        `<tr>${table.columns.map((c) => `<td${isNumeric(row[c]) ? ' class="num"' : ""}>${cell(row[c])}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<div class="table-wrap"><table><caption>${escapeHtml(table.title)} · ${table.rows.length} row${table.rows.length === 1 ? "" : "s"}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; font: 14px/1.5 Helvetica, Arial, sans-serif; color: #1f2430; background: #f6f7f9; }
header { background: #1f2a44; color: #fff; padding: 24px 32px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; opacity: .8; }
nav { margin-top: 12px; display: flex; flex-wrap: wrap; gap: 12px; }
nav a { color: #c9d6ff; text-decoration: none; font-size: 13px; }
main { max-width: 1180px; margin: 0 auto; padding: 8px 24px 48px; }
section { background: #fff; border: 1px solid #e3e6ec; border-radius: 8px; padding: 16px 24px; margin: 20px 0; }
h2 { font-size: 19px; margin: 4px 0 8px; }
h3 { font-size: 15px; margin: 0 0 6px; }
.intro { color: #4a5160; margin: 0 0 12px; }
.charts { display: flex; flex-direction: column; gap: 20px; }
.charts.side-by-side { flex-direction: row; flex-wrap: wrap; }
.charts.side-by-side figure { flex: 1 1 440px; }
figure { margin: 0; min-width: 0; }
figure svg { max-width: 100%; height: auto; display: block; }
.note { color: #5b6372; font-size: 12.5px; margin: 6px 0 8px; }
.note::before { content: "How: "; font-weight: bold; }
.table-wrap { max-height: 260px; overflow: auto; border: 1px solid #eceff3; border-radius: 4px; margin: 6px 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
caption { text-align: left; font-weight: bold; padding: 6px 8px; background: #f3f5f8; }
th, td { padding: 3px 8px; border-bottom: 1px solid #f0f1f4; text-align: left; white-space: nowrap; }
th { position: sticky; top: 0; background: #fafbfc; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.findings { margin: 8px 0 0; padding-left: 20px; }
ul.findings li { margin: 4px 0; }
.missing { color: #8a4b00; background: #fff6e8; border: 1px solid #f3dcb5; padding: 8px 12px; border-radius: 4px; }
footer { text-align: center; color: #7a8190; font-size: 12px; padding: 16px; }
`;

export interface PageInput {
  title: string;
  subtitle: string;
  sections: ReportSection[];
  /** The rendered SVG of each chart, by chart id. */
  svgs: Map<string, string>;
  /** The results folder, named in the hints for missing sections. */
  resultsDir: string;
}

function renderSection(section: ReportSection, svgs: Map<string, string>, resultsDir: string): string {
  const parts: string[] = [`<section id="${section.id}">`, `<h2>${escapeHtml(section.title)}</h2>`];
  if (section.intro) parts.push(`<p class="intro">${escapeHtml(section.intro)}</p>`);
  for (const table of section.tables) parts.push(renderTable(table));
  if (section.charts.length > 0) {
    parts.push(`<div class="charts${section.sideBySide ? " side-by-side" : ""}">`);
    for (const chart of section.charts) {
      parts.push(
        `<figure class="chart" data-chart="${chart.id}" data-mark="${chart.mark}" data-marks="${chart.marks}">`,
        `<h3>${escapeHtml(chart.title)}</h3>`,
        svgs.get(chart.id) ?? "",
        `<p class="note">${escapeHtml(chart.note)}</p>`,
        renderTable(chart.table),
        "</figure>",
      );
    }
    parts.push("</div>");
  }
  if (section.findings.length > 0) {
    parts.push(`<ul class="findings">${section.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join("")}</ul>`);
  }
  if (section.missing.length > 0) {
    const jobs = [...new Set(section.missing.map((m) => m.split("/")[0]))].join(" ");
    parts.push(
      `<p class="missing">Not in these results: ${escapeHtml(section.missing.join(", "))}. Run <code>retail-lab run ${escapeHtml(jobs)} --data DATA --out ${escapeHtml(resultsDir)}</code> and build the report again.</p>`,
    );
  }
  parts.push("</section>");
  return parts.join("\n");
}

export function renderPage(input: PageInput): string {
  const nav = input.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(input.title)}</h1><p>${escapeHtml(input.subtitle)}</p><nav>${nav}</nav></header>
<main>
${input.sections.map((s) => renderSection(s, input.svgs, input.resultsDir)).join("\n")}
</main>
<footer>retail-lab · charts drawn with Vega-Lite when the report was built · every number traces to a result file</footer>
</body>
</html>
`;
}
