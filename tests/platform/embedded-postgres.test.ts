import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../app/platform/database/embedded-postgres.server";
import { applyMigrations } from "../../app/platform/database/migrate.server";

/**
 * The embedded PostgreSQL that `npm run demo`, `npm run dev` and `npm test` start when no
 * DATABASE_URL is set: a real server process from the npm registry's binaries.
 */
const dir = mkdtempSync(join(tmpdir(), "comeback-embedded-"));
// Run as root, the server runs as `postgres`, which must reach the folders inside this one.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("embedded PostgreSQL", () => {
  it("keeps its data in the data folder across restarts", async () => {
    const first = await startEmbeddedPostgres({ dataDir: join(dir, "persist") });
    expect(await applyMigrations(first.url)).not.toEqual([]);
    await sql(first.url, `INSERT INTO "Shop" (id, domain, "updatedAt") VALUES (gen_random_uuid(), $1, now())`, [
      "persist.myshopify.com",
    ]);
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir: join(dir, "persist") });
    try {
      expect(await applyMigrations(second.url)).toEqual([]);
      const rows = await sql<{ domain: string }>(second.url, `SELECT domain FROM "Shop"`);
      expect(rows.map((r) => r.domain)).toEqual(["persist.myshopify.com"]);
      const [version] = await sql<{ server_version_num: string }>(second.url, "SHOW server_version_num");
      expect(Number(version!.server_version_num)).toBeGreaterThanOrEqual(180000);
    } finally {
      await second.stop();
    }
  });

  it("serves several sessions at once: a transaction waits for another's row lock, prepared statements never mix", async () => {
    const server = await startEmbeddedPostgres({ dataDir: join(dir, "sessions"), ephemeral: true });
    const pool = new pg.Pool({ connectionString: server.url, max: 8 });
    // pool.end() can resolve before every socket has closed; the server's shutdown
    // notice to such a socket is expected here, not a failure.
    pool.on("error", () => {});
    try {
      await pool.query("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)");
      await pool.query("INSERT INTO counter VALUES (1, 0)");
      // 40 read-modify-write transactions on one row through 8 connections: each must
      // see the previous one's commit, which only separate sessions with real row locks give.
      await Promise.all(
        Array.from({ length: 40 }, async () => {
          const client = await pool.connect();
          try {
            await client.query("BEGIN");
            const { rows } = await client.query<{ n: number }>({
              name: "read",
              text: "SELECT n FROM counter WHERE id = $1 FOR UPDATE",
              values: [1],
            });
            await client.query({
              name: "write",
              text: "UPDATE counter SET n = $1 WHERE id = $2",
              values: [rows[0]!.n + 1, 1],
            });
            await client.query("COMMIT");
          } finally {
            client.release();
          }
        }),
      );
      const { rows } = await pool.query<{ n: number; sessions: string }>(
        "SELECT n, (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS sessions FROM counter",
      );
      expect(rows[0]!.n).toBe(40);
      expect(Number(rows[0]!.sessions)).toBeGreaterThan(1);
    } finally {
      await pool.end();
      await server.stop();
    }
  });

  it("stops its server process on stop(), and replaces one left running by a killed process", async () => {
    const dataDir = join(dir, "killed");
    const holder = spawn(
      process.execPath,
      ["--import", "tsx", "tests/platform/fixtures/hold-embedded-postgres.ts", dataDir],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      holder.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /ready (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      holder.once("exit", (code) => reject(new Error(`holder exited with ${code}`)));
    });
    await sql(url, "CREATE TABLE kept (v text)");
    await sql(url, "INSERT INTO kept VALUES ('before the kill')");
    // The owner dies without a chance to clean up: its server is orphaned.
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    const orphan = Number(readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    expect(isAlive(orphan)).toBe(true);

    const next = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    try {
      expect(isAlive(orphan)).toBe(false);
      expect(await sql<{ v: string }>(next.url, "SELECT v FROM kept")).toEqual([{ v: "before the kill" }]);
    } finally {
      await next.stop();
    }
    expect(existsSync(join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  });
});
