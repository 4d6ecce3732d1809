/**
 * A virtual clock for retry tests: `sleep` resolves at once, advancing `now` and recording each wait,
 * so a 10-minute retry schedule runs in microseconds and its timing can be asserted exactly.
 */
import type { Sleep } from "../../src/connect/transport/retry.ts";

export class FakeClock {
  /** Virtual milliseconds elapsed. */
  now = 0;
  /** Every wait requested, in order. */
  readonly waits: number[] = [];

  readonly sleep: Sleep = async (ms, signal) => {
    signal?.throwIfAborted();
    this.waits.push(ms);
    this.now += ms;
  };
}

/** A deterministic `random()` returning the given values in a cycle. */
export function fixedRandom(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}
