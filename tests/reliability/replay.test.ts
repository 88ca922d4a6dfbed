import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tiersByOrder, type HistoryOrder } from "../../app/domain/tier-history";
import { computeOrderEarning, pointsAtMultiplier, refundReversal, type EarningBasis } from "../../app/domain/earning";
import { parseOrder } from "../../app/shopify/payloads";
import { orderPayload, refundPayload } from "../fixtures/shopify-payloads";
import { startTestApp, webhooksApplied, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { postWebhook } from "../support/shopify";
import { ledgerInvariants, pool, scale, shuffle } from "./support";

/**
 * Shopify's delivery model, replayed: every webhook delivered one to three times (a
 * retry keeps its webhook id), all shuffled (refunds and cancellations before their
 * orders) and sent concurrently. The final balances must equal a reference computed
 * with the loyalty core from the clean sequence, with no duplicate ledger entry. The
 * program has VIP tiers that members cross as their orders add up (and fall back from
 * through refunds and cancellations), so an order's points depend on the orders before
 * it by Shopify's timestamps, never on which webhook arrived first.
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
    // Silver from $150 of spend (×1.25), Gold from $400 (×1.5): every member crosses both.
    await app.db.prisma.tier.createMany({
      data: [
        { shopId: shop.id, name: "Silver", position: 0, threshold: 15_000n, multiplierBp: 12_500 },
        { shopId: shop.id, name: "Gold", position: 1, threshold: 40_000n, multiplierBp: 15_000 },
      ],
    });
    const tiers = await app.db.prisma.tier.findMany({ where: { shopId: shop.id } });
    const settings = await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const rules = {
      earnPoints: settings.earnPoints,
      earnSpendMinor: settings.earnSpendMinor,
      includeShipping: settings.includeShipping,
      includeTax: settings.includeTax,
    };
    const members = Math.max(20, Math.floor(EVENTS / 12));
    // The clean history, per member, for the reference.
    interface Planned {
      id: number;
      basis: EarningBasis;
      earnable: bigint;
      history: HistoryOrder;
      refund: bigint | null;
      cancelled: boolean;
    }
    const byMember = new Map<number, Planned[]>();
    const events: Delivery[] = [];
    const start = Date.parse("2026-06-01T00:00:00Z");
    let orderId = 70_000_000;
    while (events.length < EVENTS) {
      orderId += 1;
      const customer = 500_000 + (orderId % members);
      const a = (1000 + ((orderId * 37) % 9000)) / 100;
      const b = (500 + ((orderId * 53) % 5000)) / 100;
      // Each order a minute after the previous one; a refund a day after its order, a
      // cancellation two days after.
      const placed = start + (orderId - 70_000_000) * 60_000;
      const at = (offset: number) => new Date(placed + offset).toISOString();
      const order = (cancelledAt: string | null) =>
        orderPayload({
          id: orderId,
          customer: { id: customer },
          email: `c${customer}@example.com`,
          lines: [{ price: a.toFixed(2) }, { price: b.toFixed(2) }],
          processedAt: at(0),
          updatedAt: at(cancelledAt ? 2 * 86_400_000 : 0),
          cancelledAt,
        });
      const paid = order(null);
      const earning = computeOrderEarning(parseOrder(paid), rules, { tierMultiplierBp: 10_000, campaigns: [] });
      events.push({ topic: "orders/paid", body: JSON.stringify(paid), webhookId: randomUUID() });
      let refund: bigint | null = null;
      if (orderId % 4 === 0) {
        const body = {
          ...refundPayload({ id: orderId * 10, orderId, lines: [{ subtotal: a.toFixed(2) }] }),
          processed_at: at(86_400_000),
          created_at: at(86_400_000),
        };
        events.push({ topic: "refunds/create", body: JSON.stringify(body), webhookId: randomUUID() });
        refund = BigInt(Math.round(a * 100));
      }
      const cancelled = orderId % 9 === 0;
      if (cancelled)
        events.push({
          topic: "orders/cancelled",
          body: JSON.stringify(order(at(2 * 86_400_000))),
          webhookId: randomUUID(),
        });
      const history: HistoryOrder = {
        id: BigInt(orderId),
        processedAt: new Date(placed),
        earnableMinor: earning.earnableMinor,
        cancelledAt: cancelled ? new Date(placed + 2 * 86_400_000) : null,
        refunds: refund !== null ? [{ at: new Date(placed + 86_400_000), earnableMinor: refund }] : [],
        pointsAt: (bp) => pointsAtMultiplier(earning.basis, bp),
      };
      byMember.set(customer, [
        ...(byMember.get(customer) ?? []),
        { id: orderId, basis: earning.basis, earnable: earning.earnableMinor, history, refund, cancelled },
      ]);
    }

    // The reference: each member's tiers from their clean history, then each order's points.
    const expected = new Map<number, number>();
    const perOrder = new Map<number, { net: number; refunded: boolean; cancelled: boolean }>();
    let tiered = 0;
    const program = {
      metric: "SPEND" as const,
      window: "LIFETIME" as const,
      graceDays: settings.tierGraceDays,
      timeZone: "UTC",
      tiers,
      ladder: null,
      override: null,
    };
    for (const [customer, planned] of byMember) {
      const tierOf = tiersByOrder(
        planned.map((p) => p.history),
        program,
      );
      for (const p of planned) {
        const multiplier = tierOf.get(p.history.id)?.multiplierBp ?? 10_000;
        if (multiplier !== 10_000) tiered += 1;
        const earned = pointsAtMultiplier(p.basis, multiplier);
        const reversed = p.cancelled
          ? earned
          : p.refund !== null
            ? refundReversal({
                pointsEarned: earned,
                earnableMinor: p.earnable,
                refundedEarnableMinor: p.refund,
                alreadyReversed: 0,
              })
            : 0;
        expected.set(customer, (expected.get(customer) ?? 0) + earned - reversed);
        perOrder.set(p.id, { net: earned - reversed, refunded: p.refund !== null, cancelled: p.cancelled });
      }
    }
    expect(tiered).toBeGreaterThan(perOrder.size / 4);

    // Each event 1–3 times, every copy with the event's webhook id, in a shuffled order.
    const deliveries = shuffle(
      events.flatMap((event, i) => Array.from({ length: 1 + (i % 3) }, () => event)),
      20261123,
    );
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
    const statuses = await pool(
      deliveries,
      16,
      async (d) =>
        (await postWebhook(app.server.url, { topic: d.topic, shop: shop.domain, body: d.body, webhookId: d.webhookId }))
          .status,
    );
    const failed = statuses.filter((s) => s < 200 || s >= 300).length;
    // Deliveries acknowledged once recorded are applied by the inbox in the moments after.
    await webhooksApplied(app.db.prisma);

    const rows = await app.db.prisma.member.findMany({
      where: { shopId: shop.id },
      select: { customerId: true, balance: true },
    });
    const actual = new Map(rows.map((r) => [Number(r.customerId), r.balance]));
    const lost = [...expected].filter(([customer, points]) => (actual.get(customer) ?? 0) !== points);
    const invariants = await ledgerInvariants(app.db.prisma, shop.id);

    // Idempotency keys are unique by constraint, so duplicates are counted by meaning: each
    // order earns exactly once and is reversed at most once per refund and per cancellation,
    // whatever keys were used; and each order's entries sum to its reference net.
    const entries = await app.db.prisma.ledgerEntry.findMany({
      where: { shopId: shop.id, orderId: { not: null } },
      select: { orderId: true, source: true, points: true, idempotencyKey: true },
    });
    const seen = new Map<number, { earn: number; refund: number; cancel: number; corrections: number; net: number }>();
    for (const row of entries) {
      const order = Number(row.orderId);
      const tally = seen.get(order) ?? { earn: 0, refund: 0, cancel: 0, corrections: 0, net: 0 };
      if (row.idempotencyKey.endsWith(":earn")) tally.earn += 1;
      else if (row.idempotencyKey.includes(":tier:")) tally.corrections += 1;
      else if (row.source === "REFUND") tally.refund += 1;
      else if (row.source === "CANCELLATION") tally.cancel += 1;
      tally.net += row.points;
      seen.set(order, tally);
    }
    const corrected = [...seen.values()].filter((t) => t.corrections > 0).length;
    const duplicates: string[] = [];
    const lostOrders: string[] = [];
    for (const [order, reference] of perOrder) {
      const tally = seen.get(order);
      if (!tally || tally.earn === 0) lostOrders.push(`${order}: never earned`);
      else if (tally.net !== reference.net) lostOrders.push(`${order}: net ${tally.net}, expected ${reference.net}`);
      if (
        tally &&
        (tally.earn > 1 || tally.refund > (reference.refunded ? 1 : 0) || tally.cancel > (reference.cancelled ? 1 : 0))
      )
        duplicates.push(`${order}: ${JSON.stringify(tally)}`);
    }
    const strays = [...seen.keys()].filter((order) => !perOrder.has(order));
    console.log(
      `replay: ${events.length} events, ${deliveries.length} deliveries (${early} reversals before their order), ${tiered} orders at a VIP tier, ${corrected} re-tiered after a late delivery, ${failed} non-2xx, ${lost.length} balances off, ${lostOrders.length} orders lost or off, ${duplicates.length} duplicated entries, ${invariants.duplicates} duplicate keys, ${invariants.mismatched} cache mismatches, ${invariants.negative} negative`,
    );
    expect(duplicates.slice(0, 5)).toEqual([]);
    expect(lostOrders.slice(0, 5)).toEqual([]);
    expect(strays).toEqual([]);
    expect(failed).toBe(0);
    expect(lost.slice(0, 5)).toEqual([]);
    expect(invariants).toEqual({ duplicates: 0, mismatched: 0, negative: 0 });
  }, 900_000);
});
