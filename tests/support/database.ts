import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../app/generated/prisma/client";

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  close(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * A clean, migrated database for one test file: a fresh clone of the template on a
 * server, or the embedded database emptied. Also sets DATABASE_URL so app modules that
 * use the process-wide client (db.server.ts) talk to the same database.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const info = inject("database");
  let url: string;
  if (info.mode === "server") {
    const name = `cbt_${info.runId}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: info.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${info.template}"`);
    await admin.end();
    url = withDatabase(info.adminUrl, name);
  } else {
    url = info.adminUrl;
    await truncateAll(url);
    process.env.COMEBACK_EMBEDDED_DB = "1";
  }
  process.env.DATABASE_URL = url;
  // One connection on the embedded database, whose session all sockets share.
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: info.mode === "server" ? 20 : 1 }) });
  return {
    url,
    prisma,
    async close() {
      await prisma.$disconnect();
    },
  };
}

async function truncateAll(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
  );
  if (rows.length) {
    await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
  }
  await client.end();
}

/** A second, empty database (no migrations), for tests that build schemas themselves. */
export async function createEmptyDatabase(): Promise<{ url: string } | null> {
  const info = inject("database");
  if (info.mode !== "server") return null;
  const name = `cbt_${info.runId}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: info.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return { url: withDatabase(info.adminUrl, name) };
}
