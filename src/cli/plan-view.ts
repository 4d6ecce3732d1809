/**
 * How `retail-lab explain --analyze` shows an executed query: a one-line summary (files, bytes and partitions
 * read, partitions pruned, rows scanned, shuffles, spill, time) and the executed plan as a tree with each
 * node's non-zero metrics in readable units. Returns text; commands print it through output.ts.
 */
import type { ExplainedStep } from "../../jobs/explain-job.ts";
import { type MetricsTreeNode, metricsTree, metricUnit, type QueryMetrics } from "../../jobs/plan-metrics.ts";
import { formatBytes, formatCount, formatDuration, style } from "./output.ts";

function formatMetric(key: string, value: bigint): string {
  switch (metricUnit(key)) {
    case "bytes":
      return formatBytes(Number(value));
    case "ms":
      return formatDuration(Number(value));
    case "ns":
      return formatDuration(Number(value) / 1e6);
    default:
      return value.toLocaleString("en-US");
  }
}

/** The summary figures of one step, as table columns. */
export function summaryRow(step: ExplainedStep): Record<string, string> {
  const a = step.analysis;
  if (!a) return { step: step.name };
  const m = a.metrics;
  return {
    step: step.name,
    time: formatDuration(a.wallMs),
    files: formatCount(Number(m.filesRead)),
    "bytes read": formatBytes(Number(m.bytesRead)),
    partitions: partitionsText(m),
    "rows scanned": formatCount(Number(m.rowsScanned)),
    shuffles: String(m.exchanges),
    "shuffle bytes": formatBytes(Number(m.shuffleBytes)),
    spill: formatBytes(Number(m.spillBytes)),
  };
}

function partitionsText(m: QueryMetrics): string {
  if (m.partitionsRead === null) return "–";
  if (m.partitionsPruned === null) return `${m.partitionsRead} read`;
  return `${m.partitionsRead} read, ${m.partitionsPruned} pruned`;
}

/** One line: what executing the step read, shuffled and spilled. */
export function summaryLine(step: ExplainedStep): string {
  const a = step.analysis;
  if (!a) return "";
  const m = a.metrics;
  const parts = [
    `${formatCount(Number(m.filesRead))} files (${formatBytes(Number(m.bytesRead))}) read`,
    ...(m.partitionsRead === null ? [] : [`partitions ${partitionsText(m)}`]),
    `${formatCount(Number(m.rowsScanned))} rows scanned`,
    `${m.exchanges} shuffle${m.exchanges === 1 ? "" : "s"} (${formatBytes(Number(m.shuffleBytes))})`,
    m.spillBytes > 0n ? `${formatBytes(Number(m.spillBytes))} spilled` : "no spill",
  ];
  return `executed in ${formatDuration(a.wallMs)}: ${parts.join(", ")}`;
}

/** The executed plan as an indented tree, each node with its non-zero metrics. */
export function renderMetricsTree(step: ExplainedStep): string {
  const lines: string[] = [];
  const visit = (entry: MetricsTreeNode, prefix: string, last: boolean, root: boolean) => {
    const metrics = Object.entries(entry.node.values)
      .filter(([, value]) => value !== 0n)
      .map(([key, value]) => `${key} ${formatMetric(key, value)}`);
    const head = root ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
    lines.push(
      `${head}${style.bold(entry.node.name.trim())}${metrics.length ? style.dim(`  ${metrics.join(" · ")}`) : ""}`,
    );
    const childPrefix = root ? "" : `${prefix}${last ? "   " : "│  "}`;
    entry.children.forEach((child, i) => {
      visit(child, childPrefix, i === entry.children.length - 1, false);
    });
  };
  for (const root of metricsTree(step.analysis?.nodes ?? [])) visit(root, "", true, true);
  return lines.join("\n");
}
