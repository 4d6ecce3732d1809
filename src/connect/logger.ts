/**
 * The logging seam of the Spark Connect client. Library code never prints: it reports retries,
 * reattaches and swallowed background failures to an injectable Logger, silent by default.
 * Messages never contain tokens or request metadata values.
 */

/** Receives the client's diagnostic messages; `fields` carries structured context (operation id, attempt, …). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** The default Logger: drops everything. */
export const silentLogger: Logger = {
  debug() {},
  warn() {},
};
