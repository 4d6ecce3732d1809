import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SPARK_PIN } from "../../../src/runtime/spark-pin.ts";
import { parseYamlSubset, type YamlValue } from "./compose-yaml.ts";

type Service = {
  image: string;
  command: string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
};

const file = join(import.meta.dirname, "../../../docker/docker-compose.yml");
const compose = parseYamlSubset(readFileSync(file, "utf8")) as {
  services: Record<string, Service>;
  volumes: Record<string, YamlValue>;
};
const services = compose.services;
const MASTER_URL = "spark://spark-master:7077";
const WORKERS = ["spark-worker-1", "spark-worker-2"];

/** The value following `flag` in a command line. */
function flag(command: string[], name: string): string | undefined {
  const i = command.indexOf(name);
  return i >= 0 ? command[i + 1] : undefined;
}

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

describe("docker/docker-compose.yml", () => {
  it("has a master, two workers and a Connect server", () => {
    expect(Object.keys(services).sort()).toEqual(["spark-connect", "spark-master", ...WORKERS].sort());
  });

  it("pins every image to the project's Spark, Scala 2.13, Java 17", () => {
    const pinned = `apache/spark:${SPARK_PIN.version}-scala${SPARK_PIN.scala}-java17-ubuntu`;
    for (const [name, s] of Object.entries(services)) expect(s.image, name).toBe(pinned);
  });

  it("runs a Master on spark-master:7077", () => {
    const { command, healthcheck } = service("spark-master");
    expect(command).toContain("org.apache.spark.deploy.master.Master");
    expect(flag(command, "--host")).toBe("spark-master");
    expect(flag(command, "--port")).toBe("7077");
    expect(healthcheck?.test.join(" ")).toContain("/dev/tcp/spark-master/7077");
  });

  it.each(WORKERS)("wires %s to the master once it is healthy", (name) => {
    const { command, depends_on } = service(name);
    expect(command).toContain("org.apache.spark.deploy.worker.Worker");
    expect(command.at(-1)).toBe(MASTER_URL);
    expect(depends_on?.["spark-master"]).toEqual({ condition: "service_healthy" });
  });

  it("points the Connect server at the master and starts it after the workers", () => {
    const { command, depends_on, healthcheck } = service("spark-connect");
    expect(flag(command, "--class")).toBe("org.apache.spark.sql.connect.service.SparkConnectServer");
    expect(flag(command, "--master")).toBe(MASTER_URL);
    expect(command).toContain("spark.connect.grpc.binding.port=15002");
    expect(command).toContain("spark.driver.host=spark-connect");
    expect(command.at(-1)).toBe("spark-internal");
    expect(Object.keys(depends_on ?? {}).sort()).toEqual(WORKERS);
    expect(healthcheck?.test.join(" ")).toContain("/dev/tcp/127.0.0.1/15002");
  });

  it("publishes every port on 127.0.0.1 only, Spark Connect on 15002", () => {
    const ports = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    expect(service("spark-connect").ports).toContain("127.0.0.1:15002:15002");
  });

  it("shares one declared data volume between the driver and every worker, at the same path", () => {
    const volumeNames = Object.keys(compose.volumes);
    expect(volumeNames).toEqual(["retail-lab-data"]);
    for (const name of ["spark-connect", ...WORKERS]) {
      expect(service(name).volumes, name).toEqual(["retail-lab-data:/opt/spark/work-dir"]);
    }
  });
});
