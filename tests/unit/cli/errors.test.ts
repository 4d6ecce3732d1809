import { describe, expect, it } from "vitest";
import { displayMessage } from "../../../src/cli/errors.ts";
import { AnalysisException } from "../../../src/index.ts";

const planMessage = [
  "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.",
  "If you did not qualify the name with a schema, verify the current_schema() output.",
  "To tolerate the error on drop use DROP VIEW IF EXISTS. SQLSTATE: 42P01; line 1 pos 14;",
  "'Project [*]",
  "+- 'UnresolvedRelation [nope], [], false",
].join("\n");

describe("CLI error messages", () => {
  it("shows a Spark error up to its SQLSTATE line and says how to see the plan", () => {
    const error = new AnalysisException({ message: planMessage, errorClass: "TABLE_OR_VIEW_NOT_FOUND" });
    const shown = displayMessage(error, false);
    expect(shown).toContain("SQLSTATE: 42P01");
    expect(shown).not.toContain("UnresolvedRelation");
    expect(shown).toMatch(/the plan follows in 2 more lines \(DEBUG=1 shows them\)/);
    expect(displayMessage(error, true)).toBe(planMessage);
  });

  it("shows other errors whole, such as a crashed JVM's log tail", () => {
    const tail = [
      "The Spark connect JVM exited with code 1 while starting.",
      ...Array.from({ length: 30 }, (_, i) => `log line ${i}`),
    ];
    const error = new Error(tail.join("\n"));
    expect(displayMessage(error, false)).toBe(error.message);
  });
});
