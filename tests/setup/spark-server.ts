/**
 * Vitest global setup for integration tests: provides `sparkRemote` (an sc:// URL) to every test file.
 * Uses SPARK_REMOTE when set; otherwise installs (if needed) and starts a local Spark Connect server
 * bound to 127.0.0.1, and stops exactly that server when the run ends.
 */
import type {} from "vitest";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    sparkRemote: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const remote = process.env.SPARK_REMOTE;
  if (remote) {
    project.provide("sparkRemote", remote);
    return async () => {};
  }
  throw new Error("local Spark provisioning for tests is not wired yet (set SPARK_REMOTE)");
}
