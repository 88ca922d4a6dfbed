import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import type { TestDatabase } from "../support/database";
import type { RunningServer } from "../support/server";
import { postWebhook, proxyUrl } from "../support/shopify";
import { createShop } from "../support/seed";
import { orderPayload } from "../fixtures/shopify-payloads";
import { postEntry } from "../../app/services/ledger";
import { MAX_ATTEMPTS, retryPendingRedemptions } from "../../app/shopify/redemption.server";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";

let app: TestApp;
let db: TestDatabase;
let server: RunningServer;
let standin: AdminStandin;

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  app = await startTestApp({ DATABASE_POOL_SIZE: "20" });
  db = app.db;
  server = app.server;
});
afterAll(async () => {
  await app?.close();
  await standin?.close();
});
beforeEach(() => {
  standin.discounts.length = 0;
});

async function setup(points: number, customerId = 1001) {
  const shop = await createShop(db.prisma);
  await db.prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
  await db.prisma.session.create({
    data: {
      id: `offline_${shop.domain}`,
      shop: shop.domain,
      state: "s",
      isOnline: false,
      accessToken: "offline-token",
    },
  });
  const reward = await db.prisma.reward.create({
    data: {
      shopId: shop.id,
      name: "$5 off",
      type: "FIXED_AMOUNT",
      pointsCost: 500,
      valueMinor: 500,
      currency: "USD",
      codeExpiryDays: 30,
      minOrderMinor: 2000,
    },
  });
  const member = await db.prisma.member.create({
    data: { shopId: shop.id, customerId: BigInt(customerId), referralCode: `R${customerId}` },
  });
  if (points)
    await postEntry(db.prisma, {
      shopId: shop.id,
      memberId: member.id,
      points,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: "seed" } },
      idempotencyKey: `seed:${customerId}`,
    });
  return { shop, reward, member };
}

