import type { PrismaClient } from "./generated/prisma/client";
import { createPrismaClient } from "./platform/database/client.server";
import { runtime } from "./platform/runtime.server";

/**
 * The process-wide Prisma client, on the database the entry point resolved (see
 * platform/runtime.server.ts).
 */
declare global {
  // Reused across Vite's hot reloads in development so connections are not leaked.
  var __comebackPrisma: PrismaClient | undefined;
}

function createClient(): PrismaClient {
  const { config, databaseUrl } = runtime();
  const client = createPrismaClient(databaseUrl, config.databasePoolSize);
  if (!config.production) globalThis.__comebackPrisma = client;
  return client;
}

const prisma: PrismaClient = globalThis.__comebackPrisma ?? createClient();

export default prisma;
export type { PrismaClient };
