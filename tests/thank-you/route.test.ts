import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDefaultProgram } from "../../app/services/defaults";
import { expireUnclaimedPending } from "../../app/services/pending";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { mintSessionToken } from "../../scripts/shopify-standin/session-token";
import { customerPayload, orderPayload } from "../fixtures/shopify-payloads";
import { BROWSER_UA } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { postWebhook, TEST_SECRET } from "../support/shopify";

/**
 * The Thank-you block's backend through the production build: Shopify's checkout
 * session token, the order read from the Admin API (stand-in), and the pending points
 * of a guest order credited once the account exists.
 */
let standin: AdminStandin;
let app: TestApp;
let shop: { id: string; domain: string };
let nextId = 5_000_000;

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  app = await startTestApp({ COMEBACK_SHOP_CACHE_MS: "0" });
  shop = await createShop(app.db.prisma, { live: true, currency: "USD" });
  await app.db.prisma.$transaction((tx) => seedDefaultProgram(tx, shop.id, "USD", "en"));
  await app.db.prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
  await app.db.prisma.session.create({
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
  await app?.close();
  await standin?.close();
});

/** The confirmation number each order's Thank-you page shows, by the id the extension sees. */
const confirmationNumbers = new Map<string, string>();

/**
 * An order as Shopify's Admin API holds it, and its id as the extension sees it. Every
 * order has a confirmation number: nine random capitals and digits, as
 * shopify.dev's Order.confirmationNumber example ("XPAV284CT") shows.
 */
function placeOrder(spec: { customerId?: number; email: string; subtotal: string; hoursAgo?: number }) {
  const id = ++nextId;
  const confirmationNumber = `K${String(id).padStart(4, "0")}QX7Z`.slice(0, 9);
  confirmationNumbers.set(`gid://shopify/OrderIdentity/${id}`, confirmationNumber);
  standin.orders.set(`gid://shopify/Order/${id}`, {
    id: `gid://shopify/Order/${id}`,
    email: spec.email,
    confirmationNumber,
    createdAt: new Date(Date.now() - (spec.hoursAgo ?? 0) * 3600_000).toISOString(),
    customer: spec.customerId ? { id: `gid://shopify/Customer/${spec.customerId}` } : null,
    currentSubtotalPriceSet: { shopMoney: { amount: spec.subtotal, currencyCode: "USD" } },
  });
  return { id, extensionId: `gid://shopify/OrderIdentity/${id}` };
}

function token(options: { sub?: string; secret?: string; shop?: string; ttlSeconds?: number; now?: Date } = {}) {
  return mintSessionToken({
    shop: options.shop ?? shop.domain,
    apiKey: "test-api-key",
    secret: options.secret ?? TEST_SECRET,
    sub: options.sub,
    ttlSeconds: options.ttlSeconds,
    now: options.now,
    surface: "checkout",
  });
}

/** As the block asks: the order id and the confirmation number from orderConfirmation. */
function view(order: string, auth: string | null, first = false, number = confirmationNumbers.get(order)) {
  const shown = number === undefined ? "" : `&number=${encodeURIComponent(number)}`;
  return fetch(
    `${app.server.url}/extensions/thank-you?order=${encodeURIComponent(order)}${shown}&first=${first ? 1 : 0}`,
    {
      headers: {
        "User-Agent": BROWSER_UA,
        Origin: "https://extensions.shopifycdn.com",
        ...(auth ? { Authorization: `Bearer ${auth}` } : {}),
      },
    },
  );
}

function post(body: unknown, auth: string) {
  const withNumber =
    typeof body === "object" && body && "order" in body && !("number" in body)
      ? { ...body, number: confirmationNumbers.get(String((body as { order: unknown }).order)) }
      : body;
  return fetch(`${app.server.url}/extensions/thank-you`, {
    method: "POST",
    headers: {
      "User-Agent": BROWSER_UA,
      Origin: "https://extensions.shopifycdn.com",
      "Content-Type": "application/json",
      Authorization: `Bearer ${auth}`,
    },
    body: typeof withNumber === "string" ? withNumber : JSON.stringify(withNumber),
  });
}

async function writes() {
  const p = app.db.prisma;
  return [
    await p.analyticsEvent.count(),
    await p.member.count(),
    await p.ledgerEntry.count(),
    await p.pendingPoints.count(),
  ];
}

