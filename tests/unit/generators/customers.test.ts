/**
 * The customer model's activity ranks: a seeded permutation of ids, computed with exact modular arithmetic
 * (no BigInt, no `%` on doubles), which must stay a bijection and invert exactly at every population size.
 */
import { describe, expect, it } from "vitest";
import { buildWorld } from "../../../generators/pools.ts";
import { resolveScenario } from "../../../generators/scenario.ts";
import { CustomerProfile } from "../../../generators/world/customers.ts";

function customerModel(customers: number, seed = 42) {
  const { scenario } = resolveScenario({ preset: "demo", scenario: { seed, world: { customers } } });
  return buildWorld(scenario).customers;
}

describe("customer activity ranks", () => {
  it("map ranks one-to-one onto ids 1..n, and back", () => {
    for (const [n, seed] of [
      [10, 1],
      [997, 42],
      [100_000, 42],
      [100_000, 2 ** 40 + 3],
    ] as const) {
      const model = customerModel(n, seed);
      const seen = new Uint8Array(n + 1);
      const wrong: string[] = [];
      for (let rank = 0; rank < n; rank++) {
        const id = model.idAtRank(rank);
        if (!(id >= 1 && id <= n) || seen[id] === 1 || model.rankOf(id) !== rank)
          wrong.push(`rank ${rank} -> id ${id}`);
        seen[id] = 1;
      }
      expect(wrong.slice(0, 5), `n = ${n}`).toEqual([]);
    }
  });

  it("agree with BigInt arithmetic near the largest population", () => {
    const n = 100_000_000;
    const model = customerModel(n);
    // Two ranks give the multiplier and offset: id - 1 = (multiplier * rank + offset) mod n.
    const offset = BigInt(model.idAtRank(0) - 1);
    const multiplier = (BigInt(model.idAtRank(1) - 1) - offset + BigInt(n)) % BigInt(n);
    for (const rank of [2, 65_535, 65_536, 65_537, 12_345_678, n - 2, n - 1]) {
      const expected = Number((multiplier * BigInt(rank) + offset) % BigInt(n)) + 1;
      expect(model.idAtRank(rank)).toBe(expected);
      expect(model.rankOf(expected)).toBe(rank);
    }
  });

  it("load the same profile whether or not the caller passes the rank", () => {
    const model = customerModel(5_000);
    const fields = (p: CustomerProfile) => JSON.stringify({ ...p, methods: [...p.methods], brands: [...p.brands] });
    for (const rank of [0, 1, 249, 4_999]) {
      const id = model.idAtRank(rank);
      expect(fields(model.load(id, new CustomerProfile(), rank))).toBe(fields(model.load(id, new CustomerProfile())));
    }
  });
});
