/**
 * Renders a Vega-Lite spec to a standalone SVG string in Node (Vega's headless "none" renderer), so the
 * report embeds finished drawings and needs no script, library or network when it is opened. Warnings of
 * Vega-Lite and Vega are collected and returned, never printed.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** The logger interface Vega and Vega-Lite call, collecting warnings and errors into a list. */
function collectingLogger(messages: string[]) {
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: unknown[]) {
      messages.push(args.map(String).join(" "));
      return logger;
    },
    warn(...args: unknown[]) {
      messages.push(args.map(String).join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

export interface RenderedChart {
  svg: string;
  /** Warnings Vega-Lite or Vega raised while compiling and drawing. */
  warnings: string[];
}

/**
 * The SVG of a chart. Element ids are prefixed with `idPrefix` so that several charts inlined in one page
 * never share a clip-path or gradient id.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string, label: string): Promise<RenderedChart> {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const compiled = compile(spec, { logger: logger as never }).spec;
  const view = new View(parse(compiled), { renderer: "none", logger: logger as never });
  try {
    const svg = await view.toSVG();
    return {
      svg: svg
        .replace(/\bid="([^"]+)"/g, `id="${idPrefix}-$1"`)
        .replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}-$1)`)
        .replace(/^<svg /, `<svg role="img" aria-label="${escapeAttribute(label)}" `),
      warnings,
    };
  } finally {
    view.finalize();
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
