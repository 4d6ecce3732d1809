/**
 * Scenario resolution: presets, partial scenario files, flag overrides, and validation messages that name
 * the bad value, where it came from and what is allowed.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultScenario, resolveScenario, ScenarioError } from "../../../generators/index.ts";

const root = mkdtempSync(join(tmpdir(), "retail-lab-scenario-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScenarioError) return [...error.problems];
    throw error;
  }
  throw new Error("expected a ScenarioError");
};

describe("resolveScenario", () => {
  it("applies presets over the defaults, keeping the calibration", () => {
    const demo = resolveScenario({ preset: "demo" });
    const seed = resolveScenario({ preset: "seed" });
    const large = resolveScenario({ preset: "large" });
    expect(demo.scenario.sessions).toBe(20_000);
    expect(seed.scenario.sessions).toBe(431_000);
    expect(large.scenario.sessions).toBeGreaterThanOrEqual(7_000_000);
    expect(seed.scenario.payments).toEqual(defaultScenario().payments);
    expect(resolveScenario().preset).toBe("demo");
  });

  it("merges a partial scenario file, then flags", () => {
    const file = join(root, "partial.json");
    writeFileSync(file, JSON.stringify({ days: 30, crossSell: { affinity: 0.9 } }));
    const { scenario, preset } = resolveScenario({ scenarioFile: file, overrides: { days: "14", seed: "7" } });
    expect(preset).toBeNull();
    expect(scenario.days).toBe(14);
    expect(scenario.seed).toBe(7);
    expect(scenario.crossSell.affinity).toBe(0.9);
    expect(scenario.crossSell.targetCount).toBe(defaultScenario().crossSell.targetCount);
  });

  it("names bad flags and what they allow", () => {
    expect(problems(() => resolveScenario({ overrides: { sessions: "abc" } }))).toEqual([
      '--sessions: "abc" is not allowed; expected an integer from 1 to 500,000,000',
    ]);
    expect(problems(() => resolveScenario({ overrides: { days: 0 } }))[0]).toContain("--days: 0 is not allowed");
    expect(problems(() => resolveScenario({ overrides: { start: "2025-02-30" } }))[0]).toBe(
      '--start: "2025-02-30" is not allowed; expected a date YYYY-MM-DD between 2000 and 2099',
    );
    expect(problems(() => resolveScenario({ preset: "huge" }))[0]).toBe(
      '--preset: "huge" is not a preset; choose one of demo, seed, large',
    );
  });

  it("rejects unknown keys, wrong types and out-of-range knobs in scenario files", () => {
    const file = join(root, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        payments: { failing: { timeout: 1.5, gateway: "acme" }, healthy: { softDecline: "high" } },
        journey: { addToBasket: 0.2 },
        world: { products: 50 },
      }),
    );
    const found = problems(() => resolveScenario({ scenarioFile: file }));
    expect(found).toContain(
      `${file}: unknown key "journey.addToBasket"; allowed keys here: ${Object.keys(defaultScenario().journey).join(", ")}`,
    );
    expect(found).toContain(`${file}: payments.healthy.softDecline must be a number, got string "high"`);
    // Type errors stop before range checks, so fix and retry to see them.
    writeFileSync(
      file,
      JSON.stringify({ payments: { failing: { timeout: 1.5, gateway: "acme" } }, world: { products: 50 } }),
    );
    const ranged = problems(() => resolveScenario({ scenarioFile: file }));
    expect(ranged).toContain(
      "scenario.payments.failing.timeout = 1.5 is not allowed; expected a probability between 0 and 1",
    );
    expect(ranged).toContain("scenario.world.products = 50 is not allowed; expected an integer from 120 to 100,000");
    expect(ranged).toContain(
      'scenario.payments.failing.gateway = "acme" is not allowed; choose one of paynova, swiftpay, cardbridge',
    );
  });

  it("checks relations between knobs", () => {
    const found = problems(() =>
      resolveScenario({
        scenario: {
          payments: { healthy: { softDecline: 0.5, hardDecline: 0.3, error: 0.2, timeout: 0.1 } },
          pos: { meanLines: 9, maxLines: 4 },
          traffic: { hourWeights: { online: [1, 2, 3] } },
        },
      }),
    );
    expect(
      found.some((p) => p.startsWith("scenario.payments.healthy: softDecline + hardDecline + error + timeout")),
    ).toBe(true);
    expect(found).toContain("scenario.pos.meanLines (9) must not exceed pos.maxLines (4)");
    expect(found).toContain("scenario.traffic.hourWeights.online must have 24 values (00h..23h UTC)");
  });

  it("reports an unreadable or malformed file", () => {
    expect(problems(() => resolveScenario({ scenarioFile: join(root, "missing.json") }))[0]).toMatch(
      /^--scenario: cannot read ".*missing.json"/,
    );
    const file = join(root, "broken.json");
    writeFileSync(file, "{ nope");
    expect(problems(() => resolveScenario({ scenarioFile: file }))[0]).toMatch(/is not valid JSON/);
  });
});
