/**
 * Apache Arrow for the naive baseline: the package's single-file build, loaded with require. Through tsx's
 * loader each of Arrow's ~250 ES modules costs a round trip to the loader thread, and the baseline's imports
 * are timed with it; the bundle is the same release (types come from the package).
 */
import { createRequire } from "node:module";
import type * as Arrow from "apache-arrow";

const require = createRequire(import.meta.url);
export const arrow = require("apache-arrow/Arrow.esnext.min") as typeof Arrow;
export type { Arrow };
