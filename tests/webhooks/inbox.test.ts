import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deferRecordedDelivery, recordDelivery } from "../../app/services/deliveries";
import { loadShopContext } from "../../app/services/shop-context";
import { customersRedactPayload, orderPayload } from "../fixtures/shopify-payloads";
import { startTestApp, webhooksApplied, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { postWebhook } from "../support/shopify";

/**
 * The webhook inbox: a busy instance acknowledges a delivery once it is recorded, and
 * applies it moments later in the background (see app/shopify/webhook-inbox.server.ts).
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const send = (shop: string, topic: string, payload: unknown, webhookId = randomUUID()) =>
  postWebhook(app.server.url, { topic, shop, body: JSON.stringify(payload), webhookId });

describe("webhook inbox", () => {
  it("acknowledges a burst once recorded, applies each delivery once, and keeps no payload after", async () => {
    const prisma = app.db.prisma;
    const shop = await createShop(prisma, { live: true });
    const orders = Array.from({ length: 30 }, (_, i) =>
      orderPayload({ id: 7_100_000 + i, customer: { id: 7100 + (i % 5) }, lines: [{ price: "20.00" }] }),
    );
    // Each order twice under its own webhook id (Shopify's retry), all at once.
    const deliveries = orders.flatMap((order) => {
      const webhookId = randomUUID();
      return [
        { order, webhookId },
        { order, webhookId },
      ];
    });
    const answers = await Promise.all(
      deliveries.map(async ({ order, webhookId }) => {
        const response = await send(shop.domain, "orders/paid", order, webhookId);
        return { status: response.status, body: (await response.json()) as { status: string } };
      }),
    );
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    const kinds = new Set(answers.map((a) => a.body.status));
    // The burst took the recorded path: nothing applied yet for those, but durable.
    expect(kinds.has("accepted")).toBe(true);
    const accepted = answers.filter((a) => a.body.status === "accepted").length;
    expect(await prisma.webhookEvent.count({ where: { shopId: shop.id } })).toBeGreaterThanOrEqual(accepted);

    await webhooksApplied(prisma);
    const events = await prisma.webhookEvent.findMany({
      where: { shopId: shop.id },
      select: { status: true, processedAt: true, payload: true },
    });
    expect(events).toHaveLength(30);
    expect(events.every((e) => e.status === "PROCESSED" && e.processedAt !== null && e.payload === null)).toBe(true);
    const entries = await prisma.ledgerEntry.groupBy({
      by: ["orderId"],
      where: { shopId: shop.id, source: "ORDER" },
      _sum: { points: true },
    });
    expect(entries).toHaveLength(30);
    expect(entries.every((e) => e._sum.points === 20)).toBe(true);
    const members = await prisma.member.findMany({ where: { shopId: shop.id }, select: { balance: true } });
    expect(members.map((m) => m.balance).sort()).toEqual([120, 120, 120, 120, 120]);

    // Idle again: the next delivery is applied in its request, and says so.
    const alone = await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 7_199_999, customer: { id: 7100 }, lines: [{ price: "5.00" }] }),
    );
    expect(await alone.json()).toEqual({ status: "processed" });
  }, 60_000);

  it("gives up on a recorded delivery the rules refuse, keeping why and dropping its payload", async () => {
    // Recorded under an older version whose validation let it through; today's refuses it.
    const prisma = app.db.prisma;
    const shop = await createShop(prisma, { live: true });
    const context = (await loadShopContext(prisma, { id: shop.id }))!;
    const webhookId = randomUUID();
    const payload = { id: "not a number", line_items: [] };
    await recordDelivery(prisma, { shop: context, topic: "orders/paid", deliveryId: webhookId, payload });
    await webhooksApplied(prisma);
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { webhookId } });
    expect(event).toMatchObject({ status: "FAILED", payload: null, attempts: 2 });
    expect(event.error).toMatch(/id/);
    // Recording it again is a repeat, not a second chance at being applied.
    expect(
      await recordDelivery(prisma, { shop: context, topic: "orders/paid", deliveryId: webhookId, payload: {} }),
    ).toEqual({ duplicate: true });
  });

  it("redacts a customer only after the shop's recorded orders are applied, so none brings their data back", async () => {
    const prisma = app.db.prisma;
    const shop = await createShop(prisma, { live: true });
    const webhookId = randomUUID();
    // An order recorded as a busy instance records one, held back (as if the inbox were
    // behind) while the redaction arrives.
    await prisma.webhookEvent.create({
      data: {
        shopId: shop.id,
        shopDomain: shop.domain,
        topic: "orders/paid",
        webhookId,
        payload: orderPayload({
          id: 7_300_001,
          customer: { id: 7300, email: "late@example.com" },
          lines: [{ price: "30.00" }],
        }) as object,
        availableAt: new Date(Date.now() + 60_000),
      },
    });
    const redact = () =>
      send(
        shop.domain,
        "customers/redact",
        customersRedactPayload({
          shop: shop.domain,
          customer: { id: 7300, email: "late@example.com" },
          orders: [7_300_001],
        }),
      );
    const refused = await redact();
    expect(refused.status).toBe(503);
    expect(await prisma.member.count({ where: { shopId: shop.id } })).toBe(0);

    await prisma.webhookEvent.updateMany({ where: { webhookId }, data: { availableAt: new Date() } });
    await webhooksApplied(prisma);
    expect(await prisma.member.count({ where: { shopId: shop.id, email: "late@example.com" } })).toBe(1);
    // Shopify's retry, once the order is in: the customer's data goes, the points' history stays.
    expect((await redact()).status).toBe(200);
    const member = await prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(member.email).toBeNull();
    expect(await prisma.ledgerEntry.count({ where: { memberId: member.id } })).toBeGreaterThan(0);
  });

  it("retries a delivery that failed for a passing reason later, and gives up after the last try", async () => {
    const prisma = app.db.prisma;
    const shop = await createShop(prisma, { live: true });
    // Due in an hour, so the running inbox leaves it be: this exercises the policy alone.
    const row = await prisma.webhookEvent.create({
      data: {
        shopId: shop.id,
        shopDomain: shop.domain,
        topic: "test/retry",
        webhookId: randomUUID(),
        status: "RECEIVED",
        payload: {},
        availableAt: new Date(Date.now() + 3_600_000),
      },
    });
    expect(await deferRecordedDelivery(prisma, row.id, "database away", { final: false, maxAttempts: 3 })).toBe(
      "retry",
    );
    const retried = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: row.id } });
    expect(retried).toMatchObject({ status: "RECEIVED", attempts: 2, error: "database away" });
    expect(retried.payload).not.toBeNull();
    // Backoff: 2^attempts seconds from now.
    const wait = retried.availableAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(2_000);
    expect(wait).toBeLessThan(6_000);
    expect(await deferRecordedDelivery(prisma, row.id, "still away", { final: false, maxAttempts: 3 })).toBe("retry");
    expect(await deferRecordedDelivery(prisma, row.id, "gone", { final: false, maxAttempts: 3 })).toBe("failed");
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "FAILED",
      attempts: 4,
      payload: null,
      error: "gone",
    });
  });
});
