/**
 * The generators' Apache Arrow: the package's single-file build, loaded with require. Worker threads load
 * TypeScript through tsx's loader, where each of Arrow's ~250 ES modules costs a round trip to the loader
 * thread; that made a worker take about a second to start. The bundle is the same release (types come from
 * the package), and generators never exchange Arrow objects with other code, so one copy per thread is fine.
 */
import { createRequire } from "node:module";
import type * as Arrow from "apache-arrow";

const require = createRequire(import.meta.url);
export const arrow = require("apache-arrow/Arrow.esnext.min") as typeof Arrow;
export type { Arrow };
