/**
 * The generator's own version, stamped on every file and in the manifest. Bump the minor version when the
 * same seed and scenario would produce different files (rows or their encoding), so that a dataset says which
 * rules made it and `reproduce` does not reuse a dataset written by other rules.
 */
export const GENERATOR_VERSION = "1.3.0";
