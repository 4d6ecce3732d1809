/**
 * A throwaway PostgreSQL server for the JDBC sink tests: installs Debian's `postgresql` when its binaries
 * are missing (as root, like CI), creates a cluster in a temp dir with a password-authenticated user, starts
 * it on 127.0.0.1 on a free port and stops exactly that server (pg_ctl on its data dir) afterwards.
 * Queries go through `psql`, so the tests read PostgreSQL with its own client, not through Spark.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { findFreePort } from "../../src/runtime/index.ts";

export interface Postgres {
  port: number;
  user: string;
  password: string;
  database: string;
  /** jdbc:postgresql://127.0.0.1:<port>/<database> */
  jdbcUrl: string;
  /** Runs one SQL statement with psql; returns its rows as arrays of text fields. */
  query(sql: string): string[][];
  stop(): void;
}

/** The folder holding initdb, pg_ctl and postgres, installing the Debian package when there is none. */
export function postgresBinaries(): string {
  const find = () => {
    const root = "/usr/lib/postgresql";
    if (!existsSync(root)) return undefined;
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")))
      .sort((a, b) => Number(b) - Number(a));
    return versions[0] ? join(root, versions[0], "bin") : undefined;
  };
  let bin = find();
  if (!bin) {
    if (process.getuid?.() !== 0) {
      throw new Error("PostgreSQL is not installed and this is not root: run `apt-get install -y postgresql` first");
    }
    execFileSync("apt-get", ["install", "-y", "-q", "postgresql"], {
      stdio: "ignore",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    bin = find();
    if (!bin) throw new Error("apt-get installed postgresql but no /usr/lib/postgresql/<version>/bin/pg_ctl appeared");
  }
  return bin;
}

/** Starts a fresh server; `stop()` it in afterAll. */
export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBinaries();
  const root = mkdtempSync(join(tmpdir(), "retail-lab-pg-"));
  const dataDir = join(root, "data");
  const port = await findFreePort("127.0.0.1");
  const user = "retail_lab";
  const password = `pw-${Math.random().toString(36).slice(2)}-x`;
  const database = "mart";
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres system user.
  const asRoot = process.getuid?.() === 0;
  const osUser = asRoot ? "postgres" : userInfo().username;
  const run = (command: string, args: string[]) => {
    const result = asRoot
      ? spawnSync("runuser", ["-u", osUser, "--", join(bin, command), ...args], { encoding: "utf8" })
      : spawnSync(join(bin, command), args, { encoding: "utf8" });
    if (result.status !== 0) {
      throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout}`);
    }
    return result.stdout;
  };
  chmodSync(root, 0o777);
  const pwFile = join(root, "pw");
  writeFileSync(pwFile, `${password}\n`, { mode: 0o644 });
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(pwFile, uid, gid);
  }
  run("initdb", ["-D", dataDir, "-U", user, "--pwfile", pwFile, "-A", "scram-sha-256", "-E", "UTF8", "--no-locale"]);
  run("pg_ctl", [
    "-D",
    dataDir,
    "-l",
    join(root, "server.log"),
    "-w",
    "-o",
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${root} -c fsync=off`,
    "start",
  ]);
  const psql = (sql: string, db: string) => {
    const result = spawnSync(
      join(bin, "psql"),
      [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        user,
        "-d",
        db,
        "-At",
        "-F",
        "\t",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        sql,
      ],
      { encoding: "utf8", env: { ...process.env, PGPASSWORD: password } },
    );
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => line.split("\t"));
  };
  psql(`CREATE DATABASE ${database}`, "postgres");
  let stopped = false;
  return {
    port,
    user,
    password,
    database,
    jdbcUrl: `jdbc:postgresql://127.0.0.1:${port}/${database}`,
    query: (sql) => psql(sql, database),
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}
