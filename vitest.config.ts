import { defineConfig } from "vitest/config";

// Two projects: unit tests need nothing; integration tests share one real Spark Connect server,
// started once by the global setup (or taken from SPARK_REMOTE) and stopped at the end of the run.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/setup/spark-server.ts"],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          // One Spark server on two cores: run integration files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
