import { Prisma, type Tier, type TierMetric } from "../generated/prisma/client";
import { inTransaction, type Db, type Tx } from "../platform/database/db";
import { downgradeDate, qualifyingTier, windowStart } from "../domain/tiers";
import { loadShopContext, type ShopContext } from "./shop-context";
import { reportProgress } from "./progress";

export { downgradeDate, qualifyingTier, windowStart };

/**
 * VIP tier upgrades. A member moves up the moment an order or entry carries them over
 * a threshold, in the same transaction. Downgrades only ever happen at the end of a
 * qualifying period (a scheduled re-evaluation), never because of a single refund.
 */

/** The member's progress in the program's metric over its window. */
export async function qualifyingValue(tx: Tx, shop: ShopContext, memberId: string, now = new Date()): Promise<bigint> {
  const metric: TierMetric = shop.settings.tierMetric;
  const since = windowStart(shop.settings.tierWindow, now, shop.timezone) ?? new Date(0);
  if (metric === "POINTS") {
    const rows = await tx.$queryRaw<Array<{ value: bigint | null }>>`
      SELECT SUM(points)::bigint AS value FROM "LedgerEntry"
      WHERE "shopId" = ${shop.id}::uuid AND "memberId" = ${memberId}::uuid AND kind IN ('EARN', 'ADJUST', 'IMPORT')
        AND "createdAt" >= ${since}`;
    return rows[0]?.value ?? 0n;
  }
  const rows = await tx.$queryRaw<Array<{ spend: bigint | null; orders: bigint }>>`
    SELECT SUM("earnableMinor" - "refundedEarnableMinor")::bigint AS spend, COUNT(*)::bigint AS orders FROM "Order"
    WHERE "shopId" = ${shop.id}::uuid AND "memberId" = ${memberId}::uuid
      AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL AND "processedAt" >= ${since}
      AND ("importedAt" IS NULL OR ${shop.settings.tierCountsHistory})`;
  return metric === "ORDERS" ? (rows[0]?.orders ?? 0n) : (rows[0]?.spend ?? 0n);
}

/** Moves the member up if they now qualify for a higher tier. Returns the new tier, if any. */
export async function applyTierUpgrade(
  tx: Tx,
  shop: ShopContext,
  memberId: string,
  cause: string,
  now = new Date(),
): Promise<Tier | null> {
  const tiers = shop.tiers;
  if (tiers.length === 0) return null;
  const member = await tx.member.findUniqueOrThrow({
    where: { id: memberId },
    select: { tierId: true, tierOverride: true, orderCount: true },
  });
  if (member.tierOverride) return null;
  const current = tiers.find((t) => t.id === member.tierId) ?? null;
  let target = qualifyingTier(tiers, await qualifyingValue(tx, shop, memberId, now));
  // The ladder's last step: enough paid orders make a member at least the VIP tier.
  const { ladderVipOrders, ladderVipTierId } = shop.settings;
  const vip =
    ladderVipTierId && ladderVipOrders && member.orderCount >= ladderVipOrders
      ? tiers.find((t) => t.id === ladderVipTierId)
      : undefined;
  if (vip && (!target || vip.position > target.position)) target = vip;
  if (!target || (current && target.position <= current.position)) return null;
  await tx.member.update({
    where: { id: memberId },
    data: { tierId: target.id, tierAchievedAt: now, tierDowngradeAfter: null },
  });
  await tx.tierEvent.create({
    data: { shopId: shop.id, memberId, fromTierId: current?.id ?? null, toTierId: target.id, cause },
  });
  return target;
}

/**
 * A merchant's manual tier, with a reason and an optional end date. While it lasts the
 * member is neither upgraded nor downgraded automatically.
 */
