/**
 * Where tables live under a data directory. A data directory is either a local folder or a URI that the
 * Spark server resolves itself (s3a://, hdfs://, file:/…, the form shared storage takes with a remote
 * cluster); paths under it are built the same way for both.
 */
import { join, resolve } from "node:path";

/** True for paths Spark resolves itself (s3a://, hdfs://, file:/…): their existence is Spark's to check. */
export function isUri(path: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path);
}

/** Where a table (or any relative path, e.g. `lake/orders`) lives under the data directory. */
export function tablePath(dataDir: string, table: string): string {
  return isUri(dataDir) ? `${dataDir.replace(/\/+$/, "")}/${table}` : join(resolve(dataDir), table);
}
