/**
 * Provisions the jars of the pinned Spark Connect server. They are resolved from Maven Central with the
 * repo's pom into `<cache>/spark-<version>/jars` through a staging directory and one rename, so a half
 * finished install is never mistaken for a complete one. A manifest records size, mtime and sha256 of
 * every jar: later runs re-check sizes and mtimes (cheap), `verify: "full"` re-hashes everything.
 * A SPARK_HOME holding a Spark 4.x distribution or a pip-installed pyspark is used as is instead.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { runMaven, SPARK_POM } from "./maven.ts";
import { cacheDir, sparkInstallDir } from "./paths.ts";
import { SPARK_PIN } from "./spark-pin.ts";
import { ZipArchive } from "./zip.ts";

/** A Spark whose `jars/` can run the Connect server, a Master and Workers. */
export interface SparkInstall {
  /** Acts as SPARK_HOME for the JVMs we start: it holds `jars/`. */
  home: string;
  jarsDir: string;
  /** Spark version, read from the Connect server jar's name. */
  version: string;
  /** Where it came from: our own cache, or the user's SPARK_HOME. */
  source: "cache" | "SPARK_HOME";
  connectJar: string;
  launcherJar: string;
}

/** One jar as recorded in `manifest.json`. */
export interface ManifestEntry {
  name: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

export interface InstallManifest {
  format: 1;
  spark: string;
  scala: string;
  /** sha256 of the pom the jars were resolved with: a changed jar list (e.g. a new driver) means resolve again. */
  pom?: string;
  resolvedAt: string;
  jars: ManifestEntry[];
}

/** What `installSpark` reports while it works; the CLI turns these into a progress bar. */
export type InstallEvent =
  | { kind: "note"; message: string }
  | { kind: "resolving"; attempt: number }
  | { kind: "copied"; jar: string; count: number }
  | { kind: "checking"; done: number; total: number };

export interface InstallOptions {
  /** Environment to read SPARK_HOME / RETAIL_LAB_CACHE / XDG_CACHE_HOME from. */
  env?: NodeJS.ProcessEnv;
  /** Resolve again even when a valid install exists. */
  force?: boolean;
  /** "quick" (default) compares sizes and mtimes with the manifest; "full" re-hashes every jar. */
  verify?: "quick" | "full";
  /** Ignore SPARK_HOME and use retail-lab's own cached install. */
  ignoreSparkHome?: boolean;
  onEvent?: (event: InstallEvent) => void;
}

export class InstallError extends Error {
  override name = "InstallError";
}

const MANIFEST = "manifest.json";
const SPARK_JAR = /^spark-([a-z0-9-]+)_(2\.\d+)-(\d+\.\d+\.\d+[^/]*)\.jar$/;

/**
 * Jars that must not sit beside the shaded Connect server jar. connect-common and the JVM client carry
 * `org.apache.spark.connect.proto` classes against an unrelocated protobuf; the shims replace SparkContext
 * with placeholders (SPARK-49935); unshaded io.grpc would shadow nothing yet signals a polluted classpath.
 */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /^spark-connect-shims_/, why: "placeholder classes for the JVM client that break the server" },
  { pattern: /^spark-connect-common_/, why: "already shaded into the Connect server jar" },
  { pattern: /^spark-connect-client-jvm_/, why: "the JVM client, not part of the server" },
  { pattern: /^grpc-[a-z0-9-]+-\d[^/]*\.jar$/, why: "unshaded gRPC; the server jar ships its own relocated copy" },
];

const REQUIRED_MODULES = ["connect", "sql", "core", "catalyst", "launcher"];

/**
 * Checks that a jars directory can run the Connect server: one Spark version and one Scala binary,
 * the modules the server needs, and none of the jars that must not be beside the shaded server jar.
 * Returns the Spark version; throws InstallError listing every problem.
 */
export function checkClasspath(jarNames: string[], where: string): { version: string } {
  const problems: string[] = [];
  const sparkJars = jarNames.flatMap((name) => {
    const m = SPARK_JAR.exec(name);
    return m ? [{ name, module: m[1] ?? "", scala: m[2] ?? "", version: m[3] ?? "" }] : [];
  });
  const connect = sparkJars.filter((j) => j.module === "connect");
  if (connect.length !== 1) {
    problems.push(
      connect.length === 0
        ? `no spark-connect_${SPARK_PIN.scala}-<version>.jar (the Connect server)`
        : `several Connect server jars: ${connect.map((j) => j.name).join(", ")}`,
    );
  }
  const version = connect[0]?.version ?? "";
  for (const jar of sparkJars) {
    if (jar.scala !== SPARK_PIN.scala)
      problems.push(`${jar.name} is built for Scala ${jar.scala}, not ${SPARK_PIN.scala}`);
    if (version && jar.version !== version) problems.push(`${jar.name} is Spark ${jar.version}, not ${version}`);
  }
  for (const module of REQUIRED_MODULES) {
    if (!sparkJars.some((j) => j.module === module)) problems.push(`missing spark-${module}_${SPARK_PIN.scala} jar`);
  }
  for (const name of jarNames) {
    const forbidden = FORBIDDEN.find((f) => f.pattern.test(name));
    if (forbidden) problems.push(`${name} must not be on the server classpath (${forbidden.why})`);
  }
  if (version && !version.startsWith("4.")) problems.push(`Spark ${version} is not a Spark 4.x`);
  if (problems.length > 0)
    throw new InstallError(`${where} cannot run the Spark Connect server:\n  - ${problems.join("\n  - ")}`);
  return { version };
}

