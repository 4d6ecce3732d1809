/**
 * SparkSession: the entry point of the DataFrame API over one Spark Connect session. It owns the
 * client (one channel), the per-session plan-id counter and the session-scoped helpers (`conf`,
 * `catalog`, `read`), and it is the executor DataFrames run their plans through.
 * @see python/pyspark/sql/connect/session.py (PySpark's twin)
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { Table as ArrowTable, type Table } from "apache-arrow";
import { encodeLocalRelation, type SchemaInput } from "../arrow/encode.ts";
import { Catalog } from "../catalog/catalog.ts";
import { parseConnectionString } from "../config/connection-string.ts";
import { defaultRemote } from "../config/defaults.ts";
import { type ColumnOrValue, toValueExpression } from "../dataframe/column.ts";
import { DataFrame } from "../dataframe/dataframe.ts";
import type { AnalyzePlanResponse, Plan } from "../gen/spark/connect/base_pb.ts";
import { InterruptRequest_InterruptType } from "../gen/spark/connect/base_pb.ts";
import { type LocalRelation, LocalRelationSchema, type Relation } from "../gen/spark/connect/relations_pb.ts";
import { DataFrameReader } from "../io/reader.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { commandPlan, sqlCommand } from "../plan/commands.ts";
import { PlanIdGenerator } from "../plan/plan-id.ts";
import * as R from "../plan/relations.ts";
import type {
  AnalyzeInput,
  CallOptions,
  ExecuteEvent,
  ExecuteOptions,
  ProgressHandler,
  SparkConnectClient,
} from "../transport/client.ts";
import { type ClientOptions, createClient } from "../transport/grpc-client.ts";
import { describeValue } from "../types/infer.ts";
import { RuntimeConfig } from "./runtime-config.ts";

/** The conf naming the size (bytes) above which createDataFrame uploads its data as an artifact. */
export const LOCAL_RELATION_CACHE_THRESHOLD_CONF = "spark.sql.session.localRelationCacheThreshold";
// Spark's default for that conf (64 MiB), used only if the server does not report one.
const DEFAULT_LOCAL_RELATION_CACHE_THRESHOLD = 64 * 1024 * 1024;

/** Arguments of `spark.sql`: named (`:name` markers) as an object, or positional (`?` markers) as an array. */
export type SqlArgs = Readonly<Record<string, ColumnOrValue>> | readonly ColumnOrValue[];

/** The schema argument of `createDataFrame`: a StructType (or atomic DataType), a DDL string, or column names. */
export type SchemaLike = SchemaInput;

/** The data argument of `createDataFrame`: row objects, row arrays (with a schema), scalars, or an Arrow Table. */
export type LocalData = readonly unknown[] | Table;

/** The session time zone conf; zone-less timestamps in local data are read in it. */
const SESSION_TIME_ZONE_CONF = "spark.sql.session.timeZone";

function toInt64(method: string, name: string, value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`${method}: ${name} must be an integer (number or bigint), got ${describeValue(value)}`);
}

function isArrowTable(value: unknown): value is Table {
  // instanceof alone misses Tables from another copy of apache-arrow; check the shape too.
  return (
    value instanceof ArrowTable ||
    (typeof value === "object" && value !== null && "batches" in value && "schema" in value)
  );
}

async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return Buffer.from(digest).toString("hex");
}

/** One Spark Connect session: create DataFrames, run SQL, read data, configure and interrupt. */
export class SparkSession {
  /** The transport this session sends every request through. */
  readonly client: SparkConnectClient;
  /** The server's Spark version, e.g. "4.1.3" (asked once when the session is created). */
  readonly version: string;
  /** Runtime SQL configuration of this session. */
  readonly conf: RuntimeConfig;
  /** The session catalog. */
  readonly catalog: Catalog;
  /** The name given to the builder (sent as the client's user agent when the remote sets none). */
  readonly appName: string | undefined;
  readonly #logger: Logger;
  readonly #planIds = new PlanIdGenerator();
  readonly #progressHandlers = new Set<ProgressHandler>();
  #stopped = false;

  static #active: SparkSession | undefined;

  /** Starts configuring a session: `SparkSession.builder().remote(url).appName(n).config(k, v).getOrCreate()`. */
  static builder(): SparkSessionBuilder {
    return new SparkSessionBuilder();
  }

  /** The session `getOrCreate` would return, if one is open. */
  static getActiveSession(): SparkSession | undefined {
    return SparkSession.#active;
  }

