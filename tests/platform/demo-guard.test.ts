import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_MARKER } from "../../scripts/demo/admin-access";
import { mintSessionToken } from "../../scripts/shopify-standin/session-token";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { TEST_SECRET } from "../support/shopify";

/**
 * The local demo opens the admin pages outside Shopify admin by adding a session token
 * to each request. That path must not exist in production: the demo refuses to run
 * there, and the production build contains none of it.
 */

function runDemo(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    env: { ...process.env, DATABASE_URL: "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("demo guard", () => {
  it("refuses to start with NODE_ENV=production", () => {
    const result = runDemo({ NODE_ENV: "production" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("refusing to start with NODE_ENV=production");
  });

  it("refuses to listen anywhere but on this machine", () => {
    const result = runDemo({ NODE_ENV: "development", HOST: "0.0.0.0" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("refusing HOST=0.0.0.0");
  });

  it("is absent from the production build", () => {
    const built = [
      join("build", "server.js"),
      ...filesUnder(join("build", "server")),
      ...filesUnder(join("build", "client")),
    ].filter((f) => f.endsWith(".js"));
    expect(built.length).toBeGreaterThan(3);
    const offenders = built.filter((file) => {
      const text = readFileSync(file, "utf8");
      return text.includes(DEMO_ADMIN_MARKER) || text.includes("demoAdminAccess") || text.includes("mintSessionToken");
    });
    expect(offenders).toEqual([]);
  });
});

describe("admin authentication in the production build", () => {
  let app: TestApp;
  let shop: string;
  const browser = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36" };
  beforeAll(async () => {
    app = await startTestApp();
    shop = (await createShop(app.db.prisma)).domain;
    await app.db.prisma.session.create({
      data: {
        id: `offline_${shop}`,
        shop,
        state: "test",
        isOnline: false,
        scope:
          "read_customers,write_customers,read_orders,read_products,write_discounts,read_discounts,write_store_credit_account_transactions,read_store_credit_accounts",
        accessToken: "shpat_test",
      },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  const token = (secret: string, overrides: { shop?: string; ttlSeconds?: number } = {}) =>
    mintSessionToken({
      shop: overrides.shop ?? shop,
      apiKey: "test-api-key",
      secret,
      sub: "1",
      ttlSeconds: overrides.ttlSeconds,
    });

  it("lets no one in without a session token, with a forged one, or an expired one", async () => {
    const none = await fetch(`${app.server.url}/app`, { headers: browser, redirect: "manual" });
    expect(none.status).not.toBe(200);
    expect([302, 401]).toContain(none.status);
    for (const bad of [token("not-the-secret"), token(TEST_SECRET, { ttlSeconds: -120 })]) {
      const response = await fetch(`${app.server.url}/app?_data=routes/app._index`, {
        headers: { ...browser, Authorization: `Bearer ${bad}` },
        redirect: "manual",
      });
      expect(response.status).toBe(401);
    }
    // The demo's marker header grants nothing here.
    const marked = await fetch(`${app.server.url}/app`, {
      headers: { ...browser, [DEMO_ADMIN_MARKER]: "1" },
      redirect: "manual",
    });
    expect(marked.status).not.toBe(200);
  });

  it("serves the admin to a valid session token for an installed shop", async () => {
    const response = await fetch(`${app.server.url}/app?_data=routes/app`, {
      headers: { ...browser, Authorization: `Bearer ${token(TEST_SECRET)}` },
    });
    expect(response.status).toBe(200);
  });
});
