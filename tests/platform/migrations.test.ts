import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../app/platform/database/embedded-postgres.server";
import { applyMigrations, diffAgainstSchema } from "../../app/platform/database/migrate.server";
import { createEmptyDatabase } from "../support/database";
import { schemaSnapshot } from "../support/catalog";

let embedded: EmbeddedPostgres | undefined;
let embeddedDir: string | undefined;
afterAll(async () => {
  await embedded?.stop();
  if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
});

/** An empty database on the embedded PostgreSQL 18, started once for this file. */
async function emptyEmbeddedDatabase(): Promise<string> {
  if (!embedded) {
    embeddedDir = mkdtempSync(join(tmpdir(), "comeback-migrate-"));
    embedded = await startEmbeddedPostgres({ dataDir: embeddedDir, ephemeral: true });
  }
  const name = `migrate_${Math.random().toString(36).slice(2, 10)}`;
  await query(embedded.url, `CREATE DATABASE "${name}"`);
  const url = new URL(embedded.url);
  url.pathname = `/${name}`;
  return url.toString();
}

// Supported servers are PostgreSQL 15 and up: CI's run uses the machine's 15, and every
// run also checks the embedded 18 that newcomers get.
const servers = [
  { name: "the test run's server", emptyDatabase: async () => (await createEmptyDatabase()).url },
  ...(inject("database").mode === "server"
    ? [{ name: "the embedded PostgreSQL", emptyDatabase: emptyEmbeddedDatabase }]
    : []),
];

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.each(servers)("migrations on $name", ({ emptyDatabase }) => {
  it("run on a supported PostgreSQL (15 or later)", async () => {
    const [row] = await query<{ server_version_num: string }>(await emptyDatabase(), "SHOW server_version_num");
    expect(Number(row!.server_version_num)).toBeGreaterThanOrEqual(150000);
  });

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
