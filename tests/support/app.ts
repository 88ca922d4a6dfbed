import { createTestDatabase, type TestDatabase } from "./database";
import { startServer, type RunningServer } from "./server";

export interface TestApp {
  db: TestDatabase;
  server: RunningServer;
  close(): Promise<void>;
}

/** A fresh database and the production build serving it, as the HTTP tests need. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const server = await startServer({
    SHOPIFY_API_KEY: "test-api-key",
    SHOPIFY_API_SECRET: "test-api-secret",
    SHOPIFY_APP_URL: "https://comeback.test",
    DATABASE_URL: db.url,
    COMEBACK_JOBS: "off",
    ...env,
  });
  return {
    db,
    server,
    async close() {
      await server.stop("SIGKILL");
      await db.close();
    },
  };
}
