/**
 * Retries as data plus one loop. A RetryPolicy says which failures it accepts and how long to wait
 * (exponential backoff with jitter, a server-suggested google.rpc.RetryInfo delay as a floor); a list
 * of policies is consulted in order and the first that accepts a failure decides the wait, each with
 * its own budget, as PySpark's `Retrying(policies)`. Time is injected (`sleep`, `random`) so tests run
 * on a fake clock, and every wait ends early when the caller's AbortSignal fires.
 * @see PySpark python/pyspark/sql/connect/client/retries.py; defaults in config/defaults.ts
 */
import { DEFAULT_RETRY } from "../config/defaults.ts";
import { RetriesExceeded } from "../errors/errors.ts";
import { retryDelayOf } from "../errors/from-grpc.ts";
import { GrpcCode } from "../errors/grpc-code.ts";
import { RpcError } from "../errors/rpc-error.ts";
import { type Logger, silentLogger } from "../logger.ts";

/** How one class of failures is retried. Plain data plus a predicate; build variants with `retryPolicy`. */
export interface RetryPolicy {
  readonly name: string;
  /** Retries allowed by this policy (attempts = retries + 1); undefined = unlimited. */
  readonly maxRetries: number | undefined;
  readonly initialBackoffMs: number;
  readonly backoffMultiplier: number;
  /** Cap on the exponential backoff; undefined = the backoff stays at initialBackoffMs. */
  readonly maxBackoffMs: number | undefined;
  /** Uniform random jitter added to a wait of at least minJitterThresholdMs. */
  readonly jitterMs: number;
  readonly minJitterThresholdMs: number;
  /** Wait at least the server's google.rpc.RetryInfo delay, capped at maxServerRetryDelayMs. */
  readonly recognizeServerRetryDelay: boolean;
  readonly maxServerRetryDelayMs: number;
  canRetry(error: unknown): boolean;
}

/** Sleeps `ms` milliseconds; rejects with `signal.reason` as soon as the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Environment of a retry loop: the clock and randomness are injectable for tests. */
export interface RetryEnvironment {
  sleep?: Sleep | undefined;
  /** Returns a number in [0, 1), like Math.random. */
  random?: (() => number) | undefined;
  logger?: Logger | undefined;
}

/**
 * Thrown inside a retried block to ask for an immediate retry, without a wait and without using a
 * policy's budget (PySpark's RetryException). Reattach uses it after re-issuing an ExecutePlan.
 */
export class RetryException extends Error {
  override name = "RetryException";
}

/**
 * PySpark's DefaultPolicy.can_retry: UNAVAILABLE, and INTERNAL with INVALID_CURSOR.DISCONNECTED.
 * A failure with a google.rpc.RetryInfo detail is also retried: the server is explicitly asking for it.
 */
export function isRetryableByDefault(error: unknown): boolean {
  if (error instanceof RetryException) return true;
  if (!(error instanceof RpcError)) return false;
  if (error.code === GrpcCode.UNAVAILABLE) return true;
  // Another RPC on the same operation (a newer reattach) pre-empted this one.
  if (error.code === GrpcCode.INTERNAL && error.rawMessage.includes("INVALID_CURSOR.DISCONNECTED")) return true;
  return retryDelayOf(error) !== undefined;
}

/** PySpark's DefaultPolicy: 15 retries, 50 ms × 4 up to 60 s, 500 ms jitter above 2 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  name: "DefaultPolicy",
  ...DEFAULT_RETRY,
  recognizeServerRetryDelay: true,
  canRetry: isRetryableByDefault,
});

/**
 * Builds a policy from the defaults and overrides, validating the numbers.
 * @example retryPolicy({ maxRetries: 3, initialBackoffMs: 10 })
 */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY_POLICY, ...overrides });
  const check = (field: keyof RetryPolicy, value: number | undefined, min: number) => {
    if (value !== undefined && !(Number.isFinite(value) && value >= min)) {
      throw new RangeError(`retry policy ${policy.name}: ${field} must be a finite number ≥ ${min}, got ${value}`);
    }
  };
  check("maxRetries", policy.maxRetries, 0);
  if (policy.maxRetries !== undefined && !Number.isInteger(policy.maxRetries)) {
    throw new RangeError(`retry policy ${policy.name}: maxRetries must be an integer, got ${policy.maxRetries}`);
  }
  check("initialBackoffMs", policy.initialBackoffMs, 0);
  check("backoffMultiplier", policy.backoffMultiplier, 1);
  check("maxBackoffMs", policy.maxBackoffMs, 0);
  check("jitterMs", policy.jitterMs, 0);
  check("minJitterThresholdMs", policy.minJitterThresholdMs, 0);
  check("maxServerRetryDelayMs", policy.maxServerRetryDelayMs, 0);
  return policy;
}

