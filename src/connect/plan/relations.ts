/**
 * Pure builders of Spark Connect `Relation` messages: each takes its input relation(s) and plain
 * arguments and returns a new message, never touching a session or the network. Builders are named
 * after the `rel_type` variant they fill, so a grep from relations.proto lands here.
 * @see proto/spark/connect/relations.proto
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type {
  Expression,
  Expression_Alias,
  Expression_Literal,
  Expression_SortOrder,
} from "../gen/spark/connect/expressions_pb.ts";
import {
  Aggregate_GroupType,
  Join_JoinType,
  type Relation,
  RelationSchema,
  SetOperation_SetOpType,
} from "../gen/spark/connect/relations_pb.ts";
import type { DataType } from "../gen/spark/connect/types_pb.ts";

type RelType = NonNullable<MessageInitShape<typeof RelationSchema>["relType"]>;

function relation(relType: RelType): Relation {
  return create(RelationSchema, { relType });
}

/** Returns a copy of `relation` carrying `planId` in its RelationCommon (the input is left untouched). */
export function withPlanId(rel: Relation, planId: bigint): Relation {
  return create(RelationSchema, { relType: rel.relType, common: { origin: rel.common?.origin, planId } });
}

/** The plan id of a relation, if it has one. */
export function planIdOf(rel: Relation): bigint | undefined {
  return rel.common?.planId;
}

// MARK: - Sources

/** `spark.table(name)` / `spark.read.table(name)`: a catalog table by its unparsed (possibly multi-part) name. */
export function readNamedTable(
  identifier: string,
  options: Record<string, string> = {},
  isStreaming = false,
): Relation {
  return relation({
    case: "read",
    value: { isStreaming, readType: { case: "namedTable", value: { unparsedIdentifier: identifier, options } } },
  });
}

export interface DataSourceArgs {
  format?: string;
  /** A DDL string (`a INT, b STRING`) or the JSON form of a DataType. */
  schema?: string;
  options?: Record<string, string>;
  paths?: string[];
  /** JDBC partition predicates. */
  predicates?: string[];
}

/** `spark.read.format(f).load(paths)`: a data source read. */
export function readDataSource(args: DataSourceArgs, isStreaming = false): Relation {
  return relation({
    case: "read",
    value: {
      isStreaming,
      readType: {
        case: "dataSource",
        value: {
          format: args.format,
          schema: args.schema,
          options: args.options ?? {},
          paths: args.paths ?? [],
          predicates: args.predicates ?? [],
        },
      },
    },
  });
}

/** A SQL query with optional named (`:name`) or positional (`?`) arguments as expressions. */
export function sql(
  query: string,
  args: { named?: Record<string, Expression>; positional?: Expression[] } = {},
): Relation {
  return relation({
    case: "sql",
    value: { query, namedArguments: args.named ?? {}, posArguments: args.positional ?? [] },
  });
}

/** `spark.range(start, end, step, numPartitions)`. */
export function range(start: bigint, end: bigint, step: bigint, numPartitions?: number): Relation {
  return relation({ case: "range", value: { start, end, step, numPartitions } });
}

/** Rows shipped inline as one Arrow IPC stream, with an optional schema (DDL or JSON). */
export function localRelation(data: Uint8Array | undefined, schema?: string): Relation {
  return relation({ case: "localRelation", value: { data, schema } });
}

/** Rows already uploaded as the artifact `cache/<hash>`. */
export function cachedLocalRelation(hash: string): Relation {
  return relation({ case: "cachedLocalRelation", value: { hash } });
}

/** Rows uploaded as several `cache/<hash>` artifacts (Arrow IPC chunks), with the schema as its own artifact. */
export function chunkedCachedLocalRelation(dataHashes: string[], schemaHash?: string): Relation {
  return relation({ case: "chunkedCachedLocalRelation", value: { dataHashes, schemaHash } });
}

