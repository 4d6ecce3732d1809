/**
 * `<out>/_manifest.json`: what was generated and how (scenario, seed, versions), what is there (files and
 * row counts per table) and what is true about it (ground-truth aggregates and the planted signals: the
 * failing gateway and the cross-sell pairs). It holds no timings or worker counts, so the same seed and
 * scenario give the same manifest byte for byte, like the Parquet files.
 */
import { type GroundTruthData, type GroundTruthSummary, summarizeGroundTruth } from "./ground-truth.ts";
import type { CompressionName } from "./parquet-sink.ts";
import { FAKER_VERSION } from "./pools.ts";
import type { Preset, Scenario } from "./scenario.ts";
import { TABLE_NAMES, TABLES, type TableName } from "./schema.ts";
import type { FileResult } from "./tasks.ts";
import { GENERATOR_VERSION } from "./version.ts";
import { CATEGORIES } from "./vocabulary.ts";
import type { World } from "./world/world.ts";

export const MANIFEST_FORMAT = "retail-lab-dataset/1";

export interface TableEntry {
  rows: number;
  bytes: number;
  files: { path: string; rows: number; bytes: number }[];
  columns: { name: string; type: string; nullable: boolean }[];
}

export interface Manifest {
  format: string;
  generator: { version: string; faker: string; parquetWriter: string };
  seed: number;
  preset: Preset | null;
  compression: CompressionName;
  window: { start: string; end: string; days: number };
  /** clickstream + cart_events + payment_attempts rows. */
  events: number;
  tables: Record<TableName, TableEntry>;
  groundTruth: GroundTruthSummary;
  planted: {
    failingGateway: {
      gateway: string;
      channel: string;
      rates: { softDecline: number; hardDecline: number; error: number; timeout: number };
      observed: { attempts: number; approved: number; timeout: number; approvalRate: number | null };
    };
    crossSell: {
      anchor: { product_id: number; name: string; category: string };
      targets: { product_id: number; name: string; category: string; margin: number }[];
      affinity: number;
      maxViewsPerSession: number;
    };
  };
  scenario: Scenario;
}

export function buildManifest(options: {
  world: World;
  preset: Preset | null;
  compression: CompressionName;
  files: readonly FileResult[];
  truth: GroundTruthData;
}): Manifest {
  const { world, files } = options;
  const scenario = world.scenario;
  const tables = {} as Record<TableName, TableEntry>;
  for (const name of TABLE_NAMES) {
    const own = files.filter((f) => f.table === name).sort((a, b) => (a.path < b.path ? -1 : 1));
    tables[name] = {
      rows: own.reduce((n, f) => n + f.rows, 0),
      bytes: own.reduce((n, f) => n + f.bytes, 0),
      files: own.map((f) => ({ path: f.path, rows: f.rows, bytes: f.bytes })),
      columns: TABLES[name].columns.map((c) => ({ name: c.name, type: sparkType(c.type), nullable: c.nullable })),
    };
  }
  const summary = summarizeGroundTruth(options.truth);
  const failing = scenario.payments.failing;
  const observed = summary.payments.byGatewayChannel.find(
    (g) => g.gateway === failing.gateway && g.channel === failing.channel,
  );
  const { catalog } = world;
  const product = (id: number) => catalog.products[id - 1];
  const anchor = product(catalog.anchorId);
  const endMs = world.timeline.startMs + (scenario.days - 1) * 86_400_000;
  return {
    format: MANIFEST_FORMAT,
    generator: { version: GENERATOR_VERSION, faker: FAKER_VERSION, parquetWriter: "retail-lab generators/parquet" },
    seed: scenario.seed,
    preset: options.preset,
    compression: options.compression,
    window: { start: scenario.start, end: new Date(endMs).toISOString().slice(0, 10), days: scenario.days },
    events: tables.clickstream.rows + tables.cart_events.rows + tables.payment_attempts.rows,
    tables,
    groundTruth: summary,
    planted: {
      failingGateway: {
        gateway: failing.gateway,
        channel: failing.channel,
        rates: {
          softDecline: failing.softDecline,
          hardDecline: failing.hardDecline,
          error: failing.error,
          timeout: failing.timeout,
        },
        observed: {
          attempts: observed?.attempts ?? 0,
          approved: observed?.approved ?? 0,
          timeout: observed?.timeout ?? 0,
          approvalRate: observed?.approvalRate ?? null,
        },
      },
      crossSell: {
        anchor: {
          product_id: catalog.anchorId,
          name: anchor?.name ?? "",
          category: CATEGORIES[anchor?.category ?? 0] ?? "",
        },
        targets: catalog.crossSellTargets.map((id) => {
          const p = product(id);
          return {
            product_id: id,
            name: p?.name ?? "",
            category: CATEGORIES[p?.category ?? 0] ?? "",
            margin: p ? Number((1 - p.costCents / p.priceCents).toFixed(4)) : 0,
          };
        }),
        affinity: scenario.crossSell.affinity,
        maxViewsPerSession: scenario.crossSell.maxViewsPerSession,
      },
    },
    scenario,
  };
}

function sparkType(type: (typeof TABLES)[TableName]["columns"][number]["type"]): string {
  switch (type.kind) {
    case "int64":
      return "bigint";
    case "int32":
      return "int";
    case "boolean":
      return "boolean";
    case "timestamp":
      return "timestamp";
    case "date":
      return "date";
    case "decimal":
      return `decimal(${type.precision},${type.scale})`;
    case "string":
    case "dictionary":
    case "pool":
      return "string";
  }
}
