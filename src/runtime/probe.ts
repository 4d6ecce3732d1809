/**
 * Proves that a Spark Connect server is ready. The server logs "started" once its gRPC port is bound,
 * but only an answered RPC shows it can take sessions, so the probe asks for the Spark version over a
 * short-lived session with retries off (the caller decides how often to try again).
 */
import { createClient } from "../connect/transport/index.ts";

/** Resolves with the server's Spark version when the server at `remote` answers; rejects otherwise. */
export type ReadinessProbe = (remote: string, signal: AbortSignal) => Promise<string>;

/** One AnalyzePlan(spark_version) round trip on a fresh session, which is then released. */
export const probeSparkConnect: ReadinessProbe = async (remote, signal) => {
  const client = createClient(remote, { retryPolicies: [], auxiliaryTimeoutMs: 2000 });
  try {
    const response = await client.analyzePlan({ case: "sparkVersion", value: {} }, { signal });
    if (response.result.case !== "sparkVersion") {
      throw new Error(`${remote} answered AnalyzePlan(spark_version) with ${response.result.case ?? "nothing"}`);
    }
    return response.result.value.version;
  } finally {
    await client.close();
  }
};
