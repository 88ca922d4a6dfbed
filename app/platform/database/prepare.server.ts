import pg from "pg";
import { ConfigError, describeDatabaseUrl } from "../config.server";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres.server";
import { applyMigrations } from "./migrate.server";

export interface PreparedDatabase {
  url: string;
  embedded: EmbeddedPostgres | null;
  appliedMigrations: string[];
}

/**
 * Resolves the database the process will use, checks it answers, and applies pending
 * migrations. With no DATABASE_URL it starts the embedded PostgreSQL.
 */
export async function prepareDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
  /** The embedded server's port; a free one when unset. */
  embeddedPort?: number | null;
  migrate?: boolean;
}): Promise<PreparedDatabase> {
  const embedded = options.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.embeddedPort ?? undefined });
  const url = options.databaseUrl ?? embedded!.url;
  await assertReachable(url);
  const appliedMigrations = options.migrate === false ? [] : await applyMigrations(url);
  return { url, embedded, appliedMigrations };
}

export async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError("DATABASE_URL", `cannot connect to ${describeDatabaseUrl(url)}: ${reason}`);
  } finally {
    await client.end().catch(() => {});
  }
}