/** A table-valued function call such as `range(10)` or `explode(array(1,2))`. */
export function unresolvedTableValuedFunction(functionName: string, args: Expression[]): Relation {
  return relation({ case: "unresolvedTableValuedFunction", value: { functionName, arguments: args } });
}

// MARK: - Projections and filters

export function project(input: Relation, expressions: Expression[]): Relation {
  return relation({ case: "project", value: { input, expressions } });
}

export function filter(input: Relation, condition: Expression): Relation {
  return relation({ case: "filter", value: { input, condition } });
}

/** Adds or replaces columns; each alias names exactly one column. */
export function withColumns(input: Relation, aliases: Expression_Alias[]): Relation {
  return relation({ case: "withColumns", value: { input, aliases } });
}

/** Renames columns, in order; unknown names are ignored by the server, as in PySpark. */
export function withColumnsRenamed(input: Relation, renames: Array<[from: string, to: string]>): Relation {
  return relation({
    case: "withColumnsRenamed",
    value: { input, renames: renames.map(([colName, newColName]) => ({ colName, newColName })) },
  });
}

/** Drops columns given as expressions and/or names. */
export function drop(input: Relation, columns: Expression[], columnNames: string[]): Relation {
  return relation({ case: "drop", value: { input, columns, columnNames } });
}

/** Renames all columns positionally (`toDF(...names)`). */
export function toDF(input: Relation, columnNames: string[]): Relation {
  return relation({ case: "toDf", value: { input, columnNames } });
}

/** Reconciles the input with a schema: reorders, casts and projects columns by name. */
export function toSchema(input: Relation, schema: DataType): Relation {
  return relation({ case: "toSchema", value: { input, schema } });
}

/** `alias(name)`: names the relation so that `name.col` resolves in later joins and SQL. */
export function subqueryAlias(input: Relation, alias: string): Relation {
  return relation({ case: "subqueryAlias", value: { input, alias } });
}

export function hint(input: Relation, name: string, parameters: Expression[]): Relation {
  return relation({ case: "hint", value: { input, name, parameters } });
}

/** Wide to long: keeps `ids`, turns `values` (all other columns when undefined) into variable/value rows. */
export function unpivot(
  input: Relation,
  ids: Expression[],
  values: Expression[] | undefined,
  variableColumnName: string,
  valueColumnName: string,
): Relation {
  return relation({
    case: "unpivot",
    value: { input, ids, values: values ? { values } : undefined, variableColumnName, valueColumnName },
  });
}

// MARK: - Joins and set operations

/** PySpark's join type names, including aliases, mapped to the proto enum. */
export const JOIN_TYPES: Readonly<Record<string, Join_JoinType>> = {
  inner: Join_JoinType.INNER,
  cross: Join_JoinType.CROSS,
  outer: Join_JoinType.FULL_OUTER,
  full: Join_JoinType.FULL_OUTER,
  fullouter: Join_JoinType.FULL_OUTER,
  full_outer: Join_JoinType.FULL_OUTER,
  left: Join_JoinType.LEFT_OUTER,
  leftouter: Join_JoinType.LEFT_OUTER,
  left_outer: Join_JoinType.LEFT_OUTER,
  right: Join_JoinType.RIGHT_OUTER,
  rightouter: Join_JoinType.RIGHT_OUTER,
  right_outer: Join_JoinType.RIGHT_OUTER,
  semi: Join_JoinType.LEFT_SEMI,
  leftsemi: Join_JoinType.LEFT_SEMI,
  left_semi: Join_JoinType.LEFT_SEMI,
  anti: Join_JoinType.LEFT_ANTI,
  leftanti: Join_JoinType.LEFT_ANTI,
  left_anti: Join_JoinType.LEFT_ANTI,
};

/** Maps a PySpark join type name (case-insensitive) to the proto enum, or throws naming the allowed names. */
export function joinType(how: string): Join_JoinType {
  const key = how.toLowerCase();
  const type = Object.hasOwn(JOIN_TYPES, key) ? JOIN_TYPES[key] : undefined;
  if (type === undefined) {
    throw new RangeError(`Unsupported join type "${how}"; allowed: ${Object.keys(JOIN_TYPES).join(", ")}`);
  }
  return type;
}

