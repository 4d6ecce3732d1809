/**
 * `spark.conf`: the session's runtime SQL configuration on the server, read and written through the
 * Config RPC. Every method is async because every answer comes from the server; nothing is cached.
 * @see proto/spark/connect/base.proto ConfigRequest, PySpark pyspark/sql/connect/conf.py
 */

import type { Logger } from "../logger.ts";
import type { CallOptions, SparkConnectClient } from "../transport/client.ts";

/** A configuration value as callers may pass it; sent as its string form (booleans as `true`/`false`). */
export type ConfValue = string | number | bigint | boolean;

function confString(key: string, value: ConfValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  throw new TypeError(
    `Value for configuration "${key}" must be a string, number, bigint or boolean, got ${typeof value}`,
  );
}

/** The runtime configuration of one Spark Connect session (PySpark's `RuntimeConfig`). */
export class RuntimeConfig {
  readonly #client: SparkConnectClient;
  readonly #logger: Logger;

  /** @internal Created by SparkSession; use `spark.conf`. */
  constructor(client: SparkConnectClient, logger: Logger) {
    this.#client = client;
    this.#logger = logger;
  }

  /** Sets one key. */
  async set(key: string, value: ConfValue, options?: CallOptions): Promise<void> {
    await this.setAll({ [key]: value }, options);
  }

  /** Sets several keys in one round trip. */
  async setAll(pairs: Record<string, ConfValue>, options?: CallOptions): Promise<void> {
    const kv = Object.entries(pairs).map(([key, value]) => ({ key, value: confString(key, value) }));
    if (kv.length === 0) return;
    await this.#run({ opType: { case: "set", value: { pairs: kv } } }, options);
  }

  /**
   * The value of `key`: the session value, else `defaultValue` when given, else the server's default
   * for the key. Throws the server's error (`SQL_CONF_NOT_FOUND`) for an unknown key without a default.
   */
  async get(key: string, defaultValue?: ConfValue, options?: CallOptions): Promise<string> {
    const response =
      defaultValue === undefined
        ? await this.#run({ opType: { case: "get", value: { keys: [key] } } }, options)
        : await this.#run(
            { opType: { case: "getWithDefault", value: { pairs: [{ key, value: confString(key, defaultValue) }] } } },
            options,
          );
    const value = response.pairs[0]?.value;
    if (value === undefined) throw new Error(`The server returned no value for configuration "${key}"`);
    return value;
  }

  /** The value of `key`, or undefined when it has no value (never throws for unknown keys). */
  async getOption(key: string, options?: CallOptions): Promise<string | undefined> {
    const response = await this.#run({ opType: { case: "getOption", value: { keys: [key] } } }, options);
    return response.pairs[0]?.value;
  }

  /** All explicitly set (and server-defaulted) keys, optionally only those starting with `prefix` (full keys). */
  async getAll(prefix?: string, options?: CallOptions): Promise<Record<string, string>> {
    const response = await this.#run({ opType: { case: "getAll", value: { prefix } } }, options);
    const out: Record<string, string> = {};
    // The server strips the prefix from the keys it returns; put it back so keys stay usable with get/set.
    for (const pair of response.pairs) if (pair.value !== undefined) out[`${prefix ?? ""}${pair.key}`] = pair.value;
    return out;
  }

  /** Resets `key` to its default. */
  async unset(key: string, options?: CallOptions): Promise<void> {
    await this.#run({ opType: { case: "unset", value: { keys: [key] } } }, options);
  }

  /** Whether `key` can be changed at runtime in this session (false for static and unknown keys). */
  async isModifiable(key: string, options?: CallOptions): Promise<boolean> {
    const response = await this.#run({ opType: { case: "isModifiable", value: { keys: [key] } } }, options);
    const value = response.pairs[0]?.value;
    if (value !== "true" && value !== "false") {
      throw new Error(`The server answered isModifiable("${key}") with ${JSON.stringify(value)}`);
    }
    return value === "true";
  }

  async #run(operation: Parameters<SparkConnectClient["config"]>[0], options?: CallOptions) {
    const response = await this.#client.config(operation, options);
    // Deprecated or ignored keys come back as warnings; they are not errors, so they go to the logger.
    for (const warning of response.warnings) this.#logger.warn(warning, { rpc: "Config" });
    return response;
  }
}
