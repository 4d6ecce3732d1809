/**
 * The counter-based PRNG: a draw depends only on (seed, stream, entity, position), streams and entities are
 * independent, and the helpers have the distributions they claim.
 */
import { describe, expect, it } from "vitest";
import { cumulative, hash32, Rng } from "../../../generators/rng.ts";

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.u32());

describe("Rng", () => {
  it("is a pure function of (seed, stream, entity)", () => {
    const a = draws(new Rng(42, 4, 123_456), 5);
    const rng = new Rng(1, 1, 1);
    draws(rng, 1000);
    expect(draws(rng.reset(42, 4, 123_456), 5)).toEqual(a);
    expect(draws(new Rng(43, 4, 123_456), 5)).not.toEqual(a);
    expect(draws(new Rng(42, 5, 123_456), 5)).not.toEqual(a);
    expect(draws(new Rng(42, 4, 123_457), 5)).not.toEqual(a);
    // Entities above 2^32 are distinct from their low 32 bits.
    expect(hash32(42, 4, 2 ** 32 + 7)).not.toBe(hash32(42, 4, 7));
    expect(hash32(2 ** 40 + 1, 4, 7)).not.toBe(hash32(1, 4, 7));
  });

  it("draws uniform floats and unbiased picks", () => {
    const rng = new Rng(7, 1, 0);
    const n = 200_000;
    let sum = 0;
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.float();
      if (u < 0 || u >= 1) outside++;
      sum += u;
      buckets[Math.floor(u * 10)] = (buckets[Math.floor(u * 10)] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    for (const b of buckets) expect(Math.abs(b / n - 0.1)).toBeLessThan(0.005);
    const cum = cumulative([1, 0, 3]);
    const picks = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) {
      const k = rng.pick(cum);
      picks[k] = (picks[k] ?? 0) + 1;
    }
    expect(picks[1]).toBe(0);
    expect(Math.abs((picks[2] ?? 0) / 100_000 - 0.75)).toBeLessThan(0.01);
  });

  it("has the documented means", () => {
    const rng = new Rng(3, 2, 1);
    const n = 100_000;
    let exp = 0;
    let geo = 0;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      exp += rng.exponential(5);
      geo += rng.geometric(0.75, 1_000);
      norm += rng.normal();
    }
    expect(exp / n).toBeCloseTo(5, 0);
    expect(geo / n).toBeCloseTo(3, 0);
    expect(Math.abs(norm / n)).toBeLessThan(0.02);
  });

  it("rejects weights that cannot be drawn from", () => {
    expect(() => cumulative([0, 0])).toThrow("weights must not all be zero");
    expect(() => cumulative([1, -1])).toThrow("weight 1 is -1; weights must be finite and >= 0");
  });
});
