import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * An embedded PostgreSQL (PGlite, real PostgreSQL compiled to WASM) that speaks the
 * wire protocol on localhost, so the app reaches it through the same `pg` driver and
 * Prisma adapter as a real server. It exists so that a newcomer needs no database
 * server; production and benchmarks use DATABASE_URL.
 */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: { dataDir: string; port?: number }): Promise<EmbeddedPostgres> {
  const dir = resolve(options.dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 64 });
  await server.start();
  // getServerConn() is "host:port"; with port 0 the OS picked a free one.
  const conn = server.getServerConn();
  const url = `postgresql://postgres:postgres@${conn}/postgres?sslmode=disable`;
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