export interface JoinArgs {
  type: Join_JoinType;
  condition?: Expression;
  usingColumns?: string[];
}

export function join(left: Relation, right: Relation, args: JoinArgs): Relation {
  return relation({
    case: "join",
    value: { left, right, joinType: args.type, joinCondition: args.condition, usingColumns: args.usingColumns ?? [] },
  });
}

export interface SetOperationArgs {
  type: "union" | "intersect" | "except";
  isAll: boolean;
  byName?: boolean;
  allowMissingColumns?: boolean;
}

const SET_OP_TYPES = {
  union: SetOperation_SetOpType.UNION,
  intersect: SetOperation_SetOpType.INTERSECT,
  except: SetOperation_SetOpType.EXCEPT,
} as const;

export function setOperation(left: Relation, right: Relation, args: SetOperationArgs): Relation {
  return relation({
    case: "setOp",
    value: {
      leftInput: left,
      rightInput: right,
      setOpType: SET_OP_TYPES[args.type],
      isAll: args.isAll,
      byName: args.byName ?? false,
      allowMissingColumns: args.allowMissingColumns ?? false,
    },
  });
}

// MARK: - Ordering, limits, sampling, partitioning

/** `orderBy`/`sort` (global) or `sortWithinPartitions` (isGlobal=false). */
export function sort(input: Relation, order: Expression_SortOrder[], isGlobal: boolean): Relation {
  return relation({ case: "sort", value: { input, order, isGlobal } });
}

export function limit(input: Relation, n: number): Relation {
  return relation({ case: "limit", value: { input, limit: n } });
}

export function offset(input: Relation, n: number): Relation {
  return relation({ case: "offset", value: { input, offset: n } });
}

export function tail(input: Relation, n: number): Relation {
  return relation({ case: "tail", value: { input, limit: n } });
}

export interface SampleArgs {
  lowerBound: number;
  upperBound: number;
  withReplacement: boolean;
  seed: bigint;
  /** Sort each partition first so that the sample is reproducible (used by randomSplit). */
  deterministicOrder?: boolean;
}

export function sample(input: Relation, args: SampleArgs): Relation {
  return relation({
    case: "sample",
    value: {
      input,
      lowerBound: args.lowerBound,
      upperBound: args.upperBound,
      withReplacement: args.withReplacement,
      seed: args.seed,
      deterministicOrder: args.deterministicOrder ?? false,
    },
  });
}

/** `distinct()` (all columns as keys) or `dropDuplicates(names)`. */
export function deduplicate(input: Relation, columnNames: string[] | undefined, withinWatermark = false): Relation {
  return relation({
    case: "deduplicate",
    value: {
      input,
      columnNames: columnNames ?? [],
      allColumnsAsKeys: columnNames === undefined,
      withinWatermark,
    },
  });
}

/** `repartition(n)` (shuffle=true) or `coalesce(n)` (shuffle=false). */
export function repartition(input: Relation, numPartitions: number, shuffle: boolean): Relation {
  return relation({ case: "repartition", value: { input, numPartitions, shuffle } });
}

/** `repartition(n?, ...cols)` (hash) or `repartitionByRange(n?, ...cols)` (sort orders as partition expressions). */
export function repartitionByExpression(
  input: Relation,
  partitionExprs: Expression[],
  numPartitions?: number,
): Relation {
  return relation({ case: "repartitionByExpression", value: { input, partitionExprs, numPartitions } });
}

// MARK: - Aggregation

export type GroupType = "groupby" | "rollup" | "cube" | "pivot" | "grouping_sets";

const GROUP_TYPES: Record<GroupType, Aggregate_GroupType> = {
  groupby: Aggregate_GroupType.GROUPBY,
  rollup: Aggregate_GroupType.ROLLUP,
  cube: Aggregate_GroupType.CUBE,
  pivot: Aggregate_GroupType.PIVOT,
  grouping_sets: Aggregate_GroupType.GROUPING_SETS,
};

