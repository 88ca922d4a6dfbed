import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../app/platform/database/embedded-postgres.server";
import { applyMigrations } from "../../app/platform/database/migrate.server";

const dir = mkdtempSync(join(tmpdir(), "comeback-embedded-"));
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

describe("embedded PostgreSQL", () => {
  it("keeps its data in the data folder across restarts", async () => {
    const first = await startEmbeddedPostgres({ dataDir: dir });
    expect(await applyMigrations(first.url)).not.toEqual([]);
    await sql(first.url, `INSERT INTO "Shop" (id, domain, "updatedAt") VALUES (gen_random_uuid(), $1, now())`, [
      "persist.myshopify.com",
    ]);
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir: dir });
    try {
      expect(await applyMigrations(second.url)).toEqual([]);
      const rows = await sql<{ domain: string }>(second.url, `SELECT domain FROM "Shop"`);
      expect(rows.map((r) => r.domain)).toEqual(["persist.myshopify.com"]);
    } finally {
      await second.stop();
    }
  });

  it("serves several connections at once, as the app's pool and job queue need", async () => {
    const server = await startEmbeddedPostgres({ dataDir: join(dir, "concurrent") });
    const pool = new pg.Pool({ connectionString: server.url, max: 5 });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => pool.query<{ n: number }>("SELECT $1::int AS n", [i])),
      );
      expect(results.map((r) => r.rows[0]!.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    } finally {
      await pool.end();
      await server.stop();
    }
  });
});
