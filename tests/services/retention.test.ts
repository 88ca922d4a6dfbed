import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RETENTION_MAX_AGE_MS,
  cohortRetention,
  loadRetention,
  repeatByFirstOrder,
  timeToSecondOrder,
  twelveMonthValue,
} from "../../app/services/retention";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

/**
 * Retention analytics against figures worked out by hand on a small history (below).
 * Times are UTC; the shop's zone is Moscow (UTC+3), which moves one order across a month.
 */
let db: TestDatabase;
let shop: { id: string; timezone: string };
const NOW = new Date("2026-11-20T12:00:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
  const created = await createShop(db.prisma);
  shop = { id: created.id, timezone: "Europe/Moscow" };
  const member = (customerId: number) =>
    db.prisma.member.create({
      data: { shopId: created.id, customerId: BigInt(customerId), referralCode: `R${customerId}` },
    });
  const a = await member(1);
  const d = await member(4);
  let id = 1n;
  const order = (
    at: string,
    o: {
      customerId?: number;
      email?: string;
      memberId?: string;
      total: number;
      loyalty?: boolean;
      cancelled?: boolean;
      unpaid?: boolean;
    },
  ) =>
    db.prisma.order.create({
      data: {
        id: id++,
        shopId: created.id,
        currency: "USD",
        customerId: o.customerId === undefined ? null : BigInt(o.customerId),
        email: o.email ?? null,
        memberId: o.memberId ?? null,
        totalMinor: BigInt(o.total),
        usedLoyaltyReward: o.loyalty ?? false,
        processedAt: new Date(at),
        paidAt: o.unpaid ? null : new Date(at),
        cancelledAt: o.cancelled ? new Date(at) : null,
      },
    });
  // A, a member: Jan 10, Feb 15, Apr 1 (cohort January; back after 1 and 3 months; second order after 36 days).
  await order("2026-01-10T10:00:00Z", { customerId: 1, memberId: a.id, total: 10000 });
  await order("2026-02-15T10:00:00Z", { customerId: 1, memberId: a.id, total: 20000 });
  await order("2026-03-31T22:00:00Z", { customerId: 1, memberId: a.id, total: 30000 }); // April 1st in Moscow
  // B, not a member: twice in January, five days apart (month 0 only).
  await order("2026-01-20T10:00:00Z", { customerId: 2, total: 4000 });
  await order("2026-01-25T10:00:00Z", { customerId: 2, total: 6000 });
  // C, a guest by email: once in February.
  await order("2026-02-03T10:00:00Z", { email: "c@example.com", total: 8000 });
  // D, a member whose first order used a loyalty code: Feb 10 and Mar 12 (30 days).
  await order("2026-02-10T10:00:00Z", { customerId: 4, memberId: d.id, total: 5000, loyalty: true });
  await order("2026-03-12T10:00:00Z", { customerId: 4, memberId: d.id, total: 7000 });
  // Neither a cancelled nor an unpaid order counts.
  await order("2026-03-01T10:00:00Z", { customerId: 5, total: 9900, cancelled: true });
  await order("2026-03-02T10:00:00Z", { customerId: 6, total: 9900, unpaid: true });
}, 120_000);
afterAll(async () => {
  await db?.close();
});

describe("retention analytics", () => {
  it("groups customers by their first order's month and counts who came back each month after", async () => {
    const cohorts = await cohortRetention(db.prisma, shop, 12, NOW);
    expect(cohorts.map((c) => [c.month, c.customers])).toEqual([
      ["2026-01", 2],
      ["2026-02", 2],
    ]);
    // January: A back in February (1) and April (3); 10 months have passed, the 11th has not.
    expect(cohorts[0]!.returned).toEqual([0.5, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, null]);
    // February: D back in March; 9 months have passed.
    expect(cohorts[1]!.returned).toEqual([0.5, 0, 0, 0, 0, 0, 0, 0, 0, null, null]);
  });

  it("measures the time to the second order: 3 of 4 came back, after 5, 30 and 36 days", async () => {
    const second = await timeToSecondOrder(db.prisma, shop.id, 730, NOW);
    expect(second).toMatchObject({ customers: 4, returned: 3, medianDays: 30 });
    expect(second.buckets.map((b) => b.customers)).toEqual([1, 0, 1, 1, 0, 0, 0, 0]);
  });

  it("compares 12-month value per customer, members against others", async () => {
    const value = await twelveMonthValue(db.prisma, shop.id, NOW);
    // Members A (100 + 200 + 300) and D (50 + 70): $360 each on average, both came back.
    expect(value.members).toEqual({ customers: 2, revenueMinor: 36000n, repeatRate: 1 });
    // B (40 + 60) and C (80): $90 on average, one of two came back.
    expect(value.others).toEqual({ customers: 2, revenueMinor: 9000n, repeatRate: 0.5 });
  });

  it("splits the repeat rate by whether the first order used a loyalty code", async () => {
    expect(await repeatByFirstOrder(db.prisma, shop.id, NOW)).toEqual({
      withCode: { customers: 1, repeatRate: 1 },
      without: { customers: 3, repeatRate: 2 / 3 },
    });
  });
});

describe("the stored report", () => {
  it("is computed once, read back exactly while fresh, and rolled up again in the background when old", async () => {
    const requests: string[] = [];
    const refresh = async (id: string) => void requests.push(id);
    const first = await loadRetention(db.prisma, shop, refresh, NOW);
    expect(first).toMatchObject({ stale: false, computedAt: NOW });
    expect(first.report.value).toEqual(await twelveMonthValue(db.prisma, shop.id, NOW));

    // Read back, money exact, without recomputing: a new order waits for the next roll-up.
    await db.prisma.order.create({
      data: {
        id: 990001n,
        shopId: shop.id,
        currency: "USD",
        customerId: 77n,
        totalMinor: 123_456n,
        processedAt: new Date(NOW.getTime() - 60_000),
        paidAt: new Date(NOW.getTime() - 60_000),
      },
    });
    const again = await loadRetention(db.prisma, shop, refresh, new Date(NOW.getTime() + 60_000));
    expect(again).toEqual({ report: first.report, computedAt: NOW, stale: false });
    expect(typeof again.report.value.members.revenueMinor).toBe("bigint");
    expect(requests).toEqual([]);

    const old = await loadRetention(db.prisma, shop, refresh, new Date(NOW.getTime() + RETENTION_MAX_AGE_MS + 1));
    expect(old).toMatchObject({ stale: true, computedAt: NOW });
    expect(requests).toEqual([shop.id]);
    await db.prisma.order.delete({ where: { shopId_id: { shopId: shop.id, id: 990001n } } });
  });
});
