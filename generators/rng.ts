/**
 * Counter-based seeded randomness: a generator is keyed by (seed, stream, entity), where a stream names a
 * table or model and an entity is a row (a customer id, a session index). Every value drawn for an entity is
 * therefore a pure function of (seed, stream, entity, draw number), whichever worker or order computes it,
 * which is what makes output identical for any --workers. Inside an entity, draws come from sfc32.
 */

/** Stream ids: one per kind of entity. Never renumber, or every dataset changes. */
export const STREAM = {
  stores: 1,
  customers: 2,
  products: 3,
  sessions: 4,
  posOrders: 5,
  pools: 6,
  catalog: 7,
  plantedCrossSell: 8,
  customerPick: 9,
} as const;

const TWO_POW_32 = 4_294_967_296;

/** Murmur3's finaliser: a bijective avalanche on 32-bit integers. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stateless 32-bit hash of (seed, stream, entity, salt); entity may be any safe integer. */
export function hash32(seed: number, stream: number, entity: number, salt = 0): number {
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  h = fmix32(h ^ Math.floor(seed / TWO_POW_32));
  h = fmix32(h ^ Math.imul(stream, 0x27d4eb2f));
  h = fmix32(h ^ (entity >>> 0));
  h = fmix32(h ^ Math.floor(entity / TWO_POW_32) ^ 0x165667b1);
  return fmix32(h ^ Math.imul(salt + 1, 0x61c88647));
}

/**
 * A small fast PRNG (sfc32) re-keyed per entity. Reuse one instance and call `reset` per row: that
 * allocates nothing in hot loops.
 */
export class Rng {
  /**
   * sfc32's state a, b, c, d. In a typed array each word stays a raw int32: as object fields they would hold
   * doubles (sfc32's words leave V8's small-integer range), boxed, and a draw took ~4 times longer.
   */
  private readonly state = new Int32Array(4);
  private spareNormal = Number.NaN;
  // Hash of the last (seed, stream) pair: rows of one table re-key millions of times with the same pair.
  private keySeed = Number.NaN;
  private keyStream = Number.NaN;
  private keyHash = 0;

  constructor(seed = 0, stream = 0, entity = 0) {
    this.reset(seed, stream, entity);
  }

  /** Re-keys the generator to (seed, stream, entity); the next draw is the entity's first. */
  reset(seed: number, stream: number, entity: number): this {
    if (seed !== this.keySeed || stream !== this.keyStream) {
      this.keySeed = seed;
      this.keyStream = stream;
      this.keyHash = hash32(seed, stream, 0x7fffffff, 0x5eed);
    }
    let h = fmix32(this.keyHash ^ (entity >>> 0));
    h = fmix32(h ^ Math.floor(entity / TWO_POW_32) ^ 0x165667b1);
    const state = this.state;
    state[0] = fmix32(h ^ 0x9e3779b9);
    state[1] = fmix32(h ^ 0x85ebca6b);
    state[2] = fmix32(h ^ 0xc2b2ae35);
    state[3] = 1;
    this.spareNormal = Number.NaN;
    for (let i = 0; i < 8; i++) this.float();
    return this;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    return this.float() * TWO_POW_32;
  }

  /**
   * Uniform in [0, 1): one sfc32 step, divided by 2^32. Every draw goes through here, so the step is written
   * with few bytecodes: V8 then inlines it at more of the call sites of a hot function, where a call would box
   * each result as a heap number.
   */
  float(): number {
    const state = this.state;
    const a = state[0] as number;
    const b = state[1] as number;
    const c = state[2] as number;
    const d = state[3] as number;
    // a + b + d is exact in a double, so one truncation gives sfc32's 32-bit sum.
    const t = (a + b + d) | 0;
    state[0] = b ^ (b >>> 9);
    state[1] = c + (c << 3);
    state[2] = ((c << 21) | (c >>> 11)) + t;
    state[3] = d + 1;
    return (t >>> 0) / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Index drawn from cumulative weights (last element = total), by binary search. */
  pick(cumulative: Float64Array | readonly number[]): number {
    const n = cumulative.length;
    const target = this.float() * (cumulative[n - 1] ?? 0);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const value = this.spareNormal;
      this.spareNormal = Number.NaN;
      return value;
    }
    const u = 1 - this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Geometric count of successes before the first failure, with P(continue) = p, capped at max. */
  geometric(p: number, max: number): number {
    let n = 0;
    while (n < max && this.float() < p) n++;
    return n;
  }
}

/** Builds cumulative weights for `Rng.pick`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? 0;
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`weight ${i} is ${w}; weights must be finite and >= 0`);
    sum += w;
    out[i] = sum;
  }
  if (sum <= 0) throw new Error("weights must not all be zero");
  return out;
}