  /**
   * Creates a session over an existing client, asking the server for its version. Most code uses the
   * builder; this is the seam for custom transports and test fakes.
   */
  static async fromClient(
    client: SparkConnectClient,
    options: { logger?: Logger; appName?: string; signal?: AbortSignal } = {},
  ): Promise<SparkSession> {
    const response = await client.analyzePlan({ case: "sparkVersion", value: {} }, { signal: options.signal });
    if (response.result.case !== "sparkVersion") throw new Error("The server did not report its Spark version");
    return new SparkSession(client, response.result.value.version, options.logger ?? silentLogger, options.appName);
  }

  private constructor(client: SparkConnectClient, version: string, logger: Logger, appName: string | undefined) {
    this.client = client;
    this.version = version;
    this.#logger = logger;
    this.appName = appName;
    this.conf = new RuntimeConfig(client, logger);
    this.catalog = new Catalog(this);
  }

  /** The client-side session id (a UUID). */
  get sessionId(): string {
    return this.client.sessionId;
  }

  /** Reads DataFrames from files and tables. */
  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  // MARK: - DataFrames

  /**
   * Runs SQL. Statements (DDL, DML, SET, SHOW …) run now, as in PySpark; a query returns a lazy DataFrame.
   * `args` binds `:name` markers (an object) or `?` markers (an array) to values or Columns.
   * @example await spark.sql("SELECT * FROM range(10) WHERE id > :min", { min: 5 }).count() // 4n
   */
  async sql(sqlQuery: string, args?: SqlArgs, options?: ExecuteOptions): Promise<DataFrame> {
    if (typeof sqlQuery !== "string") throw new TypeError(`sql expects a query string, got ${describeValue(sqlQuery)}`);
    let relation: Relation;
    if (args === undefined) relation = R.sql(sqlQuery);
    else if (Array.isArray(args)) relation = R.sql(sqlQuery, { positional: args.map((a) => toValueExpression(a)) });
    else if (typeof args === "object" && args !== null) {
      const named = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, toValueExpression(v)]));
      relation = R.sql(sqlQuery, { named });
    } else
      throw new TypeError(`sql args must be an object (named) or an array (positional), got ${describeValue(args)}`);
    const events = await this._runCommand(commandPlan(sqlCommand(relation)), options);
    const result = events.find((e) => e.kind === "sqlCommandResult");
    const next = result?.kind === "sqlCommandResult" ? result.result.relation : undefined;
    return new DataFrame(this, next ?? relation);
  }

  /** Ids from `start` (inclusive) to `end` (exclusive) by `step`, in a bigint column `id`; `range(n)` is 0..n-1. */
  range(start: number | bigint, end?: number | bigint, step: number | bigint = 1, numPartitions?: number): DataFrame {
    const [from, to] =
      end === undefined
        ? [0n, toInt64("range", "end", start)]
        : [toInt64("range", "start", start), toInt64("range", "end", end)];
    const by = toInt64("range", "step", step);
    if (by === 0n) throw new RangeError("range: step must not be 0");
    if (numPartitions !== undefined && (!Number.isInteger(numPartitions) || numPartitions < 1)) {
      throw new RangeError(`range: numPartitions must be a positive integer, got ${describeValue(numPartitions)}`);
    }
    return new DataFrame(this, R.range(from, to, by, numPartitions));
  }

  /** A catalog table or view as a DataFrame. */
  table(tableName: string): DataFrame {
    return this.read.table(tableName);
  }

  /**
   * A DataFrame from local data: an Arrow Table, or rows as plain objects (or arrays, with a schema).
   * Without a schema, column types are inferred from the values (docs/api.md lists the rules). Data
   * larger than the server's `spark.sql.session.localRelationCacheThreshold` is uploaded once as a
   * `cache/<sha256>` artifact and referenced, instead of travelling inside the plan.
   */
  async createDataFrame(data: LocalData, schema?: SchemaLike, options?: CallOptions): Promise<DataFrame> {
    if (!Array.isArray(data) && !isArrowTable(data)) {
      throw new TypeError(`createDataFrame expects an array of rows or an Arrow Table, got ${describeValue(data)}`);
    }
    const { threshold, timeZone } = await this.#localDataSettings(options);
    const encoded = encodeLocalRelation(data, schema, { timeZone });
    if (encoded.ipc.byteLength < threshold) {
      return new DataFrame(this, R.localRelation(encoded.ipc, encoded.schemaJson));
    }
    const local = create(LocalRelationSchema, { data: encoded.ipc, schema: encoded.schemaJson });
    const hash = await this._cacheArtifact(local, options);
    return new DataFrame(this, R.cachedLocalRelation(hash));
  }

  /** @internal Uploads a LocalRelation as `cache/<sha256>` unless the server already has it; returns the hash. */
  async _cacheArtifact(local: LocalRelation, options?: CallOptions): Promise<string> {
    // The server parses the artifact as a serialized LocalRelation message (data + schema).
    const bytes = toBinary(LocalRelationSchema, local);
    const hash = await sha256Hex(bytes);
    const name = `cache/${hash}`;
    const statuses = await this.client.artifactStatuses([name], options);
    if (!statuses.statuses[name]?.exists) {
      const response = await this.client.addArtifacts([{ name, data: bytes }], options);
      const summary = response.artifacts.find((a) => a.name === name);
      if (summary && !summary.isCrcSuccessful) throw new Error(`Uploading ${name} failed its CRC check on the server`);
    }
    return hash;
  }

  /** The cache threshold and session time zone, read together in one Config call (both may change at runtime). */
  async #localDataSettings(options?: CallOptions): Promise<{ threshold: number; timeZone: string | undefined }> {
    const response = await this.client.config(
      { opType: { case: "getOption", value: { keys: [LOCAL_RELATION_CACHE_THRESHOLD_CONF, SESSION_TIME_ZONE_CONF] } } },
      options,
    );
    const value = (key: string) => response.pairs.find((p) => p.key === key)?.value;
    const n = Number.parseInt(value(LOCAL_RELATION_CACHE_THRESHOLD_CONF) ?? "", 10);
    return {
      threshold: Number.isFinite(n) && n > 0 ? n : DEFAULT_LOCAL_RELATION_CACHE_THRESHOLD,
      timeZone: value(SESSION_TIME_ZONE_CONF),
    };
  }

  // MARK: - Interrupts, tags and progress

  /** Interrupts every running operation of this session; resolves to the interrupted operation ids. */
  async interruptAll(options?: CallOptions): Promise<string[]> {
    return (await this.client.interrupt({ interruptType: InterruptRequest_InterruptType.ALL }, options)).interruptedIds;
  }

  /** Interrupts the running operations carrying `tag`. */
  async interruptTag(tag: string, options?: CallOptions): Promise<string[]> {
    const response = await this.client.interrupt(
      { interruptType: InterruptRequest_InterruptType.TAG, interrupt: { case: "operationTag", value: tag } },
      options,
    );
    return response.interruptedIds;
  }

  /** Interrupts one operation by id (empty result if it had already finished). */
  async interruptOperation(operationId: string, options?: CallOptions): Promise<string[]> {
    const response = await this.client.interrupt(
      {
        interruptType: InterruptRequest_InterruptType.OPERATION_ID,
        interrupt: { case: "operationId", value: operationId },
      },
      options,
    );
    return response.interruptedIds;
  }

  /** Tags every later operation of this session (for `interruptTag`); tags may not contain commas. */
  addTag(tag: string): void {
    if (typeof tag !== "string" || tag.length === 0 || tag.includes(",")) {
      throw new RangeError(`addTag: a tag must be a non-empty string without ",", got ${describeValue(tag)}`);
    }
    this.client.addTag(tag);
  }

  removeTag(tag: string): void {
    this.client.removeTag(tag);
  }

  getTags(): string[] {
    return this.client.getTags();
  }

  clearTags(): void {
    this.client.clearTags();
  }

  /** Calls `handler` with the progress of every operation of this session (PySpark's shape). */
  registerProgressHandler(handler: ProgressHandler): void {
    this.#progressHandlers.add(handler);
    this.client.addProgressHandler(handler);
  }

  removeProgressHandler(handler: ProgressHandler): void {
    this.#progressHandlers.delete(handler);
    this.client.removeProgressHandler(handler);
  }

  clearProgressHandlers(): void {
    for (const handler of this.#progressHandlers) this.client.removeProgressHandler(handler);
    this.#progressHandlers.clear();
  }

  // MARK: - Lifecycle

  /** True once `stop()` was called. */
  get isStopped(): boolean {
    return this.#stopped;
  }

  /** Releases the server session and closes the channel. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (SparkSession.#active === this) SparkSession.#active = undefined;
    await this.client.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** @internal Marks this session as the one `getOrCreate` returns. */
  _activate(): void {
    SparkSession.#active = this;
  }

  // MARK: - Executor (used by DataFrame, readers, writers, catalog)

  /** @internal A fresh plan id of this session. */
  _nextPlanId(): bigint {
    return this.#planIds.next();
  }

  /** @internal Restarts plan ids at 0, so tests can compare whole plans. */
  _resetPlanIds(): void {
    this.#planIds.reset();
  }

  /** @internal A DataFrame over a relation built elsewhere (catalog, tests). */
  _newDataFrame(relation: Relation): DataFrame {
    return new DataFrame(this, relation);
  }

  #checkOpen(): void {
    if (this.#stopped)
      throw new Error("This SparkSession has been stopped; create a new one with SparkSession.builder()");
  }

  /** @internal Runs a plan and streams its events. */
  _execute(plan: Plan, options?: ExecuteOptions): AsyncIterable<ExecuteEvent> {
    this.#checkOpen();
    return this.client.executePlan(plan, options);
  }

  /** @internal Runs a command plan to completion; returns its non-data events (e.g. sqlCommandResult). */
  async _runCommand(plan: Plan, options?: ExecuteOptions): Promise<ExecuteEvent[]> {
    const events: ExecuteEvent[] = [];
    for await (const event of this._execute(plan, options)) {
      if (event.kind === "sqlCommandResult" || event.kind === "other") events.push(event);
    }
    return events;
  }

  /** @internal One AnalyzePlan request. */
  async _analyze(analyze: AnalyzeInput, options?: CallOptions): Promise<AnalyzePlanResponse> {
    this.#checkOpen();
    return this.client.analyzePlan(analyze, options);
  }

  /** @internal The logger given to the builder. */
  get _logger(): Logger {
    return this.#logger;
  }
}

