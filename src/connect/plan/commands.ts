/**
 * Pure builders of Spark Connect `Command` messages (eager operations with side effects: SQL
 * statements, temp views, V1/V2 writes) and of the `Plan` envelope that carries either a relation
 * or a command to ExecutePlan.
 * @see proto/spark/connect/commands.proto, proto/spark/connect/base.proto Plan
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type Plan, PlanSchema } from "../gen/spark/connect/base_pb.ts";
import {
  type Command,
  CommandSchema,
  WriteOperation_SaveMode,
  WriteOperation_SaveTable_TableSaveMethod,
  WriteOperationV2_Mode,
} from "../gen/spark/connect/commands_pb.ts";
import type { Expression } from "../gen/spark/connect/expressions_pb.ts";
import type { Relation } from "../gen/spark/connect/relations_pb.ts";

type CommandType = NonNullable<MessageInitShape<typeof CommandSchema>["commandType"]>;

function command(commandType: CommandType): Command {
  return create(CommandSchema, { commandType });
}

/** A plan whose root is a relation: its rows come back as Arrow batches. */
export function relationPlan(root: Relation): Plan {
  return create(PlanSchema, { opType: { case: "root", value: root } });
}

/** A plan that runs a command. */
export function commandPlan(cmd: Command): Plan {
  return create(PlanSchema, { opType: { case: "command", value: cmd } });
}

/**
 * `spark.sql(text)` runs as a SqlCommand so that DDL/DML execute eagerly (as in PySpark); the server
 * answers with a relation to use for the resulting DataFrame. `input` is an `sql` relation.
 */
export function sqlCommand(input: Relation): Command {
  return command({ case: "sqlCommand", value: { input } });
}

/** `createTempView` / `createOrReplaceTempView` / `createGlobalTempView` / `createOrReplaceGlobalTempView`. */
export function createDataFrameView(input: Relation, name: string, isGlobal: boolean, replace: boolean): Command {
  return command({ case: "createDataframeView", value: { input, name, isGlobal, replace } });
}

/** PySpark's save mode names, with their aliases, mapped to the proto enum. */
export const SAVE_MODES: Readonly<Record<string, WriteOperation_SaveMode>> = {
  append: WriteOperation_SaveMode.APPEND,
  overwrite: WriteOperation_SaveMode.OVERWRITE,
  error: WriteOperation_SaveMode.ERROR_IF_EXISTS,
  errorifexists: WriteOperation_SaveMode.ERROR_IF_EXISTS,
  default: WriteOperation_SaveMode.ERROR_IF_EXISTS,
  ignore: WriteOperation_SaveMode.IGNORE,
};

/** Maps a save mode name (case-insensitive) to the proto enum, or throws naming the allowed names. */
export function saveMode(mode: string): WriteOperation_SaveMode {
  const key = typeof mode === "string" ? mode.toLowerCase() : "";
  const value = Object.hasOwn(SAVE_MODES, key) ? SAVE_MODES[key] : undefined;
  if (value === undefined) {
    throw new RangeError(`Unknown save mode "${mode}"; allowed: ${Object.keys(SAVE_MODES).join(", ")}`);
  }
  return value;
}

export interface WriteArgs {
  source?: string;
  mode?: WriteOperation_SaveMode;
  /** Exactly one of path, table (saveAsTable) or insertInto; none means `save()` with a `path` option. */
  path?: string;
  table?: { name: string; method: "saveAsTable" | "insertInto" };
  partitionBy?: string[];
  sortBy?: string[];
  bucketBy?: { numBuckets: number; columns: string[] };
  clusterBy?: string[];
  options?: Record<string, string>;
}

/** A V1 write (`df.write...save/saveAsTable/insertInto`). */
export function writeOperation(input: Relation, args: WriteArgs): Command {
  const saveType = args.table
    ? ({
        case: "table",
        value: {
          tableName: args.table.name,
          saveMethod:
            args.table.method === "saveAsTable"
              ? WriteOperation_SaveTable_TableSaveMethod.SAVE_AS_TABLE
              : WriteOperation_SaveTable_TableSaveMethod.INSERT_INTO,
        },
      } as const)
    : args.path !== undefined
      ? ({ case: "path", value: args.path } as const)
      : undefined;
  return command({
    case: "writeOperation",
    value: {
      input,
      source: args.source,
      saveType,
      mode: args.mode ?? WriteOperation_SaveMode.UNSPECIFIED,
      sortColumnNames: args.sortBy ?? [],
      partitioningColumns: args.partitionBy ?? [],
      bucketBy: args.bucketBy
        ? { bucketColumnNames: args.bucketBy.columns, numBuckets: args.bucketBy.numBuckets }
        : undefined,
      clusteringColumns: args.clusterBy ?? [],
      options: args.options ?? {},
    },
  });
}

export type WriteV2Mode = "create" | "overwrite" | "overwritePartitions" | "append" | "replace" | "createOrReplace";

const WRITE_V2_MODES: Record<WriteV2Mode, WriteOperationV2_Mode> = {
  create: WriteOperationV2_Mode.CREATE,
  overwrite: WriteOperationV2_Mode.OVERWRITE,
  overwritePartitions: WriteOperationV2_Mode.OVERWRITE_PARTITIONS,
  append: WriteOperationV2_Mode.APPEND,
  replace: WriteOperationV2_Mode.REPLACE,
  createOrReplace: WriteOperationV2_Mode.CREATE_OR_REPLACE,
};

export interface WriteV2Args {
  mode: WriteV2Mode;
  provider?: string;
  partitionedBy?: Expression[];
  clusterBy?: string[];
  options?: Record<string, string>;
  tableProperties?: Record<string, string>;
  /** For `overwrite(condition)`. */
  overwriteCondition?: Expression;
}

/** A V2 write (`df.writeTo(table).create/replace/append/...`). */
export function writeOperationV2(input: Relation, tableName: string, args: WriteV2Args): Command {
  return command({
    case: "writeOperationV2",
    value: {
      input,
      tableName,
      provider: args.provider,
      partitioningColumns: args.partitionedBy ?? [],
      options: args.options ?? {},
      tableProperties: args.tableProperties ?? {},
      mode: WRITE_V2_MODES[args.mode],
      overwriteCondition: args.overwriteCondition,
      clusteringColumns: args.clusterBy ?? [],
    },
  });
}
