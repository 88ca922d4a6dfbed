import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { postWebhook, proxyUrl } from "../support/shopify";
import { orderPayload, refundPayload } from "../fixtures/shopify-payloads";

// Regressions found by the reliability suite's bad-input run: each of these once
// answered 5xx (so Shopify would retry it forever) or was accepted.
let app: TestApp;
let shop: { id: string; domain: string };

beforeAll(async () => {
  app = await startTestApp();
  shop = await createShop(app.db.prisma);
});
afterAll(async () => {
  await app?.close();
});

const rows = () => app.db.prisma.ledgerEntry.count();

describe("hostile webhook input gets a 4xx and writes nothing", () => {
  it("an invalid X-Shopify-Shop-Domain is a 400", async () => {
    const body = JSON.stringify(orderPayload({ id: 9001, customer: { id: 1 }, lines: [{ price: "10.00" }] }));
    for (const domain of ["not a domain", "x".repeat(300), "evil.com/../", ""]) {
      const response = await postWebhook(app.server.url, { topic: "orders/paid", shop: domain, body });
      expect([400, 401, 404]).toContain(response.status);
    }
  });

  it("deeply nested JSON is a 400 or 422", async () => {
    const body = "[".repeat(20_000) + "]".repeat(20_000);
    const response = await postWebhook(app.server.url, { topic: "orders/paid", shop: shop.domain, body });
    expect([400, 422]).toContain(response.status);
    const deepObject = '{"a":'.repeat(5_000) + "1" + "}".repeat(5_000);
    const second = await postWebhook(app.server.url, { topic: "orders/paid", shop: shop.domain, body: deepObject });
    expect([400, 422]).toContain(second.status);
  });

  it("absurd order amounts and an empty line price are 422", async () => {
    for (const price of ["1e400", "99999999999999999999999999.00", "", "NaN", "Infinity", "12abc"]) {
      const payload = orderPayload({ id: 9002, customer: { id: 2 }, lines: [{ price: "10.00" }] });
      (payload.line_items as Array<Record<string, unknown>>)[0]!.price = price;
      const lines = payload.line_items as Array<Record<string, unknown>>;
      lines[0]!.price_set = null;
      const response = await postWebhook(app.server.url, {
        topic: "orders/paid",
        shop: shop.domain,
        body: JSON.stringify(payload),
      });
      expect(response.status, `price ${JSON.stringify(price)}`).toBe(422);
    }
    expect(await rows()).toBe(0);
  });

  it("a negative refund amount is 422", async () => {
    const payload = refundPayload({ id: 77, orderId: 9003, lines: [{ subtotal: "-50.00" }] });
    const response = await postWebhook(app.server.url, {
      topic: "refunds/create",
      shop: shop.domain,
      body: JSON.stringify(payload),
    });
    expect(response.status).toBe(422);
    expect(await app.db.prisma.orderRefund.count()).toBe(0);
  });
});

describe("hostile App Proxy input", () => {
  it("a customer id beyond bigint is a 400, not a 500", async () => {
    for (const customerId of ["99999999999999999999", "9223372036854775808", "0"]) {
      const response = await fetch(proxyUrl(app.server.url, "member", { shop: shop.domain, customerId }));
      expect(response.status, customerId).toBe(400);
    }
  });

  it("a history cursor beyond bigint is a 400, not a 500", async () => {
    for (const cursor of ["9999999999999999999", "9223372036854775808"]) {
      const response = await fetch(
        proxyUrl(app.server.url, "history", { shop: shop.domain, customerId: 5, extra: { cursor } }),
      );
      expect(response.status, cursor).toBe(400);
    }
  });
});
