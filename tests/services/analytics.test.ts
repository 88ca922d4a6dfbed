import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DASHBOARD_MAX_AGE_MS,
  dashboardSnapshot,
  loadDashboard,
  parsePeriodDays,
  periodsFor,
} from "../../app/services/analytics";
import type { LedgerKind } from "../../app/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

/**
 * A small shop whose every figure is worked out by hand below, for a 30-day period ending
 * 2026-11-20 12:00 UTC in Moscow time: current = 21 Oct 12:00 → 20 Nov 12:00 UTC,
 * previous = 21 Sep → 21 Oct, and the period before that = 22 Aug → 21 Sep.
 */
let db: TestDatabase;
let shop: { id: string; currency: string; timezone: string };
let shopId: string;
const NOW = new Date("2026-11-20T12:00:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
  const created = await createShop(db.prisma, { currency: "USD" });
  await db.prisma.shop.update({ where: { id: created.id }, data: { ianaTimezone: "Europe/Moscow" } });
  shop = { id: created.id, currency: "USD", timezone: "Europe/Moscow" };
  shopId = created.id;
  const p = db.prisma;
  const member = (n: number, enrolledAt: string, balance: number, status: "ACTIVE" | "REDACTED" = "ACTIVE") =>
    p.member.create({
      data: {
        shopId: shop.id,
        customerId: BigInt(n),
        referralCode: `A${n}`,
        enrolledAt: new Date(enrolledAt),
        balance,
        status,
      },
    });
  const m1 = await member(1, "2026-08-01T00:00:00Z", 230);
  const m2 = await member(4, "2026-11-06T09:00:00Z", 0);
  const m3 = await member(7, "2026-10-01T09:00:00Z", 1000);
  await member(8, "2026-11-07T09:00:00Z", 999, "REDACTED");

  let orderId = 1n;
  const order = (
    at: string,
    o: {
      customerId?: number;
      email?: string;
      memberId?: string;
      total?: number;
      loyalty?: boolean;
      cancelled?: boolean;
      unpaid?: boolean;
    },
  ) =>
    p.order.create({
      data: {
        id: orderId++,
        shopId: shop.id,
        currency: "USD",
        customerId: o.customerId === undefined ? null : BigInt(o.customerId),
        email: o.email ?? null,
        memberId: o.memberId ?? null,
        totalMinor: BigInt(o.total ?? 1000),
        usedLoyaltyReward: o.loyalty ?? false,
        processedAt: new Date(at),
        paidAt: o.unpaid ? null : new Date(at),
        cancelledAt: o.cancelled ? new Date(at) : null,
      },
    });
  // C1, a member: before-previous, previous, and twice in the current period.
  await order("2026-09-01T10:00:00Z", { customerId: 1, memberId: m1.id });
  await order("2026-10-01T10:00:00Z", { customerId: 1, memberId: m1.id });
  await order("2026-11-01T10:00:00Z", { customerId: 1, memberId: m1.id, total: 3000 });
  await order("2026-11-10T10:00:00Z", { customerId: 1, memberId: m1.id, total: 2000 });
  // C2, not a member: previous and current.
  await order("2026-10-05T10:00:00Z", { customerId: 2 });
  await order("2026-11-02T10:00:00Z", { customerId: 2, total: 1500 });
  // C3, not a member: first order in the current period; a cancelled one does not count.
  await order("2026-11-03T10:00:00Z", { customerId: 3, total: 700 });
  await order("2026-11-04T10:00:00Z", { customerId: 3, cancelled: true });
  // A guest by email: previous, and twice in the current period.
  await order("2026-10-10T10:00:00Z", { email: "guest@example.com" });
  await order("2026-11-05T10:00:00Z", { email: "guest@example.com", total: 400 });
  await order("2026-11-08T10:00:00Z", { email: "guest@example.com", total: 600 });
  // M2, a new member whose first order used a loyalty reward.
  await order("2026-11-06T10:00:00Z", { customerId: 4, memberId: m2.id, total: 5000, loyalty: true });
  // Unpaid: not counted anywhere.
  await order("2026-11-09T10:00:00Z", { customerId: 5, total: 9999, unpaid: true });

  let key = 0;
  const entry = (memberId: string, at: string, kind: LedgerKind, points: number) =>
    p.ledgerEntry.create({
      data: {
        shopId: shop.id,
        memberId,
        points,
        kind,
        source: "ADMIN",
        reason: "test",
        idempotencyKey: `k${key++}`,
        createdAt: new Date(at),
      },
    });
  await entry(m1.id, "2026-10-01T12:00:00Z", "EARN", 200); // previous
  await entry(m1.id, "2026-11-01T12:00:00Z", "EARN", 500);
  await entry(m3.id, "2026-10-31T22:30:00Z", "EARN", 10); // 1 Nov 01:30 in Moscow
  await entry(m1.id, "2026-11-02T12:00:00Z", "REDEEM", -300);
  await entry(m1.id, "2026-11-03T12:00:00Z", "EXPIRE", -50);
  await entry(m1.id, "2026-11-04T12:00:00Z", "REVERSAL", -100); // a refund's clawback: neither issued nor redeemed
  await entry(m1.id, "2026-11-04T13:00:00Z", "ADJUST", -20); // a negative adjustment is not issued
  await entry(m1.id, "2026-11-05T12:00:00Z", "REDEMPTION_REFUND", 100); // a failed redemption gave points back

  // The Thank-you funnel: three views this period (one became a join), one the period before.
  for (const [name, orderId, at] of [
    ["thankyou.viewed", 1n, "2026-11-01T10:00:00Z"],
    ["thankyou.viewed", 2n, "2026-11-02T10:00:00Z"],
    ["thankyou.viewed", 3n, "2026-11-03T10:00:00Z"],
    ["thankyou.joined", 3n, "2026-11-04T10:00:00Z"],
    ["thankyou.viewed", 4n, "2026-10-10T10:00:00Z"],
  ] as const) {
    await p.analyticsEvent.create({
      data: { shopId: shop.id, name, orderId, dedupeKey: `${name}:${orderId}`, createdAt: new Date(at) },
    });
  }
  const reward = (
    name: string,
    type: "FIXED_AMOUNT" | "PERCENTAGE",
    pointsCost: number,
    valueMinor: number | null,
    enabled = true,
  ) =>
    p.reward.create({
      data: {
        shopId: shop.id,
        name,
        type,
        pointsCost,
        valueMinor,
        valuePercentBp: type === "PERCENTAGE" ? 1000 : null,
        currency: "USD",
        enabled,
      },
    });
  await reward("$5 off", "FIXED_AMOUNT", 500, 500);
  await reward("$20 off", "FIXED_AMOUNT", 1500, 2000);
  await reward("10% off", "PERCENTAGE", 100, null);
  await reward("Retired $50 off", "FIXED_AMOUNT", 100, 5000, false);
});
afterAll(async () => {
  await db?.close();
});