/** Configures and opens a SparkSession (PySpark's `SparkSession.Builder`). Methods chain. */
export class SparkSessionBuilder {
  #remote: string | undefined;
  #appName: string | undefined;
  readonly #configs: Record<string, string> = {};
  #logger: Logger | undefined;
  #client: SparkConnectClient | undefined;
  #clientOptions: ClientOptions = {};

  /** The Spark Connect URL, e.g. "sc://host:15002/;token=…". Default: `SPARK_REMOTE`, else sc://127.0.0.1:15002. */
  remote(url?: string): this {
    if (url !== undefined && typeof url !== "string")
      throw new TypeError(`remote expects an sc:// URL string, got ${describeValue(url)}`);
    this.#remote = url;
    return this;
  }

  /** A name for this application; sent as the gRPC user agent unless the URL sets `user_agent`. */
  appName(name: string): this {
    this.#appName = name;
    return this;
  }

  /** Runtime SQL configuration applied when the session opens: `config(key, value)` or `config({ k: v })`. */
  config(key: string, value: string | number | bigint | boolean): this;
  config(map: Readonly<Record<string, string | number | bigint | boolean>>): this;
  config(
    keyOrMap: string | Readonly<Record<string, string | number | bigint | boolean>>,
    value?: string | number | bigint | boolean,
  ): this {
    const entries = typeof keyOrMap === "string" ? [[keyOrMap, value] as const] : Object.entries(keyOrMap);
    for (const [k, v] of entries) {
      if (v === undefined || v === null) throw new TypeError(`config "${k}" needs a value`);
      this.#configs[k] = String(v);
    }
    return this;
  }

