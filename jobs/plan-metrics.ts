/**
 * Reads the metrics Spark reports for an executed query (one entry per node of the final physical plan, after
 * adaptive execution) as EXPLAIN ANALYZE would: files, bytes and partitions read, partitions pruned, rows
 * scanned, shuffle bytes, spill; whether each join ran without a shuffle below it; and the plan as a tree.
 * Pure functions over `PlanNodeMetrics[]`, so the CLI, the bench and the tests read them the same way.
 */
import type { PlanNodeMetrics } from "../src/index.ts";

/** What one scan read. */
export interface ScanMetrics {
  /** The catalog table scanned (`db.table`), or null for a scan of paths. */
  table: string | null;
  files: bigint;
  bytes: bigint;
  rows: bigint;
  /** Partition directories read; null when the table is not partitioned. */
  partitionsRead: bigint | null;
  /** Partitions the table has, when known (lake tables); then pruned = total - read. */
  partitionsTotal: bigint | null;
}

/** The figures of one executed query. */
export interface QueryMetrics {
  scans: ScanMetrics[];
  filesRead: bigint;
  bytesRead: bigint;
  rowsScanned: bigint;
  /** Partitions read by partitioned scans; null when no scan was partitioned. */
  partitionsRead: bigint | null;
  /** Partitions skipped by partitioned scans whose total is known; null when none is known. */
  partitionsPruned: bigint | null;
  /** Shuffle exchanges that ran, and the bytes they wrote. */
  exchanges: number;
  shuffleBytes: bigint;
  /** Bytes spilled to disk by sorts, aggregations and joins. */
  spillBytes: bigint;
}

export type MetricUnit = "bytes" | "ms" | "ns" | "count";

const BYTE_METRICS = new Set([
  "filesSize",
  "staticFilesSize",
  "dataSize",
  "shuffleBytesWritten",
  "localBytesRead",
  "remoteBytesRead",
  "remoteBytesReadToDisk",
  "localMergedBytesRead",
  "remoteMergedBytesRead",
  "spillSize",
  "peakMemory",
  "partitionDataSize",
  "buildDataSize",
]);
// Spark's timing metrics are milliseconds except the shuffle writer's, which is nanoseconds.
const NANO_METRICS = new Set(["shuffleWriteTime"]);

/** The unit of a Spark SQL metric, by its key. */
export function metricUnit(key: string): MetricUnit {
  if (BYTE_METRICS.has(key)) return "bytes";
  if (NANO_METRICS.has(key)) return "ns";
  if (/Time$|^duration$/.test(key)) return "ms";
  return "count";
}

const SCAN = /^Scan \S+ ?(.*)$/;

/** The table a scan node reads, from its name ("Scan parquet spark_catalog.db.t" → "db.t"); null for paths. */
export function scannedTable(nodeName: string): string | null {
  const name = SCAN.exec(nodeName.trim())?.[1]?.trim();
  if (!name) return null;
  return name.startsWith("spark_catalog.") ? name.slice("spark_catalog.".length) : name;
}

/**
 * Summarises the metrics of one executed query. `partitionTotals` maps `db.table` to the partitions the table
 * has, so that pruned partitions can be counted.
 */
export function summarizeMetrics(
  nodes: readonly PlanNodeMetrics[],
  partitionTotals: ReadonlyMap<string, number> = new Map(),
): QueryMetrics {
  const scans: ScanMetrics[] = [];
  let exchanges = 0;
  let shuffleBytes = 0n;
  let spillBytes = 0n;
  for (const node of nodes) {
    const v = node.values;
    if (node.name.startsWith("Scan ")) {
      const table = scannedTable(node.name);
      const total = table === null ? undefined : partitionTotals.get(table);
      // Unpartitioned file scans report no partition metric at all.
      const read = v.numPartitions ?? null;
      scans.push({
        table,
        files: v.numFiles ?? 0n,
        bytes: v.filesSize ?? 0n,
        rows: v.numOutputRows ?? 0n,
        partitionsRead: read,
        partitionsTotal: read !== null && total !== undefined ? BigInt(total) : null,
      });
    }
    if (node.name === "Exchange") {
      exchanges += 1;
      shuffleBytes += v.shuffleBytesWritten ?? 0n;
    }
    spillBytes += v.spillSize ?? 0n;
  }
  const sum = (pick: (s: ScanMetrics) => bigint) => scans.reduce((n, s) => n + pick(s), 0n);
  const partitioned = scans.filter((s) => s.partitionsRead !== null);
  const known = partitioned.filter((s) => s.partitionsTotal !== null);
  return {
    scans,
    filesRead: sum((s) => s.files),
    bytesRead: sum((s) => s.bytes),
    rowsScanned: sum((s) => s.rows),
    partitionsRead: partitioned.length > 0 ? partitioned.reduce((n, s) => n + (s.partitionsRead ?? 0n), 0n) : null,
    partitionsPruned:
      known.length > 0 ? known.reduce((n, s) => n + ((s.partitionsTotal ?? 0n) - (s.partitionsRead ?? 0n)), 0n) : null,
    exchanges,
    shuffleBytes,
    spillBytes,
  };
}

/** A plan node with its children, in the order Spark reported them. */
export interface MetricsTreeNode {
  node: PlanNodeMetrics;
  children: MetricsTreeNode[];
}

/** The flat metrics list as a tree: roots are nodes whose parent is themselves or absent from the list. */
export function metricsTree(nodes: readonly PlanNodeMetrics[]): MetricsTreeNode[] {
  const byId = new Map<bigint, MetricsTreeNode>();
  for (const node of nodes) byId.set(node.planId, { node, children: [] });
  const roots: MetricsTreeNode[] = [];
  for (const node of nodes) {
    const entry = byId.get(node.planId)!;
    const parent = node.parentId === node.planId ? undefined : byId.get(node.parentId);
    if (parent && parent !== entry) parent.children.push(entry);
    else roots.push(entry);
  }
  return roots;
}

const JOIN = /^(SortMergeJoin|ShuffledHashJoin|BroadcastHashJoin|BroadcastNestedLoopJoin|CartesianProduct)/;

/** Each join of the executed plan and whether a shuffle (Exchange) ran beneath it, on either input. */
export function joinShuffles(nodes: readonly PlanNodeMetrics[]): Array<{ join: string; exchangesBelow: number }> {
  const out: Array<{ join: string; exchangesBelow: number }> = [];
  const count = (entry: MetricsTreeNode): number =>
    entry.children.reduce((n, child) => n + (child.node.name === "Exchange" ? 1 : 0) + count(child), 0);
  const visit = (entry: MetricsTreeNode) => {
    if (JOIN.test(entry.node.name)) out.push({ join: entry.node.name, exchangesBelow: count(entry) });
    for (const child of entry.children) visit(child);
  };
  for (const root of metricsTree(nodes)) visit(root);
  return out;
}
