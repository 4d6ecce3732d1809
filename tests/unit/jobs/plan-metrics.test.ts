/**
 * plan-metrics.ts over hand-built metric lists shaped like Spark's (AdaptiveSparkPlan → query stages →
 * Exchange → scans): summaries, partition pruning against known totals, the tree, and shuffles below joins.
 */
import { describe, expect, it } from "vitest";
import { joinShuffles, metricsTree, metricUnit, scannedTable, summarizeMetrics } from "../../../jobs/plan-metrics.ts";
import type { PlanNodeMetrics } from "../../../src/index.ts";

const node = (
  planId: number,
  parentId: number,
  name: string,
  values: Record<string, bigint> = {},
): PlanNodeMetrics => ({
  name,
  planId: BigInt(planId),
  parentId: BigInt(parentId),
  values,
});

/** A shuffled sort-merge join of two scans, as Spark reports it after adaptive execution. */
const shuffledJoin: PlanNodeMetrics[] = [
  node(100, 100, "AdaptiveSparkPlan"),
  node(1, 100, "ResultQueryStage"),
  node(10, 1, "SortMergeJoin", { numOutputRows: 50n }),
  node(11, 10, "Sort", { spillSize: 1024n, peakMemory: 65536n }),
  node(2, 11, "ShuffleQueryStage"),
  node(12, 2, "Exchange", { shuffleBytesWritten: 4000n, dataSize: 9000n }),
  node(13, 12, "Scan parquet ", { numFiles: 3n, filesSize: 30_000n, numOutputRows: 700n }),
  node(14, 10, "Sort", { spillSize: 0n }),
  node(3, 14, "ShuffleQueryStage"),
  node(15, 3, "Exchange", { shuffleBytesWritten: 1000n }),
  node(16, 15, "Scan parquet spark_catalog.lake_db.payment_attempts", {
    numFiles: 7n,
    filesSize: 38_250n,
    numOutputRows: 61n,
    numPartitions: 7n,
  }),
];

describe("summarizeMetrics", () => {
  it("adds up scans, shuffles and spill", () => {
    const m = summarizeMetrics(shuffledJoin);
    expect(m).toMatchObject({
      filesRead: 10n,
      bytesRead: 68_250n,
      rowsScanned: 761n,
      partitionsRead: 7n,
      partitionsPruned: null,
      exchanges: 2,
      shuffleBytes: 5000n,
      spillBytes: 1024n,
    });
    expect(m.scans.map((s) => s.table)).toEqual([null, "lake_db.payment_attempts"]);
  });

  it("counts pruned partitions when the table's total is known", () => {
    const m = summarizeMetrics(shuffledJoin, new Map([["lake_db.payment_attempts", 271]]));
    expect(m.partitionsPruned).toBe(264n);
    expect(m.scans[1]?.partitionsTotal).toBe(271n);
    expect(m.scans[0]?.partitionsTotal).toBeNull();
  });

  it("reports no partitions for unpartitioned scans", () => {
    expect(summarizeMetrics(shuffledJoin.slice(0, 7)).partitionsRead).toBeNull();
  });
});

describe("the executed plan", () => {
  it("is a tree rooted at the node that is its own parent, children in reported order", () => {
    const [root, ...others] = metricsTree(shuffledJoin);
    expect(others).toEqual([]);
    expect(root?.node.name).toBe("AdaptiveSparkPlan");
    const join = root?.children[0]?.children[0];
    expect(join?.node.name).toBe("SortMergeJoin");
    expect(join?.children.map((c) => c.node.name)).toEqual(["Sort", "Sort"]);
  });

  it("tells how many shuffles ran below each join", () => {
    expect(joinShuffles(shuffledJoin)).toEqual([{ join: "SortMergeJoin", exchangesBelow: 2 }]);
    // The bucketed form: the same join straight over bucketed scans.
    const bucketed = shuffledJoin.filter((n) => !["ShuffleQueryStage", "Exchange"].includes(n.name));
    const reparented = bucketed.map((n) =>
      n.planId === 13n ? { ...n, parentId: 11n } : n.planId === 16n ? { ...n, parentId: 14n } : n,
    );
    expect(joinShuffles(reparented)).toEqual([{ join: "SortMergeJoin", exchangesBelow: 0 }]);
    expect(summarizeMetrics(reparented).exchanges).toBe(0);
  });
});

describe("names and units", () => {
  it("reads the table of a scan", () => {
    expect(scannedTable("Scan parquet spark_catalog.db.orders")).toBe("db.orders");
    expect(scannedTable("Scan parquet ")).toBeNull();
    expect(scannedTable("Scan orc other_catalog.db.t")).toBe("other_catalog.db.t");
  });

  it("knows the unit of Spark's metrics", () => {
    expect(metricUnit("filesSize")).toBe("bytes");
    expect(metricUnit("spillSize")).toBe("bytes");
    expect(metricUnit("scanTime")).toBe("ms");
    expect(metricUnit("shuffleWriteTime")).toBe("ns");
    expect(metricUnit("numOutputRows")).toBe("count");
  });
});
