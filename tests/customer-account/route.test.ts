import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { mintSessionToken } from "../../scripts/shopify-standin/session-token";
import { orderPayload, refundPayload } from "../fixtures/shopify-payloads";
import { BROWSER_UA } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createStandinShop } from "../support/seed";
import { postWebhook, TEST_SECRET } from "../support/shopify";

/**
 * The customer-account extension's backend through the production build, with Shopify's
 * customer-account session token (shopify.dev Session Token API for customer account UI
 * extensions: `dest` the shop, `sub` the signed-in customer's GID) as the stand-in mints
 * it, and orders arriving as Shopify's webhooks.
 */
let standin: AdminStandin;
let app: TestApp;
let shop: { id: string; domain: string };
const URL_PATH = "/extensions/customer-account";

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  app = await startTestApp({ COMEBACK_SHOP_CACHE_MS: "0" });
  shop = await createStandinShop(app.db.prisma, (domain) => standin.endpoint(domain), {
    settings: { expiryInactivityDays: 365 },
  });
});
afterAll(async () => {
  await app?.close();
  await standin?.close();
});

function token(options: { sub?: string | null; secret?: string; shop?: string; ttlSeconds?: number; now?: Date } = {}) {
  return mintSessionToken({
    shop: options.shop ?? shop.domain,
    apiKey: "test-api-key",
    secret: options.secret ?? TEST_SECRET,
    sub: options.sub === null ? undefined : (options.sub ?? "gid://shopify/Customer/501"),
    ttlSeconds: options.ttlSeconds,
    now: options.now,
    surface: "customer-account",
  });
}

const headers = (auth: string | null) => ({
  "User-Agent": BROWSER_UA,
  Origin: "https://extensions.shopifycdn.com",
  ...(auth ? { Authorization: `Bearer ${auth}` } : {}),
});

const get = (query: string, auth: string | null) =>
  fetch(`${app.server.url}${URL_PATH}${query}`, { headers: headers(auth) });
