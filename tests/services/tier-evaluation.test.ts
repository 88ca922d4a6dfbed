import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadShopContext } from "../../app/services/shop-context";
import { downgradeDate, evaluateShopTiers, setTierOverride } from "../../app/services/tiers";
import { requestTierReevaluation, runTierReevaluation } from "../../app/services/admin/tiers";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function program(options: { window?: "LIFETIME" | "CALENDAR_YEAR" | "ROLLING_12_MONTHS"; grace?: number } = {}) {
  const shop = await createShop(db.prisma, {
    settings: { tierWindow: options.window ?? "CALENDAR_YEAR", tierGraceDays: options.grace ?? 30 },
  });
  await db.prisma.shop.update({ where: { id: shop.id }, data: { ianaTimezone: "Europe/Moscow" } });
  const silver = await db.prisma.tier.create({
    data: { shopId: shop.id, name: "Silver", position: 0, threshold: 10000n },
  });
  const gold = await db.prisma.tier.create({ data: { shopId: shop.id, name: "Gold", position: 1, threshold: 50000n } });
  return { shop, silver, gold, context: async () => (await loadShopContext(db.prisma, { id: shop.id }))! };
}

async function memberWithSpend(
  shopId: string,
  customerId: number,
  spendMinor: bigint,
  at: Date,
  tierId: string | null,
) {
  const member = await db.prisma.member.create({
    data: { shopId, customerId: BigInt(customerId), referralCode: `T${customerId}`, tierId },
  });
  await db.prisma.order.create({
    data: {
      id: BigInt(customerId) * 10n,
      shopId,
      memberId: member.id,
      currency: "USD",
      earnableMinor: spendMinor,
      paidAt: at,
      processedAt: at,
    },
  });
  return member;
}

describe("tier evaluation", () => {
  it("keeps a member who fell below until the period ends plus grace, then downgrades", async () => {
    const { shop, silver, gold, context } = await program();
    // Gold earned in 2026; in 2027 their 2027 spend is only Silver-level.
    const member = await memberWithSpend(shop.id, 1, 20000n, new Date("2027-02-01T10:00:00Z"), gold.id);
    const now = new Date("2027-03-01T10:00:00Z");
    let result = await evaluateShopTiers(db.prisma, await context(), now);
    expect(result).toMatchObject({ downgradeScheduled: 1, downgraded: 0 });
    let row = await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(row.tierId).toBe(gold.id);
    // End of 2027 in Moscow (UTC+3) is 2027-12-31T21:00Z; plus 30 days of grace.
    expect(row.tierDowngradeAfter?.toISOString()).toBe("2028-01-30T21:00:00.000Z");

    result = await evaluateShopTiers(db.prisma, await context(), new Date("2028-01-31T00:00:00Z"));
    expect(result.downgraded).toBe(1);
    row = await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    // In 2028 they have spent nothing yet: below Silver too.
    expect(row.tierId).toBeNull();
    const events = await db.prisma.tierEvent.findMany({ where: { memberId: member.id } });
    expect(events.map((e) => [e.fromTierId, e.toTierId, e.cause])).toEqual([
      [gold.id, null, "evaluation: period ended below threshold"],
    ]);
    expect(silver.id).toBeTruthy();
  });

  it("cancels a scheduled downgrade when the member qualifies again", async () => {
    const { shop, gold, context } = await program({ window: "ROLLING_12_MONTHS", grace: 14 });
    const member = await memberWithSpend(shop.id, 2, 20000n, new Date("2027-02-01T10:00:00Z"), gold.id);
    await evaluateShopTiers(db.prisma, await context(), new Date("2027-03-01T10:00:00Z"));
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).tierDowngradeAfter).not.toBeNull();
    await db.prisma.order.create({
      data: {
        id: 999n,
        shopId: shop.id,
        memberId: member.id,
        currency: "USD",
        earnableMinor: 40000n,
        paidAt: new Date("2027-03-05T10:00:00Z"),
        processedAt: new Date("2027-03-05T10:00:00Z"),
      },
    });
    await evaluateShopTiers(db.prisma, await context(), new Date("2027-03-06T10:00:00Z"));
    const row = await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(row.tierDowngradeAfter).toBeNull();
    expect(row.tierId).toBe(gold.id);
  });

  it("leaves an override alone until it ends, then evaluates the member again", async () => {
    const { shop, gold, context } = await program({ window: "LIFETIME", grace: 0 });
    const member = await memberWithSpend(shop.id, 3, 100n, new Date("2027-01-01T10:00:00Z"), null);
    const ctx = await context();
    await db.prisma.$transaction(async (tx) =>
      setTierOverride(tx, ctx, {
        memberId: member.id,
        tierId: gold.id,
        reason: "Influencer",
        until: new Date("2027-06-01T00:00:00Z"),
        actor: "owner@example.com",
      }),
    );
    await evaluateShopTiers(db.prisma, await context(), new Date("2027-05-01T00:00:00Z"));
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBe(gold.id);
    const result = await evaluateShopTiers(db.prisma, await context(), new Date("2027-06-02T00:00:00Z"));
    expect(result.overridesEnded).toBe(1);
    // No grace configured: the downgrade is due at once and applies on the next run.
    await evaluateShopTiers(db.prisma, await context(), new Date("2027-06-02T00:00:01Z"));
    const row = await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(row).toMatchObject({ tierId: null, tierOverride: false });
    const causes = (await db.prisma.tierEvent.findMany({ where: { memberId: member.id }, orderBy: { id: "asc" } })).map(
      (e) => e.cause,
    );
    expect(causes).toEqual(["override: Influencer", "evaluation: period ended below threshold"]);
  });

  it("upgrades members that qualify (e.g. after the merchant lowered a threshold)", async () => {
    const { shop, silver, gold, context } = await program({ window: "LIFETIME" });
    const member = await memberWithSpend(shop.id, 4, 30000n, new Date("2027-01-01T10:00:00Z"), silver.id);
    await db.prisma.tier.update({ where: { id: gold.id }, data: { threshold: 25000n } });
    const result = await evaluateShopTiers(db.prisma, await context(), new Date("2027-02-01T00:00:00Z"));
    expect(result.upgraded).toBe(1);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBe(gold.id);
  });

  it("computes downgrade dates at the shop's year end", () => {
    expect(downgradeDate("CALENDAR_YEAR", 0, new Date("2026-06-01T00:00:00Z"), "America/New_York").toISOString()).toBe(
      "2027-01-01T05:00:00.000Z",
    );
    expect(downgradeDate("ROLLING_12_MONTHS", 7, new Date("2026-06-01T00:00:00Z"), "UTC").toISOString()).toBe(
      "2026-06-08T00:00:00.000Z",
    );
  });

  it("evaluates a shop of many members set-based, in seconds", async () => {
    const count = Number(process.env.TIER_EVAL_MEMBERS) || 100_000;
    const { shop, silver, gold, context } = await program({ window: "ROLLING_12_MONTHS" });
    const at = new Date("2027-05-01T00:00:00Z");
    await db.prisma.$executeRaw`
      INSERT INTO "Member" (id, "shopId", "customerId", "referralCode", "updatedAt")
      SELECT gen_random_uuid(), ${shop.id}::uuid, 1000000 + g, 'M' || g, now() FROM generate_series(1, ${count}) g`;
    // Spend cycles through 0, 150, 300, 450, 600 dollars.
    await db.prisma.$executeRaw`
      INSERT INTO "Order" (id, "shopId", "memberId", currency, "earnableMinor", "paidAt", "processedAt", "updatedAt")
      SELECT m."customerId", m."shopId", m.id, 'USD', ((m."customerId" % 5) * 15000)::bigint, ${at}, ${at}, now()
      FROM "Member" m WHERE m."shopId" = ${shop.id}::uuid`;
    const started = performance.now();
    const result = await evaluateShopTiers(db.prisma, await context(), new Date("2027-05-02T00:00:00Z"));
    const seconds = (performance.now() - started) / 1000;
    console.log(`tier evaluation: ${count} members in ${seconds.toFixed(2)} s`);
    // 150 → Silver; 300, 450 → Silver; 600 → Gold; 0 → none.
    expect(result.upgraded).toBe((count / 5) * 4);
    const tally = await db.prisma.member.groupBy({ by: ["tierId"], where: { shopId: shop.id }, _count: true });
    const byTier = Object.fromEntries(tally.map((t) => [t.tierId ?? "none", t._count]));
    expect(byTier).toEqual({ none: count / 5, [silver.id]: (count / 5) * 3, [gold.id]: count / 5 });
    expect(seconds).toBeLessThan(60);
  }, 300_000);
});

