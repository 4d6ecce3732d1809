/**
 * Builds the insights report from a results folder: reads the written results, lays out the sections,
 * renders every chart to SVG and writes one self-contained HTML file (atomically: a temp file renamed
 * into place). Needs no Spark.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { renderPage } from "./html.ts";
import { renderSvg } from "./render-svg.ts";
import { readResults } from "./results-folder.ts";
import { buildSections, type MarkKind } from "./sections.ts";

export interface ReportSummary {
  /** Absolute path of the written HTML file. */
  path: string;
  bytes: number;
  charts: Array<{ id: string; title: string; mark: MarkKind; marks: number }>;
  /** Results the report would show but that were not in the folder, as `job/result`. */
  missing: string[];
  /** Warnings of the chart library, as `chart: message` (none expected). */
  warnings: string[];
}

/** The default report file of a results folder: `<results>/report.html`. */
export function defaultReportPath(resultsDir: string): string {
  return join(resolve(resultsDir), "report.html");
}

/** Writes the report for `resultsDir` to `outFile` (default `<results>/report.html`). */
export async function writeReport(resultsDir: string, outFile?: string): Promise<ReportSummary> {
  const jobs = readResults(resultsDir);
  const sections = buildSections(jobs);
  const svgs = new Map<string, string>();
  const warnings: string[] = [];
  for (const section of sections) {
    for (const chart of section.charts) {
      const rendered = await renderSvg(chart.spec, chart.id, chart.title);
      svgs.set(chart.id, rendered.svg);
      warnings.push(...rendered.warnings.map((w) => `${chart.id}: ${w}`));
    }
  }
  const html = renderPage({
    title: "retail-lab insights",
    subtitle: `Results in ${resolve(resultsDir)} (jobs: ${[...jobs.keys()].join(", ")})`,
    sections,
    svgs,
    resultsDir,
  });
  const path = resolve(outFile ?? defaultReportPath(resultsDir));
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, html);
  renameSync(temp, path);
  return {
    path,
    bytes: Buffer.byteLength(html),
    charts: sections.flatMap((s) => s.charts.map((c) => ({ id: c.id, title: c.title, mark: c.mark, marks: c.marks }))),
    missing: sections.flatMap((s) => s.missing),
    warnings,
  };
}
