/**
 * The generators' public surface: generate a dataset from a scenario, resolve and validate scenarios, and
 * the output contract (tables, columns, id conventions) that jobs and tests rely on.
 */
export {
  type GenerateHooks,
  type GenerateOptions,
  type GenerateProgress,
  type GenerateResult,
  generate,
  type TableSummary,
} from "./generate.ts";
export type { GroundTruthSummary } from "./ground-truth.ts";
export { EVENT_ID_STRIDE } from "./journeys.ts";
export { MANIFEST_FORMAT, type Manifest } from "./manifest.ts";
export { MANIFEST_FILE, OutputExistsError } from "./output-dir.ts";
export { COMPRESSIONS, type CompressionName } from "./parquet-sink.ts";
export { FAKER_VERSION } from "./pools.ts";
export { POS_ORDER_ID_BASE } from "./pos-orders.ts";
export { defaultScenario, PRESETS, type Preset, resolveScenario, type Scenario, ScenarioError } from "./scenario.ts";
export { type ColumnSpec, TABLE_NAMES, TABLES, type TableName, type TableSpec } from "./schema.ts";
export { GENERATOR_VERSION } from "./version.ts";
export { defaultWorkers } from "./workers.ts";
