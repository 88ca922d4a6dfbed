import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import type { TestDatabase } from "../support/database";
import type { RunningServer } from "../support/server";
import { JSON_BODY, proxyUrl } from "../support/shopify";
import { createShop } from "../support/seed";
import { postEntry } from "../../app/services/ledger";

let app: TestApp;
let db: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  app = await startTestApp();
  db = app.db;
  server = app.server;
});
afterAll(async () => {
  await app?.close();
});

async function shopWithProgram() {
  const shop = await createShop(db.prisma, { rules: { SIGNUP: 100, REVIEW: 50 } });
  const gold = await db.prisma.tier.create({
    data: { shopId: shop.id, name: "Gold", position: 1, threshold: 50000n, multiplierBp: 15000 },
  });
  await db.prisma.tier.create({
    data: { shopId: shop.id, name: "Silver", position: 0, threshold: 20000n, multiplierBp: 12500 },
  });
  await db.prisma.reward.createMany({
    data: [
      {
        shopId: shop.id,
        name: "$5 off",
        type: "FIXED_AMOUNT",
        pointsCost: 500,
        valueMinor: 500,
        currency: "USD",
        position: 0,
      },
      { shopId: shop.id, name: "Free shipping", type: "FREE_SHIPPING", pointsCost: 300, position: 1 },
      {
        shopId: shop.id,
        name: "15% off (Gold)",
        type: "PERCENTAGE",
        pointsCost: 400,
        valuePercentBp: 1500,
        tierId: gold.id,
        position: 2,
      },
    ],
  });
  return shop;
}

async function member(shopId: string, customerId: number, points: number) {
  const row = await db.prisma.member.create({
    data: { shopId, customerId: BigInt(customerId), referralCode: `REF${customerId}`, totalSpentMinor: 12000n },
  });
  // $120 spent: tier progress is measured on paid orders.
  await db.prisma.order.create({
    data: {
      id: BigInt(customerId) * 1000n,
      shopId,
      memberId: row.id,
      currency: "USD",
      earnableMinor: 12000n,
      paidAt: new Date(),
      processedAt: new Date(),
    },
  });
  if (points)
    await postEntry(db.prisma, {
      shopId,
      memberId: row.id,
      points,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: "seed" } },
      idempotencyKey: `seed:${customerId}`,
    });
  return row;
}

