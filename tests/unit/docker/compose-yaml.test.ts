import { describe, expect, it } from "vitest";
import { parseYamlSubset, YamlSubsetError } from "./compose-yaml.ts";

describe("parseYamlSubset", () => {
  it("reads nested mappings, block and flow sequences, scalars and comments", () => {
    const source = [
      "# header",
      "name: demo",
      "services:",
      "  a:",
      '    command: ["run", "--port", "7077", \'x, y\']  # trailing',
      "    ports:",
      '      - "127.0.0.1:80:80"',
      "      - 8080",
      "    flag: true",
      "    hash: a#b",
      "  b:",
      "    list:",
      "    - one",
      "volumes:",
      "  data:",
    ].join("\n");
    expect(parseYamlSubset(source)).toEqual({
      name: "demo",
      services: {
        a: {
          command: ["run", "--port", "7077", "x, y"],
          ports: ["127.0.0.1:80:80", 8080],
          flag: true,
          hash: "a#b",
        },
        b: { list: ["one"] },
      },
      volumes: { data: null },
    });
  });

  it.each([
    ["base: &anchor\n  a: 1", /line 1: unsupported YAML construct: &anchor/],
    ["a:\n\tb: 1", /line 2: tabs are not allowed/],
    ["a: 1\na: 2", /line 2: duplicate key a/],
    ["a: {b: 1}", /unsupported YAML construct/],
    ["a: |\n  text", /unsupported YAML construct: \|/],
    ["a:\n  - b: 1", /mappings inside sequence items are not supported/],
    ['a: "open', /unterminated " string/],
    ["a: 1\n    b: 2", /line 2: unexpected indentation/],
    ["just text", /expected "key: value"/],
  ])("rejects %j", (source, message) => {
    expect(() => parseYamlSubset(source)).toThrow(YamlSubsetError);
    expect(() => parseYamlSubset(source)).toThrow(message);
  });
});