describe("GET /extensions/thank-you", () => {
  it("shows a signed-in member the order's points, balance and distance to the next reward, and counts one view", async () => {
    const member = await app.db.prisma.member.create({
      data: { shopId: shop.id, customerId: 71n, email: "anna@example.com", referralCode: "ANNA71", balance: 320 },
    });
    await app.db.prisma.ledgerEntry.create({
      data: {
        shopId: shop.id,
        memberId: member.id,
        points: 320,
        kind: "EARN",
        source: "ADMIN",
        reason: "seed",
        idempotencyKey: "seed:71",
      },
    });
    const order = placeOrder({ customerId: 71, email: "anna@example.com", subtotal: "45.50" });
    for (let i = 0; i < 2; i++) {
      const response = await view(order.extensionId, token({ sub: "gid://shopify/Customer/71" }), true);
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      // Not recorded yet by the webhook: an estimate from the subtotal (1 point per $1)
      // plus the first-order bonus (100 in the default program).
      expect(await response.json()).toEqual({
        // No locale asked: the shop's default language and the built-in name for points.
        language: "en",
        pointsName: { one: "point", other: "points" },
        state: "member",
        points: 145,
        confirmed: false,
        balance: 320,
        next: { kind: "reward", name: expect.any(String), remaining: 180 },
        welcome: true,
      });
    }
    expect(
      await app.db.prisma.analyticsEvent.count({
        where: { shopId: shop.id, name: "thankyou.viewed", orderId: BigInt(order.id) },
      }),
    ).toBe(1);

    // Once orders/paid is recorded, the ledger's own figure is shown.
    const paid = orderPayload({
      id: order.id,
      customer: { id: 71, email: "anna@example.com" },
      email: "anna@example.com",
      lines: [{ price: "45.50" }],
    });
    expect(
      (await postWebhook(app.server.url, { topic: "orders/paid", shop: shop.domain, body: JSON.stringify(paid) }))
        .status,
    ).toBe(200);
    const after = (await (await view(order.extensionId, token({ sub: "gid://shopify/Customer/71" }))).json()) as {
      points: number;
      confirmed: boolean;
      balance: number;
    };
    expect(after).toMatchObject({ points: 145, confirmed: true, balance: 465 });
  });

  it("keeps the balance private when the token names no buyer, and refuses another buyer's order", async () => {
    await app.db.prisma.member.create({
      data: { shopId: shop.id, customerId: 72n, email: "boris@example.com", referralCode: "BORIS72", balance: 999 },
    });
    const order = placeOrder({ customerId: 72, email: "boris@example.com", subtotal: "10.00" });
    expect(await (await view(order.extensionId, token())).json()).toMatchObject({
      state: "member",
      points: 10,
      balance: null,
      next: null,
    });
    expect((await view(order.extensionId, token({ sub: "gid://shopify/Customer/71" }))).status).toBe(403);
  });

  it("answers forged, expired, wrong-shop and missing tokens with 401, and writes nothing", async () => {
    const order = placeOrder({ customerId: 72, email: "boris@example.com", subtotal: "10.00" });
    const before = await writes();
    const attempts = [
      null,
      token({ secret: "not-the-app-secret" }),
      token({ now: new Date(Date.now() - 3600_000), ttlSeconds: 60 }),
      token({ shop: "someone-else.myshopify.com" }),
      "not.a.jwt",
    ];
    for (const auth of attempts) expect((await view(order.extensionId, auth)).status, String(auth)).toBe(401);
    expect((await post({ order: order.extensionId, event: "join" }, token({ secret: "nope" }))).status).toBe(401);
    expect(await writes()).toEqual(before);
  });

  it("rejects bad ids, unknown and stale orders without writing", async () => {
    const before = await writes();
    expect((await view("gid://shopify/Product/1", token())).status).toBe(400);
    expect((await view("99999999999999999999", token())).status).toBe(400);
    expect((await view("gid://shopify/OrderIdentity/123", token())).status).toBe(404);
    const old = placeOrder({ email: "x@example.com", subtotal: "10.00", hoursAgo: 100 });
    expect((await view(old.extensionId, token())).status).toBe(404);
    expect((await post("{not json", token())).status).toBe(400);
    expect((await post({ order: old.extensionId, event: "delete_everything" }, token())).status).toBe(400);
    expect(await writes()).toEqual(before);
  });

  it("answers the CORS preflight", async () => {
    const response = await fetch(`${app.server.url}/extensions/thank-you`, {
      method: "OPTIONS",
      headers: {
        "User-Agent": BROWSER_UA,
        Origin: "https://extensions.shopifycdn.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });
});

describe("guests and unenrolled customers", () => {
  it("holds a guest order's points under its email and credits them once when the account is created", async () => {
    const email = "guest1@example.com";
    const order = placeOrder({ email, subtotal: "80.00" });
    const paid = orderPayload({ id: order.id, customer: null, email, lines: [{ price: "80.00" }] });
    expect(
      (await postWebhook(app.server.url, { topic: "orders/paid", shop: shop.domain, body: JSON.stringify(paid) }))
        .status,
    ).toBe(200);
    const shown = await (await view(order.extensionId, token())).json();
    expect(shown).toEqual({
      language: "en",
      pointsName: { one: "point", other: "points" },
      state: "guest",
      points: 80,
      signupBonus: 100,
      pendingDays: expect.any(Number),
      welcome: false,
      email,
    });
    expect((await post({ order: order.extensionId, event: "join_clicked" }, token())).status).toBe(200);
    // Guests cannot be enrolled from the page: they sign up in customer accounts.
    expect((await post({ order: order.extensionId, event: "join" }, token())).status).toBe(409);

    const created = JSON.stringify(customerPayload({ id: 9101, email }));
    for (let i = 0; i < 2; i++) {
      expect(
        (
          await postWebhook(app.server.url, {
            topic: "customers/create",
            shop: shop.domain,
            body: created,
            webhookId: `cc-${i}`,
          })
        ).status,
      ).toBe(200);
    }
    const member = await app.db.prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: shop.id, customerId: 9101n } },
    });
    const entries = await app.db.prisma.ledgerEntry.findMany({
      where: { memberId: member.id },
      orderBy: { id: "asc" },
    });
    expect(entries.map((e) => [e.source, e.points])).toEqual([
      ["SIGNUP", 100],
      ["ORDER", 80],
    ]);
    expect(member.balance).toBe(180);
    expect(
      await app.db.prisma.pendingPoints.findFirst({ where: { orderId: BigInt(order.id) }, select: { status: true } }),
    ).toEqual({ status: "CREDITED" });
    const events = await app.db.prisma.analyticsEvent.findMany({
      where: { orderId: BigInt(order.id) },
      select: { name: true },
    });
    // The guest who saw the block and then signed up counts as a post-purchase join.
    expect(events.map((e) => e.name).sort()).toEqual(["thankyou.join_clicked", "thankyou.joined", "thankyou.viewed"]);
  });

  it("lets a guest's pending points expire when the window passes, and then credits nothing", async () => {
    const email = "late@example.com";
    const order = placeOrder({ email, subtotal: "30.00" });
    const paid = orderPayload({ id: order.id, customer: null, email, lines: [{ price: "30.00" }] });
    await postWebhook(app.server.url, { topic: "orders/paid", shop: shop.domain, body: JSON.stringify(paid) });
    const settings = await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const expired = await expireUnclaimedPending(
      app.db.prisma,
      new Date(Date.now() + (settings.pendingWindowDays + 1) * 86_400_000),
    );
    expect(expired).toBeGreaterThanOrEqual(1);
    await postWebhook(app.server.url, {
      topic: "customers/create",
      shop: shop.domain,
      body: JSON.stringify(customerPayload({ id: 9102, email })),
    });
    const member = await app.db.prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: shop.id, customerId: 9102n } },
    });
    expect(await app.db.prisma.ledgerEntry.count({ where: { memberId: member.id, source: "ORDER" } })).toBe(0);
  });

  it("offers a known, unenrolled customer one-tap join, which credits the order once", async () => {
    await app.db.prisma.shopSettings.update({ where: { shopId: shop.id }, data: { autoEnroll: false } });
    try {
      const email = "known@example.com";
      const order = placeOrder({ customerId: 9200, email, subtotal: "25.00" });
      const paid = orderPayload({ id: order.id, customer: { id: 9200, email }, email, lines: [{ price: "25.00" }] });
      await postWebhook(app.server.url, { topic: "orders/paid", shop: shop.domain, body: JSON.stringify(paid) });
      const auth = token({ sub: "gid://shopify/Customer/9200" });
      expect(await (await view(order.extensionId, auth)).json()).toMatchObject({
        state: "join",
        points: 25,
        signupBonus: 100,
      });
      const joined = await post({ order: order.extensionId, event: "join" }, auth);
      expect(joined.status).toBe(201);
      expect(await joined.json()).toMatchObject({ state: "member", points: 25, balance: 125 });
      expect((await post({ order: order.extensionId, event: "join" }, auth)).status).toBe(200);
      const member = await app.db.prisma.member.findUniqueOrThrow({
        where: { shopId_customerId: { shopId: shop.id, customerId: 9200n } },
      });
      expect(member.balance).toBe(125);
      expect(
        await app.db.prisma.analyticsEvent.count({ where: { orderId: BigInt(order.id), name: "thankyou.joined" } }),
      ).toBe(1);
    } finally {
      await app.db.prisma.shopSettings.update({ where: { shopId: shop.id }, data: { autoEnroll: true } });
    }
  });
});
