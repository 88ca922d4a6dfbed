import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
// Type only: the module itself is imported once DATABASE_URL is set (see beforeAll).
import type * as ThankYouRoute from "../../app/routes/extensions.thank-you";
import { seedDefaultProgram } from "../../app/services/defaults";
import { postEntry } from "../../app/services/ledger";
import { invalidateShopContext, loadShopContext } from "../../app/services/shop-context";
import { thankYouView } from "../../app/services/thank-you";
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

// Before any import: the shop context cache reads its TTL when first loaded, and these
// tests change settings between requests.
vi.hoisted(() => {
  process.env.COMEBACK_SHOP_CACHE_MS = "0";
});

let db: TestDatabase;
let standin: AdminStandin;
let route: Route;
let shop: { id: string; domain: string };
let nextId = 7_000_000;

beforeAll(async () => {
  db = await createTestDatabase();
  standin = await startAdminStandin({ accessToken: "offline-token" });
  // Imported after DATABASE_URL points at this file's database (db.server.ts reads it once).
  route = await import("../../app/routes/extensions.thank-you");
  shop = await createShop(db.prisma, { live: true, currency: "USD" });
  await db.prisma.$transaction((tx) => seedDefaultProgram(tx, shop.id, "USD", "en"));
  await db.prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
  await db.prisma.session.create({
    data: {
      id: `offline_${shop.domain}`,
      shop: shop.domain,
      state: "s",
      isOnline: false,
      accessToken: "offline-token",
    },
  });
});
afterAll(async () => {
  await standin?.close();
  await db?.close();
});

/** What each order's Thank-you page shows as its confirmation number, by extension order id. */
const numbers = new Map<string, string>();

function placeOrder(spec: {
  customerId?: number;
  email: string;
  subtotal: string;
  confirmationNumber?: string | null;
}) {
  const id = ++nextId;
  const confirmationNumber =
    spec.confirmationNumber === undefined ? `N${String(id).padStart(8, "0")}` : spec.confirmationNumber;
  if (confirmationNumber) numbers.set(`gid://shopify/OrderIdentity/${id}`, confirmationNumber);
  standin.orders.set(`gid://shopify/Order/${id}`, {
    id: `gid://shopify/Order/${id}`,
    email: spec.email,
    createdAt: new Date().toISOString(),
    confirmationNumber,
    customer: spec.customerId ? { id: `gid://shopify/Customer/${spec.customerId}` } : null,
    currentSubtotalPriceSet: { shopMoney: { amount: spec.subtotal, currencyCode: "USD" } },
  });
  return `gid://shopify/OrderIdentity/${id}`;
}

function token(sub?: string) {
  return mintSessionToken({ shop: shop.domain, apiKey: "test-api-key", secret: TEST_SECRET, sub, surface: "checkout" });
}

const HEADERS = { Origin: "https://extensions.shopifycdn.com", "User-Agent": "Mozilla/5.0 Chrome/156.0" };

function asResponse(value: unknown): Response {
  if (!(value instanceof Response)) throw new Error("the route answered no Response");
  return value;
}

/** `number`: left out, the order's own; null, none sent. */
async function get(order: string, auth: string, number: string | null | undefined = numbers.get(order)) {
  const query = `order=${encodeURIComponent(order)}${number == null ? "" : `&number=${encodeURIComponent(number)}`}&first=0`;
  const request = new Request(`https://comeback.test/extensions/thank-you?${query}`, {
    headers: { ...HEADERS, Authorization: `Bearer ${auth}` },
  });
  return asResponse(await route.loader({ request, params: {}, context: {} }));
}

