/**
 * The path to a remote cluster, end to end through the real CLI: `--remote "sc://host:port/;token=…;
 * use_ssl=true;x-cluster-id=…"` against a TLS gateway (tests/fakes/tls-grpc-proxy.ts, its CA trusted through
 * GRPC_DEFAULT_SSL_ROOTS_FILE_PATH) in front of the test server. Every call carries the token as a bearer
 * authorization header and the extra header; jobs, the lake on a `file:` URI (storage the server resolves)
 * and explain work; a wrong token fails at once; and none of these commands starts anything locally.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dropCatalogEntries, lakePath, readLakeManifest } from "../../../jobs/lake-layout.ts";
import { selectJobs } from "../../../jobs/registry.ts";
import { runJobs } from "../../../jobs/runner.ts";
import { SparkSession } from "../../../src/index.ts";
import { TlsGrpcProxy } from "../../fakes/tls-grpc-proxy.ts";
import { runCli } from "../runtime/run-cli.ts";
import { generateSmallDataset, type SmallDataset } from "../support/small-dataset.ts";

const TLS = join(import.meta.dirname, "../../fakes/tls");
const TOKEN = "t0k3n-for-tests";
const CLUSTER_ID = "0427-cluster-a1";

let proxy: TlsGrpcProxy;
let data: SmallDataset;
let stateDir: string;

beforeAll(async () => {
  const target = new URL(inject("sparkRemote").replace(/^sc:/, "http:").split("/;")[0] ?? "");
  proxy = await TlsGrpcProxy.start({
    targetHost: target.hostname,
    targetPort: Number(target.port || 15002),
    cert: readFileSync(join(TLS, "server-cert.pem")),
    key: readFileSync(join(TLS, "server-key.pem")),
    token: TOKEN,
  });
  data = await generateSmallDataset("remote");
  stateDir = data.scratch("state");
});

afterAll(async () => {
  await proxy?.close();
  if (data) {
    // The shared test server keeps catalog entries for the lake built through the gateway: drop them.
    const spark = await SparkSession.builder().remote(inject("sparkRemote")).create();
    try {
      const dir = lakePath(`file://${data.dir}`);
      const manifest = await readLakeManifest(spark, dir);
      if (manifest) await dropCatalogEntries(spark, dir, manifest);
    } finally {
      await spark.stop();
    }
    data.remove();
  }
});

const remote = (token = TOKEN) =>
  `sc://localhost:${proxy.port}/;token=${token};use_ssl=true;x-cluster-id=${CLUSTER_ID}`;

/** The CLI as a user on another machine runs it: no SPARK_REMOTE, the gateway's CA trusted, a fresh state dir. */
function cli(args: string[]) {
  return runCli(args, { stateDir, env: { GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: join(TLS, "server-cert.pem") } });
}

describe("--remote with a token, TLS and an extra header", () => {
  it("runs a job through the gateway with the same results as a direct session", async () => {
    const result = await cli(["run", "aov-daily", "--data", data.dir, "--format", "json", "--remote", remote()]);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const [printed] = JSON.parse(result.stdout) as Array<{ results: Record<string, unknown[]> }>;

    const direct = await SparkSession.builder().remote(inject("sparkRemote")).create();
    try {
      const [run] = await runJobs({ spark: direct, dataDir: data.dir, jobs: selectJobs(["aov-daily"]) });
      const expected = JSON.stringify(
        Object.fromEntries(run!.results.map((r) => [r.name, r.rows])),
        (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
      );
      expect(printed?.results).toEqual(JSON.parse(expected));
    } finally {
      await direct.stop();
    }
  });

  it("sends the token as a bearer authorization header and the extra header on every call", () => {
    const accepted = proxy.calls.filter((c) => c.headers.authorization === `Bearer ${TOKEN}`);
    expect(accepted.length).toBeGreaterThan(3);
    expect(proxy.calls.every((c) => c.headers["x-cluster-id"] === CLUSTER_ID)).toBe(true);
    expect(proxy.calls.map((c) => c.path)).toContain("/spark.connect.SparkConnectService/ExecutePlan");
    expect(proxy.refused).toBe(0);
  });

  it("builds and reads the lake on a file: URI, a path the server resolves (shared storage)", async () => {
    const uri = `file://${data.dir}`;
    const built = await cli(["run", "lake", "--data", uri, "--remote", remote()]);
    expect(built.stderr).not.toMatch(/error/i);
    expect(built.code).toBe(0);
    expect(existsSync(join(data.dir, "lake", "_lake"))).toBe(true);
    const raw = await cli(["run", "aov-daily", "--data", uri, "--format", "json", "--remote", remote()]);
    const lake = await cli([
      "run",
      "aov-daily",
      "--data",
      uri,
      "--layout",
      "lake",
      "--format",
      "json",
      "--remote",
      remote(),
    ]);
    expect(lake.code).toBe(0);
    expect(JSON.parse(lake.stdout)[0].results).toEqual(JSON.parse(raw.stdout)[0].results);
    const explained = await cli(["explain", "aov-daily", "--data", uri, "--layout", "lake", "--remote", remote()]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/Scan parquet spark_catalog\.retail_lab_lake_\w+\.orders/);
  });

  it("`spark status` and `sql` use the remote too, and no command started anything locally", async () => {
    const status = await cli(["spark", "status", "--remote", remote()]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/answers \(Spark 4\.\d+\.\d+\)/);
    expect(status.stdout).not.toContain(TOKEN);
    const sql = await cli(["sql", "SELECT 40 + 2 AS answer", "--format", "json", "--remote", remote()]);
    expect(sql.code).toBe(0);
    expect(JSON.parse(sql.stdout)).toEqual([{ answer: 42 }]);
    // Nothing was installed, started or recorded under the state directory.
    expect(existsSync(stateDir) ? readdirSync(stateDir) : []).toEqual([]);
  });

  it("fails at once, naming the cause, when the gateway refuses the token", async () => {
    const started = Date.now();
    const result = await cli(["sql", "SELECT 1", "--remote", remote("wrong-token")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/UNAUTHENTICATED|missing or invalid bearer token/);
    expect(result.stderr).not.toContain("wrong-token");
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
