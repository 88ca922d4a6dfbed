import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import type { ViteDevServer } from "vite";
import type { Express } from "express";
import { ConfigError, describeDatabaseUrl, loadConfig } from "../app/platform/config.server";
import { logger } from "../app/platform/logger.server";
import { prepareDatabase } from "../app/platform/database/prepare.server";
import { createHttpApp } from "./http-app";
import { createPrismaClient } from "../app/platform/database/client.server";
import { startJobs } from "../app/jobs/index.server";
import { provideRuntime } from "../app/platform/runtime.server";

/**
 * Starting the app: configuration, database (embedded when DATABASE_URL is unset),
 * migrations, then the Remix app behind Express, with graceful shutdown.
 */
export interface StartOptions {
  /** Runs once the database is migrated, before the app listens (the demo seeds here). */
  beforeListen?: (databaseUrl: string) => Promise<void>;
  /** Middleware ahead of the routes; only the local demo passes any. */
  beforeRoutes?: (app: Express) => void;
}

export async function startApp(options: StartOptions = {}) {
  const config = loadConfig();
  const database = await prepareDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedDatabasePort,
  });
  // The app's modules (db.server.ts, the job queue) read the configuration and the
  // resolved database from here; nothing is written back into process.env.
  provideRuntime({ config, databaseUrl: database.url });
  logger.info(
    {
      database: database.embedded ? "embedded" : describeDatabaseUrl(database.url),
      appliedMigrations: database.appliedMigrations,
    },
    "database ready",
  );
  if (database.embedded && config.production) {
    logger.warn("DATABASE_URL is unset: running on the embedded PostgreSQL, which is meant for development");
  }

  await options.beforeListen?.(database.url);

  // Background workers run in every instance unless turned off (e.g. web-only instances).
  const jobsPrisma = config.jobsEnabled ? createPrismaClient(database.url, 3) : null;
  const jobs = jobsPrisma ? await startJobs({ databaseUrl: database.url, prisma: jobsPrisma }) : null;

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let vite: ViteDevServer | undefined;
  if (config.production) {
    build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  } else {
    const { createServer } = await import("vite");
    vite = await createServer({ server: { middlewareMode: true } });
    const devServer = vite;
    build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  }

  const app = createHttpApp({
    build,
    vite,
    mode: config.production ? "production" : "development",
    trustProxyHops: config.trustedProxyHops,
    before: options.beforeRoutes,
  });
  const server: Server = await new Promise((resolveListen, reject) => {
    const listening = app.listen(config.port, config.host, () => resolveListen(listening));
    listening.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.error("shutdown took longer than 10 s; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    server.closeIdleConnections();
    await new Promise<void>((done) => server.close(() => done()));
    const loaded = typeof build === "function" ? await build() : build;
    const entry = loaded.entry.module as { shutdown?: () => Promise<void> };
    await entry.shutdown?.();
    await jobs?.stop();
    await jobsPrisma?.$disconnect();
    await vite?.close();
    await database.embedded?.stop();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // Only once the handlers are in place: whoever waits for this line may signal at once.
  logger.info({ port, host: config.host, url: `http://${config.host}:${port}` }, "listening");
}

/** Exit quietly with one line for configuration errors, with a log entry otherwise. */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof ConfigError) {
    // One line that names the variable; no stack trace for a configuration mistake.
    process.stderr.write(`comeback: configuration error: ${error.message}\n`);
    process.exit(78);
  }
  logger.fatal({ err: error }, "failed to start");
  process.exit(1);
}
