import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBalanceMismatches } from "../../app/services/ledger";
import { enrollMember } from "../../app/services/members";
import { applyOrderPaid } from "../../app/services/orders";
import {
  PastPointsChanged,
  pastPointsProgress,
  previewPastPoints,
  runPastPoints,
  startPastPoints,
} from "../../app/services/past-points";
import { recordHistoryBatch, type HistoricalOrder } from "../../app/services/history";
import { invalidateShopContext, loadShopContext } from "../../app/services/shop-context";
import { evaluateShopTiers } from "../../app/services/tiers";
import { parseOrder } from "../../app/shopify/payloads";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";
import { orderPayload } from "../fixtures/shopify-payloads";

/**
 * What the imported order history is used for beyond the dashboard: tiers, when the
 * merchant counts it, and points for past orders, only once previewed and granted.
 * Orders come in through the history import's own write (recordHistoryBatch).
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const context = async (shopId: string) => (await loadShopContext(db.prisma, { id: shopId }))!;

function past(id: number, customerId: number | null, totalMinor: number, extra: Partial<HistoricalOrder> = {}) {
  const at = new Date("2026-03-01T10:00:00Z");
  return {
    id: BigInt(id),
    name: `#${id}`,
    email: customerId ? null : `guest${id}@example.com`,
    customerId: customerId === null ? null : BigInt(customerId),
    currency: "USD",
    totalMinor: BigInt(totalMinor),
    processedAt: at,
    paidAt: at,
    cancelledAt: null,
    productIds: [],
    ...extra,
  } satisfies HistoricalOrder;
}

async function shopWithHistory(settings: { tierCountsHistory?: boolean } = {}) {
  const shop = await createShop(db.prisma, { settings: { earnPoints: 1, earnSpendMinor: 100, ...settings } });
  const history = await db.prisma.historyImport.create({
    data: { shopId: shop.id, months: 24, since: new Date("2024-11-01T00:00:00Z"), status: "READING", actor: "staff:1" },
  });
  const ctx = await context(shop.id);
  const anna = await db.prisma.$transaction((tx) =>
    enrollMember(tx, ctx, { customerId: 1n, email: "anna@example.com", via: "admin" }),
  );
  const boris = await db.prisma.$transaction((tx) =>
    enrollMember(tx, ctx, { customerId: 2n, email: "boris@example.com", via: "admin" }),
  );
  await recordHistoryBatch(
    db.prisma,
    history.id,
    shop.id,
    [
      past(101, 1, 12_345), // Anna: 123 points
      past(102, 1, 45_678), // Anna: 456 points
      past(103, 2, 9_999), // Boris: 99 points
      past(104, 2, 5_000, { cancelledAt: new Date("2026-03-02T10:00:00Z") }), // cancelled: nothing
      past(105, 2, 7_000, { paidAt: null }), // never paid: nothing
      past(106, 3, 50_000), // a customer who has not joined: nothing
      past(107, null, 20_000), // a guest: nothing
    ],
    7,
  );
  return { shop, anna: anna.member, boris: boris.member };
}

describe("points for past orders", () => {
  it("are previewed, granted only as previewed, once, at the base rate, to members only", async () => {
    const { shop, anna, boris } = await shopWithHistory();
    const ctx = await context(shop.id);
    const preview = await previewPastPoints(db.prisma, ctx);
    expect(preview).toMatchObject({ members: 2, orders: 3, points: 123 + 456 + 99, otherOrders: 2 });
    // Previewing wrote nothing.
    expect(await db.prisma.ledgerEntry.count({ where: { shopId: shop.id, source: "ORDER" } })).toBe(0);

    // A total other than the preview's starts nothing.
    await expect(startPastPoints(db.prisma, ctx, preview.points + 1, "staff:1")).rejects.toBeInstanceOf(
      PastPointsChanged,
    );
    expect(await pastPointsProgress(db.prisma, shop.id)).toBeNull();

    await startPastPoints(db.prisma, ctx, preview.points, "staff:1");
    await expect(startPastPoints(db.prisma, ctx, preview.points, "staff:1")).rejects.toThrow("running.already");
    // Two instances running the job at once grant each order once.
    const [a, b] = await Promise.all([runPastPoints(db.prisma, ctx), runPastPoints(db.prisma, ctx)]);
    expect(a + b).toBeGreaterThanOrEqual(3);

    const balance = async (id: string) => (await db.prisma.member.findUniqueOrThrow({ where: { id } })).balance;
    expect(await balance(anna.id)).toBe(anna.balance + 123 + 456);
    expect(await balance(boris.id)).toBe(boris.balance + 99);
    const entries = await db.prisma.ledgerEntry.findMany({
      where: { shopId: shop.id, reasonCode: "past_order" },
      orderBy: { orderId: "asc" },
    });
    expect(entries.map((e) => [e.orderId, e.points, e.kind])).toEqual([
      [101n, 123, "EARN"],
      [102n, 456, "EARN"],
      [103n, 99, "EARN"],
    ]);
    expect((await db.prisma.order.findFirstOrThrow({ where: { shopId: shop.id, id: 102n } })).pointsEarned).toBe(456);
    expect(await pastPointsProgress(db.prisma, shop.id)).toMatchObject({ status: "DONE", total: 3, done: 3 });
    expect(await findBalanceMismatches(db.prisma, { shopId: shop.id })).toEqual([]);

    // Nothing is left to grant, and a second grant is refused.
    expect(await previewPastPoints(db.prisma, ctx)).toMatchObject({ orders: 0, points: 0 });
    await expect(startPastPoints(db.prisma, ctx, 0, "staff:1")).rejects.toBeInstanceOf(PastPointsChanged);
  });

  it("count towards tiers only when the merchant says so, in the nightly evaluation and for new orders", async () => {
    for (const counts of [false, true]) {
      const { shop, anna } = await shopWithHistory({ tierCountsHistory: counts });
      const gold = await db.prisma.tier.create({
        data: { shopId: shop.id, name: "Gold", position: 0, threshold: 50_000n, multiplierBp: 20_000 },
      });
      invalidateShopContext({ id: shop.id });
      const ctx = await context(shop.id);
      expect(ctx.tiers).toHaveLength(1);
      // Anna's past orders come to $580.23: over Gold's $500 only if they count.
      await evaluateShopTiers(db.prisma, ctx, new Date("2026-11-01T00:00:00Z"));
      const member = await db.prisma.member.findUniqueOrThrow({ where: { id: anna.id } });
      expect(member.tierId, `counted: ${counts}`).toBe(counts ? gold.id : null);

      // Her next order earns at the tier the same history gives: ×2 at Gold, ×1 without.
      await db.prisma.$transaction(async (tx) =>
        applyOrderPaid(
          tx,
          await context(shop.id),
          parseOrder(
            orderPayload({
              id: 9001,
              customer: { id: 1, email: "anna@example.com" },
              lines: [{ price: "10.00" }],
              processedAt: "2026-11-02T10:00:00Z",
            }),
          ),
          new Date("2026-11-02T10:00:00Z"),
        ),
      );
      const order = await db.prisma.order.findFirstOrThrow({ where: { shopId: shop.id, id: 9001n } });
      expect(order.pointsEarned, `counted: ${counts}`).toBe(counts ? 20 : 10);
    }
  });
});
