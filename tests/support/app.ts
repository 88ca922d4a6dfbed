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

/**
 * Waits until the webhook inbox has applied every delivery an instance acknowledged while
 * busy (concurrent deliveries are recorded and applied moments later, as in production).
 * A large backlog takes a while (the inbox applies about a hundred a second): it fails
 * only when the inbox stops making progress. The short pause after lets the inbox see it
 * is idle, so that the next delivery a test sends alone is applied in its request again.
 */
export async function webhooksApplied(prisma: TestDatabase["prisma"], stalledAfterMs = 15_000): Promise<void> {
  let last = Infinity;
  let progressAt = Date.now();
  for (;;) {
    const waiting = await prisma.webhookEvent.count({ where: { status: "RECEIVED" } });
    if (waiting === 0) break;
    if (waiting < last) [last, progressAt] = [waiting, Date.now()];
    else if (Date.now() - progressAt > stalledAfterMs)
      throw new Error(`${waiting} recorded webhook deliveries not applied, none for ${stalledAfterMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