describe("re-evaluation after a merchant's edit", () => {
  it("runs in batches on the queue with its progress recorded, and places members a deleted tier left behind", async () => {
    const { shop, silver, gold } = await program({ window: "LIFETIME" });
    const at = new Date();
    // Three Gold spenders sitting in Silver (the threshold was lowered), one Silver member.
    for (let i = 0; i < 3; i++) await memberWithSpend(shop.id, 9100 + i, 60_000n, at, silver.id);
    await memberWithSpend(shop.id, 9200, 20_000n, at, silver.id);
    await requestTierReevaluation(db.prisma, shop.id, "staff:7");
    // Edits within seconds share one run.
    await requestTierReevaluation(db.prisma, shop.id, "staff:7");
    expect(await db.prisma.jobProgress.count({ where: { shopId: shop.id, status: "RUNNING" } })).toBe(1);
    expect(await runTierReevaluation(db.prisma, shop.id)).toBe(3);
    const progress = await db.prisma.jobProgress.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(progress).toMatchObject({ status: "DONE", total: 4, done: 4, actor: "staff:7" });
    expect(progress.details).toMatchObject({ upgraded: 3 });
    expect(await db.prisma.member.count({ where: { shopId: shop.id, tierId: gold.id } })).toBe(3);

    // Silver deleted: its member has no tier until the run places them by their spend.
    await db.prisma.tier.delete({ where: { id: silver.id } });
    await db.prisma.tier.create({ data: { shopId: shop.id, name: "Bronze", position: 0, threshold: 0n } });
    await requestTierReevaluation(db.prisma, shop.id, null);
    await runTierReevaluation(db.prisma, shop.id);
    const left = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id, customerId: 9200n } });
    expect((await db.prisma.tier.findUniqueOrThrow({ where: { id: left.tierId! } })).name).toBe("Bronze");
  });
});