const post = (body: unknown, auth: string | null, query = "") =>
  fetch(`${app.server.url}${URL_PATH}${query}`, {
    method: "POST",
    headers: { ...headers(auth), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

async function paid(id: number, customerId: number, price: string) {
  const body = JSON.stringify(
    orderPayload({ id, customer: { id: customerId, email: `c${customerId}@example.com` }, lines: [{ price }] }),
  );
  expect((await postWebhook(app.server.url, { topic: "orders/paid", shop: shop.domain, body })).status).toBe(200);
}

describe("who may call", () => {
  it("refuses a missing, forged, expired, customerless or unknown-shop token with 401, writing nothing", async () => {
    const cases: Array<[string, string | null]> = [
      ["no token", null],
      ["forged", token({ secret: "someone-else" })],
      ["expired", token({ now: new Date(Date.now() - 3600_000), ttlSeconds: 60 })],
      ["no customer", token({ sub: null })],
      ["unknown shop", token({ shop: "not-installed.myshopify.com" })],
    ];
    for (const [label, auth] of cases) {
      expect((await get("", auth)).status, label).toBe(401);
      expect((await post({ action: "join" }, auth)).status, label).toBe(401);
    }
    expect(await app.db.prisma.member.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers the extension's CORS preflight", async () => {
    const preflight = await fetch(`${app.server.url}${URL_PATH}`, {
      method: "OPTIONS",
      headers: {
        "User-Agent": BROWSER_UA,
        Origin: "https://extensions.shopifycdn.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("the Rewards page", () => {
  it("invites a customer who is not a member, and joins them in one tap: the customer is the token's, never the body's", async () => {
    const me = token({ sub: "gid://shopify/Customer/501" });
    const before = (await (await get("?locale=ru", me)).json()) as {
      member: unknown;
      customer: { loggedIn: boolean; enrolled: boolean };
      program: { rewards: unknown[] };
    };
    expect(before.member).toBeNull();
    expect(before.customer).toEqual({ loggedIn: true, enrolled: false });
    expect(before.program.rewards.length).toBeGreaterThan(0);

    const joined = await post({ action: "join", customerId: "999" }, me, "?locale=ru");
    expect(joined.status).toBe(201);
    expect((await post({ action: "join" }, me)).status).toBe(200);
    const members = await app.db.prisma.member.findMany({ where: { shopId: shop.id } });
    expect(members.map((m) => m.customerId)).toEqual([501n]);
  });

  it("shows the balance, its expiry and the history a page at a time, and redeems a reward", async () => {
    const me = token({ sub: "gid://shopify/Customer/502" });
    expect((await post({ action: "join" }, me)).status).toBe(201);
    for (let i = 0; i < 3; i += 1) await paid(7_100 + i, 502, "250.00");
    const view = (await (await get("", me)).json()) as {
      member: { balance: number; rewards: Array<{ id: string; cost: number; affordable: boolean }> };
      expiresAt: string | null;
    };
    expect(view.member.balance).toBeGreaterThanOrEqual(750);
    const member = await app.db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id, customerId: 502n } });
    expect(view.expiresAt).toBe(new Date(member.lastActivityAt.getTime() + 365 * 86_400_000).toISOString());

    const first = (await (await get("?view=history&limit=2", me)).json()) as {
      entries: Array<{ points: number; reason: string }>;
      nextCursor: string | null;
    };
    expect(first.entries).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (await get(`?view=history&limit=2&cursor=${first.nextCursor}`, me)).json()) as {
      entries: unknown[];
    };
    expect(second.entries.length).toBeGreaterThan(0);
    expect((await get("?view=history&cursor=abc", me)).status).toBe(400);

    const reward = view.member.rewards.find((r) => r.affordable)!;
    const redeemed = await post({ action: "redeem", rewardId: reward.id }, me);
    expect(redeemed.status).toBe(201);
    const answer = (await redeemed.json()) as { code?: string; balance: number };
    expect(answer.code).toMatch(/\w{4,}/);
    expect(answer.balance).toBe(view.member.balance - reward.cost);
    // Bad input: a clear 400, nothing spent.
    expect((await post({ action: "redeem", rewardId: "nope" }, me)).status).toBe(400);
    expect((await post({ action: "birthday", birthday: "02-30" }, me)).status).toBe(400);
    expect((await post({ action: "birthday", birthday: "05-17" }, me)).status).toBe(200);
    const after = await app.db.prisma.member.findFirstOrThrow({ where: { id: member.id } });
    expect(after.balance).toBe(answer.balance);
    expect(after.birthday?.toISOString().slice(5, 10)).toBe("05-17");
  });
});

describe("the order-status block", () => {
  it("says what the customer's own order earned, and that a refund took it back", async () => {
    const me = token({ sub: "gid://shopify/Customer/503" });
    const order = (id: number, auth = me) => get(`?view=order&order=gid://shopify/Order/${id}`, auth);
    expect(await (await order(7_200)).json()).toEqual({ state: "join" });
    expect((await post({ action: "join" }, me)).status).toBe(201);
    expect(await (await order(7_200)).json()).toEqual({ state: "processing" });

    await paid(7_200, 503, "80.00");
    const earned = (await (await order(7_200)).json()) as { state: string; points: number; reversed: number };
    expect(earned).toMatchObject({ state: "earned", reversed: 0 });
    expect(earned.points).toBeGreaterThan(0);
    // Another customer's order says nothing, even to a member.
    expect(await (await order(7_200, token({ sub: "gid://shopify/Customer/501" }))).json()).toEqual({
      state: "none",
    });
    expect((await get("?view=order&order=7200", me)).status).toBe(400);

    const refund = JSON.stringify(refundPayload({ id: 97_200, orderId: 7_200, lines: [{ subtotal: "80.00" }] }));
    expect(
      (await postWebhook(app.server.url, { topic: "refunds/create", shop: shop.domain, body: refund })).status,
    ).toBe(200);
    expect(await (await order(7_200)).json()).toEqual({ state: "reversed", points: earned.points });
  });
});
