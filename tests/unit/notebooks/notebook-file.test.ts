/** Notebook files: sources as Jupyter's line lists, stripping outputs for commits. */
import { describe, expect, it } from "vitest";
import {
  isStripped,
  type Notebook,
  serializeNotebook,
  sourceLines,
  stripOutputs,
} from "../../../scripts/notebooks/notebook-file.ts";

const executed: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: "markdown", id: "a", metadata: {}, source: "# t\ntext" },
    {
      cell_type: "code",
      id: "b",
      metadata: { tags: ["x"] },
      source: "1 + 1",
      outputs: [{ output_type: "execute_result", execution_count: 1, data: { "text/plain": "2" }, metadata: {} }],
      execution_count: 1,
    },
  ],
};

describe("notebook files", () => {
  it("splits sources into lines that keep their newlines", () => {
    expect(sourceLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(sourceLines("a\nb")).toEqual(["a\n", "b"]);
    expect(sourceLines("")).toEqual([]);
  });

  it("strips outputs and counts, keeping ids, metadata and sources", () => {
    expect(isStripped(executed)).toBe(false);
    const stripped = stripOutputs(executed);
    expect(isStripped(stripped)).toBe(true);
    expect(stripped.cells[1]).toEqual({
      cell_type: "code",
      id: "b",
      metadata: { tags: ["x"] },
      source: ["1 + 1"],
      outputs: [],
      execution_count: null,
    });
    expect(stripped.cells[0]).toMatchObject({ source: ["# t\n", "text"] });
  });

  it("serializes like Jupyter: one-space indent, trailing newline, no ASCII escaping", () => {
    const text = serializeNotebook({ ...executed, metadata: { title: "café" } });
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n "cells": [');
    expect(text).toContain("café");
  });
});
