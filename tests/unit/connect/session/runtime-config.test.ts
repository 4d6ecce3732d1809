import { describe, expect, it } from "vitest";
import type { Logger } from "../../../../src/connect/logger.ts";
import { RuntimeConfig } from "../../../../src/connect/session/runtime-config.ts";
import { FakeClient } from "../../../fakes/fake-client.ts";

describe("RuntimeConfig", () => {
  it("maps each method to its Config operation", async () => {
    const client = new FakeClient();
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, warn: (m) => warnings.push(m) };
    const conf = new RuntimeConfig(client, logger);
    client.onConfig = (op) => {
      switch (op.opType?.case) {
        case "get":
          return { pairs: [{ key: "k", value: "v" }] };
        case "getWithDefault":
          return { pairs: [{ key: "k", value: "dflt" }] };
        case "getAll":
          return { pairs: [{ key: "x", value: "1" }] };
        case "isModifiable":
          return { pairs: [{ key: "k", value: "false" }] };
        case "set":
          return { warnings: ["deprecated key"] };
        default:
          return {};
      }
    };
    await conf.set("spark.a", true);
    expect(client.configured[0]).toMatchObject({
      opType: { case: "set", value: { pairs: [{ key: "spark.a", value: "true" }] } },
    });
    expect(warnings).toEqual(["deprecated key"]);
    expect(await conf.get("k")).toBe("v");
    expect(await conf.get("k", 5)).toBe("dflt");
    expect(client.configured[2]).toMatchObject({
      opType: { case: "getWithDefault", value: { pairs: [{ key: "k", value: "5" }] } },
    });
    expect(await conf.getOption("k")).toBeUndefined();
    expect(await conf.getAll("spark.sql.")).toEqual({ "spark.sql.x": "1" });
    expect(await conf.isModifiable("k")).toBe(false);
    await conf.unset("k");
    expect(client.configured.at(-1)).toMatchObject({ opType: { case: "unset", value: { keys: ["k"] } } });
    await expect(conf.set("k", {} as never)).rejects.toThrow(/must be a string, number, bigint or boolean/);
    await conf.setAll({});
    expect(client.configured).toHaveLength(7);
  });
});
