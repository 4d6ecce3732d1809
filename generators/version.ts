/**
 * The generator's own version, stamped on every file and in the manifest. Bump the minor version when
 * the same seed and scenario would produce different rows, so that a dataset says which rules made it.
 */
export const GENERATOR_VERSION = "1.2.0";