function describeJars(home: string, version: string, source: SparkInstall["source"]): SparkInstall {
  const jarsDir = join(home, "jars");
  return {
    home,
    jarsDir,
    version,
    source,
    connectJar: join(jarsDir, `spark-connect_${SPARK_PIN.scala}-${version}.jar`),
    launcherJar: join(jarsDir, `spark-launcher_${SPARK_PIN.scala}-${version}.jar`),
  };
}

function listJars(jarsDir: string): string[] {
  return readdirSync(jarsDir)
    .filter((name) => name.endsWith(".jar"))
    .sort();
}

/**
 * Uses SPARK_HOME when it holds a Spark 4.x Connect server jar (a binary distribution, or the package
 * folder of `pip install pyspark`, whose `jars/` is a distribution's). Returns undefined, with a note,
 * when SPARK_HOME is set but is not such a folder.
 */
export function sparkHomeInstall(sparkHome: string, onEvent?: (event: InstallEvent) => void): SparkInstall | undefined {
  const jarsDir = join(sparkHome, "jars");
  if (!existsSync(jarsDir)) {
    onEvent?.({ kind: "note", message: `SPARK_HOME=${sparkHome} has no jars/ folder; using retail-lab's own Spark.` });
    return undefined;
  }
  const names = listJars(jarsDir);
  if (!names.some((n) => /^spark-connect_2\.13-4\.[^/]*\.jar$/.test(n))) {
    onEvent?.({
      kind: "note",
      message: `SPARK_HOME=${sparkHome} has no spark-connect_2.13-4.x jar (Spark 4 Connect server); using retail-lab's own Spark.`,
    });
    return undefined;
  }
  const { version } = checkClasspath(names, `SPARK_HOME=${sparkHome}`);
  if (version !== SPARK_PIN.version) {
    onEvent?.({
      kind: "note",
      message: `SPARK_HOME has Spark ${version}; retail-lab is pinned to ${SPARK_PIN.version} (the protocol is compatible within 4.x).`,
    });
  }
  return describeJars(sparkHome, version, "SPARK_HOME");
}

/** sha256 of the pom that defines the classpath (src/runtime/maven/pom.xml). */
export function pomDigest(): string {
  return createHash("sha256").update(readFileSync(SPARK_POM)).digest("hex");
}

