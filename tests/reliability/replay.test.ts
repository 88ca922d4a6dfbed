import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeOrderEarning, refundReversal } from "../../app/loyalty/earning";
import { parseOrder } from "../../app/shopify/payloads";
import { orderPayload, refundPayload } from "../fixtures/shopify-payloads";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { postWebhook } from "../support/shopify";
import { ledgerInvariants, pool, scale, shuffle } from "./support";

/**
 * Shopify's delivery model, replayed: every webhook delivered one to three times (a
 * retry keeps its webhook id), all shuffled (refunds and cancellations before their
 * orders) and sent concurrently. The final balances must equal a reference computed
 * with the loyalty core from the clean sequence, with no duplicate ledger entry.
 */
const EVENTS = scale(450, 10_000);
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ DATABASE_POOL_SIZE: "20" });
}, 120_000);
afterAll(async () => {
  await app?.close();
});

interface Delivery {
  topic: string;
  body: string;
  webhookId: string;
}

describe("replayed, duplicated, shuffled webhooks", () => {
  it(`end with the reference balances and no duplicates (${EVENTS} events)`, async () => {
    const shop = await createShop(app.db.prisma, { live: true });
    const settings = await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const rules = { earnPoints: settings.earnPoints, earnSpendMinor: settings.earnSpendMinor, includeShipping: settings.includeShipping, includeTax: settings.includeTax };
    const members = Math.max(20, Math.floor(EVENTS / 12));
    const expected = new Map<number, number>();
    // Per order: the net points the reference gives it, and whether it was refunded or cancelled.
    const perOrder = new Map<number, { net: number; refunded: boolean; cancelled: boolean }>();
    const events: Delivery[] = [];
    let orderId = 70_000_000;
    while (events.length < EVENTS) {
      orderId += 1;
      const customer = 500_000 + (orderId % members);
      const a = (1000 + ((orderId * 37) % 9000)) / 100;
      const b = (500 + ((orderId * 53) % 5000)) / 100;
      const payload = orderPayload({ id: orderId, customer: { id: customer }, email: `c${customer}@example.com`, lines: [{ price: a.toFixed(2) }, { price: b.toFixed(2) }] });
      const earning = computeOrderEarning(parseOrder(payload), rules, { tierMultiplierBp: 10_000, campaigns: [] });
      const earned = Number(earning.points);
      let reversed = 0;
      events.push({ topic: "orders/paid", body: JSON.stringify(payload), webhookId: randomUUID() });
      if (orderId % 4 === 0) {
        const refund = refundPayload({ id: orderId * 10, orderId, lines: [{ subtotal: a.toFixed(2) }] });
        events.push({ topic: "refunds/create", body: JSON.stringify(refund), webhookId: randomUUID() });
        reversed = refundReversal({ pointsEarned: earned, earnableMinor: earning.earnableMinor, refundedEarnableMinor: BigInt(Math.round(a * 100)), alreadyReversed: 0 });
      }
      if (orderId % 9 === 0) {
        const cancelled = orderPayload({ id: orderId, customer: { id: customer }, email: `c${customer}@example.com`, lines: [{ price: a.toFixed(2) }, { price: b.toFixed(2) }], cancelledAt: "2026-10-04T12:00:00-04:00", updatedAt: "2026-10-04T12:00:00-04:00" });
        events.push({ topic: "orders/cancelled", body: JSON.stringify(cancelled), webhookId: randomUUID() });
        reversed = earned;
      }
      expected.set(customer, (expected.get(customer) ?? 0) + earned - reversed);
      perOrder.set(orderId, { net: earned - reversed, refunded: orderId % 4 === 0, cancelled: orderId % 9 === 0 });
    }

    // Each event 1–3 times, every copy with the event's webhook id, in a shuffled order.
    const deliveries = shuffle(events.flatMap((event, i) => Array.from({ length: 1 + (i % 3) }, () => event)), 20261123);
    // The shuffle must really put reversals ahead of their orders, or that path goes untested.
    const orderOf = (d: Delivery) => {
      const body = JSON.parse(d.body) as { id: number; order_id?: number };
      return d.topic === "refunds/create" ? body.order_id! : body.id;
    };
    const firstPaid = new Map<number, number>();
    deliveries.forEach((d, i) => {
      if (d.topic === "orders/paid" && !firstPaid.has(orderOf(d))) firstPaid.set(orderOf(d), i);
    });
    const early = deliveries.filter((d, i) => d.topic !== "orders/paid" && i < firstPaid.get(orderOf(d))!).length;
    expect(early).toBeGreaterThan(0);
    const statuses = await pool(deliveries, 16, async (d) => (await postWebhook(app.server.url, { topic: d.topic, shop: shop.domain, body: d.body, webhookId: d.webhookId })).status);
    const failed = statuses.filter((s) => s < 200 || s >= 300).length;

    const rows = await app.db.prisma.member.findMany({ where: { shopId: shop.id }, select: { customerId: true, balance: true } });
    const actual = new Map(rows.map((r) => [Number(r.customerId), r.balance]));
    const lost = [...expected].filter(([customer, points]) => (actual.get(customer) ?? 0) !== points);
    const invariants = await ledgerInvariants(app.db.prisma, shop.id);

    // Idempotency keys are unique by constraint, so duplicates are counted by meaning: each
    // order earns exactly once and is reversed at most once per refund and per cancellation,
    // whatever keys were used; and each order's entries sum to its reference net.
    const entries = await app.db.prisma.ledgerEntry.groupBy({ by: ["orderId", "source"], where: { shopId: shop.id }, _count: true, _sum: { points: true } });
    const seen = new Map<number, { earn: number; refund: number; cancel: number; net: number }>();
    for (const row of entries) {
      const order = Number(row.orderId);
      const tally = seen.get(order) ?? { earn: 0, refund: 0, cancel: 0, net: 0 };
      if (row.source === "ORDER") tally.earn += row._count;
      else if (row.source === "REFUND") tally.refund += row._count;
      else if (row.source === "CANCELLATION") tally.cancel += row._count;
      tally.net += row._sum.points ?? 0;
      seen.set(order, tally);
    }
    const duplicates: string[] = [];
    const lostOrders: string[] = [];
    for (const [order, reference] of perOrder) {
      const tally = seen.get(order);
      if (!tally || tally.earn === 0) lostOrders.push(`${order}: never earned`);
      else if (tally.net !== reference.net) lostOrders.push(`${order}: net ${tally.net}, expected ${reference.net}`);
      if (tally && (tally.earn > 1 || tally.refund > (reference.refunded ? 1 : 0) || tally.cancel > (reference.cancelled ? 1 : 0))) duplicates.push(`${order}: ${JSON.stringify(tally)}`);
    }
    const strays = [...seen.keys()].filter((order) => !perOrder.has(order));
    console.log(`replay: ${events.length} events, ${deliveries.length} deliveries (${early} reversals before their order), ${failed} non-2xx, ${lost.length} balances off, ${lostOrders.length} orders lost or off, ${duplicates.length} duplicated entries, ${invariants.duplicates} duplicate keys, ${invariants.mismatched} cache mismatches, ${invariants.negative} negative`);
    expect(duplicates.slice(0, 5)).toEqual([]);
    expect(lostOrders.slice(0, 5)).toEqual([]);
    expect(strays).toEqual([]);
    expect(failed).toBe(0);
    expect(lost.slice(0, 5)).toEqual([]);
    expect(invariants).toEqual({ duplicates: 0, mismatched: 0, negative: 0 });
  }, 900_000);
});
