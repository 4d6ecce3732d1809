/**
 * Client-drawn random seeds for sampling. PySpark draws the seed on the client when none is given, so a
 * sampled DataFrame returns the same rows on every action instead of a new sample each time.
 */

/** A uniformly random non-negative int64 seed. */
export function randomSeed(): bigint {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(words[0] ?? 0) & 0x7fffffffn) << 32n) | BigInt(words[1] ?? 0);
}

/** A seed given by the caller as an integer number or bigint. */
export function toSeed(method: string, seed: unknown): bigint {
  if (typeof seed === "bigint") return seed;
  if (typeof seed === "number" && Number.isSafeInteger(seed)) return BigInt(seed);
  throw new TypeError(`${method}: seed must be an integer (number or bigint), got ${typeof seed} ${String(seed)}`);
}
