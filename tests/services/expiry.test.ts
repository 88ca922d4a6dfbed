import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireInactivePoints } from "../../app/services/expiry";
import { postEntry } from "../../app/services/ledger";
import { startJobs, JOBS } from "../../app/jobs/index.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const DAY = 24 * 3600 * 1000;

async function memberWith(shopId: string, customerId: number, points: number, lastActivityAt: Date) {
  const member = await db.prisma.member.create({
    data: { shopId, customerId: BigInt(customerId), referralCode: `R${customerId}` },
  });
  await postEntry(db.prisma, {
    shopId,
    memberId: member.id,
    points,
    kind: "EARN",
    source: "ADMIN",
    reason: { code: "adjustment", params: { note: "seed" } },
    idempotencyKey: `seed:${customerId}`,
  });
  await db.prisma.member.update({ where: { id: member.id }, data: { lastActivityAt } });
  return member;
}

describe("points expiry after inactivity", () => {
  it("expires inactive balances once, leaves active members and shops without expiry alone", async () => {
    const now = new Date("2026-11-20T03:00:00Z");
    const shop = await createShop(db.prisma, { settings: { expiryInactivityDays: 365 } });
    const noExpiry = await createShop(db.prisma);
    const dormant = await memberWith(shop.id, 1, 120, new Date(now.getTime() - 400 * DAY));
    const active = await memberWith(shop.id, 2, 80, new Date(now.getTime() - 30 * DAY));
    const elsewhere = await memberWith(noExpiry.id, 3, 50, new Date(now.getTime() - 900 * DAY));

    expect(await expireInactivePoints(db.prisma, now)).toBe(1);
    expect(await expireInactivePoints(db.prisma, now)).toBe(0);

    const entries = await db.prisma.ledgerEntry.findMany({ where: { memberId: dormant.id, kind: "EXPIRE" } });
    expect(entries.map((e) => e.points)).toEqual([-120]);
    for (const [member, balance] of [
      [dormant, 0],
      [active, 80],
      [elsewhere, 50],
    ] as const) {
      const row = await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
      const sum = await db.prisma.ledgerEntry.aggregate({ where: { memberId: member.id }, _sum: { points: true } });
      expect(row.balance).toBe(balance);
      expect(sum._sum.points).toBe(balance);
    }
  });

  it("handles many members in batches, set-based", async () => {
    const now = new Date("2026-11-20T03:00:00Z");
    const shop = await createShop(db.prisma, { settings: { expiryInactivityDays: 90 } });
    const old = new Date(now.getTime() - 200 * DAY);
    await db.prisma.$executeRaw`
      INSERT INTO "Member" (id, "shopId", "customerId", "referralCode", balance, "lastActivityAt", "updatedAt")
      SELECT gen_random_uuid(), ${shop.id}::uuid, 100000 + g, 'B' || g, 10, ${old}, now() FROM generate_series(1, 2500) g`;
    await db.prisma.$executeRaw`
      INSERT INTO "LedgerEntry" ("shopId", "memberId", points, kind, source, reason, "idempotencyKey")
      SELECT "shopId", id, 10, 'EARN', 'ADMIN', 'seed', 'seed:' || id FROM "Member" WHERE "shopId" = ${shop.id}::uuid`;
    expect(await expireInactivePoints(db.prisma, now, 1000)).toBe(2500);
    const total = await db.prisma.ledgerEntry.aggregate({ where: { shopId: shop.id }, _sum: { points: true } });
    expect(total._sum.points).toBe(0);
  });

  it("runs as a queued job; two app instances process it exactly once", async () => {
    const shop = await createShop(db.prisma, { settings: { expiryInactivityDays: 30 } });
    const member = await memberWith(shop.id, 77, 40, new Date(Date.now() - 60 * DAY));
    const [a, b] = await Promise.all([
      startJobs({ databaseUrl: db.url, prisma: db.prisma, schedule: false }),
      startJobs({ databaseUrl: db.url, prisma: db.prisma, schedule: false }),
    ]);
    try {
      const jobId = await a.boss.send(JOBS.expirePoints.name, {});
      expect(jobId).toBeTruthy();
      let state = "";
      for (let i = 0; i < 100 && state !== "completed"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        state = (await a.boss.getJobById(JOBS.expirePoints.name, jobId!))?.state ?? "";
      }
      expect(state).toBe("completed");
      const entries = await db.prisma.ledgerEntry.findMany({ where: { memberId: member.id, kind: "EXPIRE" } });
      expect(entries.map((e) => e.points)).toEqual([-40]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
