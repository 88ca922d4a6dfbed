import { z } from "zod";
import { Prisma } from "../generated/prisma/client";
import type { Db } from "../platform/database/db";
import { requestJob } from "../platform/job-queue.server";
import { SCORE_BANDS } from "../domain/messages";
import { DAY_MS } from "../domain/time";
import { postSelectedEntries } from "./ledger";
import { giftedRedemption } from "./rewards";
import type { ShopContext } from "./shop-context";
import { FormErrors, checkbox, int, optionalInt, recordActivity, text, type Form } from "./admin/forms";

/**
 * "Surprise and delight" (seed 001, 003): points or a reward code for one customer or a
 * segment, with a note. Recipients are chosen set-based when the campaign is created
 * (a holdout share, chosen by a hash, gets nothing so the effect can be measured); a job
 * credits them in batches that instances share (SKIP LOCKED), each member once (the
 * ledger key names the campaign and the member), with progress, and stops when the
 * campaign is cancelled.
 */

export const SURPRISE_QUEUE = "surprise-run";

/** Asks for the campaign's job now (the minute sweep backs it up). */
export function requestSurprise(campaignId: string): Promise<void> {
  return requestJob(SURPRISE_QUEUE, { campaignId });
}

export interface Segment {
  memberId?: string | null;
  tierId?: string | null;
  dormantDays?: number | null;
  balanceMin?: number | null;
  balanceMax?: number | null;
  joinedFrom?: string | null;
  joinedTo?: string | null;
  npsBand?: (typeof SCORE_BANDS)[number] | null;
  productId?: string | null;
}

const dateText = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || null)
  .pipe(z.union([z.null(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "validation.date" })]));

const segmentSchema = z.object({
  memberId: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .pipe(z.union([z.null(), z.string().uuid({ error: "validation.invalid" })])),
  tierId: z
    .string()
    .optional()
    .transform((v) => v || null),
  dormantDays: optionalInt(1, 3650),
  balanceMin: optionalInt(0, 100_000_000),
  balanceMax: optionalInt(0, 100_000_000),
  joinedFrom: dateText,
  joinedTo: dateText,
  npsBand: z
    .string()
    .optional()
    .transform((v) => v || null)
    .pipe(z.union([z.null(), z.enum(SCORE_BANDS, { error: "validation.invalid" })])),
  productId: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? (/(\d+)$/.exec(v)?.[1] ?? v) : null))
    .pipe(z.union([z.null(), z.string().regex(/^\d{1,20}$/, { error: "validation.invalid" })])),
});

/** The segment's members (active, of this shop), as SQL the other statements build on. */
function segmentSql(shopId: string, segment: Segment, now: Date): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`m."shopId" = ${shopId}::uuid`, Prisma.sql`m.status = 'ACTIVE'`];
  if (segment.memberId) parts.push(Prisma.sql`m.id = ${segment.memberId}::uuid`);
  if (segment.tierId) parts.push(Prisma.sql`m."tierId" = ${segment.tierId}::uuid`);
  if (segment.dormantDays)
    parts.push(
      Prisma.sql`COALESCE(m."lastOrderAt", m."enrolledAt") < ${now}::timestamp - make_interval(days => ${segment.dormantDays})`,
    );
  if (segment.balanceMin !== null && segment.balanceMin !== undefined)
    parts.push(Prisma.sql`m.balance >= ${segment.balanceMin}`);
  if (segment.balanceMax !== null && segment.balanceMax !== undefined)
    parts.push(Prisma.sql`m.balance <= ${segment.balanceMax}`);
  if (segment.joinedFrom) parts.push(Prisma.sql`m."enrolledAt" >= ${segment.joinedFrom}::date`);
  if (segment.joinedTo) parts.push(Prisma.sql`m."enrolledAt" < ${segment.joinedTo}::date + 1`);
  if (segment.npsBand) {
    const [low, high] = segment.npsBand === "promoter" ? [9, 10] : segment.npsBand === "passive" ? [7, 8] : [0, 6];
    // The member's latest answer decides their band.
    parts.push(Prisma.sql`(SELECT f.score FROM "Feedback" f WHERE f."memberId" = m.id ORDER BY f."createdAt" DESC LIMIT 1)
                          BETWEEN ${low} AND ${high}`);
  }
  if (segment.productId)
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "Order" o WHERE o."shopId" = m."shopId" AND o."memberId" = m.id
                                  AND o."paidAt" IS NOT NULL AND ${segment.productId} = ANY(o."productIds"))`);
  return Prisma.join(parts, " AND ");
}

export function parseSegment(form: Form, errors: FormErrors): Segment | null {
  return errors.parse(segmentSchema, form);
}

/** How many members a segment reaches now (the admin shows it before sending). */
export async function countSegment(db: Db, shop: ShopContext, segment: Segment, now = new Date()): Promise<number> {
  const rows = await db.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM "Member" m WHERE ${segmentSql(shop.id, segment, now)}`;
  return rows[0]?.n ?? 0;
}

