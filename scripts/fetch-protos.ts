/**
 * Refreshes proto/ with the unmodified spark/connect/*.proto files of the pinned Spark version.
 *
 * Source: org.apache.spark:spark-connect-common_<scala> (where the protos are defined). When the
 * registry does not serve that jar, the shaded server jar spark-connect_<scala> is used instead: it
 * bundles connect-common, protos included, byte for byte. The artifact used and the SHA-256 of the jar
 * and of every file are recorded in proto/PROVENANCE.json.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMaven } from "../src/runtime/maven.ts";
import { SPARK_PIN, sparkArtifact } from "../src/runtime/spark-pin.ts";
import { ZipArchive } from "../src/runtime/zip.ts";

const PROTO_DIR = join(import.meta.dirname, "..", "proto");
const CANDIDATES = ["spark-connect-common", "spark-connect"];

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function fetchJar(name: string, into: string): Promise<string | undefined> {
  const coordinates = sparkArtifact(name);
  const result = await runMaven(["dependency:copy", `-Dartifact=${coordinates}`, `-DoutputDirectory=${into}`]);
  if (!result.ok) return undefined;
  const jar = readdirSync(into).find((f) => f.startsWith(`${name}_`) && f.endsWith(".jar"));
  return jar ? join(into, jar) : undefined;
}

const work = mkdtempSync(join(tmpdir(), "retail-lab-protos-"));
try {
  let chosen: { artifact: string; jar: string } | undefined;
  for (const name of CANDIDATES) {
    const jar = await fetchJar(name, work);
    if (jar) {
      chosen = { artifact: sparkArtifact(name), jar };
      break;
    }
    console.error(`${sparkArtifact(name)} is not available from the registry; trying the next source`);
  }
  if (!chosen) throw new Error(`none of ${CANDIDATES.join(", ")} could be fetched for Spark ${SPARK_PIN.version}`);

  const zip = ZipArchive.open(chosen.jar);
  const protos = zip.entries.filter((e) => /^spark\/connect\/[^/]+\.proto$/.test(e.name));
  if (protos.length === 0) throw new Error(`${chosen.artifact} holds no spark/connect/*.proto files`);

  rmSync(join(PROTO_DIR, "spark"), { recursive: true, force: true });
  mkdirSync(join(PROTO_DIR, "spark", "connect"), { recursive: true });
  const files: Record<string, string> = {};
  for (const entry of protos.sort((a, b) => a.name.localeCompare(b.name))) {
    const bytes = zip.read(entry.name);
    writeFileSync(join(PROTO_DIR, entry.name), bytes);
    files[entry.name] = sha256(bytes);
  }
  const jarBytes = (await import("node:fs")).readFileSync(chosen.jar);
  const provenance = {
    sparkVersion: SPARK_PIN.version,
    artifact: chosen.artifact,
    jarSha256: sha256(jarBytes),
    note: "Files are copied unmodified from the jar named above by scripts/fetch-protos.ts (npm run proto:fetch).",
    files,
  };
  writeFileSync(join(PROTO_DIR, "PROVENANCE.json"), `${JSON.stringify(provenance, null, 2)}\n`);
  console.log(`proto/: ${protos.length} files from ${chosen.artifact} (jar sha256 ${provenance.jarSha256})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
