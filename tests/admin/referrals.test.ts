import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";

/**
 * The Referrals page's loader through the production build: each step counted in the
 * period it happened, the friends' first orders' revenue, the top advocates in order,
 * and nothing from another shop.
 */
let app: TestApp;
let shop: Awaited<ReturnType<typeof createShop>>;
let other: Awaited<ReturnType<typeof createShop>>;
const DAY = 86_400_000;

interface Referrals {
  figures: { clicks: number; signups: number; orders: number; revenue: string; rejected: number };
  advocates: Array<{ who: string; signups: number; orders: number; revenue: string }>;
  advocatePoints: number | null;
  friendReward: { name: string; enabled: boolean } | null;
}

beforeAll(async () => {
  app = await startTestApp();
  const prisma = app.db.prisma;
  shop = await createShop(prisma, { rules: { REFERRAL: 500 } });
  other = await createShop(prisma, { rules: { REFERRAL: 500 } });
  await installShop(prisma, shop.domain);
  const friendReward = await prisma.reward.create({
    data: {
      shopId: shop.id,
      name: "$10 off your first order",
      type: "FIXED_AMOUNT",
      trigger: "REFERRAL_FRIEND",
      valueMinor: 1000,
      currency: "USD",
    },
  });
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { referralFriendRewardId: friendReward.id } });
  const member = (shopId: string, n: number, firstName: string | null, email: string) =>
    prisma.member.create({ data: { shopId, customerId: BigInt(n), firstName, email, referralCode: `REF${n}` } });
  const anna = await member(shop.id, 1, "Anna", "anna@example.com");
  const boris = await member(shop.id, 2, null, "boris@example.com");
  const stranger = await member(other.id, 3, "Other", "other@example.com");
  const now = Date.now();
  const order = (id: number, shopId: string, totalMinor: bigint) =>
    prisma.order.create({
      data: { id: BigInt(id), shopId, currency: "USD", totalMinor, processedAt: new Date(now - DAY) },
    });
  await order(101, shop.id, 5000n);
  await order(102, shop.id, 2500n);
  await order(103, other.id, 9900n);
  const at = (days: number) => new Date(now - days * DAY);
  await prisma.referral.createMany({
    data: [
      // Anna: two friends signed up this month, both ordered.
      {
        shopId: shop.id,
        referrerId: anna.id,
        friendEmail: "f1@example.com",
        status: "REWARDED",
        signedUpAt: at(5),
        orderId: 101n,
        orderedAt: at(1),
        creditedAt: at(1),
      },
      {
        shopId: shop.id,
        referrerId: anna.id,
        friendEmail: "f2@example.com",
        status: "REWARDED",
        signedUpAt: at(4),
        orderId: 102n,
        orderedAt: at(2),
        creditedAt: at(2),
      },
      // Boris: one friend signed up, no order yet; one reversed by a refund.
      { shopId: shop.id, referrerId: boris.id, friendEmail: "f3@example.com", status: "SIGNED_UP", signedUpAt: at(3) },
      {
        shopId: shop.id,
        referrerId: boris.id,
        friendEmail: "f4@example.com",
        status: "REJECTED",
        rejectReason: "refunded",
        signedUpAt: at(40),
      },
      // Long ago: outside the 30 days.
      {
        shopId: shop.id,
        referrerId: boris.id,
        friendEmail: "f5@example.com",
        status: "SIGNED_UP",
        signedUpAt: at(200),
      },
      // Another shop's.
      {
        shopId: other.id,
        referrerId: stranger.id,
        friendEmail: "f1@example.com",
        status: "REWARDED",
        signedUpAt: at(1),
        orderId: 103n,
        orderedAt: at(1),
        creditedAt: at(1),
      },
    ],
  });
  await prisma.analyticsEvent.createMany({
    data: [
      ...Array.from({ length: 3 }, () => ({
        shopId: shop.id,
        name: "referral.click",
        memberId: anna.id,
        createdAt: at(2),
      })),
      { shopId: shop.id, name: "referral.click", memberId: anna.id, createdAt: at(100) },
      { shopId: other.id, name: "referral.click", memberId: stranger.id, createdAt: at(1) },
    ],
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe("Referrals page", () => {
  it("counts each step in the period it happened, with the friends' revenue and the top advocates", async () => {
    const page = await adminClient(app.server.url, shop.domain).load<Referrals>(
      "/app/referrals?days=30",
      "routes/app.referrals",
    );
    expect(page.status).toBe(200);
    expect(page.data.figures).toEqual({ clicks: 3, signups: 3, orders: 2, revenue: "$75.00", rejected: 1 });
    expect(page.data.advocates).toEqual([
      {
        memberId: expect.any(String),
        who: "Anna",
        email: "anna@example.com",
        signups: 2,
        orders: 2,
        revenue: "$75.00",
      },
      { memberId: expect.any(String), who: "boris@example.com", email: null, signups: 1, orders: 0, revenue: "$0.00" },
    ]);
    expect(page.data.advocatePoints).toBe(500);
    expect(page.data.friendReward).toMatchObject({ name: "$10 off your first order", enabled: true });

    // A year takes in the older sign-up and the older click.
    const year = await adminClient(app.server.url, shop.domain).load<Referrals>(
      "/app/referrals?days=365",
      "routes/app.referrals",
    );
    expect(year.data.figures).toMatchObject({ clicks: 4, signups: 5 });
  });
});
