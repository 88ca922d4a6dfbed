import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyOrderCancelled, applyOrderPaid, applyRefund } from "../../app/loyalty/orders";
import { enrollMember } from "../../app/loyalty/members";
import { loadShopContext } from "../../app/loyalty/shop-context";
import { parseOrder, parseRefund } from "../../app/shopify/payloads";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";
import { orderPayload, refundPayload } from "../fixtures/shopify-payloads";

/**
 * For any set of orders with refunds and cancellations, delivered with duplicates and in
 * any order (concurrently), the ledger ends where the clean in-order delivery ends:
 * the same points per order, the same balance, and the cached balance equal to the sum
 * of the entries. Without cancellations the entries themselves are identical.
 */

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

type Event =
  | { kind: "paid"; order: number }
  | { kind: "refund"; order: number; refund: number }
  | { kind: "cancel"; order: number };

interface OrderPlan {
  cents: number[];
  refunds: number[][]; // per refund: cents per line refunded
  cancel: boolean;
}

const CUSTOMER = 4242n;

const orderPlan: fc.Arbitrary<OrderPlan> = fc
  .array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 3 })
  .chain((cents) =>
    fc.record({
      cents: fc.constant(cents),
      refunds: fc.array(fc.tuple(...cents.map((c) => fc.integer({ min: 0, max: Math.floor(c / 2) }))), { maxLength: 2 }),
      cancel: fc.boolean(),
    }),
  );

function money(cents: number) {
  return (cents / 100).toFixed(2);
}

function buildEvents(plans: OrderPlan[]) {
  const clean: Event[] = [];
  plans.forEach((plan, order) => {
    clean.push({ kind: "paid", order });
    plan.refunds.forEach((_, refund) => clean.push({ kind: "refund", order, refund }));
    if (plan.cancel) clean.push({ kind: "cancel", order });
  });
  return clean;
}

function payloads(plans: OrderPlan[], event: Event, orderBase: number) {
  const plan = plans[event.order]!;
  const orderId = orderBase + event.order;
  const refundId = (refund: number) => orderId * 10 + refund;
  const refundBody = (refund: number) =>
    refundPayload({
      id: refundId(refund),
      orderId,
      lines: plan.refunds[refund]!.map((cents) => ({ subtotal: money(cents) })),
    });
  const order = (cancelled: boolean) =>
    orderPayload({
      id: orderId,
      name: `#${orderId}`,
      customer: { id: Number(CUSTOMER) },
      lines: plan.cents.map((cents) => ({ price: money(cents) })),
      cancelledAt: cancelled ? "2026-10-04T00:00:00Z" : null,
      // A cancellation's payload carries the refunds made up to then.
      refunds: cancelled ? plan.refunds.map((_, refund) => refundBody(refund)) : [],
    });
  switch (event.kind) {
    case "paid":
      return order(false);
    case "cancel":
      return order(true);
    case "refund":
      return refundBody(event.refund);
  }
}

async function deliver(shopId: string, plans: OrderPlan[], event: Event, orderBase: number) {
  const payload = payloads(plans, event, orderBase);
  await db.prisma.$transaction(
    async (tx) => {
      const shop = (await loadShopContext(tx, { id: shopId }))!;
      if (event.kind === "paid") await applyOrderPaid(tx, shop, parseOrder(payload));
      else if (event.kind === "cancel") await applyOrderCancelled(tx, shop, parseOrder(payload));
      else await applyRefund(tx, shop, parseRefund(payload));
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
}

async function newShop() {
  const shop = await createShop(db.prisma, { rules: { FIRST_ORDER: 15 }, settings: { earnPoints: 3, earnSpendMinor: 200 } });
  await db.prisma.$transaction(async (tx) => {
    const context = (await loadShopContext(tx, { id: shop.id }))!;
    await enrollMember(tx, context, { customerId: CUSTOMER, email: "prop@example.com", via: "admin" });
  });
  return shop;
}

async function summary(shopId: string) {
  const member = await db.prisma.member.findFirstOrThrow({ where: { shopId } });
  const entries = await db.prisma.ledgerEntry.findMany({ where: { shopId } });
  const perOrder = new Map<string, number>();
  for (const entry of entries) {
    if (entry.source === "FIRST_ORDER" || entry.idempotencyKey.endsWith(":first-order:cancel")) continue;
    const key = String(entry.orderId);
    perOrder.set(key, (perOrder.get(key) ?? 0) + entry.points);
  }
  return {
    balance: member.balance,
    ledgerSum: entries.reduce((sum, e) => sum + e.points, 0),
    keys: entries.map((e) => e.idempotencyKey),
    // The first-order bonus belongs to whichever paid order was applied first, so it is
    // compared by count, not by key.
    entries: entries
      .filter((e) => e.source !== "FIRST_ORDER")
      .map((e) => `${e.idempotencyKey}=${e.points}`)
      .sort(),
    bonuses: entries.filter((e) => e.source === "FIRST_ORDER").length,
    perOrder: Object.fromEntries([...perOrder.entries()].map(([k, v]) => [k, v])),
  };
}

let orderSeq = 100_000;

describe("orders under any delivery", () => {
  it("converge to the clean in-order ledger", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderPlan, { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 12, maxLength: 12 }),
        fc.integer(),
        async (plans, copies, seed) => {
          const clean = buildEvents(plans);
          // Order ids are relative to a base so both shops see the same ids.
          const base = (orderSeq += 10);
          const reference = await newShop();
          for (const event of clean) await deliver(reference.id, plans, event, base);

          const chaotic = await newShop();
          const deliveries = clean.flatMap((event, i) => Array.from({ length: copies[i % copies.length]! }, () => event));
          const shuffled = fc.sample(fc.shuffledSubarray(deliveries, { minLength: deliveries.length }), { seed, numRuns: 1 })[0]!;
          // Concurrent, in waves, so the same order is hit by parallel transactions.
          for (let i = 0; i < shuffled.length; i += 4) {
            await Promise.all(shuffled.slice(i, i + 4).map((event) => deliver(chaotic.id, plans, event, base)));
          }

          const expected = await summary(reference.id);
          const actual = await summary(chaotic.id);
          expect(actual.ledgerSum).toBe(actual.balance);
          expect(expected.ledgerSum).toBe(expected.balance);
          expect(new Set(actual.keys).size).toBe(actual.keys.length);
          expect(actual.perOrder).toEqual(expected.perOrder);
          expect(actual.balance).toBe(expected.balance);
          if (!plans.some((plan) => plan.cancel)) {
            expect(actual.entries).toEqual(expected.entries);
            expect(actual.bonuses).toBe(expected.bonuses);
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS) || 25 },
    );
  }, 180_000);
});
