import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { postWebhook } from "../support/shopify";
import { createShop } from "../support/seed";
import { customerPayload, orderPayload, refundPayload } from "../fixtures/shopify-payloads";
import { issueNewRedemptions } from "../../app/shopify/redemption.server";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { signedReviewRequest } from "../../app/integrations/reviews/outbound";

/**
 * Orders as Shopify really sends some of them: test orders, refunds that name no line
 * items (an amount returned, to the card or to store credit), and the codes and tiers that
 * follow from what the webhooks record.
 */
let app: TestApp;
let standin: AdminStandin;

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  // Settings changed by a test are read at once (no per-instance cache of the shop).
  app = await startTestApp({ COMEBACK_SHOP_CACHE_MS: "0" });
});
afterAll(async () => {
  await app?.close();
  await standin?.close();
});

const send = (shop: string, topic: string, payload: unknown) =>
  postWebhook(app.server.url, { topic, shop, body: JSON.stringify(payload), webhookId: randomUUID() });
const memberOf = (shopId: string, customerId: number) =>
  app.db.prisma.member.findUniqueOrThrow({ where: { shopId_customerId: { shopId, customerId: BigInt(customerId) } } });

describe("test orders", () => {
  it("earn nothing unless the merchant allows them", async () => {
    const shop = await createShop(app.db.prisma, { rules: { FIRST_ORDER: 50 } });
    const test = orderPayload({ id: 70001, customer: { id: 701 }, lines: [{ price: "80.00" }], test: true });
    const response = await send(shop.domain, "orders/paid", test);
    expect(await response.json()).toMatchObject({ status: "ignored", note: "test order" });
    expect((await memberOf(shop.id, 701)).balance).toBe(0);
    await app.db.prisma.shopSettings.update({ where: { shopId: shop.id }, data: { allowTestOrders: true } });
    const allowed = orderPayload({ id: 70002, customer: { id: 701 }, lines: [{ price: "80.00" }], test: true });
    expect((await send(shop.domain, "orders/paid", allowed)).status).toBe(200);
    expect((await memberOf(shop.id, 701)).balance).toBe(130);
  });
});

describe("refunds without line items", () => {
  it("take back points in proportion to the amount returned, at the order's own rate, store credit included", async () => {
    const shop = await createShop(app.db.prisma);
    // $100 of goods + $20 shipping = $120 total; 100 points earned (shipping does not earn).
    const order = orderPayload({
      id: 70101,
      customer: { id: 711 },
      lines: [{ price: "100.00" }],
      shipping: { price: "20.00" },
    });
    await send(shop.domain, "orders/paid", order);
    expect((await memberOf(shop.id, 711)).balance).toBe(100);
    // $30 back to the card: 30/120 of the order's earnable $100 = $25 → 25 points.
    const card = refundPayload({ id: 80101, orderId: 70101, lines: [], transactions: [{ amount: "30.00" }] });
    expect((await send(shop.domain, "refunds/create", card)).status).toBe(200);
    expect((await memberOf(shop.id, 711)).balance).toBe(75);
    // $24 to store credit: another 20 points.
    const credit = refundPayload({
      id: 80102,
      orderId: 70101,
      lines: [],
      transactions: [{ amount: "24.00", gateway: "shopify_store_credit" }],
    });
    expect((await send(shop.domain, "refunds/create", credit)).status).toBe(200);
    expect((await memberOf(shop.id, 711)).balance).toBe(55);
    // A failed transaction returned nothing.
    const failed = refundPayload({
      id: 80103,
      orderId: 70101,
      lines: [],
      transactions: [{ amount: "50.00", status: "failure" }],
    });
    expect((await send(shop.domain, "refunds/create", failed)).status).toBe(200);
    expect((await memberOf(shop.id, 711)).balance).toBe(55);
    const refunds = await app.db.prisma.orderRefund.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(refunds.map((r) => [r.transactionsMinor, r.earnableMinor, r.pointsReversed])).toEqual([
      [3000n, 2500n, 25],
      [2400n, 2000n, 20],
      [0n, 0n, 0],
    ]);
  });

  it("in a currency without minor units are read in the shop's currency", async () => {
    const shop = await createShop(app.db.prisma, { currency: "JPY", settings: { earnSpendMinor: 100 } });
    await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 70201, currency: "JPY", customer: { id: 721 }, lines: [{ price: "10000" }] }),
    );
    expect((await memberOf(shop.id, 721)).balance).toBe(100);
    const refund = refundPayload({
      id: 80201,
      orderId: 70201,
      currency: "JPY",
      lines: [],
      transactions: [{ amount: "2500" }],
    });
    expect((await send(shop.domain, "refunds/create", refund)).status).toBe(200);
    expect((await memberOf(shop.id, 721)).balance).toBe(75);
  });
});

describe("the order ladder's codes", () => {
  it("are created in Shopify right after the order, without waiting for the retry sweep", async () => {
    const shop = await createShop(app.db.prisma);
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
    await app.db.prisma.reward.create({
      data: {
        shopId: shop.id,
        name: "Thanks: 10% off",
        type: "PERCENTAGE",
        valuePercentBp: 1000,
        trigger: "ORDER_LADDER",
        ladderOrderCount: 1,
        codeExpiryDays: 30,
      },
    });
    await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 70301, customer: { id: 731 }, lines: [{ price: "40.00" }] }),
    );
    const redemption = await app.db.prisma.redemption.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(redemption).toMatchObject({ status: "PENDING", attempts: 0 });
    // What the queue runs after the webhook's commit (the test app runs no job workers).
    expect(await issueNewRedemptions(app.db.prisma, shop.id)).toBe(1);
    const issued = await app.db.prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    expect(issued).toMatchObject({ status: "ISSUED", attempts: 1 });
    expect(standin.discounts.map((d) => d.code)).toContain(issued.code);
    // Two issuers racing for the same code: one claims it, the other leaves it alone.
    expect(await issueNewRedemptions(app.db.prisma, shop.id)).toBe(0);
  });
});

describe("tiers on points earned", () => {
  it("move up at once when any earning carries a member over the threshold, not only orders", async () => {
    const shop = await createShop(app.db.prisma, {
      rules: { SIGNUP: 100, REVIEW: 60 },
      settings: { tierMetric: "POINTS", reviewsRequirePurchase: false },
    });
    const gold = await app.db.prisma.tier.create({
      data: { shopId: shop.id, name: "Gold", position: 0, threshold: 150n },
    });
    await app.db.prisma.reviewProviderConfig.create({
      data: { shopId: shop.id, provider: "generic", secret: "generic-secret-1" },
    });
    await send(shop.domain, "customers/create", customerPayload({ id: 741, email: "reviewer@example.com" }));
    expect((await memberOf(shop.id, 741)).tierId).toBeNull(); // 100 points: not yet
    const { url, init } = signedReviewRequest(
      "generic",
      "generic-secret-1",
      { id: "r-1", email: "reviewer@example.com", productId: "632910392", rating: 5, hasPhoto: false },
      { appUrl: app.server.url, shopDomain: shop.domain },
    );
    expect((await fetch(url, init)).status).toBe(200);
    const member = await memberOf(shop.id, 741);
    expect(member).toMatchObject({ balance: 160, tierId: gold.id });
    const event = await app.db.prisma.tierEvent.findFirstOrThrow({ where: { memberId: member.id } });
    expect(event).toMatchObject({ toTierId: gold.id, cause: "review" });
  });
});
