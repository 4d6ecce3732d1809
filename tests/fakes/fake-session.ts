/**
 * A SparkSession over a FakeClient, for plan-only tests of the DataFrame API: the fake answers the
 * version request the session makes on creation and records everything after it.
 */
import { SparkSession } from "../../src/connect/session/spark-session.ts";
import { FakeClient } from "./fake-client.ts";

export async function fakeSession(): Promise<{ spark: SparkSession; client: FakeClient }> {
  const client = new FakeClient();
  client.onAnalyze = (input) => {
    if (input?.case === "sparkVersion") return { case: "sparkVersion", value: { version: "4.1.3" } };
    throw new Error(`fakeSession: no answer scripted for ${input?.case}`);
  };
  const spark = await SparkSession.fromClient(client);
  client.analyzed.length = 0;
  return { spark, client };
}
