import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import type { TestDatabase } from "../support/database";
import type { RunningServer } from "../support/server";
import { postWebhook } from "../support/shopify";
import { createShop } from "../support/seed";
import { customerPayload } from "../fixtures/shopify-payloads";

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

async function setup() {
  const shop = await createShop(db.prisma, { rules: { REVIEW: 50, PHOTO_REVIEW: 25 } });
  await db.prisma.reviewProviderConfig.create({ data: { shopId: shop.id, provider: "judgeme", secret: JUDGEME_TOKEN } });
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
    await postWebhook(server.url, { topic: "customers/create", shop: shop.domain, body: JSON.stringify(customerPayload({ id: 31, email: "rev@example.com" })) });
    const review = { id: 1, rating: 5, product_external_id: 632910392, reviewer: { email: "REV@example.com" }, pictures: [{ urls: {} }] };
    const responses = await Promise.all([judgeme(shop.domain, review), judgeme(shop.domain, review), judgeme(shop.domain, review)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    // A second review of the same product earns nothing more; another product does.
    expect((await judgeme(shop.domain, { ...review, id: 2, pictures: [] })).status).toBe(200);
    expect((await judgeme(shop.domain, { ...review, id: 3, product_external_id: 5, pictures: [] })).status).toBe(200);
    const member = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    const entries = await db.prisma.ledgerEntry.findMany({ where: { memberId: member.id, source: "REVIEW" } });
    expect(entries.map((e) => [e.idempotencyKey, e.points]).sort()).toEqual([
      ["review-photo:632910392:rev@example.com", 25],
      ["review:5:rev@example.com", 50],
      ["review:632910392:rev@example.com", 50],
    ]);
    expect(member.balance).toBe(125);
    expect(await db.prisma.review.count({ where: { shopId: shop.id } })).toBe(3);
  });

  it("hold a stranger's review points until they join", async () => {
    const shop = await setup();
    const review = { id: 10, rating: 4, product_external_id: 77, reviewer: { email: "later@example.com" } };
    expect((await judgeme(shop.domain, review)).status).toBe(200);
    expect(await db.prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(0);
    await postWebhook(server.url, { topic: "customers/create", shop: shop.domain, body: JSON.stringify(customerPayload({ id: 32, email: "later@example.com" })) });
    const member = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(member.balance).toBe(50);
  });

  it("reject bad signatures, unknown providers and shops, and bad payloads without writing", async () => {
    const shop = await setup();
    const review = { id: 20, rating: 5, product_external_id: 1, reviewer: { email: "x@example.com" } };
    const before = await db.prisma.review.count();
    expect((await judgeme(shop.domain, review, "wrong-token")).status).toBe(401);
    expect((await judgeme("unknown-shop.myshopify.com", review)).status).toBe(404);
    const noShop = await fetch(`${server.url}/webhooks/reviews/judgeme`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(noShop.status).toBe(400);
    const unknown = await fetch(`${server.url}/webhooks/reviews/trustpilot?shop=${shop.domain}`, { method: "POST", body: "{}" });
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
