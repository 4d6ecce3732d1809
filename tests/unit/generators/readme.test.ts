/**
 * generators/README.md is the data dictionary jobs are written against: it must document every table and
 * column of the schema, with the Spark type the files really have.
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { TABLE_NAMES, TABLES } from "../../../generators/index.ts";

const readme = readFileSync(new URL("../../../generators/README.md", import.meta.url), "utf8");

it("documents every table and column with its Spark type", () => {
  for (const table of TABLE_NAMES) {
    const start = readme.indexOf(`### ${table}\n`);
    expect(start, `section for ${table}`).toBeGreaterThanOrEqual(0);
    const end = readme.indexOf("\n### ", start + 1);
    const section = readme.slice(start, end < 0 ? undefined : end);
    for (const column of TABLES[table].columns) {
      const type = column.type;
      const spark =
        type.kind === "int64"
          ? "bigint"
          : type.kind === "int32"
            ? "int"
            : type.kind === "decimal"
              ? `decimal(${type.precision},${type.scale})`
              : type.kind === "dictionary" || type.kind === "pool"
                ? "string (dictionary)"
                : type.kind;
      // Cells are compared trimmed: the formatter pads Markdown tables.
      const row = section.split("\n").find((line) => line.startsWith(`| \`${column.name}\` `));
      const cells = row?.split("|").map((cell) => cell.trim());
      expect(cells?.slice(1, 4), `${table}.${column.name}`).toEqual([
        `\`${column.name}\``,
        spark,
        column.nullable ? "yes" : "no",
      ]);
    }
  }
  expect(readme).not.toMatch(/PLACEHOLDER|TODO/);
});
