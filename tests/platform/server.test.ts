import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { runServerExpectingFailure, startServer, type RunningServer } from "../support/server";
import { createShop } from "../support/seed";
import { postWebhook } from "../support/shopify";
import { customerPayload } from "../fixtures/shopify-payloads";

const shopifyEnv = {
  SHOPIFY_API_KEY: "test-api-key",
  SHOPIFY_API_SECRET: "test-api-secret",
  SHOPIFY_APP_URL: "https://comeback.test",
};

let db: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({ ...shopifyEnv, DATABASE_URL: db.url });
});

afterAll(async () => {
  await server?.stop("SIGKILL");
  await db?.close();
});

describe("production server", () => {
  it("answers /healthz when the database is reachable", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("refuses oversized webhook bodies before reading them", async () => {
    const response = await fetch(`${server.url}/webhooks/orders/paid`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(5 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect((await response.json()) as { error: string }).toMatchObject({ error: "payload_too_large" });
    // Still up.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("serves the landing page without leaking internals", async () => {
    const response = await fetch(`${server.url}/?locale=ru`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Превращайте разовых покупателей");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("serves the icons from public/, which the pages link, with no error logged", async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    for (const [path, type] of [
      ["/favicon.ico", "image/x-icon"],
      ["/icon.svg", "image/svg+xml"],
      ["/apple-touch-icon.png", "image/png"],
    ]) {
      expect(html).toContain(`href="${path}"`);
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toContain(type);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(200);
    }
    expect(server.logs.filter((line) => /favicon|"level":"error"|No route matches/.test(line))).toEqual([]);
  });

  it("logs JSON lines and never the API secret", () => {
    expect(server.logs.length).toBeGreaterThan(0);
    for (const line of server.logs) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain(shopifyEnv.SHOPIFY_API_SECRET);
    }
  });

  it("queues work asked for by a route: a webhook's Shopify sync is a job at once, not at the next sweep", async () => {
    // The server starts the job queue; the routes are the build's own copies of the app's
    // modules. Both must reach the same queue, or every "sync soon" waits for the sweep.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const count = async (sql: string, params: unknown[]) => (await client.query<{ n: number }>(sql, params)).rows[0]!.n;
    try {
      // The minute sweep also queues syncs: an attempt it overlapped proves nothing, so retry.
      for (let attempt = 0; ; attempt++) {
        const shop = await createShop(db.prisma);
        const since = new Date();
        const response = await postWebhook(server.url, {
          topic: "customers/create",
          shop: shop.domain,
          secret: shopifyEnv.SHOPIFY_API_SECRET,
          body: JSON.stringify(customerPayload({ id: 5551001 + attempt, email: `queued${attempt}@example.com` })),
        });
        expect(response.status).toBe(200);
        const queued = () =>
          count(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'shopify-sync-shop' AND data->>'shopId' = $1`, [
            shop.id,
          ]);
        await expect
          .poll(queued, { timeout: 2000, interval: 50 })
          .toBeGreaterThan(0)
          .catch(() => undefined);
        const sweeps = await count(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'shopify-sync-sweep' AND created_on >= $1`,
          [since],
        );
        if (sweeps > 0 && attempt < 3) continue;
        expect(await queued()).toBe(1);
        break;
      }
    } finally {
      await client.end();
    }
  });

  it("stops gracefully on SIGTERM", async () => {
    const own = await startServer({ ...shopifyEnv, DATABASE_URL: db.url });
    const code = await own.stop("SIGTERM");
    expect(code, own.logs.join("\n")).toBe(0);
    expect(own.logs.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  });
});

describe("bad configuration ends in one line that names the variable", () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ["missing secret", { SHOPIFY_API_KEY: "k", SHOPIFY_APP_URL: "https://a.example" }, "SHOPIFY_API_SECRET"],
    ["malformed DATABASE_URL", { ...shopifyEnv, DATABASE_URL: "mysql://db/x" }, "DATABASE_URL"],
    ["unreachable database", { ...shopifyEnv, DATABASE_URL: "postgres://127.0.0.1:1/none" }, "DATABASE_URL"],
    ["http app URL in production", { ...shopifyEnv, SHOPIFY_APP_URL: "http://a.example" }, "SHOPIFY_APP_URL"],
  ];
  for (const [name, env, variable] of cases) {
    it(name, async () => {
      const { code, stdout, stderr } = await runServerExpectingFailure(env);
      expect(code).toBe(78);
      const lines = stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^comeback: configuration error: ${variable}: `));
      expect(stderr + stdout).not.toMatch(/\n\s+at /);
    });
  }
});

describe("health when the database goes away", () => {
  it("answers 503 without details", async (context) => {
    if (!db.url.includes("cbt_")) context.skip(); // only a per-file database can be dropped
    const own = await startServer({ ...shopifyEnv, DATABASE_URL: db.url });
    try {
      const admin = new pg.Client({ connectionString: db.url.replace(/\/cbt_[^/?]+/, "/postgres") });
      await admin.connect();
      const name = new URL(db.url).pathname.slice(1);
      await db.prisma.$disconnect();
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();
      const response = await fetch(`${own.url}/healthz`);
      expect(response.status).toBe(503);
      const body = await response.text();
      expect(body).not.toContain(name);
      expect(JSON.parse(body)).toMatchObject({ status: "unavailable" });
    } finally {
      await own.stop("SIGKILL");
    }
  });
});