export async function setTierOverride(
  tx: Tx,
  shop: ShopContext,
  input: { memberId: string; tierId: string | null; reason: string; until: Date | null; actor: string },
): Promise<void> {
  if (!input.reason.trim()) throw new Error("a reason is required");
  if (input.tierId && !shop.tiers.some((t) => t.id === input.tierId)) throw new Error("no such tier in this shop");
  const member = await tx.member.findFirstOrThrow({
    where: { id: input.memberId, shopId: shop.id },
    select: { tierId: true },
  });
  await tx.member.update({
    where: { id: input.memberId },
    data: {
      tierId: input.tierId,
      tierOverride: true,
      tierOverrideUntil: input.until,
      tierDowngradeAfter: null,
      tierAchievedAt: new Date(),
    },
  });
  await tx.tierEvent.create({
    data: {
      shopId: shop.id,
      memberId: input.memberId,
      fromTierId: member.tierId,
      toTierId: input.tierId,
      cause: `override: ${input.reason.trim()}`,
      actor: input.actor,
    },
  });
}

/**
 * Ends a merchant's manual tier. The member is placed where their history puts them now:
 * up at once if they qualify higher; if they qualify lower, the manual tier counts as
 * the one held and the usual downgrade at the period's end applies.
 */
export async function clearTierOverride(
  tx: Tx,
  shop: ShopContext,
  input: { memberId: string; reason: string; actor: string },
): Promise<void> {
  const member = await tx.member.findFirstOrThrow({
    where: { id: input.memberId, shopId: shop.id },
    select: { tierId: true, tierOverride: true },
  });
  if (!member.tierOverride) return;
  await tx.member.update({
    where: { id: input.memberId },
    data: { tierOverride: false, tierOverrideUntil: null },
  });
  await tx.tierEvent.create({
    data: {
      shopId: shop.id,
      memberId: input.memberId,
      fromTierId: member.tierId,
      toTierId: member.tierId,
      cause: `override ended: ${input.reason.trim()}`,
      actor: input.actor,
    },
  });
  const upgraded = await applyTierUpgrade(tx, shop, input.memberId, "override ended: qualifies");
  if (upgraded) return;
  const current = shop.tiers.find((t) => t.id === member.tierId) ?? null;
  const earned = qualifyingTier(shop.tiers, await qualifyingValue(tx, shop, input.memberId));
  if (current && (!earned || earned.position < current.position)) {
    await tx.member.update({
      where: { id: input.memberId },
      data: {
        tierDowngradeAfter: downgradeDate(
          shop.settings.tierWindow,
          shop.settings.tierGraceDays,
          new Date(),
          shop.timezone,
        ),
      },
    });
  }
}

export interface EvaluationResult {
  upgraded: number;
  downgradeScheduled: number;
  downgraded: number;
  overridesEnded: number;
}

/**
 * Job: re-evaluates every member of a shop against the current tiers and window, in a
 * few set-based statements (no query per member). Upgrades apply at once; members who
 * fell below their tier get a downgrade date (end of period + grace) and drop when it
 * passes, unless they qualify again first. Ended overrides are released first.
 */