/** Reads and hashes one jar, and proves it is a readable zip (a truncated download fails here). */
function inspectJar(path: string): ManifestEntry {
  const bytes = readFileSync(path);
  try {
    new ZipArchive(bytes, path);
  } catch (error) {
    throw new InstallError(`${path} is not a valid jar: ${(error as Error).message}`);
  }
  const stat = statSync(path);
  return {
    name: basename(path),
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

/**
 * Compares a cached install with its manifest. Returns undefined when it matches, else the first
 * difference found, phrased for a user.
 */
export function verifyInstall(
  home: string,
  mode: "quick" | "full",
  onEvent?: (event: InstallEvent) => void,
): string | undefined {
  const manifestPath = join(home, MANIFEST);
  if (!existsSync(manifestPath)) return `${manifestPath} is missing`;
  let manifest: InstallManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as InstallManifest;
  } catch (error) {
    return `${manifestPath} is unreadable: ${(error as Error).message}`;
  }
  if (manifest.format !== 1 || manifest.spark !== SPARK_PIN.version || manifest.scala !== SPARK_PIN.scala) {
    return `${manifestPath} describes Spark ${manifest.spark} / Scala ${manifest.scala}, not ${SPARK_PIN.version} / ${SPARK_PIN.scala}`;
  }
  if (manifest.pom !== pomDigest()) {
    return `${manifestPath} was resolved from another jar list than src/runtime/maven/pom.xml (e.g. before the PostgreSQL driver was added)`;
  }
  const jarsDir = join(home, "jars");
  const present = existsSync(jarsDir) ? listJars(jarsDir) : [];
  const expected = manifest.jars.map((j) => j.name).sort();
  const missing = expected.filter((name) => !present.includes(name));
  const extra = present.filter((name) => !expected.includes(name));
  if (missing.length > 0) return `${missing.length} jar(s) missing, e.g. ${missing[0]}`;
  if (extra.length > 0) return `${extra.length} unexpected jar(s), e.g. ${extra[0]}`;
  let done = 0;
  for (const entry of manifest.jars) {
    const path = join(jarsDir, entry.name);
    const stat = statSync(path);
    if (stat.size !== entry.size) return `${entry.name} is ${stat.size} bytes, the manifest says ${entry.size}`;
    if (mode === "full") {
      const sha256 = createHash("sha256").update(readFileSync(path)).digest("hex");
      if (sha256 !== entry.sha256) return `${entry.name} has sha256 ${sha256}, the manifest says ${entry.sha256}`;
      onEvent?.({ kind: "checking", done: ++done, total: manifest.jars.length });
    } else if (Math.floor(stat.mtimeMs) !== Math.floor(entry.mtimeMs)) {
      // Millisecond precision: tools that restore mtimes (cp -p, tar, rsync) drop the sub-millisecond part.
      return `${entry.name} was modified after install (mtime changed); run \`retail-lab spark install --verify\``;
    }
  }
  return undefined;
}

/** The cached install if it is complete and matches its manifest (quick check); undefined otherwise. */
export function findCachedInstall(env: NodeJS.ProcessEnv = process.env): SparkInstall | undefined {
  const home = sparkInstallDir(cacheDir(env));
  if (verifyInstall(home, "quick") !== undefined) return undefined;
  return describeJars(home, SPARK_PIN.version, "cache");
}

/** Resolves the pinned jars with Maven into `jarsDir`, retrying once with -U for cached failures. */
async function resolveJars(jarsDir: string, onEvent?: (event: InstallEvent) => void): Promise<void> {
  let count = 0;
  const onLine = (line: string) => {
    const copied = /Copying (\S+\.jar) to/.exec(line);
    if (copied?.[1]) onEvent?.({ kind: "copied", jar: copied[1], count: ++count });
  };
  // -C: fail on a checksum mismatch instead of warning, so a corrupted download never gets installed.
  const args = ["-C", "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${jarsDir}`];
  onEvent?.({ kind: "resolving", attempt: 1 });
  let result = await runMaven(args, { onLine });
  if (!result.ok) {
    // A failure cached in ~/.m2 (*.lastUpdated) blocks later attempts until forced with -U.
    count = 0;
    onEvent?.({ kind: "resolving", attempt: 2 });
    result = await runMaven(["-U", ...args], { onLine });
  }
  if (!result.ok) {
    const errors = result.output
      .split("\n")
      .filter((line) => line.startsWith("[ERROR]"))
      .slice(0, 12)
      .join("\n");
    throw new InstallError(
      `Maven could not resolve Spark ${SPARK_PIN.version} from Maven Central:\n${errors || result.output.slice(-2000)}`,
    );
  }
}

/**
 * Makes sure a usable Spark is available and returns it. Idempotent: a complete cached install is
 * re-checked against its manifest and reused; a missing or damaged one is resolved again.
 */
export async function installSpark(options: InstallOptions = {}): Promise<SparkInstall> {
  const env = options.env ?? process.env;
  const onEvent = options.onEvent;
  if (env.SPARK_HOME && !options.ignoreSparkHome) {
    const fromHome = sparkHomeInstall(env.SPARK_HOME, onEvent);
    if (fromHome) return fromHome;
  }
  const home = sparkInstallDir(cacheDir(env));
  if (!options.force && existsSync(home)) {
    const problem = verifyInstall(home, options.verify ?? "quick", onEvent);
    if (problem === undefined) return describeJars(home, SPARK_PIN.version, "cache");
    onEvent?.({
      kind: "note",
      message: `The cached Spark at ${home} failed verification (${problem}); resolving it again.`,
    });
  }

  const cache = dirname(home);
  mkdirSync(cache, { recursive: true });
  const staging = `${home}.staging-${process.pid}-${Date.now()}`;
  const jarsDir = join(staging, "jars");
  mkdirSync(jarsDir, { recursive: true });
  try {
    await resolveJars(jarsDir, onEvent);
    const names = listJars(jarsDir);
    checkClasspath(names, `the jars Maven resolved into ${jarsDir}`);
    const jars: ManifestEntry[] = [];
    for (const name of names) {
      jars.push(inspectJar(join(jarsDir, name)));
      onEvent?.({ kind: "checking", done: jars.length, total: names.length });
    }
    const manifest: InstallManifest = {
      format: 1,
      spark: SPARK_PIN.version,
      scala: SPARK_PIN.scala,
      pom: pomDigest(),
      resolvedAt: new Date().toISOString(),
      jars,
    };
    writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    publish(staging, home);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const problem = verifyInstall(home, "quick");
  if (problem !== undefined)
    throw new InstallError(`the install at ${home} is inconsistent right after resolving: ${problem}`);
  return describeJars(home, SPARK_PIN.version, "cache");
}

/**
 * Moves a finished staging directory into place. An existing install is moved aside first and deleted
 * after; if another process published in the meantime, its install is kept (both are complete).
 */
function publish(staging: string, home: string): void {
  const aside = `${home}.old-${process.pid}-${Date.now()}`;
  if (existsSync(home)) renameSync(home, aside);
  try {
    renameSync(staging, home);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
}
