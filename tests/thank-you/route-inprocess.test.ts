import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Type only: the module itself is imported once DATABASE_URL is set (see beforeAll).
import type * as ThankYouRoute from "../../app/routes/extensions.thank-you";
import { seedDefaultProgram } from "../../app/loyalty/defaults";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { mintSessionToken } from "../../scripts/shopify-standin/session-token";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";
import { TEST_SECRET } from "../support/shopify";

/**
 * The Thank-you route called in this process (its loader and action with real Requests
 * and the real authenticate.public.checkout), so changes to it are tested without a
 * production build. route.test.ts covers the same route through the built server.
 */
type Route = typeof ThankYouRoute;

let db: TestDatabase;
let standin: AdminStandin;
let route: Route;
let shop: { id: string; domain: string };
let nextId = 7_000_000;

beforeAll(async () => {
  process.env.COMEBACK_SHOP_CACHE_MS = "0";
  db = await createTestDatabase();
  standin = await startAdminStandin({ accessToken: "offline-token" });
  // Imported after DATABASE_URL points at this file's database (db.server.ts reads it once).
  route = await import("../../app/routes/extensions.thank-you");
  shop = await createShop(db.prisma, { live: true, currency: "USD" });
  await db.prisma.$transaction((tx) => seedDefaultProgram(tx, shop.id, "USD", "en"));
  await db.prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
  await db.prisma.session.create({ data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "s", isOnline: false, accessToken: "offline-token" } });
});
afterAll(async () => {
  await standin?.close();
  await db?.close();
});

function placeOrder(spec: { customerId?: number; email: string; subtotal: string }) {
  const id = ++nextId;
  standin.orders.set(`gid://shopify/Order/${id}`, {
    id: `gid://shopify/Order/${id}`,
    email: spec.email,
    createdAt: new Date().toISOString(),
    customer: spec.customerId ? { id: `gid://shopify/Customer/${spec.customerId}` } : null,
    currentSubtotalPriceSet: { shopMoney: { amount: spec.subtotal, currencyCode: "USD" } },
  });
  return `gid://shopify/OrderIdentity/${id}`;
}

function token(sub?: string) {
  return mintSessionToken({ shop: shop.domain, apiKey: "test-api-key", secret: TEST_SECRET, sub, issuer: "shop" });
}

const HEADERS = { Origin: "https://extensions.shopifycdn.com", "User-Agent": "Mozilla/5.0 Chrome/156.0" };

async function get(order: string, auth: string) {
  const request = new Request(`https://comeback.test/extensions/thank-you?order=${encodeURIComponent(order)}&first=0`, {
    headers: { ...HEADERS, Authorization: `Bearer ${auth}` },
  });
  return route.loader({ request, params: {}, context: {} });
}

async function post(body: unknown, auth: string) {
  const request = new Request("https://comeback.test/extensions/thank-you", {
    method: "POST",
    headers: { ...HEADERS, "Content-Type": "application/json", Authorization: `Bearer ${auth}` },
    body: JSON.stringify(body),
  });
  return route.action({ request, params: {}, context: {} });
}

describe("/extensions/thank-you (in process)", () => {
  it("keeps a customer's balance private after a one-tap join when the token names no signed-in buyer", async () => {
    // Shopify attaches a guest checkout to the existing customer with that email, so the
    // order has a customer while the buyer never signed in: the page must not reveal
    // what that customer's account holds.
    await db.prisma.shopSettings.update({ where: { shopId: shop.id }, data: { autoEnroll: false } });
    const order = placeOrder({ customerId: 8100, email: "known@example.com", subtotal: "25.00" });
    const shown = (await (await get(order, token())).json()) as { state: string };
    expect(shown.state).toBe("join");
    const joined = await post({ order, event: "join" }, token());
    expect(joined.status).toBe(201);
    expect(await joined.json()).toMatchObject({ state: "member", balance: null, next: null });

    // A signed-in buyer sees their own balance.
    const again = await post({ order, event: "join" }, token("gid://shopify/Customer/8100"));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ state: "member", balance: 100 });
  });
});