async function post(body: { order: string; number?: string; event: string }, auth: string) {
  const request = new Request("https://comeback.test/extensions/thank-you", {
    method: "POST",
    headers: { ...HEADERS, "Content-Type": "application/json", Authorization: `Bearer ${auth}` },
    body: JSON.stringify({ number: numbers.get(body.order), ...body }),
  });
  return asResponse(await route.action({ request, params: {}, context: {} }));
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

describe("the order's confirmation number", () => {
  it("is required when the order has one, so a token from another checkout cannot read this order; nothing is written", async () => {
    const order = placeOrder({ email: "guest@example.com", subtotal: "20.00", confirmationNumber: "K7Q2PX9WZ" });
    const before = [await db.prisma.analyticsEvent.count(), await db.prisma.member.count()];
    for (const number of [null, "", "AAAAAAAAA"]) {
      const response = await get(order, token(), number);
      expect(response.status, String(number)).toBe(403);
      expect(await response.json()).toEqual({ error: "not_your_order" });
    }
    expect((await post({ order, number: "AAAAAAAAA", event: "join_clicked" }, token())).status).toBe(403);
    expect([await db.prisma.analyticsEvent.count(), await db.prisma.member.count()]).toEqual(before);

    const shown = await get(order, token(), "k7q2px9wz");
    expect(shown.status).toBe(200);
    // Proved by the number, the page may say which email the account needs.
    expect(await shown.json()).toMatchObject({ state: "guest", points: 20, email: "guest@example.com" });
    expect((await post({ order, number: "K7Q2PX9WZ", event: "join_clicked" }, token())).status).toBe(200);
  });

  it("is required of every fresh order: one the Admin API shows without a number is not served", async () => {
    const order = placeOrder({ email: "guest@example.com", subtotal: "20.00", confirmationNumber: null });
    const before = await db.prisma.analyticsEvent.count();
    for (const number of [null, "ANYTHING1"]) expect((await get(order, token(), number)).status).toBe(403);
    expect(await db.prisma.analyticsEvent.count()).toBe(before);
  });
});

describe("rate limits", () => {
  it("answer 429 once one session token has asked too often, before spending the shop's Admin API budget", async () => {
    const order = placeOrder({ email: "busy@example.com", subtotal: "10.00" });
    const auth = token();
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await get(order, auth)).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(30);
    expect(statuses.slice(-1)).toEqual([429]);
    const adminCallsBefore = standin.requests.length;
    expect((await get(order, auth)).status).toBe(429);
    expect(standin.requests.length).toBe(adminCallsBefore);
    // Another checkout's token has its own budget.
    expect((await get(order, token())).status).toBe(200);
  });
});

describe("orders the Admin API does not answer for", () => {
  it("tells 'not created yet' (the block asks again) from 'too old' (final), writing nothing", async () => {
    const before = await db.prisma.analyticsEvent.count();
    const missing = await get("gid://shopify/OrderIdentity/6999999", token());
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "order_not_found" });
    const id = ++nextId;
    standin.orders.set(`gid://shopify/Order/${id}`, {
      id: `gid://shopify/Order/${id}`,
      email: "old@example.com",
      createdAt: new Date(Date.now() - 100 * 3600_000).toISOString(),
      customer: null,
      currentSubtotalPriceSet: { shopMoney: { amount: "10.00", currencyCode: "USD" } },
    });
    const old = await get(`gid://shopify/OrderIdentity/${id}`, token());
    expect(old.status).toBe(404);
    expect(await old.json()).toEqual({ error: "order_too_old" });
    expect(await db.prisma.analyticsEvent.count()).toBe(before);
  });
});