function redeem(shop: string, customerId: number | null, body: unknown) {
  return fetch(proxyUrl(server.url, "redeem", { shop, customerId }), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function balance(memberId: string) {
  const member = await db.prisma.member.findUniqueOrThrow({ where: { id: memberId } });
  const sum = await db.prisma.ledgerEntry.aggregate({ where: { memberId }, _sum: { points: true } });
  expect(member.balance).toBe(sum._sum.points ?? 0);
  return member.balance;
}

describe("POST /proxy/redeem", () => {
  it("50 parallel redemptions with points for one: exactly one succeeds and one discount exists", async () => {
    const { shop, reward, member } = await setup(500);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => redeem(shop.domain, 1001, { rewardId: reward.id })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const winner = responses.find((r) => r.status === 201)!;
    const body = (await winner.json()) as { code: string; balance: number; status: string };
    expect(body).toMatchObject({ status: "issued", balance: 0 });
    expect(body.code).toMatch(/^CB-[2-9A-HJKMNP-Z]{10}$/);
    expect(await balance(member.id)).toBe(0);
    expect(standin.discounts).toHaveLength(1);
    const discount = standin.discounts[0]!;
    expect(discount.code).toBe(body.code);
    expect(discount.input).toMatchObject({
      code: body.code,
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: ["gid://shopify/Customer/1001"] } },
      customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "20.00" } },
    });
    expect(Date.parse(String(discount.input.endsAt)) - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
  });

  it("retries through throttling and a timeout within the request", async () => {
    const { shop, reward } = await setup(1000);
    standin.failNext("throttle", 1);
    expect((await redeem(shop.domain, 1001, { rewardId: reward.id })).status).toBe(201);
    standin.failNext("hang", 1);
    expect((await redeem(shop.domain, 1001, { rewardId: reward.id })).status).toBe(201);
    expect(standin.discounts).toHaveLength(2);
  });

  it("keeps the points held while Shopify is down, then a job issues the code", async () => {
    const { shop, reward, member } = await setup(500);
    standin.failNext("http500", 3);
    const response = await redeem(shop.domain, 1001, { rewardId: reward.id });
    expect(response.status).toBe(202);
    expect(await balance(member.id)).toBe(0);
    const pending = await db.prisma.redemption.findFirstOrThrow({ where: { memberId: member.id } });
    expect(pending.status).toBe("PENDING");
    expect(await retryPendingRedemptions(db.prisma, new Date(Date.now() + 120_000))).toBe(1);
    const issued = await db.prisma.redemption.findUniqueOrThrow({ where: { id: pending.id } });
    expect(issued.status).toBe("ISSUED");
    expect(standin.discounts.map((d) => d.code)).toEqual([issued.code]);
  });

  it("returns the points at once when Shopify refuses, and after the last retry when it never answers", async () => {
    const { shop, reward, member } = await setup(1000);
    standin.failNext("userError", 1);
    const refused = await redeem(shop.domain, 1001, { rewardId: reward.id });
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { error: string }).error).toBe("shopify_rejected");
    expect(await balance(member.id)).toBe(1000);

    standin.failNext("http500", 3 + 2 * MAX_ATTEMPTS);
    expect((await redeem(shop.domain, 1001, { rewardId: reward.id })).status).toBe(202);
    let now = Date.now();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      now += 15 * 60_000;
      await retryPendingRedemptions(db.prisma, new Date(now));
    }
    const statuses = (
      await db.prisma.redemption.findMany({ where: { memberId: member.id }, orderBy: { createdAt: "asc" } })
    ).map((r) => r.status);
    expect(statuses).toEqual(["FAILED", "FAILED"]);
    expect(await balance(member.id)).toBe(1000);
    const kinds = (
      await db.prisma.ledgerEntry.findMany({ where: { memberId: member.id }, orderBy: { id: "asc" } })
    ).map((e) => [e.kind, e.points]);
    expect(kinds).toEqual([
      ["EARN", 1000],
      ["REDEEM", -500],
      ["REDEMPTION_REFUND", 500],
      ["REDEEM", -500],
      ["REDEMPTION_REFUND", 500],
    ]);
  });

  it("refuses guests, other shops' rewards, tier-locked rewards and bad bodies, writing nothing", async () => {
    const { shop, reward, member } = await setup(5000);
    const other = await setup(5000, 2002);
    const gold = await db.prisma.tier.create({
      data: { shopId: shop.id, name: "Gold", position: 0, threshold: 100000n },
    });
    const goldOnly = await db.prisma.reward.create({
      data: {
        shopId: shop.id,
        name: "Gold 15%",
        type: "PERCENTAGE",
        pointsCost: 100,
        valuePercentBp: 1500,
        tierId: gold.id,
      },
    });
    expect((await redeem(shop.domain, null, { rewardId: reward.id })).status).toBe(401);
    expect((await redeem(shop.domain, 1001, { rewardId: other.reward.id })).status).toBe(404);
    expect((await redeem(shop.domain, 1001, { rewardId: goldOnly.id })).status).toBe(403);
    expect((await redeem(shop.domain, 1001, "{oops")).status).toBe(400);
    expect((await redeem(shop.domain, 1001, { rewardId: "not-a-uuid" })).status).toBe(400);
    expect((await redeem(shop.domain, 9999, { rewardId: reward.id })).status).toBe(403);
    expect(await db.prisma.redemption.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await balance(member.id)).toBe(5000);
  });

  it("marks the redemption used when an order paid with its code arrives", async () => {
    const { shop, reward, member } = await setup(500);
    const { code } = (await (await redeem(shop.domain, 1001, { rewardId: reward.id })).json()) as { code: string };
    const order = orderPayload({
      id: 3131,
      customer: { id: 1001 },
      lines: [{ price: "30.00", discount: "5.00" }],
      discountCodes: [code.toLowerCase()],
    });
    expect(
      (await postWebhook(server.url, { topic: "orders/paid", shop: shop.domain, body: JSON.stringify(order) })).status,
    ).toBe(200);
    expect(await db.prisma.redemption.findFirstOrThrow({ where: { memberId: member.id } })).toMatchObject({
      status: "USED",
      usedOrderId: 3131n,
    });
    expect(await db.prisma.order.findFirstOrThrow({ where: { shopId: shop.id, id: 3131n } })).toMatchObject({
      usedLoyaltyReward: true,
    });
  });

  it("counts an order paid with store credit as a loyalty order when the member holds the program's store credit, once", async () => {
    const { shop, member } = await setup(1500, 1011);
    const credit = await db.prisma.reward.create({
      data: {
        shopId: shop.id,
        name: "$10 credit",
        type: "STORE_CREDIT",
        pointsCost: 1000,
        valueMinor: 1000,
        currency: "USD",
      },
    });
    const redeemed = await redeem(shop.domain, 1011, { rewardId: credit.id });
    expect(redeemed.status).toBe(201);
    expect((await redeemed.json()) as object).toMatchObject({ credited: { amountMinor: 1000, currency: "USD" } });
    const paid = (id: number, gateways: string[]) =>
      postWebhook(server.url, {
        topic: "orders/paid",
        shop: shop.domain,
        body: JSON.stringify(
          orderPayload({
            id,
            customer: { id: 1011 },
            lines: [{ price: "40.00" }],
            paymentGateways: gateways,
            processedAt: new Date().toISOString(),
          }),
        ),
      });
    // Paid by card only: not a loyalty order.
    expect((await paid(4141, ["visa", "bogus"])).status).toBe(200);
    // Paid partly with store credit (Shopify's gateway name for it), twice delivered.
    expect((await paid(4142, ["shopify_store_credit", "visa"])).status).toBe(200);
    expect((await paid(4142, ["shopify_store_credit", "visa"])).status).toBe(200);
    // A later store-credit order: the program's one credit is already spent.
    expect((await paid(4143, ["shopify_store_credit"])).status).toBe(200);
    const orders = await db.prisma.order.findMany({
      where: { shopId: shop.id },
      orderBy: { id: "asc" },
      select: { id: true, usedLoyaltyReward: true },
    });
    expect(orders).toEqual([
      { id: 4141n, usedLoyaltyReward: false },
      { id: 4142n, usedLoyaltyReward: true },
      { id: 4143n, usedLoyaltyReward: false },
    ]);
    expect(await db.prisma.redemption.findFirstOrThrow({ where: { memberId: member.id } })).toMatchObject({
      status: "USED",
      usedOrderId: 4142n,
    });
  });
});

