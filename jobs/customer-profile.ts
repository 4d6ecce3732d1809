/**
 * One customer's document on demand (`retail-lab profile`): the customer-profiles job's document built for a
 * single id, whose filter Spark pushes down into the Parquet scans of every table that has a customer_id.
 */
import { type DataFrame, functions as F, type SparkSession } from "../src/index.ts";
import { customerDocuments, DOCUMENT_INPUTS } from "./customer-documents.ts";
import { EXTENDED_JSON_WRITE_OPTIONS, toExtendedJson } from "./extended-json.ts";
import { InputError, openInputs } from "./inputs.ts";
import { toJson } from "./result-files.ts";

export interface ProfileOptions {
  recentOrders?: number;
  /** "json": plain JSON with exact decimals as strings; "extended-json": the mongoimport form. */
  format?: "json" | "extended-json";
  signal?: AbortSignal;
}

/** The plan of one customer's document over the generated tables in `dataDir`. */
export async function profileFrame(
  spark: SparkSession,
  dataDir: string,
  customerId: bigint,
  options: { recentOrders?: number; signal?: AbortSignal } = {},
): Promise<DataFrame> {
  const input = await openInputs(spark, dataDir, DOCUMENT_INPUTS, { signal: options.signal });
  return customerDocuments(input, { recentOrders: options.recentOrders ?? 5, customerId });
}

/** The customer's document as pretty-printed JSON; an unknown id is an error naming it. */
export async function customerProfile(
  spark: SparkSession,
  dataDir: string,
  customerId: bigint,
  options: ProfileOptions = {},
): Promise<string> {
  const frame = await profileFrame(spark, dataDir, customerId, options);
  const execute = { signal: options.signal };
  if (options.format === "extended-json") {
    const json = (await toExtendedJson(frame, execute)).select(
      F.to_json(F.struct(F.col("*")), {
        timestampFormat: EXTENDED_JSON_WRITE_OPTIONS.timestampFormat!,
        timeZone: "UTC",
      }).alias("document"),
    );
    const [row] = await json.collect(execute);
    if (!row) throw notFound(customerId, dataDir);
    return JSON.stringify(JSON.parse(String(row.document)), null, 2);
  }
  const [row] = await frame.collect(execute);
  if (!row) throw notFound(customerId, dataDir);
  return toJson(row);
}

function notFound(customerId: bigint, dataDir: string): InputError {
  return new InputError(`customer ${customerId} is not in the customers table of ${dataDir}`);
}
