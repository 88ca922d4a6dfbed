import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../app/platform/database/embedded-postgres.server";
import { applyMigrations, migrationsDir } from "../../app/platform/database/migrate.server";

declare module "vitest" {
  export interface ProvidedContext {
    database: { mode: "server" | "embedded"; adminUrl: string; template: string; runId: string };
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A template name that changes whenever a migration does, so stale templates are never used. */
function templateName(): string {
  const hash = createHash("sha256");
  for (const dir of readdirSync(migrationsDir).sort()) {
    if (dir.endsWith(".toml")) continue;
    hash.update(dir).update(readFileSync(join(migrationsDir, dir, "migration.sql")));
  }
  return `comeback_tpl_${hash.digest("hex").slice(0, 12)}`;
}

let embedded: EmbeddedPostgres | undefined;
let embeddedDir: string | undefined;

/**
 * The database server for the run: TEST_DATABASE_URL or DATABASE_URL when set (CI uses
 * the machine's PostgreSQL), otherwise an embedded PostgreSQL in a temporary folder,
 * started here and stopped when the run ends. Either way every test file gets its own
 * database cloned from one migrated template, so files run in parallel.
 */
async function databaseServer(): Promise<{ url: string; mode: "server" | "embedded" }> {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (serverUrl) return { url: serverUrl, mode: "server" };
  embeddedDir = mkdtempSync(join(tmpdir(), "comeback-test-pg-"));
  embedded = await startEmbeddedPostgres({ dataDir: embeddedDir, ephemeral: true });
  return { url: embedded.url, mode: "embedded" };
}

export default async function setup(project: TestProject) {
  const { url: serverUrl, mode } = await databaseServer();
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;

  const template = templateName();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // One setup at a time per server, so parallel runs do not race on the template.
    await admin.query("SELECT pg_advisory_lock(hashtext('comeback-test-template'))");
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.rowCount === 0) {
      const building = `${template}_building_${runId}`;
      await admin.query(`CREATE DATABASE "${building}"`);
      await applyMigrations(withDatabase(serverUrl, building));
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
  } finally {
    await admin.query("SELECT pg_advisory_unlock(hashtext('comeback-test-template'))");
    await admin.end();
  }

  project.provide("database", { mode, adminUrl: serverUrl, template, runId });

  return async () => {
    if (embedded) {
      // The whole server goes, and its databases with it.
      await embedded.stop();
      if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
      return;
    }
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    const { rows } = await cleanup.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `cbt_${runId}_%`,
    ]);
    for (const { datname } of rows) await cleanup.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await cleanup.end();
  };
}
