import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollMember } from "../../app/services/members";
import { applyOrderPaid, applyRefund } from "../../app/services/orders";
import { expireUnclaimedPending, releaseDuePending } from "../../app/services/pending";
import { loadShopContext } from "../../app/services/shop-context";
import { parseOrder, parseRefund } from "../../app/shopify/payloads";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";
import { orderPayload, refundPayload } from "../fixtures/shopify-payloads";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const DAY = 24 * 3600 * 1000;

async function inShop<T>(
  shopId: string,
  work: (
    tx: Parameters<Parameters<typeof db.prisma.$transaction>[0]>[0],
    shop: NonNullable<Awaited<ReturnType<typeof loadShopContext>>>,
  ) => Promise<T>,
) {
  return db.prisma.$transaction(async (tx) => work(tx, (await loadShopContext(tx, { id: shopId }))!));
}

describe("points held for guests", () => {
  it("expire when nobody claims them within the window, and are not credited afterwards", async () => {
    const shop = await createShop(db.prisma, { settings: { pendingWindowDays: 7 } });
    const paidAt = new Date("2026-10-01T12:00:00Z");
    await inShop(shop.id, (tx, ctx) =>
      applyOrderPaid(
        tx,
        ctx,
        parseOrder(orderPayload({ id: 5001, customer: null, email: "late@example.com", lines: [{ price: "20.00" }] })),
        paidAt,
      ),
    );
    expect(await expireUnclaimedPending(db.prisma, new Date(paidAt.getTime() + 6 * DAY))).toBe(0);
    expect(await expireUnclaimedPending(db.prisma, new Date(paidAt.getTime() + 8 * DAY))).toBe(1);

    const { member } = await inShop(shop.id, (tx, ctx) =>
      enrollMember(tx, ctx, { customerId: 55n, email: "late@example.com", via: "customer_created" }),
    );
    expect(member.balance).toBe(0);
    expect(await db.prisma.pendingPoints.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      status: "EXPIRED",
    });
  });
});

describe("available after N days", () => {
  it("holds a member's order points, takes refunds from the held amount, then releases the rest once", async () => {
    const shop = await createShop(db.prisma, { settings: { availabilityDelayDays: 14 } });
    const processedAt = new Date(Date.now() - DAY);
    await inShop(shop.id, (tx, ctx) =>
      applyOrderPaid(
        tx,
        ctx,
        parseOrder(
          orderPayload({
            id: 6001,
            customer: { id: 61 },
            processedAt: processedAt.toISOString(),
            lines: [{ price: "100.00" }],
          }),
        ),
      ),
    );
    const member = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(member.balance).toBe(0);
    await inShop(shop.id, (tx, ctx) =>
      applyRefund(tx, ctx, parseRefund(refundPayload({ id: 6101, orderId: 6001, lines: [{ subtotal: "40.00" }] }))),
    );
    expect(await db.prisma.pendingPoints.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      points: 60,
      status: "PENDING",
    });
    // Nothing is released before the delay.
    expect(await releaseDuePending(db.prisma, new Date())).toBe(0);
    const later = new Date(processedAt.getTime() + 15 * DAY);
    expect(await releaseDuePending(db.prisma, later)).toBe(1);
    expect(await releaseDuePending(db.prisma, later)).toBe(0);
    const entries = await db.prisma.ledgerEntry.findMany({ where: { memberId: member.id } });
    expect(entries.map((e) => [e.idempotencyKey, e.points])).toEqual([["order:6001:earn", 60]]);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).balance).toBe(60);
  });
});
