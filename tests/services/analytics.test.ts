import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ROLLUP_MAX_AGE_MS,
  loadDashboard,
  parsePeriodDays,
  periodsFor,
  rollUpAnalytics,
  shopsDueForRollUp,
} from "../../app/services/analytics";
import type { LedgerKind } from "../../app/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

/**
 * A small shop whose every figure is worked out by hand below, for the last 30 days on
 * 2026-11-20 15:00 in Moscow: current = 22 Oct 00:00 → now (20 Nov 12:00 UTC), previous =
 * 22 Sep → 22 Oct, and the period before that = 23 Aug → 22 Sep, at Moscow midnights.
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
    expect(d.daily[0]!.day).toBe("2026-10-22");
    expect(d.daily.at(-1)!.day).toBe("2026-11-20");
    expect(d.daily).toHaveLength(30);
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
    expect(d.daily).toHaveLength(7);
    expect(d.daily.every((p) => p.issued === 0 && p.newMembers === 0)).toBe(true);
  });

  it("accepts only the offered periods", () => {
    expect(parsePeriodDays("90")).toBe(90);
    expect(parsePeriodDays("31")).toBe(30);
    expect(parsePeriodDays(null)).toBe(30);
    // Today and the six days before it, from Moscow midnight; the seven whole days before.
    const { current, previous } = periodsFor(7, NOW, "Europe/Moscow");
    expect(current.from).toEqual(new Date("2026-11-13T21:00:00Z"));
    expect(current.to).toEqual(NOW);
    expect(previous).toEqual({ from: new Date("2026-11-06T21:00:00Z"), to: current.from });
    // A day that starts right after a daylight-saving change starts at its new offset.
    expect(periodsFor(7, new Date("2026-03-15T12:00:00Z"), "America/New_York").current.from).toEqual(
      new Date("2026-03-09T04:00:00Z"),
    );
  });
});

describe("roll-ups of closed days", () => {
  const earn = async (key: string, at: Date, points: number) => {
    const m = await db.prisma.member.findFirstOrThrow({ where: { shopId, customerId: 1n } });
    await db.prisma.ledgerEntry.create({
      data: {
        shopId,
        memberId: m.id,
        points,
        kind: "EARN",
        source: "ADMIN",
        reason: "t",
        idempotencyKey: key,
        createdAt: at,
      },
    });
  };

  it("reads closed days from the roll-up, adds today live, and asks for a new roll-up when it is old", async () => {
    const requests: string[] = [];
    const refresh = async (id: string) => void requests.push(id);
    await rollUpAnalytics(db.prisma, shop, NOW);
    const first = await loadDashboard(db.prisma, shop, 30, NOW, refresh);
    expect(first).toMatchObject({ stale: false, closedDaysAsOf: NOW });
    expect(first.current.pointsIssued).toBe(510);

    // Today's activity shows at once; a closed day changed late waits for the next roll-up.
    const later = new Date(NOW.getTime() + 60_000);
    await earn("today", new Date(NOW.getTime() - 1000), 1000);
    await earn("yesterday", new Date("2026-11-19T12:00:00Z"), 7);
    const live = await loadDashboard(db.prisma, shop, 30, later, refresh);
    expect(live.current.pointsIssued).toBe(1510);
    expect(live.daily.at(-1)).toMatchObject({ day: "2026-11-20", issued: 1000 });
    expect(requests).toEqual([]);

    const old = new Date(NOW.getTime() + ROLLUP_MAX_AGE_MS + 1);
    const stale = await loadDashboard(db.prisma, shop, 30, old, refresh);
    expect(stale).toMatchObject({ stale: true, closedDaysAsOf: NOW });
    expect(requests).toEqual([shop.id]);

    await rollUpAnalytics(db.prisma, shop, old);
    const rolled = await loadDashboard(db.prisma, shop, 30, old, refresh);
    expect(rolled).toMatchObject({ stale: false, closedDaysAsOf: old });
    expect(rolled.current.pointsIssued).toBe(1517);
    expect(rolled.daily.find((p) => p.day === "2026-11-19")!.issued).toBe(7);
    await db.prisma.ledgerEntry.deleteMany({ where: { shopId, idempotencyKey: { in: ["today", "yesterday"] } } });
    await rollUpAnalytics(db.prisma, shop, NOW);
  });

  it("rolls a period up on the spot when the day has turned before the job ran, and the sweep finds the shop", async () => {
    await rollUpAnalytics(db.prisma, shop, NOW);
    const requests: string[] = [];
    const tomorrow = new Date(NOW.getTime() + 86_400_000);
    expect(await shopsDueForRollUp(db.prisma)).toContain(shop.id);
    const d = await loadDashboard(db.prisma, shop, 7, tomorrow, async (id) => void requests.push(id));
    expect(d).toMatchObject({ stale: false, closedDaysAsOf: tomorrow });
    expect(d.daily.at(-1)!.day).toBe("2026-11-21");
    expect(requests).toEqual([shop.id]);
    const stored = await db.prisma.analyticsPeriod.findUniqueOrThrow({ where: { shopId_days: { shopId, days: 7 } } });
    expect(stored.throughDay).toEqual(new Date("2026-11-20T00:00:00Z"));
    await rollUpAnalytics(db.prisma, shop, NOW);
  });
});

/**
 * The order figures the roll-ups and today's correction give must be the ones a single
 * pass over the period's orders gives, whatever the mix of customers across closed days
 * and today: computed here in JavaScript from the orders themselves.
 */
