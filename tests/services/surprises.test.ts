import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../app/platform/database/client.server";
import { loadShopContext } from "../../app/services/shop-context";
import { storefrontView } from "../../app/services/member-view";
import {
  cancelSurprise,
  countSegment,
  createSurprise,
  runSurprise,
  surpriseHistory,
} from "../../app/services/surprises";
import { ValidationError } from "../../app/services/admin/forms";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

/**
 * Surprise and delight on PostgreSQL: a segment of 10,000 members credited by two
 * instances at once, each member exactly once, the holdout untouched, progress counted;
 * cancelling stops it; the history compares recipients with the holdout.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function shopWithMembers(count: number) {
  const shop = await createShop(db.prisma);
  await db.prisma.$executeRaw`
    INSERT INTO "Member" (id, "shopId", "customerId", email, "referralCode", balance, "lastOrderAt", "enrolledAt", "updatedAt")
    SELECT gen_random_uuid(), ${shop.id}::uuid, 40000000 + i, 'm' || i || '@example.com', 'S' || ${shop.id} || i,
           i % 1000, now() - make_interval(days => i % 200), now() - interval '300 days', now()
    FROM generate_series(1, ${count}) AS i`;
  return (await loadShopContext(db.prisma, { id: shop.id }))!;
}

const form = (extra: Record<string, string>) => ({
  message: "Thank you for being with us",
  reason: "Autumn thank-you",
  gift: "points",
  points: "50",
  holdoutPercent: "10",
  ...extra,
});

describe("surprise and delight", () => {
  it("credits a 10,000-member segment once each on two instances, with progress, and leaves the holdout alone", async () => {
    const shop = await shopWithMembers(10_000);
    expect(await countSegment(db.prisma, shop, {})).toBe(10_000);
    expect(await countSegment(db.prisma, shop, { dormantDays: 100, balanceMin: 500 })).toBeGreaterThan(0);

    const campaign = await createSurprise(db.prisma, shop, form({}), "staff:7");
    expect(campaign.chosen).toBe(10_000);
    const holdout = await db.prisma.surpriseRecipient.count({ where: { campaignId: campaign.id, holdout: true } });
    expect(holdout).toBeGreaterThan(700); // about 10%, by a hash
    expect(holdout).toBeLessThan(1300);
    expect(campaign.total).toBe(10_000 - holdout);

    // Two app instances, each with its own connections, run the job at the same moment,
    // and a retry runs it again afterwards.
    const other = createPrismaClient(db.url, 4);
    try {
      await Promise.all([runSurprise(db.prisma, campaign.id, 700), runSurprise(other, campaign.id, 700)]);
      await runSurprise(db.prisma, campaign.id);
    } finally {
      await other.$disconnect();
    }
    const entries = await db.prisma.$queryRaw<Array<{ members: number; entries: number; points: number }>>`
      SELECT count(DISTINCT "memberId")::int AS members, count(*)::int AS entries, sum(points)::int AS points
      FROM "LedgerEntry" WHERE "shopId" = ${shop.id}::uuid AND "reasonCode" = 'surprise'`;
    expect(entries[0]).toEqual({ members: campaign.total, entries: campaign.total, points: campaign.total * 50 });
    const heldOut = await db.prisma.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM "LedgerEntry" e JOIN "SurpriseRecipient" r ON r."memberId" = e."memberId"
      WHERE r."campaignId" = ${campaign.id}::uuid AND r.holdout AND e."reasonCode" = 'surprise'`;
    expect(heldOut[0]!.n).toBe(0);
    const done = await db.prisma.surpriseCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(done).toMatchObject({ status: "DONE", done: campaign.total, total: campaign.total });
    // Each recipient's balance rose by exactly the gift (seeded balances were customer id % 1000).
    const raised = await db.prisma.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM "Member" m JOIN "SurpriseRecipient" r ON r."memberId" = m.id
      WHERE r."campaignId" = ${campaign.id}::uuid AND NOT r.holdout
        AND m.balance = (m."customerId" - 40000000) % 1000 + 50`;
    expect(raised[0]!.n).toBe(campaign.total);

    // The widget learns of the gift (it shows the note once): a recipient's view carries it, a holdout's not.
    const [recipient, heldBack] = await Promise.all(
      [false, true].map((holdout) =>
        db.prisma.surpriseRecipient.findFirstOrThrow({
          where: { campaignId: campaign.id, holdout },
          select: { member: { select: { customerId: true } } },
        }),
      ),
    );
    const view = await storefrontView(db.prisma, shop, recipient!.member.customerId, "en");
    expect(view.member?.surprise).toEqual({ id: campaign.id, note: "Thank you for being with us" });
    expect((await storefrontView(db.prisma, shop, heldBack!.member.customerId, "en")).member?.surprise).toBeNull();

    const history = await surpriseHistory(db.prisma, shop.id);
    expect(history[0]).toMatchObject({
      id: campaign.id,
      recipients: { members: campaign.total },
      holdout: { members: holdout },
    });
  }, 120_000);

  it("stops when cancelled, and refuses a gift without points or a reward", async () => {
    const shop = await shopWithMembers(1_000);
    const campaign = await createSurprise(db.prisma, shop, form({ holdoutPercent: "0" }), "staff:7");
    expect(await cancelSurprise(db.prisma, shop.id, campaign.id, "staff:7")).toBe(true);
    expect(await runSurprise(db.prisma, campaign.id)).toBe(0);
    expect(await db.prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(0);

    await expect(createSurprise(db.prisma, shop, form({ points: "" }), "staff:7")).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      createSurprise(db.prisma, shop, form({ gift: "reward", rewardId: "" }), "staff:7"),
    ).rejects.toMatchObject({ fields: { rewardId: "validation.invalid" } });
  });
});