describe("GET /proxy/member", () => {
  it("shows guests the program and no member", async () => {
    const shop = await shopWithProgram();
    const response = await fetch(proxyUrl(server.url, "member", { shop: shop.domain }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = (await response.json()) as {
      program: { rewards: unknown[]; waysToEarn: unknown[] };
      member: null;
      customer: unknown;
    };
    expect(body.member).toBeNull();
    expect(body.customer).toEqual({ loggedIn: false, enrolled: false });
    expect(body.program.rewards).toHaveLength(3);
    expect(body.program.waysToEarn).toEqual(expect.arrayContaining([{ action: "SIGNUP", points: 100 }]));
  });

  it("shows a member their balance, tier progress and which rewards they can afford", async () => {
    const shop = await shopWithProgram();
    await member(shop.id, 11, 450);
    const response = await fetch(proxyUrl(server.url, "member", { shop: shop.domain, customerId: 11 }));
    const body = (await response.json()) as {
      member: {
        balance: number;
        tier: null;
        nextTier: { name: string; remaining: string };
        rewards: Array<{ name: string; cost: number; affordable: boolean; available: boolean }>;
      };
    };
    expect(body.member.balance).toBe(450);
    expect(body.member.tier).toBeNull();
    expect(body.member.nextTier).toEqual({ name: "Silver", remaining: "8000", metric: "SPEND" });
    expect(body.member.rewards.map((r) => [r.name, r.cost, r.affordable, r.available])).toEqual([
      ["$5 off", 500, false, true],
      ["Free shipping", 300, true, true],
      ["15% off (Gold)", 400, false, false],
    ]);
  });

  it("never shows one shop's member to another shop, or one customer's data to another", async () => {
    const a = await shopWithProgram();
    const b = await shopWithProgram();
    await member(a.id, 21, 999);
    const fromB = (await (await fetch(proxyUrl(server.url, "member", { shop: b.domain, customerId: 21 }))).json()) as {
      member: unknown;
    };
    expect(fromB.member).toBeNull();
    const other = (await (await fetch(proxyUrl(server.url, "member", { shop: a.domain, customerId: 22 }))).json()) as {
      member: unknown;
    };
    expect(other.member).toBeNull();
  });

  it("rejects missing, tampered and stale signatures", async () => {
    const shop = await shopWithProgram();
    await member(shop.id, 31, 10);
    const good = proxyUrl(server.url, "member", { shop: shop.domain, customerId: 31 });
    const tampered = good.replace("logged_in_customer_id=31", "logged_in_customer_id=32");
    const unsigned = good.replace(/&?signature=[0-9a-f]+/, "");
    const stale = proxyUrl(server.url, "member", {
      shop: shop.domain,
      customerId: 31,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    for (const url of [tampered, unsigned, stale]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(401);
      expect(await response.text()).not.toContain("balance");
    }
    expect((await fetch(good)).status).toBe(200);
  });

  it("answers 400, not 500, for signed ids beyond PostgreSQL's bigint", async () => {
    const shop = await shopWithProgram();
    await member(shop.id, 33, 10);
    for (const customerId of ["9223372036854775808", "99999999999999999999", "0"]) {
      expect((await fetch(proxyUrl(server.url, "member", { shop: shop.domain, customerId }))).status, customerId).toBe(
        400,
      );
    }
    for (const cursor of ["9223372036854775808", "9999999999999999999"]) {
      expect(
        (await fetch(proxyUrl(server.url, "history", { shop: shop.domain, customerId: 33, extra: { cursor } }))).status,
        cursor,
      ).toBe(400);
    }
    expect(
      (
        await fetch(
          proxyUrl(server.url, "history", {
            shop: shop.domain,
            customerId: 33,
            extra: { cursor: "9223372036854775807" },
          }),
        )
      ).status,
    ).toBe(200);
  });

  it("answers 404 for a validly signed request from a shop that is not installed", async () => {
    const response = await fetch(proxyUrl(server.url, "member", { shop: "nobody.myshopify.com", customerId: 1 }));
    expect(response.status).toBe(404);
  });
});

describe("POST /proxy/join and GET /proxy/history", () => {
  it("enrolls the logged-in customer once, with the signup bonus, and pages the history", async () => {
    const shop = await shopWithProgram();
    const join = () =>
      fetch(proxyUrl(server.url, "join", { shop: shop.domain, customerId: 41 }), {
        method: "POST",
        headers: JSON_BODY,
        body: "{}",
      });
    const first = await join();
    expect(first.status).toBe(201);
    expect(((await first.json()) as { member: { balance: number } }).member.balance).toBe(100);
    expect((await join()).status).toBe(200);
    const guest = await fetch(proxyUrl(server.url, "join", { shop: shop.domain }), {
      method: "POST",
      headers: JSON_BODY,
      body: "{}",
    });
    expect(guest.status).toBe(401);

    const row = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id, customerId: 41n } });
    for (let i = 0; i < 25; i++) {
      await postEntry(db.prisma, {
        shopId: shop.id,
        memberId: row.id,
        points: 1,
        kind: "EARN",
        source: "BONUS",
        reason: { code: "bonus", params: { note: `bonus ${i}` } },
        idempotencyKey: `b:${i}`,
      });
    }
    const page1 = (await (
      await fetch(proxyUrl(server.url, "history", { shop: shop.domain, customerId: 41 }))
    ).json()) as {
      entries: Array<{ id: string; reason: string }>;
      nextCursor: string;
    };
    expect(page1.entries).toHaveLength(20);
    expect(page1.entries[0]!.reason).toBe("A gift from the shop: bonus 24");
    const page2 = (await (
      await fetch(
        proxyUrl(server.url, "history", { shop: shop.domain, customerId: 41, extra: { cursor: page1.nextCursor } }),
      )
    ).json()) as { entries: Array<{ reason: string }>; nextCursor: string | null };
    expect(page2.entries).toHaveLength(6);
    expect(page2.entries.at(-1)!.reason).toBe("Joined the program");
    expect(page2.nextCursor).toBeNull();
    const bad = await fetch(
      proxyUrl(server.url, "history", { shop: shop.domain, customerId: 41, extra: { limit: "5000" } }),
    );
    expect(bad.status).toBe(400);
  });
});

describe("POST /proxy/actions", () => {
  it("awards a social follow once per network and saves a birthday once", async () => {
    const shop = await shopWithProgram();
    await db.prisma.earningRule.create({
      data: { shopId: shop.id, action: "SOCIAL_FOLLOW", key: "instagram", points: 25 },
    });
    const row = await member(shop.id, 51, 0);
    const act = (body: unknown, customerId: number | null = 51) =>
      fetch(proxyUrl(server.url, "actions", { shop: shop.domain, customerId }), {
        method: "POST",
        headers: JSON_BODY,
        body: JSON.stringify(body),
      });
    expect(await (await act({ action: "social_follow", network: "instagram" })).json()).toEqual({ awarded: 25 });
    expect(await (await act({ action: "social_follow", network: "instagram" })).json()).toEqual({ awarded: 0 });
    expect((await act({ action: "social_follow", network: "tiktok" })).status).toBe(404);
    expect((await act({ action: "birthday", birthday: "02-30" })).status).toBe(400);
    expect((await act({ action: "birthday", birthday: "13-01" })).status).toBe(400);
    expect((await act({ action: "birthday", birthday: "03-15" })).status).toBe(200);
    expect((await act({ action: "birthday", birthday: "03-16" })).status).toBe(409);
    expect((await act({ action: "social_follow", network: "instagram" }, null)).status).toBe(401);
    const after = await db.prisma.member.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.balance).toBe(25);
    expect(after.birthday?.toISOString().slice(5, 10)).toBe("03-15");
  });
});
