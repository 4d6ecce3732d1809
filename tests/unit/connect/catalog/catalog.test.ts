import { tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { StorageLevel } from "../../../../src/connect/dataframe/storage-level.ts";
import { arrowBatch, executeComplete } from "../../../fakes/fake-client.ts";
import { fakeSession } from "../../../fakes/fake-session.ts";

describe("Catalog", () => {
  it("sends one Catalog relation per call and reads its rows", async () => {
    const { spark, client } = await fakeSession();
    client.onExecute = (plan) => {
      const rel = plan.opType.case === "root" ? plan.opType.value : undefined;
      const cat = rel?.relType.case === "catalog" ? rel.relType.value.catType : undefined;
      if (cat?.case === "tableExists") return [arrowBatch(tableFromArrays({ exists: [true] })), executeComplete()];
      if (cat?.case === "currentDatabase") return [arrowBatch(tableFromArrays({ db: ["default"] })), executeComplete()];
      return [executeComplete()];
    };
    expect(await spark.catalog.tableExists("t", "db")).toBe(true);
    expect(await spark.catalog.currentDatabase()).toBe("default");
    await spark.catalog.cacheTable("t", StorageLevel.DISK_ONLY);
    await spark.catalog.clearCache();
    const cases = client.executed.map((e) => {
      const rel = e.plan.opType.case === "root" ? e.plan.opType.value : undefined;
      return rel?.relType.case === "catalog" ? rel.relType.value.catType : undefined;
    });
    expect(cases.map((c) => c?.case)).toEqual(["tableExists", "currentDatabase", "cacheTable", "clearCache"]);
    expect(cases[0]?.value).toMatchObject({ tableName: "t", dbName: "db" });
    expect(cases[2]?.value).toMatchObject({ storageLevel: { useDisk: true, useMemory: false } });
  });

  it("fails clearly when the server's answer has the wrong shape", async () => {
    const { spark, client } = await fakeSession();
    client.onExecute = () => [arrowBatch(tableFromArrays({ exists: ["yes"] })), executeComplete()];
    await expect(spark.catalog.databaseExists("db")).rejects.toThrow(/expected a boolean/);
    await expect(spark.catalog.cacheTable("t", "MEMORY" as never)).rejects.toThrow(/must be a StorageLevel/);
  });
});
