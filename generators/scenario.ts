/**
 * A scenario is every knob of the retail world in one JSON document: sizes, traffic shape, journey
 * probabilities, the payment model and its planted failure, the cross-sell affinity, output layout.
 * scenarios/default.json holds the defaults; a preset (demo | seed | large) resizes them; a scenario file
 * and CLI flags override both. Validation names the bad value, where it came from and what is allowed.
 */
import { readFileSync } from "node:fs";
import defaults from "./scenarios/default.json" with { type: "json" };
import { CATEGORIES, GATEWAYS } from "./vocabulary.ts";

export type Scenario = typeof defaults;

export const PRESETS = ["demo", "seed", "large"] as const;
export type Preset = (typeof PRESETS)[number];

/** What a preset changes: sizes only, so every preset keeps the default calibration. */
const PRESET_OVERRIDES: Record<Preset, DeepPartial<Scenario>> = {
  // Seconds on a laptop (and still two session parts, so that sharding is exercised).
  demo: {
    sessions: 20_000,
    world: { stores: 40, customers: 5_000, products: 400 },
  },
  // Sized so that payment attempts land within 1% of the reference study's 150,000.
  seed: {
    sessions: 431_000,
    world: { stores: 200, customers: 100_000, products: 2_000 },
  },
  // At least 50 million events (clickstream + cart_events + payment_attempts).
  large: {
    sessions: 7_500_000,
    world: { stores: 1_000, customers: 2_000_000, products: 8_000 },
  },
};

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** The flags the CLI lets you set directly; strings are accepted so that validation can quote them. */
export interface ScenarioOverrides {
  sessions?: number | string;
  days?: number | string;
  start?: string;
  seed?: number | string;
}

export interface ResolveOptions {
  /** Applied over the defaults; when omitted, "demo" unless a scenario file is given. */
  preset?: string;
  /** Path to a (partial) scenario JSON file, applied over the preset. */
  scenarioFile?: string;
  /** An in-memory partial scenario, applied after the file (tests and the bench use it). */
  scenario?: DeepPartial<Scenario>;
  overrides?: ScenarioOverrides;
}

/** Invalid configuration: the message lists every problem found. */
export class ScenarioError extends Error {
  override name = "ScenarioError";
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] ?? "") : `invalid scenario:\n  ${problems.join("\n  ")}`);
  }
}

/** The default scenario (a deep copy, safe to modify). */
export function defaultScenario(): Scenario {
  return structuredClone(defaults);
}

/** Defaults ← preset ← scenario file ← in-memory scenario ← flags, then validation. */
export function resolveScenario(options: ResolveOptions = {}): { scenario: Scenario; preset: Preset | null } {
  const problems: string[] = [];
  let preset: Preset | null = null;
  if (options.preset !== undefined) {
    if ((PRESETS as readonly string[]).includes(options.preset)) preset = options.preset as Preset;
    else problems.push(`--preset: "${options.preset}" is not a preset; choose one of ${PRESETS.join(", ")}`);
  } else if (options.scenarioFile === undefined) {
    preset = "demo";
  }
  let merged: unknown = defaultScenario();
  if (preset) merged = mergeChecked(merged, PRESET_OVERRIDES[preset], `preset ${preset}`, problems);
  if (options.scenarioFile !== undefined) {
    const file = readScenarioFile(options.scenarioFile, problems);
    if (file !== undefined) merged = mergeChecked(merged, file, options.scenarioFile, problems);
  }
  if (options.scenario) merged = mergeChecked(merged, options.scenario, "scenario", problems);
  const scenario = merged as Scenario;
  applyOverrides(scenario, options.overrides ?? {}, problems);
  if (problems.length === 0) validateScenario(scenario, problems);
  if (problems.length > 0) throw new ScenarioError(problems);
  return { scenario, preset };
}