const giftSchema = z.object({
  message: text(300),
  reason: text(200),
  gift: z.enum(["points", "reward"], { error: "validation.invalid" }),
  points: optionalInt(1, 1_000_000),
  rewardId: z
    .string()
    .optional()
    .transform((v) => v || null),
  holdoutPercent: int(0, 50),
  confirm: checkbox,
});

/** Creates the campaign and chooses its recipients (the holdout too); the job credits them. */
export async function createSurprise(db: Db, shop: ShopContext, form: Form, actor: string, now = new Date()) {
  const errors = new FormErrors();
  const segment = parseSegment(form, errors);
  const gift = errors.parse(giftSchema, form);
  if (gift?.gift === "points" && !gift.points) errors.add("points", "validation.required");
  if (gift?.gift === "reward") {
    const reward = gift.rewardId
      ? await db.reward.findFirst({
          where: { id: gift.rewardId, shopId: shop.id, enabled: true },
          select: { id: true },
        })
      : null;
    if (!reward) errors.add("rewardId", "validation.invalid");
  }
  if (segment?.tierId && !shop.tiers.some((t) => t.id === segment.tierId)) errors.add("tierId", "validation.invalid");
  errors.throwIfAny();
  const valid = gift!;
  return db.$transaction(async (tx) => {
    const campaign = await tx.surpriseCampaign.create({
      data: {
        shopId: shop.id,
        message: valid.message,
        reason: valid.reason,
        actor,
        segment: segment as Prisma.InputJsonValue,
        points: valid.gift === "points" ? valid.points : null,
        rewardId: valid.gift === "reward" ? valid.rewardId : null,
        holdoutPercent: valid.holdoutPercent,
      },
    });
    // The holdout: members whose hash with the campaign falls under the share.
    const chosen = await tx.$executeRaw`
      INSERT INTO "SurpriseRecipient" ("campaignId", "memberId", holdout)
      SELECT ${campaign.id}::uuid, m.id,
             (abs(hashtext(${campaign.id} || m.id::text)) % 100) < ${valid.holdoutPercent}
      FROM "Member" m WHERE ${segmentSql(shop.id, segment!, now)}`;
    const total = await tx.surpriseRecipient.count({ where: { campaignId: campaign.id, holdout: false } });
    await tx.surpriseCampaign.update({ where: { id: campaign.id }, data: { total } });
    await recordActivity(tx, shop.id, {
      actor,
      action: "surprise.created",
      subject: campaign.id,
      details: { reason: valid.reason, members: chosen, holdout: chosen - total, points: valid.points ?? null },
    });
    return { ...campaign, total, chosen };
  });
}

export async function cancelSurprise(db: Db, shopId: string, campaignId: string, actor: string) {
  const updated = await db.surpriseCampaign.updateMany({
    where: { id: campaignId, shopId, status: "RUNNING" },
    data: { status: "CANCELLED", finishedAt: new Date() },
  });
  if (updated.count)
    await recordActivity(db as never, shopId, { actor, action: "surprise.cancelled", subject: campaignId });
  return updated.count > 0;
}

/**
 * The job: credits the campaign's recipients in batches. Instances running it at once take
 * different batches; a member is credited once (the entry's key), and a cancelled campaign
 * stops at the next batch.
 */
