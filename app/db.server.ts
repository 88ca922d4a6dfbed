import type { PrismaClient } from "./generated/prisma/client";
import { createPrismaClient } from "./platform/database/client.server";

/**
 * The process-wide Prisma client. The server resolves DATABASE_URL (starting the
 * embedded PostgreSQL when it is unset) before the Remix build is loaded, so the URL is
 * final by the time this module runs.
 */
function createClient(): PrismaClient {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: start the app through server/index.ts, which resolves it");
  }
  return createPrismaClient(connectionString, Number(process.env.DATABASE_POOL_SIZE) || 10);
}

declare global {
  // Reused across Vite's hot reloads in development so connections are not leaked.
  var __comebackPrisma: PrismaClient | undefined;
}

const prisma: PrismaClient = globalThis.__comebackPrisma ?? createClient();
if (process.env.NODE_ENV !== "production") globalThis.__comebackPrisma = prisma;

export default prisma;
export type { PrismaClient };
