import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderPayload, refundPayload } from "../fixtures/shopify-payloads";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { postWebhook } from "../support/shopify";

/**
 * Referrals through the webhooks: the friend's first paid order carrying the referrer's
 * code (the `comeback_ref` cart attribute the widget sets) earns the referrer the
 * REFERRAL rule's points once; self-referrals, repeat customers and second orders earn
 * nothing; a cancelled or fully refunded order takes the points back.
 */
let app: TestApp;
let shop: { id: string; domain: string };
let referrer: { id: string; referralCode: string };
let nextOrder = 31_000_000;

beforeAll(async () => {
  app = await startTestApp();
  shop = await createShop(app.db.prisma, { live: true, rules: { REFERRAL: 500 } });
  referrer = await app.db.prisma.member.create({
    data: { shopId: shop.id, customerId: 3001n, email: "rita@example.com", referralCode: "RITA2026" },
  });
});
afterAll(async () => {
  await app?.close();
});

function order(customer: number, email: string, code: string | null, price = "40.00") {
  const id = ++nextOrder;
  const payload = orderPayload({
    id,
    customer: { id: customer, email },
    email,
    lines: [{ price }],
    noteAttributes: code ? [{ name: "comeback_ref", value: code }] : [],
  });
  return { id, body: JSON.stringify(payload), payload };
}

const send = (topic: string, body: string, webhookId = randomUUID()) =>
  postWebhook(app.server.url, { topic, shop: shop.domain, body, webhookId });
const referralPoints = async () =>
  (
    await app.db.prisma.ledgerEntry.aggregate({
      where: { memberId: referrer.id, source: "REFERRAL" },
      _sum: { points: true },
    })
  )._sum.points ?? 0;

describe("referrals", () => {
  it("credit the referrer once for a friend's first paid order, however often it is delivered", async () => {
    const first = order(3101, "friend1@example.com", "RITA2026");
    const id = randomUUID();
    for (let i = 0; i < 3; i++) expect((await send("orders/paid", first.body, id)).status).toBe(200);
    // A retry with a new webhook id (Shopify resends events too) changes nothing either.
    expect((await send("orders/paid", first.body)).status).toBe(200);
    expect(await referralPoints()).toBe(500);
    const row = await app.db.prisma.referral.findFirstOrThrow({
      where: { shopId: shop.id, orderId: BigInt(first.id) },
    });
    expect(row).toMatchObject({ referrerId: referrer.id, friendEmail: "friend1@example.com", status: "REWARDED" });

    // The same friend's second order is not a referral.
    await send("orders/paid", order(3101, "friend1@example.com", "RITA2026").body);
    expect(await referralPoints()).toBe(500);
  });

  it("refuse self-referral, unknown codes, free orders and friends who had ordered before", async () => {
    await send("orders/paid", order(3001, "rita@example.com", "RITA2026").body); // herself, by customer id
    await send("orders/paid", order(3199, "RITA@example.com", "RITA2026").body); // herself, by email
    await send("orders/paid", order(3102, "friend2@example.com", "NOSUCHCODE").body);
    await send("orders/paid", order(3103, "friend3@example.com", "RITA2026", "0.00").body);
    await send("orders/paid", order(3104, "friend4@example.com", null).body);
    await send("orders/paid", order(3104, "friend4@example.com", "RITA2026").body); // ordered before
    expect(await referralPoints()).toBe(500);
    expect(await app.db.prisma.referral.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("take the points back when the referred order is cancelled or refunded in full", async () => {
    const cancelled = order(3201, "friend5@example.com", "RITA2026");
    await send("orders/paid", cancelled.body);
    expect(await referralPoints()).toBe(1000);
    const cancel = orderPayload({
      id: cancelled.id,
      customer: { id: 3201, email: "friend5@example.com" },
      email: "friend5@example.com",
      lines: [{ price: "40.00" }],
      cancelledAt: "2026-10-04T12:00:00-04:00",
      updatedAt: "2026-10-04T12:00:00-04:00",
    });
    expect((await send("orders/cancelled", JSON.stringify(cancel))).status).toBe(200);
    expect(await referralPoints()).toBe(500);

    const refunded = order(3202, "friend6@example.com", "RITA2026");
    // The refund arrives first; the referral is credited with the order, then reversed.
    expect(
      (
        await send(
          "refunds/create",
          JSON.stringify(refundPayload({ id: refunded.id * 10, orderId: refunded.id, lines: [{ subtotal: "40.00" }] })),
        )
      ).status,
    ).toBe(200);
    await send("orders/paid", refunded.body);
    expect(await referralPoints()).toBe(500);
    const statuses = await app.db.prisma.referral.findMany({
      where: { shopId: shop.id },
      orderBy: { createdAt: "asc" },
      select: { status: true, rejectReason: true },
    });
    expect(statuses).toEqual([
      { status: "REWARDED", rejectReason: null },
      { status: "REJECTED", rejectReason: "cancelled" },
      { status: "REJECTED", rejectReason: "refunded" },
    ]);
    const member = await app.db.prisma.member.findUniqueOrThrow({ where: { id: referrer.id } });
    const sum = await app.db.prisma.ledgerEntry.aggregate({ where: { memberId: referrer.id }, _sum: { points: true } });
    expect(member.balance).toBe(sum._sum.points);
  });
});