export interface AggregateArgs {
  groupType: GroupType;
  grouping: Expression[];
  aggregates: Expression[];
  /** For pivot: the pivot column and, optionally, its values (computed by the server when absent). */
  pivot?: { col: Expression; values?: Expression_Literal[] };
  groupingSets?: Expression[][];
}

export function aggregate(input: Relation, args: AggregateArgs): Relation {
  return relation({
    case: "aggregate",
    value: {
      input,
      groupType: GROUP_TYPES[args.groupType],
      groupingExpressions: args.grouping,
      aggregateExpressions: args.aggregates,
      pivot: args.pivot ? { col: args.pivot.col, values: args.pivot.values ?? [] } : undefined,
      groupingSets: (args.groupingSets ?? []).map((groupingSet) => ({ groupingSet })),
    },
  });
}

/** `observe(name, ...metrics)`: metrics computed while the plan runs, reported as observed metrics. */
export function collectMetrics(input: Relation, name: string, metrics: Expression[]): Relation {
  return relation({ case: "collectMetrics", value: { input, name, metrics } });
}

// MARK: - Server-rendered output

/** `show(n, truncate, vertical)`: the server renders the table into a one-row, one-column string result. */
export function showString(input: Relation, numRows: number, truncate: number, vertical: boolean): Relation {
  return relation({ case: "showString", value: { input, numRows, truncate, vertical } });
}

// MARK: - Missing values (df.na)

export function naFill(input: Relation, cols: string[], values: Expression_Literal[]): Relation {
  return relation({ case: "fillNa", value: { input, cols, values } });
}

export function naDrop(input: Relation, cols: string[], minNonNulls?: number): Relation {
  return relation({ case: "dropNa", value: { input, cols, minNonNulls } });
}

export function naReplace(
  input: Relation,
  cols: string[],
  replacements: Array<[oldValue: Expression_Literal, newValue: Expression_Literal]>,
): Relation {
  return relation({
    case: "replace",
    value: { input, cols, replacements: replacements.map(([oldValue, newValue]) => ({ oldValue, newValue })) },
  });
}

// MARK: - Statistics (df.stat, describe, summary)

export function statSummary(input: Relation, statistics: string[]): Relation {
  return relation({ case: "summary", value: { input, statistics } });
}

export function statDescribe(input: Relation, cols: string[]): Relation {
  return relation({ case: "describe", value: { input, cols } });
}

export function statCrosstab(input: Relation, col1: string, col2: string): Relation {
  return relation({ case: "crosstab", value: { input, col1, col2 } });
}

export function statCov(input: Relation, col1: string, col2: string): Relation {
  return relation({ case: "cov", value: { input, col1, col2 } });
}

export function statCorr(input: Relation, col1: string, col2: string, method?: string): Relation {
  return relation({ case: "corr", value: { input, col1, col2, method } });
}

export function statApproxQuantile(
  input: Relation,
  cols: string[],
  probabilities: number[],
  relativeError: number,
): Relation {
  return relation({ case: "approxQuantile", value: { input, cols, probabilities, relativeError } });
}

export function statFreqItems(input: Relation, cols: string[], support?: number): Relation {
  return relation({ case: "freqItems", value: { input, cols, support } });
}

export function statSampleBy(
  input: Relation,
  col: Expression,
  fractions: Array<[stratum: Expression_Literal, fraction: number]>,
  seed?: bigint,
): Relation {
  return relation({
    case: "sampleBy",
    value: { input, col, fractions: fractions.map(([stratum, fraction]) => ({ stratum, fraction })), seed },
  });
}

// MARK: - Catalog

type CatalogType = NonNullable<MessageInitShape<typeof RelationSchema>["relType"] & { case: "catalog" }>["value"];

/** A catalog operation (`spark.catalog.*`), whose answer comes back as rows. */
export function catalog(catType: NonNullable<CatalogType>["catType"]): Relation {
  return relation({ case: "catalog", value: { catType } });
}
