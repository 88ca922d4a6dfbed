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
 * A clean, migrated database for one test file: a fresh clone of the template on the
 * run's server (the machine's or the embedded one). Also sets DATABASE_URL so app modules
 * that use the process-wide client (db.server.ts) talk to the same database.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const info = inject("database");
  const url = withDatabase(info.adminUrl, await createDatabase(`TEMPLATE "${info.template}"`));
  process.env.DATABASE_URL = url;
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 20 }) });
  return {
    url,
    prisma,
    async close() {
      await prisma.$disconnect();
    },
  };
}

async function createDatabase(options = ""): Promise<string> {
  const info = inject("database");
  const name = `cbt_${info.runId}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: info.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" ${options}`);
  } finally {
    await admin.end();
  }
  return name;
}

/** A second, empty database (no migrations), for tests that build schemas themselves. */
export async function createEmptyDatabase(): Promise<{ url: string }> {
  return { url: withDatabase(inject("database").adminUrl, await createDatabase()) };
}
