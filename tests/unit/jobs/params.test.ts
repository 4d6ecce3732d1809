import { describe, expect, it } from "vitest";
import { ParamError, resolveParams, splitParamArgs } from "../../../jobs/params.ts";
import { JOBS, selectJobs } from "../../../jobs/registry.ts";
import { paramsByJob } from "../../../jobs/runner.ts";

const specs = {
  window_minutes: { type: "integer", description: "", default: 1440, min: 1, max: 100 },
  segment: { type: "enum", description: "", default: "all", choices: ["all", "vip"] },
  share: { type: "number", description: "", default: 0.5 },
  strict: { type: "boolean", description: "", default: false },
  anchor: { type: "string", description: "", default: "Mineral Water" },
} as const;

describe("job parameters", () => {
  it("splits key=value, keeping '=' inside values", () => {
    expect(splitParamArgs(["a=1", "b=x=y"])).toEqual([
      ["a", "1"],
      ["b", "x=y"],
    ]);
    expect(() => splitParamArgs(["novalue"])).toThrow(/"novalue" is not of the form key=value/);
  });

  it("fills defaults and parses each type", () => {
    expect(resolveParams("j", specs, [])).toEqual({
      window_minutes: 1440,
      segment: "all",
      share: 0.5,
      strict: false,
      anchor: "Mineral Water",
    });
    expect(
      resolveParams("j", specs, [
        ["window_minutes", "30"],
        ["segment", "vip"],
        ["share", "0.25"],
        ["strict", "true"],
        ["anchor", "Shampoo"],
      ]),
    ).toEqual({ window_minutes: 30, segment: "vip", share: 0.25, strict: true, anchor: "Shampoo" });
  });

  it.each([
    [
      ["nope", "1"],
      /job j has no parameter "nope"; its parameters are: window_minutes, segment, share, strict, anchor/,
    ],
    [["segment", "gold"], /parameter segment of job j is "gold"; allowed: all, vip/],
    [["window_minutes", "1.5"], /expected a whole number/],
    [["window_minutes", "0"], /allowed range: 1 to 100/],
    [["share", "abc"], /expected a number/],
    [["strict", "yes"], /allowed: true, false/],
    [["anchor", " "], /must not be empty/],
  ] as Array<[[string, string], RegExp]>)("rejects %j naming what is allowed", (pair, message) => {
    expect(() => resolveParams("j", specs, [pair])).toThrow(ParamError);
    expect(() => resolveParams("j", specs, [pair])).toThrow(message);
  });

  it("routes plain keys to every job that has them and job.key to one job", () => {
    const jobs = selectJobs(["funnel", "cross-sell"]);
    const routed = paramsByJob(jobs, [
      ["window_minutes", "30"],
      ["cross-sell.top", "5"],
    ]);
    expect(routed.get("funnel")).toEqual([["window_minutes", "30"]]);
    expect(routed.get("cross-sell")).toEqual([["top", "5"]]);
    expect(() => paramsByJob(jobs, [["bogus", "1"]])).toThrow(/no selected job has a parameter "bogus"/);
  });

  it("selects jobs by id or all, naming the known ids otherwise", () => {
    expect(selectJobs(["all"]).map((j) => j.id)).toEqual(JOBS.filter((j) => !j.write).map((j) => j.id));
    expect(selectJobs(["all"]).map((j) => j.id)).not.toContain("lake");
    expect(() => selectJobs(["nope"])).toThrow(/unknown job "nope"; jobs: funnel, payment-failures/);
  });
});