  /** Receives the client's diagnostics (retries, reattaches, server warnings); silent by default. */
  logger(logger: Logger): this {
    this.#logger = logger;
    return this;
  }

  /** Transport options (retry policies, TLS material, …) for the client the builder creates. */
  clientOptions(options: ClientOptions): this {
    this.#clientOptions = options;
    return this;
  }

  /** Uses an existing client instead of opening one (custom transports, tests). */
  client(client: SparkConnectClient): this {
    this.#client = client;
    return this;
  }

  /** The active session if one is open (with the configs applied), else a new one. */
  async getOrCreate(): Promise<SparkSession> {
    const active = SparkSession.getActiveSession();
    if (active && !active.isStopped && this.#remote === undefined && this.#client === undefined) {
      await this.#applyConfigs(active);
      return active;
    }
    const session = await this.create();
    session._activate();
    return session;
  }

  /** Always opens a new session. */
  async create(): Promise<SparkSession> {
    const logger = this.#logger ?? silentLogger;
    let client = this.#client;
    if (!client) {
      const config = parseConnectionString(this.#remote ?? defaultRemote());
      if (this.#appName && !config.userAgent) config.userAgent = this.#appName;
      client = createClient(config, { logger, ...this.#clientOptions });
    }
    let session: SparkSession;
    try {
      session = await SparkSession.fromClient(client, { logger, appName: this.#appName });
    } catch (error) {
      if (!this.#client) await client.close().catch(() => {});
      throw error;
    }
    try {
      await this.#applyConfigs(session);
    } catch (error) {
      await session.stop().catch(() => {});
      throw error;
    }
    if (!SparkSession.getActiveSession()) session._activate();
    return session;
  }

  async #applyConfigs(session: SparkSession): Promise<void> {
    // Unlike PySpark, which logs and ignores a config the server refuses, this fails: a silently
    // ignored setting is the harder bug to find.
    if (Object.keys(this.#configs).length > 0) await session.conf.setAll(this.#configs);
  }
}
