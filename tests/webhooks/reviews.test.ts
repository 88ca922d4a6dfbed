import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import type { TestDatabase } from "../support/database";
import type { RunningServer } from "../support/server";
import { postWebhook } from "../support/shopify";
import { createShop } from "../support/seed";
import { customerPayload, orderPayload } from "../fixtures/shopify-payloads";

let app: TestApp;
let db: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  app = await startTestApp();
  db = app.db;
  server = app.server;
});
afterAll(async () => {
  await app?.close();
});

const JUDGEME_TOKEN = "judgeme-private-token";

/** A shop crediting reviews; `requirePurchase` is the default a new shop gets. */
async function setup(requirePurchase = false) {
  const shop = await createShop(db.prisma, {
    rules: { REVIEW: 50, PHOTO_REVIEW: 25 },
    settings: { reviewsRequirePurchase: requirePurchase },
  });
  await db.prisma.reviewProviderConfig.create({
    data: { shopId: shop.id, provider: "judgeme", secret: JUDGEME_TOKEN },
  });
  return shop;
}

function judgeme(domain: string, review: Record<string, unknown>, token = JUDGEME_TOKEN) {
  const body = JSON.stringify({ review });
  return fetch(`${server.url}/webhooks/reviews/judgeme?shop=${domain}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "JUDGEME-HMAC-SHA256": createHmac("sha256", token).update(body).digest("hex"),
    },
    body,
  });
}

describe("review webhooks", () => {
  it("credit a member once per product, with a photo bonus, and ignore repeats", async () => {
    const shop = await setup();
    await postWebhook(server.url, {
      topic: "customers/create",
      shop: shop.domain,
      body: JSON.stringify(customerPayload({ id: 31, email: "rev@example.com" })),
    });
    const review = {
      id: 1,
      rating: 5,
      product_external_id: 632910392,
      reviewer: { email: "REV@example.com" },
      pictures: [{ urls: {} }],
    };
    const responses = await Promise.all([
      judgeme(shop.domain, review),
      judgeme(shop.domain, review),
      judgeme(shop.domain, review),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    // A second review of the same product earns nothing more; another product does.
    expect((await judgeme(shop.domain, { ...review, id: 2, pictures: [] })).status).toBe(200);
    expect((await judgeme(shop.domain, { ...review, id: 3, product_external_id: 5, pictures: [] })).status).toBe(200);
    const member = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    const entries = await db.prisma.ledgerEntry.findMany({ where: { memberId: member.id, source: "REVIEW" } });
    // Keyed by product and a pseudonym of the reviewer, never the email itself.
    const reviewer = /^review(-photo)?:(\d+):([A-Za-z0-9_-]{22})$/;
    expect(entries.map((e) => [e.idempotencyKey.replace(reviewer, "review$1:$2:<reviewer>"), e.points]).sort()).toEqual(
      [
        ["review-photo:632910392:<reviewer>", 25],
        ["review:5:<reviewer>", 50],
        ["review:632910392:<reviewer>", 50],
      ],
    );
    expect(new Set(entries.map((e) => e.idempotencyKey.split(":")[2])).size).toBe(1);
    expect(entries.every((e) => !e.idempotencyKey.includes("@"))).toBe(true);
    expect(member.balance).toBe(125);
    expect(await db.prisma.review.count({ where: { shopId: shop.id } })).toBe(3);
  });

  it("hold a stranger's review points until they join", async () => {
    const shop = await setup();
    const review = { id: 10, rating: 4, product_external_id: 77, reviewer: { email: "later@example.com" } };
    expect((await judgeme(shop.domain, review)).status).toBe(200);
    expect(await db.prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(0);
    await postWebhook(server.url, {
      topic: "customers/create",
      shop: shop.domain,
      body: JSON.stringify(customerPayload({ id: 32, email: "later@example.com" })),
    });
    const member = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(member.balance).toBe(50);
  });

  it("credit a review only from a buyer of the product, by default, so the review app's form cannot farm points", async () => {
    const shop = await setup(true);
    await postWebhook(server.url, {
      topic: "customers/create",
      shop: shop.domain,
      body: JSON.stringify(customerPayload({ id: 33, email: "buyer@example.com" })),
    });
    const order = orderPayload({
      id: 33001,
      customer: { id: 33, email: "buyer@example.com" },
      email: "buyer@example.com",
      lines: [{ price: "10.00", productId: 4401 }],
    });
    expect(
      (await postWebhook(server.url, { topic: "orders/paid", shop: shop.domain, body: JSON.stringify(order) })).status,
    ).toBe(200);
    const member = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    const earned = async () =>
      (
        await db.prisma.ledgerEntry.aggregate({
          where: { memberId: member.id, source: "REVIEW" },
          _sum: { points: true },
        })
      )._sum.points ?? 0;

    // Products never bought: recorded, earns nothing (and is not held for later either).
    for (const [id, product] of [
      [40, 4402],
      [41, 4403],
      [42, 4404],
    ] as const) {
      expect(
        (
          await judgeme(shop.domain, {
            id,
            rating: 5,
            product_external_id: product,
            reviewer: { email: "buyer@example.com" },
          })
        ).status,
      ).toBe(200);
    }
    expect(await earned()).toBe(0);
    expect(await db.prisma.pendingPoints.count({ where: { shopId: shop.id } })).toBe(0);
    // The product bought: earns.
    expect(
      (
        await judgeme(shop.domain, {
          id: 43,
          rating: 5,
          product_external_id: 4401,
          reviewer: { email: "buyer@example.com" },
        })
      ).status,
    ).toBe(200);
    expect(await earned()).toBe(50);
    expect(await db.prisma.review.count({ where: { shopId: shop.id } })).toBe(4);
  });

  it("accept half stars from a signed review (4.5), rounding, never answering 500", async () => {
    const shop = await setup();
    await postWebhook(server.url, {
      topic: "customers/create",
      shop: shop.domain,
      body: JSON.stringify(customerPayload({ id: 34, email: "half@example.com" })),
    });
    const response = await judgeme(shop.domain, {
      id: 50,
      rating: 4.5,
      product_external_id: 90,
      reviewer: { email: "half@example.com" },
    });
    expect(response.status).toBe(200);
    expect((await db.prisma.review.findFirstOrThrow({ where: { shopId: shop.id, externalId: "50" } })).rating).toBe(5);
  });

  it("reject bad signatures, unknown providers and shops, and bad payloads without writing", async () => {
    const shop = await setup();
    const review = { id: 20, rating: 5, product_external_id: 1, reviewer: { email: "x@example.com" } };
    const before = await db.prisma.review.count();
    expect((await judgeme(shop.domain, review, "wrong-token")).status).toBe(401);
    expect((await judgeme("unknown-shop.myshopify.com", review)).status).toBe(404);
    const noShop = await fetch(`${server.url}/webhooks/reviews/judgeme`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(noShop.status).toBe(400);
    const unknown = await fetch(`${server.url}/webhooks/reviews/trustpilot?shop=${shop.domain}`, {
      method: "POST",
      body: "{}",
    });
    expect(unknown.status).toBe(404);
    // Configured for Judge.me only: Stamped is "not set up".
    const stamped = await fetch(`${server.url}/webhooks/reviews/stamped?shop=${shop.domain}`, {
      method: "POST",
      body: "{}",
      headers: { "X-Stamped-Webhook-Secret": JUDGEME_TOKEN },
    });
    expect(stamped.status).toBe(404);
    expect((await judgeme(shop.domain, { id: 21, rating: "great" })).status).toBe(422);
    expect(await db.prisma.review.count()).toBe(before);
    expect(await db.prisma.webhookEvent.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