export async function runSurprise(db: Db, campaignId: string, batchSize = 500, now = new Date()): Promise<number> {
  let credited = 0;
  for (;;) {
    const campaign = await db.surpriseCampaign.findUnique({ where: { id: campaignId } });
    if (!campaign || campaign.status !== "RUNNING") return credited;
    const reward = campaign.rewardId ? await db.reward.findUnique({ where: { id: campaign.rewardId } }) : null;
    const moved = await db.$transaction(async (tx) => {
      const batch = await tx.$queryRaw<Array<{ memberId: string }>>`
        SELECT "memberId" FROM "SurpriseRecipient"
        WHERE "campaignId" = ${campaignId}::uuid AND NOT holdout AND "creditedAt" IS NULL
        ORDER BY "memberId" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
      if (batch.length === 0) return 0;
      const ids = batch.map((b) => b.memberId);
      if (campaign.points) {
        await postSelectedEntries(
          tx,
          Prisma.sql`
            SELECT m."shopId", m.id AS "memberId", ${campaign.points}::int AS points, 'EARN' AS kind, 'BONUS' AS source,
                   'surprise:' || ${campaignId} || ':' || m.id AS key
            FROM "Member" m WHERE m.id = ANY(${ids}::uuid[]) AND m.status = 'ACTIVE'
            ORDER BY m.id FOR UPDATE OF m`,
          now,
          { code: "surprise", params: { note: campaign.message } },
        );
      } else if (reward) {
        await tx.redemption.createMany({
          data: ids.map((memberId) =>
            giftedRedemption(campaign.shopId, reward, { memberId }, `surprise:${campaignId}:${memberId}`, now),
          ),
          skipDuplicates: true,
        });
      }
      await tx.surpriseRecipient.updateMany({
        where: { campaignId, memberId: { in: ids } },
        data: { creditedAt: now },
      });
      await tx.$executeRaw`UPDATE "SurpriseCampaign" SET done = done + ${ids.length} WHERE id = ${campaignId}::uuid`;
      return ids.length;
    });
    credited += moved;
    if (moved === 0) {
      await db.surpriseCampaign.updateMany({
        where: { id: campaignId, status: "RUNNING" },
        data: { status: "DONE", finishedAt: new Date() },
      });
      return credited;
    }
  }
}

/**
 * Past campaigns, with what followed: orders and revenue in the 30 days after, per
 * recipient and per holdout member, so the merchant sees whether surprises bring
 * customers back.
 */
export async function surpriseHistory(db: Db, shopId: string, take = 20) {
  const campaigns = await db.surpriseCampaign.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take });
  if (campaigns.length === 0) return [];
  const effects = await db.$queryRaw<
    Array<{
      campaignId: string;
      holdout: boolean;
      members: number;
      buyers: number;
      orders: number;
      revenue: bigint | null;
    }>
  >`
    SELECT r."campaignId", r.holdout, count(DISTINCT r."memberId")::int AS members,
           count(DISTINCT o."memberId")::int AS buyers, count(o.id)::int AS orders, sum(o."totalMinor")::bigint AS revenue
    FROM "SurpriseRecipient" r
    JOIN "SurpriseCampaign" c ON c.id = r."campaignId"
    LEFT JOIN "Order" o ON o."shopId" = c."shopId" AND o."memberId" = r."memberId" AND o."paidAt" IS NOT NULL
      AND o."cancelledAt" IS NULL AND o."processedAt" >= c."createdAt" AND o."processedAt" < c."createdAt" + ${30 * DAY_MS} * interval '1 millisecond'
    WHERE r."campaignId" = ANY(${campaigns.map((c) => c.id)}::uuid[])
    GROUP BY r."campaignId", r.holdout`;
  return campaigns.map((campaign) => {
    const group = (holdout: boolean) => {
      const row = effects.find((e) => e.campaignId === campaign.id && e.holdout === holdout);
      return {
        members: row?.members ?? 0,
        buyers: row?.buyers ?? 0,
        orders: row?.orders ?? 0,
        revenueMinor: row?.revenue ?? 0n,
      };
    };
    return { ...campaign, recipients: group(false), holdout: group(true) };
  });
}

/** Campaigns with recipients still to credit (the sweep that restarts an interrupted job). */
export async function runningSurprises(db: Db): Promise<string[]> {
  const rows = await db.surpriseCampaign.findMany({ where: { status: "RUNNING" }, select: { id: true } });
  return rows.map((r) => r.id);
}