/** setTimeout-based Sleep honouring an AbortSignal. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Mutable budget of one policy within one retry loop (PySpark RetryPolicyState). */
class PolicyState {
  private attempt = 0;
  private nextWaitMs: number;
  constructor(readonly policy: RetryPolicy) {
    this.nextWaitMs = policy.initialBackoffMs;
  }

  /** The wait before the next attempt, or undefined when this policy's budget is spent. */
  nextWait(error: unknown, random: () => number): number | undefined {
    const { policy } = this;
    if (policy.maxRetries !== undefined && this.attempt >= policy.maxRetries) return undefined;
    this.attempt += 1;
    let wait = this.nextWaitMs;
    if (policy.maxBackoffMs !== undefined) {
      this.nextWaitMs = Math.min(policy.maxBackoffMs, wait * policy.backoffMultiplier);
    }
    // Jitter only the long waits, after the next backoff was computed from the un-jittered one.
    if (wait >= policy.minJitterThresholdMs) wait += random() * policy.jitterMs;
    if (policy.recognizeServerRetryDelay && error instanceof RpcError) {
      const serverDelay = retryDelayOf(error);
      if (serverDelay !== undefined) wait = Math.max(wait, Math.min(serverDelay, policy.maxServerRetryDelayMs));
    }
    return Math.floor(wait);
  }
}

/**
 * One retry loop's state across attempts. After a failure call `backoff(error)`: it waits and returns
 * when the failure may be retried, and throws otherwise (the error itself when no policy accepts it,
 * RetriesExceeded when the accepting policies are out of budget). `reset()` after progress restores
 * the full budget, so a long stream that is cut now and then never runs out of retries.
 */
export class Retrier {
  private states: PolicyState[];
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly logger: Logger;
  /** Attempts made so far in this loop (the first attempt counts). */
  attempts = 1;

  constructor(
    private readonly policies: readonly RetryPolicy[],
    environment: RetryEnvironment = {},
  ) {
    this.states = policies.map((p) => new PolicyState(p));
    this.sleep = environment.sleep ?? realSleep;
    this.random = environment.random ?? Math.random;
    this.logger = environment.logger ?? silentLogger;
  }

  async backoff(error: unknown, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (error instanceof RetryException) {
      this.attempts += 1;
      return;
    }
    let accepted = false;
    for (const state of this.states) {
      if (!state.policy.canRetry(error)) continue;
      accepted = true;
      const wait = state.nextWait(error, this.random);
      if (wait === undefined) continue;
      this.logger.debug(`retrying after ${wait} ms (policy ${state.policy.name})`, {
        attempt: this.attempts,
        error: error instanceof Error ? error.message : String(error),
      });
      await this.sleep(wait, signal);
      this.attempts += 1;
      return;
    }
    if (!accepted) throw error;
    this.logger.debug("giving up retrying", { attempts: this.attempts });
    throw new RetriesExceeded(this.attempts, error);
  }

  reset(): void {
    this.states = this.policies.map((p) => new PolicyState(p));
  }
}

/**
 * Runs `attempt` until it succeeds, retrying per `policies`.
 * @example await withRetries(() => transport.unary(method, request), [DEFAULT_RETRY_POLICY])
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policies: readonly RetryPolicy[],
  options: RetryEnvironment & { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  options.signal?.throwIfAborted();
  const retrier = new Retrier(policies, options);
  for (;;) {
    try {
      return await attempt(retrier.attempts);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      await retrier.backoff(error, options.signal);
    }
  }
}