describe("the order ladder", () => {
  it("grants a coupon after the 1st and the 2nd paid order, and VIP status after the 3rd", async () => {
    const { shop, member } = await setup(0, 3003);
    const vip = await db.prisma.tier.create({
      data: { shopId: shop.id, name: "VIP", position: 0, threshold: 10_000_000n },
    });
    await db.prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { ladderVipOrders: 3, ladderVipTierId: vip.id },
    });
    await db.prisma.reward.createMany({
      data: [
        {
          shopId: shop.id,
          name: "Welcome back: $10 off",
          type: "FIXED_AMOUNT",
          trigger: "ORDER_LADDER",
          ladderOrderCount: 1,
          valueMinor: 1000,
          currency: "USD",
          codeExpiryDays: 14,
        },
        {
          shopId: shop.id,
          name: "Come back: 10% off",
          type: "PERCENTAGE",
          trigger: "ORDER_LADDER",
          ladderOrderCount: 2,
          valuePercentBp: 1000,
          codeExpiryDays: 14,
        },
      ],
    });
    const pay = (id: number) =>
      postWebhook(server.url, {
        topic: "orders/paid",
        shop: shop.domain,
        body: JSON.stringify(orderPayload({ id, customer: { id: 3003 }, lines: [{ price: "40.00" }] })),
      });
    await pay(4001);
    await pay(4001); // a repeat delivery grants nothing more
    let granted = await db.prisma.redemption.findMany({
      where: { memberId: member.id },
      orderBy: { createdAt: "asc" },
    });
    expect(granted.map((r) => [(r.rewardSnapshot as { name: string }).name, r.pointsSpent, r.status])).toEqual([
      ["Welcome back: $10 off", 0, "PENDING"],
    ]);
    await pay(4002);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBeNull();
    await pay(4003);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBe(vip.id);

    // The redemption job issues them in Shopify.
    await retryPendingRedemptions(db.prisma, new Date(Date.now() + 60_000));
    granted = await db.prisma.redemption.findMany({ where: { memberId: member.id }, orderBy: { createdAt: "asc" } });
    expect(granted.map((r) => r.status)).toEqual(["ISSUED", "ISSUED"]);
    const view = (await (
      await fetch(proxyUrl(server.url, "member", { shop: shop.domain, customerId: 3003 }))
    ).json()) as {
      member: { codes: Array<{ code: string; name: string }>; tier: { name: string } };
    };
    expect(view.member.tier).toEqual({ name: "VIP", position: 0 });
    expect(view.member.codes.map((c) => c.name).sort()).toEqual(["Come back: 10% off", "Welcome back: $10 off"]);
    // Points were never touched.
    expect(await balance(member.id)).toBeGreaterThan(0);
    expect(await db.prisma.ledgerEntry.count({ where: { memberId: member.id, kind: "REDEEM" } })).toBe(0);
  });
});

describe("rate limits", () => {
  it("answer 429 with Retry-After once a customer exceeds the per-minute budget", async () => {
    const { shop } = await setup(0, 5005);
    const statuses: number[] = [];
    // 125 requests: even if a window boundary falls inside the loop, one window gets more than 60.
    for (let i = 0; i < 125; i++) {
      const response = await fetch(proxyUrl(server.url, "actions", { shop: shop.domain, customerId: 5005 }), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action: "social_follow", network: "nowhere" }),
      });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // The window may roll over mid-loop; at most one minute's budget passes per window.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 404)).toBe(true);
    // Another customer is not affected.
    expect((await fetch(proxyUrl(server.url, "member", { shop: shop.domain, customerId: 1001 }))).status).toBe(200);
  });
});