describe("retention dashboard", () => {
  it("computes every figure of the period and the one before it", async () => {
    const d = await loadDashboard(db.prisma, shop, 30, NOW);
    expect(d.current).toMatchObject({
      members: 3,
      newMembers: 1,
      enrollmentRate: 2 / 5,
      pointsIssued: 510,
      pointsRedeemed: 200,
      pointsExpired: 50,
      redemptionRate: 200 / 510,
      // E = 5 customers, N = 2 new (C3, M2), S = 3 customers in the previous period.
      retention: { end: 5, new: 2, start: 3 },
      retentionRate: 1,
      loyaltyOrders: 1,
      loyaltyOrderRevenueMinor: 5000n,
      postPurchase: { viewed: 3, joined: 1 },
    });
    expect(d.previous.postPurchase).toEqual({ viewed: 1, joined: 0 });
    expect(d.current.memberCustomers).toEqual({ customers: 2, orders: 3, repeatCustomers: 1, revenueMinor: 10000n });
    expect(d.current.otherCustomers).toEqual({ customers: 3, orders: 4, repeatCustomers: 1, revenueMinor: 3200n });
    expect(d.previous).toMatchObject({
      members: 2,
      newMembers: 1,
      pointsIssued: 200,
      pointsRedeemed: 0,
      redemptionRate: 0,
      // C2 and the guest were new then; C1 had ordered in the period before.
      retention: { end: 3, new: 2, start: 1 },
      retentionRate: 1,
    });
  });

  it("values outstanding points at the best enabled money reward", async () => {
    const d = await loadDashboard(db.prisma, shop, 30, NOW);
    expect(d.outstandingPoints).toBe(1230);
    // $20 for 1500 points beats $5 for 500; the disabled reward does not count.
    expect(d.liabilityMinor).toBe((1230n * 2000n) / 1500n);
  });

  it("charts every day of the period in the shop's time zone, quiet days as zero", async () => {
    const d = await loadDashboard(db.prisma, shop, 30, NOW);
    expect(d.daily[0]!.day).toBe("2026-10-21");
    expect(d.daily.at(-1)!.day).toBe("2026-11-20");
    expect(d.daily).toHaveLength(31);
    const day = (date: string) => d.daily.find((p) => p.day === date)!;
    expect(day("2026-11-01")).toMatchObject({ issued: 510, redeemed: 0 });
    expect(day("2026-10-31").issued).toBe(0);
    expect(day("2026-11-05").redeemed).toBe(-100);
    expect(day("2026-11-06").newMembers).toBe(1);
    expect(d.daily.reduce((s, p) => s + p.issued, 0)).toBe(d.current.pointsIssued);
  });

  it("has no rates, rather than zero or NaN, for a shop without activity", async () => {
    const empty = await createShop(db.prisma);
    const d = await loadDashboard(db.prisma, { id: empty.id, currency: "EUR", timezone: "UTC" }, 7, NOW);
    expect(d.current).toMatchObject({
      members: 0,
      enrollmentRate: null,
      redemptionRate: null,
      retentionRate: null,
      pointsIssued: 0,
    });
    expect(d.liabilityMinor).toBeNull();
    expect(d.daily).toHaveLength(8);
    expect(d.daily.every((p) => p.issued === 0 && p.newMembers === 0)).toBe(true);
  });

  it("accepts only the offered periods", () => {
    expect(parsePeriodDays("90")).toBe(90);
    expect(parsePeriodDays("31")).toBe(30);
    expect(parsePeriodDays(null)).toBe(30);
    const { current, previous } = periodsFor(7, NOW);
    expect(previous.to).toEqual(current.from);
    expect(current.to.getTime() - current.from.getTime()).toBe(7 * 86_400_000);
  });
});