describe("the member's next goal", () => {
  async function memberOf(shopId: string, customerId: bigint, earned: number) {
    const member = await db.prisma.member.create({
      data: { shopId, customerId, email: `m${customerId}@example.com`, referralCode: `NG${customerId}` },
    });
    await postEntry(db.prisma, {
      shopId,
      memberId: member.id,
      points: earned,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: "seed" } },
      idempotencyKey: `seed:${customerId}`,
    });
    return db.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
  }
  const order = (customerId: bigint) => ({
    id: customerId * 10n,
    email: null,
    customerId,
    subtotalMinor: 1000n,
    currency: "USD",
  });

  it("is the cheapest reward not affordable yet, else the next tier in the program's metric, else nothing", async () => {
    const points = await createShop(db.prisma, { settings: { tierMetric: "POINTS" } });
    await db.prisma.reward.create({
      data: {
        shopId: points.id,
        name: "$5 off",
        type: "FIXED_AMOUNT",
        pointsCost: 500,
        valueMinor: 500,
        currency: "USD",
      },
    });
    await db.prisma.tier.create({ data: { shopId: points.id, name: "Silver", position: 0, threshold: 1000n } });
    const context = (await loadShopContext(db.prisma, { id: points.id }))!;

    await memberOf(points.id, 501n, 300);
    expect((await thankYouView(db.prisma, context, order(501n), false)) as object).toMatchObject({
      next: { kind: "reward", name: "$5 off", remaining: 200 },
    });
    // Every reward affordable: the tier is what is left to reach.
    await memberOf(points.id, 502n, 600);
    expect((await thankYouView(db.prisma, context, order(502n), false)) as object).toMatchObject({
      next: { kind: "tier", name: "Silver", unit: "points", remaining: 400 },
    });
    await memberOf(points.id, 503n, 1200);
    expect((await thankYouView(db.prisma, context, order(503n), false)) as object).toMatchObject({ next: null });

    const spend = await createShop(db.prisma, { settings: { tierMetric: "SPEND" } });
    await db.prisma.tier.create({ data: { shopId: spend.id, name: "Gold", position: 0, threshold: 20000n } });
    const spender = await memberOf(spend.id, 504n, 10);
    await db.prisma.order.create({
      data: {
        id: 5040n,
        shopId: spend.id,
        memberId: spender.id,
        currency: "USD",
        earnableMinor: 15750n,
        paidAt: new Date(),
        processedAt: new Date(),
      },
    });
    const spendContext = (await loadShopContext(db.prisma, { id: spend.id }))!;
    expect((await thankYouView(db.prisma, spendContext, order(504n), false)) as object).toMatchObject({
      next: { kind: "tier", name: "Gold", unit: "money", remaining: 42.5, currency: "USD" },
    });
  });

  it("names the next reward and tier, and the points, as the merchant wrote them in that language", async () => {
    const named = await createShop(db.prisma, {
      settings: { tierMetric: "POINTS", pointsName: { en: { one: "star", other: "stars" }, ru: { many: "звёзд" } } },
    });
    await db.prisma.reward.create({
      data: {
        shopId: named.id,
        name: "$5 off",
        names: { ru: "Скидка $5" },
        type: "FIXED_AMOUNT",
        pointsCost: 500,
        valueMinor: 500,
        currency: "USD",
      },
    });
    const context = (await loadShopContext(db.prisma, { id: named.id }))!;
    await memberOf(named.id, 601n, 300);
    expect((await thankYouView(db.prisma, context, order(601n), false, "ru-RU")) as object).toMatchObject({
      language: "ru",
      // The merchant's "many" form, completed by the built-in ones.
      pointsName: { one: "балл", few: "балла", many: "звёзд" },
      next: { kind: "reward", name: "Скидка $5" },
    });
    expect((await thankYouView(db.prisma, context, order(601n), false, "en")) as object).toMatchObject({
      language: "en",
      pointsName: { one: "star", other: "stars" },
      next: { kind: "reward", name: "$5 off" },
    });
    // A language the program does not speak: the shop's default.
    expect((await thankYouView(db.prisma, context, order(601n), false, "de-DE")) as object).toMatchObject({
      language: "en",
    });
  });
});

describe("the estimate before orders/paid arrives", () => {
  it("includes a bonus campaign running now on the products bought, as the ledger will compute it", async () => {
    await db.prisma.campaign.create({
      data: {
        shopId: shop.id,
        name: "Tea week",
        multiplierBp: 30_000,
        startsAt: new Date(Date.now() - 3600_000),
        endsAt: new Date(Date.now() + 3600_000),
        productIds: ["632910392"],
      },
    });
    invalidateShopContext({ id: shop.id });
    const order = placeOrder({ email: "tea@example.com", subtotal: "30.00" });
    const gid = order.replace("OrderIdentity", "Order");
    const line = (product: string, amount: string) => ({
      currentQuantity: 1,
      isGiftCard: false,
      product: { id: `gid://shopify/Product/${product}` },
      discountedUnitPriceAfterAllDiscountsSet: { shopMoney: { amount, currencyCode: "USD" } },
    });
    // $10 of tea at 3× and $20 of something else at 1×: 30 + 20 = 50 points, where the
    // subtotal alone would say 30.
    standin.orders.set(gid, {
      ...standin.orders.get(gid)!,
      lineItems: { nodes: [line("632910392", "10.00"), line("1", "20.00")] },
    });
    const shown = (await (await get(order, token())).json()) as { state: string; points: number };
    expect(shown).toMatchObject({ state: "guest", points: 50 });
    await db.prisma.campaign.deleteMany({ where: { shopId: shop.id } });
    invalidateShopContext({ id: shop.id });
  });
});