describe("closed days plus today", () => {
  type Spec = {
    customer: number;
    guest: boolean;
    member: boolean;
    dayAgo: number;
    hour: number;
    total: number;
    loyalty: boolean;
  };
  const spec = fc.record({
    customer: fc.integer({ min: 1, max: 6 }),
    guest: fc.boolean(),
    member: fc.boolean(),
    dayAgo: fc.integer({ min: 0, max: 20 }),
    hour: fc.integer({ min: 0, max: 23 }),
    total: fc.integer({ min: 1, max: 50 }).map((n) => n * 100),
    loyalty: fc.boolean(),
  });

  function expected(orders: Spec[], at: (o: Spec) => Date, from: Date, to: Date) {
    const key = (o: Spec) => (o.guest ? `e${o.customer}` : `c${o.customer}`);
    const inPeriod = orders.filter((o) => at(o) >= from && at(o) < to);
    const customers = new Map<string, { member: boolean; orders: number; revenue: number; isNew: boolean }>();
    for (const o of inPeriod) {
      const c = customers.get(key(o)) ?? {
        member: false,
        orders: 0,
        revenue: 0,
        isNew: !orders.some((e) => key(e) === key(o) && at(e) < from),
      };
      c.member ||= o.member && !o.guest;
      c.orders += 1;
      c.revenue += o.total;
      customers.set(key(o), c);
    }
    const all = [...customers.values()];
    const of = (member: boolean) => all.filter((c) => c.member === member);
    return {
      member: {
        customers: of(true).length,
        orders: of(true).reduce((s, c) => s + c.orders, 0),
        repeatCustomers: of(true).filter((c) => c.orders >= 2).length,
        revenueMinor: BigInt(of(true).reduce((s, c) => s + c.revenue, 0)),
      },
      other: {
        customers: of(false).length,
        orders: of(false).reduce((s, c) => s + c.orders, 0),
        repeatCustomers: of(false).filter((c) => c.orders >= 2).length,
        revenueMinor: BigInt(of(false).reduce((s, c) => s + c.revenue, 0)),
      },
      newCustomers: all.filter((c) => c.isNew).length,
      loyaltyOrders: inPeriod.filter((o) => o.loyalty).length,
      loyaltyRevenue: BigInt(inPeriod.filter((o) => o.loyalty).reduce((s, o) => s + o.total, 0)),
    };
  }

  it("equals one pass over the orders, for any mix of closed days and today", async () => {
    const zone = "America/New_York";
    const rolledAt = new Date("2026-11-20T18:00:00Z"); // 13:00 in New York
    const now = new Date("2026-11-20T23:30:00Z"); // 18:30, the same day
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 1, maxLength: 25 }), async (orders) => {
        run += 1;
        const created = await createShop(db.prisma, { currency: "USD" });
        const target = { id: created.id, currency: "USD", timezone: zone };
        const at = (o: Spec) => new Date(rolledAt.getTime() - o.dayAgo * 86_400_000 - (o.hour - 6) * 3_600_000);
        // Today's orders placed after the roll-up are the ones the correction must fold in.
        const after = (o: Spec) => (o.dayAgo === 0 ? new Date(rolledAt.getTime() + o.hour * 60_000) : at(o));
        const members = new Map<number, string>();
        for (const o of orders)
          if (o.member && !o.guest && !members.has(o.customer)) {
            const m = await db.prisma.member.create({
              data: { shopId: target.id, customerId: BigInt(o.customer), referralCode: `P${run}x${o.customer}` },
            });
            members.set(o.customer, m.id);
          }
        const write = (list: Spec[], offset: number) =>
          db.prisma.order.createMany({
            data: list.map((o, i) => ({
              id: BigInt(offset + i + 1),
              shopId: target.id,
              currency: "USD",
              customerId: o.guest ? null : BigInt(o.customer),
              email: o.guest ? `guest${o.customer}@example.com` : null,
              memberId: o.member && !o.guest ? members.get(o.customer)! : null,
              totalMinor: BigInt(o.total),
              usedLoyaltyReward: o.loyalty,
              processedAt: after(o),
              paidAt: after(o),
            })),
          });
        const closed = orders.filter((o) => o.dayAgo > 0);
        const today = orders.filter((o) => o.dayAgo === 0);
        await write(closed, 0);
        await rollUpAnalytics(db.prisma, target, rolledAt);
        await write(today, 1000);
        const d = await loadDashboard(db.prisma, target, 7, now);
        const { current } = periodsFor(7, now, zone);
        const want = expected(orders, after, current.from, now);
        expect(d.closedDaysAsOf).toEqual(rolledAt);
        expect(d.current.memberCustomers).toEqual(want.member);
        expect(d.current.otherCustomers).toEqual(want.other);
        expect(d.current.retention.new).toBe(want.newCustomers);
        expect(d.current.loyaltyOrders).toBe(want.loyaltyOrders);
        expect(d.current.loyaltyOrderRevenueMinor).toBe(want.loyaltyRevenue);
        await db.prisma.shop.delete({ where: { id: target.id } });
      }),
      { numRuns: 40 },
    );
  });
});