export async function evaluateShopTiers(
  db: Db,
  shop: ShopContext,
  now = new Date(),
  /** Only these members (a batch of a larger run); all of the shop's when absent. */
  memberIds?: string[],
): Promise<EvaluationResult> {
  if (shop.tiers.length === 0) return { upgraded: 0, downgradeScheduled: 0, downgraded: 0, overridesEnded: 0 };
  const only = memberIds ? Prisma.sql`AND m.id = ANY(${memberIds}::uuid[])` : Prisma.empty;
  const since = windowStart(shop.settings.tierWindow, now, shop.timezone) ?? new Date(0);
  const metric = shop.settings.tierMetric;
  const dropAt = downgradeDate(shop.settings.tierWindow, shop.settings.tierGraceDays, now, shop.timezone);
  const vipOrders = shop.settings.ladderVipOrders ?? null;
  const vipTier = shop.settings.ladderVipTierId ?? null;

  return inTransaction(
    db,
    async (tx) => {
      // This batch joins every member with their orders. Right after bulk writes (an
      // import, a backfill) the planner's statistics can claim one row and pick nested
      // loops, turning seconds into hours; hash joins are right here whatever it thinks.
      await tx.$executeRaw`SET LOCAL enable_nestloop = off`;
      const overridesEnded = await tx.$executeRaw`
      UPDATE "Member" m SET "tierOverride" = false, "tierOverrideUntil" = NULL
      WHERE m."shopId" = ${shop.id}::uuid AND m."tierOverride" AND m."tierOverrideUntil" IS NOT NULL
        AND m."tierOverrideUntil" <= ${now} ${only}`;

      // Each member's qualifying tier, computed once into a temporary table.
      await tx.$executeRaw`DROP TABLE IF EXISTS tier_targets`;
      await tx.$executeRaw`
      CREATE TEMP TABLE tier_targets ON COMMIT DROP AS
      WITH value AS (
        SELECT m.id, m."tierId", m."orderCount",
          CASE ${metric}
            WHEN 'POINTS' THEN COALESCE((SELECT SUM(l.points) FROM "LedgerEntry" l
                                         WHERE l."memberId" = m.id AND l.kind IN ('EARN', 'ADJUST', 'IMPORT')
                                           AND l."createdAt" >= ${since}), 0)
            WHEN 'ORDERS' THEN COALESCE(o.orders, 0)
            ELSE COALESCE(o.spend, 0)
          END AS value
        FROM "Member" m
        LEFT JOIN (
          SELECT "memberId", SUM("earnableMinor" - "refundedEarnableMinor") AS spend, COUNT(*) AS orders
          FROM "Order"
          WHERE "shopId" = ${shop.id}::uuid AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL AND "processedAt" >= ${since}
            AND ("importedAt" IS NULL OR ${shop.settings.tierCountsHistory})
          GROUP BY "memberId"
        ) o ON o."memberId" = m.id
        WHERE m."shopId" = ${shop.id}::uuid AND m.status = 'ACTIVE' AND NOT m."tierOverride" ${only}
      ), earned AS (
        SELECT v.id, v."tierId",
          (SELECT t.id FROM "Tier" t WHERE t."shopId" = ${shop.id}::uuid AND t.threshold <= v.value ORDER BY t.position DESC LIMIT 1) AS by_value,
          CASE WHEN ${vipOrders}::int IS NOT NULL AND v."orderCount" >= ${vipOrders}::int THEN ${vipTier}::uuid END AS by_ladder
        FROM value v
      )
      SELECT e.id, e."tierId" AS current, cur.position AS current_pos,
             CASE WHEN COALESCE(vip.position, -1) > COALESCE(val.position, -1) THEN vip.id ELSE val.id END AS target,
             GREATEST(COALESCE(vip.position, -1), COALESCE(val.position, -1)) AS target_pos
      FROM earned e
      LEFT JOIN "Tier" cur ON cur.id = e."tierId"
      LEFT JOIN "Tier" val ON val.id = e.by_value
      LEFT JOIN "Tier" vip ON vip.id = e.by_ladder`;
      // A temporary table has no statistics: without a key and ANALYZE the updates below
      // would join it by nested loops over every member.
      await tx.$executeRaw`ALTER TABLE tier_targets ADD PRIMARY KEY (id)`;
      await tx.$executeRaw`ANALYZE tier_targets`;

      const upgraded = await tx.$executeRaw`
      WITH changed AS (
        UPDATE "Member" m SET "tierId" = t.target, "tierAchievedAt" = ${now}, "tierDowngradeAfter" = NULL
        FROM tier_targets t WHERE m.id = t.id AND t.target_pos > COALESCE(t.current_pos, -1)
        RETURNING m.id, t.current, t.target
      )
      INSERT INTO "TierEvent" ("shopId", "memberId", "fromTierId", "toTierId", cause)
      SELECT ${shop.id}::uuid, id, current, target, 'evaluation: qualifies' FROM changed`;

      await tx.$executeRaw`
      UPDATE "Member" m SET "tierDowngradeAfter" = NULL
      FROM tier_targets t WHERE m.id = t.id AND m."tierDowngradeAfter" IS NOT NULL AND t.target_pos >= COALESCE(t.current_pos, -1)`;

      const downgradeScheduled = await tx.$executeRaw`
      UPDATE "Member" m SET "tierDowngradeAfter" = ${dropAt}
      FROM tier_targets t WHERE m.id = t.id AND t.target_pos < t.current_pos AND m."tierDowngradeAfter" IS NULL`;

      const downgraded = await tx.$executeRaw`
      WITH changed AS (
        UPDATE "Member" m SET "tierId" = t.target, "tierAchievedAt" = ${now}, "tierDowngradeAfter" = NULL
        FROM tier_targets t
        WHERE m.id = t.id AND t.target_pos < t.current_pos AND m."tierDowngradeAfter" IS NOT NULL AND m."tierDowngradeAfter" <= ${now}
        RETURNING m.id, t.current, t.target
      )
      INSERT INTO "TierEvent" ("shopId", "memberId", "fromTierId", "toTierId", cause)
      SELECT ${shop.id}::uuid, id, current, target, 'evaluation: period ended below threshold' FROM changed`;

      return { upgraded, downgradeScheduled, downgraded, overridesEnded };
    },
    120_000,
  );
}

