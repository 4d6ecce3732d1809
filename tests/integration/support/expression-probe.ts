/**
 * Evaluates Columns on the real server through the thinnest path: `Project`/`Aggregate` over a SQL relation,
 * sent with the transport client and decoded with the Arrow row decoder. The expression tests use it so
 * they depend on the expression layer, the transport and the decoder only, not on the DataFrame API.
 */
import { create } from "@bufbuild/protobuf";
import { type Row, rowsFromEvents } from "../../../src/connect/arrow/decode.ts";
import type { Column } from "../../../src/connect/dataframe/column.ts";
import { PlanSchema } from "../../../src/connect/gen/spark/connect/base_pb.ts";
import type { Relation } from "../../../src/connect/gen/spark/connect/relations_pb.ts";
import { aggregate, project, sql } from "../../../src/connect/plan/relations.ts";
import { createClient, type GrpcSparkConnectClient } from "../../../src/connect/transport/index.ts";
import { fromProtoDataType, type StructType } from "../../../src/connect/types/data-types.ts";

export class ExpressionProbe {
  private constructor(readonly client: GrpcSparkConnectClient) {}

  /** A probe on its own session (so session confs set by a test stay in it). */
  static open(remote: string): ExpressionProbe {
    return new ExpressionProbe(createClient(remote));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Sets session confs (e.g. the session time zone) for this probe's session only. */
  async setConf(pairs: Record<string, string>): Promise<void> {
    await this.client.config({
      opType: { case: "set", value: { pairs: Object.entries(pairs).map(([key, value]) => ({ key, value })) } },
    });
  }

  async rows(root: Relation): Promise<Row[]> {
    const plan = create(PlanSchema, { opType: { case: "root", value: root } });
    const rows: Row[] = [];
    for await (const row of rowsFromEvents(this.client.executePlan(plan))) rows.push(row);
    return rows;
  }

  /** `SELECT columns FROM (from)`; `from` defaults to one row with no columns. */
  select(columns: Column[], from = "SELECT 1 AS one"): Promise<Row[]> {
    return this.rows(
      project(
        sql(from),
        columns.map((c) => c.expression),
      ),
    );
  }

  /** The single value of one column over a one-row input. */
  async value(column: Column, from?: string): Promise<unknown> {
    const rows = await this.select([column.alias("v")], from);
    if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}`);
    return rows[0]?.v;
  }

  /** The values of one column, one per input row, in input order (the input must be ordered). */
  async values(column: Column, from: string): Promise<unknown[]> {
    return (await this.select([column.alias("v")], from)).map((r) => r.v);
  }

  /** `SELECT groupBy..., aggregates FROM (from) GROUP BY groupBy`. */
  aggregate(aggregates: Column[], from: string, groupBy: Column[] = []): Promise<Row[]> {
    return this.rows(
      aggregate(sql(from), {
        groupType: "groupby",
        grouping: groupBy.map((c) => c.expression),
        aggregates: aggregates.map((c) => c.expression),
      }),
    );
  }

  /** The analyzed schema of `SELECT columns FROM (from)`. */
  async schema(columns: Column[], from = "SELECT 1 AS one"): Promise<StructType> {
    const response = await this.client.analyzePlan({
      case: "schema",
      value: {
        plan: {
          opType: {
            case: "root",
            value: project(
              sql(from),
              columns.map((c) => c.expression),
            ),
          },
        },
      },
    });
    if (response.result.case !== "schema" || !response.result.value.schema) throw new Error("no schema in response");
    return fromProtoDataType(response.result.value.schema) as StructType;
  }
}
