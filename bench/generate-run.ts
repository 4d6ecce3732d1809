/**
 * One measured generator run for bench/generate.bench.ts, in its own process so that peak RSS is this run's.
 * Usage: tsx bench/generate-run.ts fast <events> <workers> <out>
 *        tsx bench/generate-run.ts naive <out> <rows-per-table JSON>
 * Prints one JSON object with the figures.
 */
import { rmSync } from "node:fs";
import { generate, resolveScenario } from "../generators/index.ts";
import type { TableName } from "../generators/schema.ts";

/** Events per session at the default calibration (seed preset: 3,151,158 events / 431,000 sessions). */
export const EVENTS_PER_SESSION = 7.31;

const [mode, ...args] = process.argv.slice(2);
// Both clocks start after the imports: wall time and CPU time (all threads) cover the same work.
const started = performance.now();
const cpuAtStart = process.cpuUsage();
let figures: Record<string, unknown>;
if (mode === "fast") {
  const [events, workers, out] = [Number(args[0]), Number(args[1]), String(args[2])];
  const { scenario } = resolveScenario({
    preset: "seed",
    overrides: { sessions: Math.max(1, Math.round(events / EVENTS_PER_SESSION)) },
  });
  rmSync(out, { recursive: true, force: true });
  const result = await generate({ scenario, out, workers });
  figures = {
    events: result.events,
    threads: result.workers,
    rows: Object.fromEntries(result.tables.map((t) => [t.table, t.rows])),
    bytes: result.tables.reduce((n, t) => n + t.bytes, 0),
  };
} else if (mode === "naive") {
  const [out, rows] = [String(args[0]), JSON.parse(String(args[1])) as Record<TableName, number>];
  rmSync(out, { recursive: true, force: true });
  // Loaded only here, so that the generator's runs do not pay for the baseline's imports.
  const { naiveGenerate } = await import("./naive-generator.ts");
  const bytes = naiveGenerate(out, rows);
  figures = { events: rows.clickstream + rows.cart_events + rows.payment_attempts, rows, bytes };
} else {
  throw new Error(`mode must be fast or naive, got ${mode}`);
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuAtStart);
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    ...figures,
    seconds,
    events_per_s: Number(figures.events) / seconds,
    max_rss_mb: usage.maxRSS / 1024,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
