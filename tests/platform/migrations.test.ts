import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../app/platform/database/embedded-postgres.server";
import { applyMigrations, diffAgainstSchema } from "../../app/platform/database/migrate.server";
import { createEmptyDatabase } from "../support/database";
import { schemaSnapshot } from "../support/catalog";

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** An empty database: on the test server if there is one, else a fresh embedded one. */
async function emptyDatabase(): Promise<string> {
  const onServer = await createEmptyDatabase();
  if (onServer) return onServer.url;
  const dir = mkdtempSync(join(tmpdir(), "comeback-migrate-"));
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: dir });
  cleanups.push(async () => {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return embedded.url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("migrations", () => {
  it("applied to an empty database, produce exactly the schema in schema.prisma", async () => {
    const migrated = await emptyDatabase();
    const applied = await applyMigrations(migrated);
    expect(applied.length).toBeGreaterThan(0);

    // The reference: the schema engine's own SQL for schema.prisma from nothing.
    const reference = await emptyDatabase();
    const sql = await diffAgainstSchema(reference, { tag: "empty" });
    expect(sql).toContain('CREATE TABLE "LedgerEntry"');
    await query(reference, sql);

    const [a, b] = await Promise.all([schemaSnapshot(migrated), schemaSnapshot(reference)]);
    expect(a.length).toBeGreaterThan(100);
    expect(a).toEqual(b);
  });

  it("are recorded by directory name, as prisma migrate deploy does, and re-applying is a no-op", async () => {
    const url = await emptyDatabase();
    const first = await applyMigrations(url);
    const rows = await query<{ migration_name: string; finished_at: Date | null }>(
      url,
      "SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first);
    for (const row of rows) {
      expect(row.migration_name).toMatch(/^\d{14}_[a-z0-9_]+$/);
      expect(row.finished_at).not.toBeNull();
    }
    expect(await applyMigrations(url)).toEqual([]);
  });

  it("enforce the ledger's per-shop idempotency key", async () => {
    const url = await emptyDatabase();
    await applyMigrations(url);
    const shop = "11111111-1111-1111-1111-111111111111";
    const member = "22222222-2222-2222-2222-222222222222";
    await query(url, `INSERT INTO "Shop" (id, domain, "updatedAt") VALUES ('${shop}', 'a.myshopify.com', now())`);
    await query(
      url,
      `INSERT INTO "Member" (id, "shopId", "referralCode", "updatedAt") VALUES ('${member}', '${shop}', 'ABC', now())`,
    );
    const insert = `INSERT INTO "LedgerEntry" ("shopId", "memberId", points, kind, source, reason, "idempotencyKey")
      VALUES ('${shop}', '${member}', 10, 'EARN', 'ORDER', 'order', 'order:1:earn')`;
    await query(url, insert);
    await expect(query(url, insert)).rejects.toThrow(/duplicate key/);
  });
});
