import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postEntry } from "../../app/services/ledger";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { orderPayload } from "../fixtures/shopify-payloads";
import { startTestApp, webhooksApplied, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { startServer, type RunningServer } from "../support/server";
import { postWebhook, proxyUrl } from "../support/shopify";
import { ledgerInvariants, pool, scale, shuffle } from "./support";

/**
 * Two app instances on one PostgreSQL, racing: members redeem in parallel on both while
 * their orders' webhooks (and Shopify's duplicate deliveries of them) land on both.
 * No overspend, no lost update, no negative balance, one code per successful redemption.
 */
const MEMBERS = scale(12, 60);
const ATTEMPTS = scale(8, 12);
let standin: AdminStandin;
let app: TestApp;
let second: RunningServer;

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  app = await startTestApp({ DATABASE_POOL_SIZE: "10" });
  second = await startServer({
    SHOPIFY_API_KEY: "test-api-key",
    SHOPIFY_API_SECRET: "test-api-secret",
    SHOPIFY_APP_URL: "https://comeback.test",
    DATABASE_URL: app.db.url,
    DATABASE_POOL_SIZE: "10",
    COMEBACK_JOBS: "off",
  });
}, 120_000);
afterAll(async () => {
  await second?.stop("SIGKILL");
  await app?.close();
  await standin?.close();
});

describe("two instances racing", () => {
  it(`never overspend or lose an update (${MEMBERS} members × ${ATTEMPTS} redemptions, with webhooks)`, async () => {
    const prisma = app.db.prisma;
    const shop = await createShop(prisma, { live: true });
    await prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
    await prisma.session.create({
      data: {
        id: `offline_${shop.domain}`,
        shop: shop.domain,
        state: "s",
        isOnline: false,
        accessToken: "offline-token",
      },
    });
    const reward = await prisma.reward.create({
      data: {
        shopId: shop.id,
        name: "$5 off",
        type: "FIXED_AMOUNT",
        pointsCost: 500,
        valueMinor: 500,
        currency: "USD",
      },
    });
    const start = 1200;
    for (let i = 0; i < MEMBERS; i++) {
      const member = await prisma.member.create({
        data: { shopId: shop.id, customerId: BigInt(40_000 + i), referralCode: `RACE${i}` },
      });
      await postEntry(prisma, {
        shopId: shop.id,
        memberId: member.id,
        points: start,
        kind: "EARN",
        source: "ADMIN",
        reason: { code: "adjustment", params: { note: "seed" } },
        idempotencyKey: `seed:${i}`,
      });
    }
    const discountsBefore = standin.discounts.length;
    const servers = [app.server.url, second.url];

    type Job = { kind: "redeem" | "webhook"; customer: number; server: string; body?: string; webhookId?: string };
    const jobs: Job[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const customer = 40_000 + i;
      for (let k = 0; k < ATTEMPTS; k++) jobs.push({ kind: "redeem", customer, server: servers[k % 2]! });
      // Two $300 orders (300 points each), each delivered to both instances.
      for (let o = 0; o < 2; o++) {
        const body = JSON.stringify(
          orderPayload({ id: 90_000_000 + i * 10 + o, customer: { id: customer }, lines: [{ price: "300.00" }] }),
        );
        const webhookId = randomUUID();
        for (const server of servers) jobs.push({ kind: "webhook", customer, server, body, webhookId });
      }
    }
    const outcomes = await pool(shuffle(jobs, 7), 24, async (job) => {
      if (job.kind === "webhook") {
        const response = await postWebhook(job.server, {
          topic: "orders/paid",
          shop: shop.domain,
          body: job.body!,
          webhookId: job.webhookId,
        });
        return { job, status: response.status, code: null as string | null };
      }
      const response = await fetch(proxyUrl(job.server, "redeem", { shop: shop.domain, customerId: job.customer }), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rewardId: reward.id }),
      });
      const body = (await response.json()) as { code?: string };
      return { job, status: response.status, code: body.code ?? null };
    });

    await webhooksApplied(prisma);
    const redeemed = outcomes.filter((o) => o.job.kind === "redeem" && o.status === 201);
    const refused = outcomes.filter((o) => o.job.kind === "redeem" && o.status === 409);
    const other = outcomes.filter(
      (o) =>
        (o.job.kind === "redeem" && o.status !== 201 && o.status !== 409) ||
        (o.job.kind === "webhook" && o.status !== 200),
    );
    const members = await prisma.member.findMany({
      where: { shopId: shop.id },
      select: { id: true, customerId: true, balance: true },
    });
    const earnPerMember = await prisma.ledgerEntry.groupBy({
      by: ["memberId"],
      where: { shopId: shop.id, source: "ORDER" },
      _sum: { points: true },
      _count: true,
    });
    const earned = new Map(
      earnPerMember.map((row) => [row.memberId, { points: row._sum.points ?? 0, entries: row._count }]),
    );
    const wrong: string[] = [];
    for (const member of members) {
      const wins = redeemed.filter((o) => o.job.customer === Number(member.customerId)).length;
      const e = earned.get(member.id) ?? { points: 0, entries: 0 };
      // Each order earned once though delivered to both instances; every point accounted for.
      if (e.entries !== 2) wrong.push(`${member.customerId}: ${e.entries} order entries`);
      if (member.balance !== start + e.points - wins * reward.pointsCost)
        wrong.push(
          `${member.customerId}: balance ${member.balance}, expected ${start + e.points - wins * reward.pointsCost}`,
        );
    }
    const codes = new Set(redeemed.map((o) => o.code));
    const invariants = await ledgerInvariants(prisma, shop.id);
    console.log(
      `races: ${jobs.length} requests on 2 instances, ${redeemed.length} redeemed, ${refused.length} refused (409), ${other.length} other, ${standin.discounts.length - discountsBefore} discounts created, ${JSON.stringify(invariants)}`,
    );
    expect(other.map((o) => `${o.job.kind} ${o.status}`)).toEqual([]);
    expect(wrong).toEqual([]);
    expect(invariants).toEqual({ duplicates: 0, mismatched: 0, negative: 0 });
    expect(codes.size).toBe(redeemed.length);
    // The database agrees: one issued redemption, with its code, per 201 and nothing else.
    const issued = await prisma.redemption.findMany({
      where: { shopId: shop.id },
      select: { status: true, code: true },
    });
    expect(issued.filter((r) => r.status === "ISSUED" && r.code !== null && codes.has(r.code)).length).toBe(
      redeemed.length,
    );
    expect(issued.length).toBe(redeemed.length);
    expect(standin.discounts.length - discountsBefore).toBe(redeemed.length);
    // Contention really happened: some members wanted more than they could afford.
    expect(refused.length).toBeGreaterThan(0);
  }, 600_000);
});
