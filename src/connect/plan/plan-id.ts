/**
 * Plan ids: every relation a session builds gets a fresh id, so that a column taken from one
 * DataFrame (`df.col("id")`) can be resolved against exactly that relation after joins and self-joins.
 * The counter is per session, not global, and resettable so expected plans in tests are deterministic.
 * @see proto/spark/connect/relations.proto RelationCommon.plan_id
 */

/** A monotonically increasing source of plan ids, owned by one session. */
export class PlanIdGenerator {
  #next = 0n;

  /** Returns a fresh id, never returned before by this generator (until `reset`). */
  next(): bigint {
    const id = this.#next;
    this.#next += 1n;
    return id;
  }

  /** Restarts the sequence at 0; for tests that compare whole plans. */
  reset(): void {
    this.#next = 0n;
  }
}