describe("dashboard snapshots", () => {
  it("computes once, serves the snapshot while fresh, and asks for a refresh when stale", async () => {
    const requests: Array<[string, number]> = [];
    const refresh = async (shopId: string, days: number) => {
      requests.push([shopId, days]);
    };
    const first = await dashboardSnapshot(db.prisma, shop, 30, refresh, NOW);
    expect(first.stale).toBe(false);
    expect(first.dashboard.liabilityMinor).toBe(1640n);
    expect(first.dashboard.current.loyaltyOrderRevenueMinor).toBe(5000n);

    // New activity does not show until the snapshot is recomputed…
    const m = await db.prisma.member.findFirstOrThrow({ where: { shopId, customerId: 1n } });
    await db.prisma.ledgerEntry.create({
      data: {
        shopId: shop.id,
        memberId: m.id,
        points: 1000,
        kind: "EARN",
        source: "ADMIN",
        reason: "t",
        idempotencyKey: "snap",
        createdAt: new Date(NOW.getTime() - 1000),
      },
    });
    const fresh = await dashboardSnapshot(db.prisma, shop, 30, refresh, new Date(NOW.getTime() + 60_000));
    expect(fresh.dashboard.current.pointsIssued).toBe(510);
    expect(fresh.dashboard).toEqual(first.dashboard);
    expect(requests).toEqual([]);

    // …and once stale, it is still served at once while a refresh is requested.
    const later = new Date(NOW.getTime() + DASHBOARD_MAX_AGE_MS + 1);
    const stale = await dashboardSnapshot(db.prisma, shop, 30, refresh, later);
    expect(stale).toMatchObject({ stale: true, computedAt: NOW });
    expect(requests).toEqual([[shop.id, 30]]);

    // A currency change makes the stored amounts meaningless: recomputed on the spot.
    const euro = await dashboardSnapshot(db.prisma, { ...shop, currency: "EUR" }, 30, refresh, later);
    expect(euro).toMatchObject({ stale: false, computedAt: later });
    expect(euro.dashboard.current.pointsIssued).toBe(1510);
    await db.prisma.ledgerEntry.delete({
      where: { shopId_idempotencyKey: { shopId: shop.id, idempotencyKey: "snap" } },
    });
  });
});