function readScenarioFile(path: string, problems: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    problems.push(`--scenario: cannot read "${path}": ${(error as Error).message}`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    problems.push(`--scenario: "${path}" is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

/** Deep-merges `patch` over `base`, rejecting keys the default scenario does not have and type changes. */
function mergeChecked(base: unknown, patch: unknown, source: string, problems: string[], path = ""): unknown {
  if (isPlainObject(base)) {
    if (!isPlainObject(patch)) {
      problems.push(`${source}: ${path || "the scenario"} must be an object, got ${describe(patch)}`);
      return base;
    }
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!(key in base)) {
        problems.push(
          `${source}: unknown key "${childPath}"; allowed keys here: ${Object.keys(base).join(", ") || "(none)"}`,
        );
        continue;
      }
      out[key] = mergeChecked(base[key], value, source, problems, childPath);
    }
    return out;
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(patch)) problems.push(`${source}: ${path} must be an array, got ${describe(patch)}`);
    return Array.isArray(patch) ? [...patch] : base;
  }
  if (base === null || typeof patch === typeof base) return patch;
  problems.push(`${source}: ${path} must be a ${typeof base}, got ${describe(patch)}`);
  return base;
}

function applyOverrides(scenario: Scenario, overrides: ScenarioOverrides, problems: string[]): void {
  const integer = (flag: string, raw: number | string, min: number, max: number): number | undefined => {
    const value = typeof raw === "number" ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(
      `${flag}: ${JSON.stringify(raw)} is not allowed; expected an integer from ${fmt(min)} to ${fmt(max)}`,
    );
    return undefined;
  };
  if (overrides.sessions !== undefined) {
    const v = integer("--sessions", overrides.sessions, LIMITS.sessions.min, LIMITS.sessions.max);
    if (v !== undefined) scenario.sessions = v;
  }
  if (overrides.days !== undefined) {
    const v = integer("--days", overrides.days, LIMITS.days.min, LIMITS.days.max);
    if (v !== undefined) scenario.days = v;
  }
  if (overrides.seed !== undefined) {
    const v = integer("--seed", overrides.seed, 0, Number.MAX_SAFE_INTEGER);
    if (v !== undefined) scenario.seed = v;
  }
  if (overrides.start !== undefined) {
    if (parseStartDate(overrides.start) === undefined) {
      problems.push(`--start: "${overrides.start}" is not allowed; expected a date YYYY-MM-DD between 2000 and 2099`);
    } else scenario.start = overrides.start;
  }
}

/** Numeric limits that the CLI flags share with the scenario file. */
const LIMITS = {
  // session_id * 1000 + seq must stay a safe integer and below the POS order id base (10^12).
  sessions: { min: 1, max: 500_000_000 },
  days: { min: 1, max: 3_660 },
};

/** The start date as epoch milliseconds (UTC midnight), or undefined when malformed. */
export function parseStartDate(text: string): number | undefined {
  const match = /^(20\d\d)-(\d\d)-(\d\d)$/.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().startsWith(text) ? ms : undefined;
}

interface Rule {
  min: number;
  max: number;
  integer?: boolean;
  what: string;
}
const probability: Rule = { min: 0, max: 1, what: "a probability between 0 and 1" };
const weight: Rule = { min: 0, max: 1e9, what: "a weight >= 0" };
const factor: Rule = { min: 0, max: 10, what: "a factor between 0 and 10" };
const int = (min: number, max: number): Rule => ({
  min,
  max,
  integer: true,
  what: `an integer from ${fmt(min)} to ${fmt(max)}`,
});

/** Path patterns (`*` matches one segment) and the range each numeric knob must lie in. First match wins. */
const RULES: [string, Rule][] = [
  ["seed", int(0, Number.MAX_SAFE_INTEGER)],
  ["days", int(LIMITS.days.min, LIMITS.days.max)],
  ["sessions", int(LIMITS.sessions.min, LIMITS.sessions.max)],
  ["posOrdersPerSession", { min: 0, max: 10, what: "a ratio between 0 and 10" }],
  ["world.stores", int(1, 100_000)],
  ["world.customers", int(10, 100_000_000)],
  // Product 102 is the Mineral Water anchor, so the catalog needs at least that many products.
  ["world.products", int(120, 100_000)],
  ["world.activityConcentration", { min: 0, max: 1e6, what: "a number >= 0 (0 = every customer equally active)" }],
  ["world.categoryWeights.*", weight],
  ["world.categoryMargins.*", { min: 0, max: 0.95, what: "a margin between 0 and 0.95" }],
  ["world.popularitySkew", { min: 0, max: 3, what: "a Zipf exponent between 0 and 3" }],
  ["traffic.monthlyGrowth.*", { min: -0.5, max: 2, what: "a monthly growth rate between -0.5 and 2" }],
  ["traffic.weekdayFactors.*.*", weight],
  ["traffic.hourWeights.*.*", weight],
  ["traffic.memberAppShareBoost", factor],
  ["traffic.devices.*.*", weight],
  ["journey.meanBrowseSteps", { min: 0, max: 100, what: "a mean between 0 and 100" }],
  ["journey.maxBrowseSteps", int(1, 150)],
  ["journey.stepMix.*", weight],
  ["journey.quantityWeights.*", weight],
  ["journey.*Boost", factor],
  ["journey.memberPromoPercent", { min: 0, max: 90, what: "a percentage between 0 and 90" }],
  ["payments.routing.*.*.*", weight],
  ["payments.*Factor", factor],
  ["payments.latencyMedianMs.*", { min: 1, max: 600_000, what: "milliseconds between 1 and 600000" }],
  ["payments.latencySigma", { min: 0, max: 3, what: "a log-normal sigma between 0 and 3" }],
  ["payments.timeoutMs", int(100, 600_000)],
  ["payments.behaviour.maxAttempts", int(1, 20)],
  ["payments.wallet.instrumentsWeights.*", weight],
  ["payments.wallet.methodWeights.*", weight],
  ["payments.wallet.brandWeights.*", weight],
  ["crossSell.targetCount", int(1, 10)],
  ["crossSell.maxViewsPerSession", int(1, 5)],
  ["pos.meanLines", { min: 1, max: 20, what: "a mean between 1 and 20" }],
  ["pos.maxLines", int(1, 50)],
  ["pos.categoryWeights.*", weight],
  ["output.*PerPart", { min: 0, max: 10_000_000, integer: true, what: "0 (automatic) or an integer up to 10,000,000" }],
  ["output.rowGroupRows", int(1_024, 1_048_576)],
  // Everything else numeric is a share or probability.
  ["*", probability],
];

/**
 * Entities per part file: the scenario's value, or when it is 0 a size derived from the total alone (never
 * from the worker count): about 16 session parts, so that two to sixteen threads stay busy to the end, within
 * bounds that keep files between a few and a few tens of MB.
 */
export function partSize(scenario: Scenario, kind: "sessions" | "posOrders" | "customers", total: number): number {
  const o = scenario.output;
  const [configured, parts, min, max] =
    kind === "sessions"
      ? [o.sessionsPerPart, 16, 10_000, 100_000]
      : kind === "posOrders"
        ? [o.posOrdersPerPart, 4, 10_000, 250_000]
        : [o.customersPerPart, 4, 10_000, 500_000];
  if (configured > 0) return configured;
  return Math.min(max, Math.max(min, Math.ceil(total / parts / 1_000) * 1_000));
}

function ruleFor(path: string): Rule {
  for (const [pattern, rule] of RULES) {
    if (pattern === "*") return rule;
    const parts = pattern.split(".");
    const segments = path.split(".");
    if (parts.length !== segments.length) continue;
    if (
      parts.every((p, i) => p === "*" || p === segments[i] || (p.startsWith("*") && segments[i]?.endsWith(p.slice(1))))
    )
      return rule;
  }
  return probability;
}

/** Checks every value and the relations between values; pushes one message per problem. */
export function validateScenario(scenario: Scenario, problems: string[]): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === "number") {
      const rule = ruleFor(path);
      if (
        !Number.isFinite(value) ||
        value < rule.min ||
        value > rule.max ||
        (rule.integer && !Number.isInteger(value))
      ) {
        problems.push(`scenario.${path} = ${value} is not allowed; expected ${rule.what}`);
      }
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${path}.${i}`);
    } else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(scenario, "");

  const need = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  need(
    parseStartDate(scenario.start) !== undefined,
    `scenario.start = "${scenario.start}" is not allowed; expected a date YYYY-MM-DD between 2000 and 2099`,
  );
  const t = scenario.traffic;
  need(t.weekdayFactors.online.length === 7, "scenario.traffic.weekdayFactors.online must have 7 values (Mon..Sun)");
  need(t.weekdayFactors.store.length === 7, "scenario.traffic.weekdayFactors.store must have 7 values (Mon..Sun)");
  need(t.hourWeights.online.length === 24, "scenario.traffic.hourWeights.online must have 24 values (00h..23h UTC)");
  need(t.hourWeights.store.length === 24, "scenario.traffic.hourWeights.store must have 24 values (00h..23h UTC)");
  for (const kind of ["online", "store"] as const) {
    need(sum(t.hourWeights[kind]) > 0, `scenario.traffic.hourWeights.${kind} must not be all zero`);
    need(sum(t.weekdayFactors[kind]) > 0, `scenario.traffic.weekdayFactors.${kind} must not be all zero`);
  }
  need(sum(Object.values(t.devices.web)) > 0, "scenario.traffic.devices.web must not be all zero");
  need(sum(Object.values(t.devices.app)) > 0, "scenario.traffic.devices.app must not be all zero");
  const j = scenario.journey;
  need(sum(Object.values(j.stepMix)) > 0, "scenario.journey.stepMix must not be all zero");
  need(
    j.quantityWeights.length >= 1 && j.quantityWeights.length <= 12 && sum(j.quantityWeights) > 0,
    "scenario.journey.quantityWeights must hold 1 to 12 weights (for 1, 2, 3… units), not all zero",
  );
  checkCategoryKeys(scenario.world.categoryWeights, "world.categoryWeights", problems);
  checkCategoryKeys(scenario.world.categoryMargins, "world.categoryMargins", problems);
  checkCategoryKeys(scenario.pos.categoryWeights, "pos.categoryWeights", problems);
  const p = scenario.payments;
  for (const kind of ["healthy", "failing"] as const) {
    const r = p[kind];
    const total = r.softDecline + r.hardDecline + r.error + r.timeout;
    need(total <= 1, `scenario.payments.${kind}: softDecline + hardDecline + error + timeout = ${total}; must be <= 1`);
  }
  need(
    (GATEWAYS as readonly string[]).includes(p.failing.gateway),
    `scenario.payments.failing.gateway = "${p.failing.gateway}" is not allowed; choose one of ${GATEWAYS.join(", ")}`,
  );
  need(
    p.failing.channel === "web" || p.failing.channel === "app",
    `scenario.payments.failing.channel = "${p.failing.channel}" is not allowed; choose web or app`,
  );
  for (const channel of ["web", "app"] as const) {
    for (const method of ["card", "paypal"] as const) {
      need(
        sum(Object.values(p.routing[channel][method])) > 0,
        `scenario.payments.routing.${channel}.${method} must route to at least one gateway`,
      );
    }
  }
  for (const [name, b] of Object.entries(p.behaviour)) {
    if (typeof b === "object") {
      const total = ("retry" in b ? b.retry : 0) + b.switch;
      need(total <= 1, `scenario.payments.behaviour.${name}: retry + switch = ${total}; must be <= 1`);
    }
  }
  need(
    p.wallet.instrumentsWeights.length >= 1 && p.wallet.instrumentsWeights.length <= 4,
    "scenario.payments.wallet.instrumentsWeights must hold 1 to 4 weights (a customer has at most 4 cards)",
  );
  for (const gateway of GATEWAYS) {
    need(
      (p.latencyMedianMs[gateway] ?? 0) < p.timeoutMs,
      `scenario.payments.latencyMedianMs.${gateway} must be below payments.timeoutMs (${p.timeoutMs})`,
    );
  }
  need(
    scenario.pos.meanLines <= scenario.pos.maxLines,
    `scenario.pos.meanLines (${scenario.pos.meanLines}) must not exceed pos.maxLines (${scenario.pos.maxLines})`,
  );
  need(
    scenario.world.products >= scenario.crossSell.targetCount * 10,
    `scenario.world.products (${scenario.world.products}) is too small for crossSell.targetCount = ${scenario.crossSell.targetCount}`,
  );
}

function checkCategoryKeys(record: Record<string, number>, path: string, problems: string[]): void {
  const keys = Object.keys(record);
  const missing = CATEGORIES.filter((c) => !keys.includes(c));
  if (missing.length > 0) problems.push(`scenario.${path} is missing ${missing.join(", ")}`);
  if (sum(Object.values(record)) <= 0 && path.endsWith("Weights"))
    problems.push(`scenario.${path} must not be all zero`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