/**
 * Under the POINTS metric, every earning can carry a member over a threshold (a review,
 * a signup bonus, an adjustment), not only orders: call after posting one.
 */
export async function upgradeAfterEarning(tx: Tx, shop: ShopContext, memberId: string, cause: string) {
  if (shop.settings.tierMetric !== "POINTS" || !shop.live) return null;
  return applyTierUpgrade(tx, shop, memberId, cause);
}

/** The same check for members a job credited (birthdays, released pending points). */
export async function upgradeMembersAfterEarning(db: Db, memberIds: string[], cause: string): Promise<void> {
  if (memberIds.length === 0) return;
  const members = await db.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, shopId: true } });
  const contexts = new Map<string, ShopContext | null>();
  for (const member of members) {
    if (!contexts.has(member.shopId)) contexts.set(member.shopId, await loadShopContext(db, { id: member.shopId }));
    const shop = contexts.get(member.shopId);
    if (!shop || shop.settings.tierMetric !== "POINTS") continue;
    await inTransaction(db, (tx) => upgradeAfterEarning(tx, shop, member.id, cause));
  }
}

/**
 * A merchant changed the tiers: every member of the shop is evaluated again now, in
 * batches, with the run's progress recorded for the tiers page.
 */
export async function reevaluateShopTiers(
  db: Db,
  shopId: string,
  progressId: string,
  options: { batchSize?: number; now?: Date } = {},
): Promise<EvaluationResult> {
  const batchSize = options.batchSize ?? 5000;
  const shop = await loadShopContext(db, { id: shopId });
  const total = { upgraded: 0, downgradeScheduled: 0, downgraded: 0, overridesEnded: 0 };
  if (!shop) return total;
  const count = await db.member.count({ where: { shopId, status: "ACTIVE" } });
  await reportProgress(db, progressId, { total: count, done: 0 });
  let after = "00000000-0000-0000-0000-000000000000";
  let done = 0;
  for (;;) {
    const batch = await db.member.findMany({
      where: { shopId, status: "ACTIVE", id: { gt: after } },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true },
    });
    if (batch.length === 0) break;
    const ids = batch.map((m) => m.id);
    const result = await evaluateShopTiers(db, shop, options.now ?? new Date(), ids);
    for (const key of Object.keys(total) as Array<keyof EvaluationResult>) total[key] += result[key];
    done += ids.length;
    after = ids[ids.length - 1]!;
    await reportProgress(db, progressId, { done });
  }
  return total;
}

/** Job: evaluates every live shop. */
export async function evaluateAllTiers(db: Db, now = new Date()): Promise<number> {
  const shops = await db.shop.findMany({
    where: { programStatus: "LIVE", uninstalledAt: null, tiers: { some: {} } },
    select: { id: true },
  });
  let changed = 0;
  for (const { id } of shops) {
    const shop = await loadShopContext(db, { id });
    if (!shop) continue;
    const result = await evaluateShopTiers(db, shop, now);
    changed += result.upgraded + result.downgraded;
  }
  return changed;
}
