import { DAY_MS } from "../domain/time";
import { randomInt } from "node:crypto";
import type { Redemption, Reward } from "../generated/prisma/client";
import { inTransaction, type Db, type Tx } from "../platform/database/db";
import { InsufficientPointsError, lockMember, postEntry } from "./ledger";
import type { ShopContext } from "./shop-context";
import { readTranslations } from "../domain/localized";

/**
 * Spending points on a reward, in two steps around the call to Shopify:
 *
 * 1. reserve: under the member's row lock, check the reward and the balance, record the
 *    redemption as PENDING with its code, and take the points (one REDEEM entry). Two
 *    parallel redemptions serialize on the lock, so a balance is never overspent.
 * 2. then either complete (the discount exists: ISSUED) or fail (Shopify refused for
 *    good: FAILED, and the points come back as a REDEMPTION_REFUND entry).
 *
 * Between the two the points are held, never lost: a job retries or refunds any
 * redemption left PENDING.
 */

export class RedemptionError extends Error {
  override name = "RedemptionError";
  constructor(
    readonly code:
      | "reward_not_found"
      | "tier_required"
      | "limit_reached"
      | "insufficient_points"
      | "not_a_member"
      | "program_not_live",
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function generateDiscountCode(): string {
  let code = "CB-";
  for (let i = 0; i < 10; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function rewardSnapshot(reward: Reward) {
  return {
    name: reward.name,
    names: readTranslations(reward.names),
    type: reward.type,
    valueMinor: reward.valueMinor,
    valuePercentBp: reward.valuePercentBp,
    currency: reward.currency,
    productVariantId: reward.productVariantId,
    minOrderMinor: reward.minOrderMinor,
    combinesWithOrder: reward.combinesWithOrder,
    combinesWithProduct: reward.combinesWithProduct,
    combinesWithShipping: reward.combinesWithShipping,
  };
}

export type RewardSnapshot = ReturnType<typeof rewardSnapshot>;

/** The reward's names as a ledger reason names them, from a redemption's snapshot. */
function snapshotReasonParams(snapshot: unknown) {
  const { name, names } = (snapshot ?? {}) as { name?: string; names?: unknown };
  return { reward: name ?? "", rewardNames: readTranslations(names) };
}

export async function reserveRedemption(
  db: Db,
  shop: ShopContext,
  input: { customerId: bigint; rewardId: string; now?: Date },
): Promise<Redemption> {
  if (!shop.live) throw new RedemptionError("program_not_live", "The program is not open", 409);
  const now = input.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const member = await tx.member.findUnique({
      where: { shopId_customerId: { shopId: shop.id, customerId: input.customerId } },
      select: { id: true, status: true },
    });
    if (!member || member.status !== "ACTIVE") throw new RedemptionError("not_a_member", "Join the program first", 403);
    await lockMember(tx, shop.id, member.id);
    const locked = await tx.member.findUniqueOrThrow({ where: { id: member.id }, include: { tier: true } });

    const reward = await tx.reward.findFirst({
      where: { id: input.rewardId, shopId: shop.id, enabled: true, trigger: "POINTS" },
      include: { tier: true },
    });
    if (!reward) throw new RedemptionError("reward_not_found", "No such reward", 404);
    if (reward.tier && (locked.tier?.position ?? -1) < reward.tier.position) {
      throw new RedemptionError("tier_required", `This reward is for ${reward.tier.name} members`, 403);
    }
    if (reward.limitPerMember !== null) {
      const used = await tx.redemption.count({
        where: { memberId: member.id, rewardId: reward.id, status: { not: "FAILED" } },
      });
      if (used >= reward.limitPerMember)
        throw new RedemptionError("limit_reached", "You have redeemed this reward already", 409);
    }
    if (locked.balance < reward.pointsCost) {
      throw new RedemptionError(
        "insufficient_points",
        `This reward costs ${reward.pointsCost} points; you have ${locked.balance}`,
        409,
      );
    }

    const redemption = await tx.redemption.create({
      data: {
        shopId: shop.id,
        memberId: member.id,
        rewardId: reward.id,
        rewardSnapshot: rewardSnapshot(reward),
        pointsSpent: reward.pointsCost,
        code: reward.type === "STORE_CREDIT" ? null : generateDiscountCode(),
        endsAt: reward.codeExpiryDays ? new Date(now.getTime() + reward.codeExpiryDays * DAY_MS) : null,
        idempotencyKey: `redeem:${crypto.randomUUID()}`,
      },
    });
    try {
      await postEntry(tx, {
        shopId: shop.id,
        memberId: member.id,
        points: -reward.pointsCost,
        kind: "REDEEM",
        source: "REDEMPTION",
        reason: { code: "redeemed", params: { reward: reward.name, rewardNames: readTranslations(reward.names) } },
        idempotencyKey: `redemption:${redemption.id}`,
        redemptionId: redemption.id,
      });
    } catch (error) {
      if (error instanceof InsufficientPointsError) {
        throw new RedemptionError("insufficient_points", `This reward costs ${reward.pointsCost} points`, 409);
      }
      throw error;
    }
    return redemption;
  });
}

export async function completeRedemption(db: Db, redemptionId: string, shopifyId: string): Promise<Redemption> {
  return db.redemption.update({
    where: { id: redemptionId },
    data: { status: "ISSUED", shopifyDiscountId: shopifyId, lastError: null },
  });
}

/** Gives the points back, once, and marks the redemption FAILED with the reason. */
export async function failRedemption(db: Db, redemptionId: string, reason: string): Promise<Redemption | null> {
  return inTransaction(db, async (tx: Tx) => {
    const redemption = await tx.redemption.findUnique({ where: { id: redemptionId } });
    if (!redemption || redemption.status !== "PENDING") return redemption;
    // Codes given rather than bought (the ladder, gifts, a friend's) cost no points to return.
    if (redemption.memberId && redemption.pointsSpent > 0)
      await postEntry(tx, {
        shopId: redemption.shopId,
        memberId: redemption.memberId,
        points: redemption.pointsSpent,
        kind: "REDEMPTION_REFUND",
        source: "REDEMPTION",
        reason: { code: "redemption_refund", params: snapshotReasonParams(redemption.rewardSnapshot) },
        idempotencyKey: `redemption:${redemption.id}:refund`,
        redemptionId: redemption.id,
        touchesActivity: false,
      });
    // A birthday gift that could not be issued can be chosen again.
    await tx.birthdayGift.updateMany({
      where: { shopId: redemption.shopId, redemptionId: redemption.id, status: "CHOSEN" },
      data: { status: "OFFERED", chosenRewardId: null, redemptionId: null, chosenAt: null },
    });
    return tx.redemption.update({
      where: { id: redemption.id },
      data: { status: "FAILED", lastError: reason.slice(0, 500) },
    });
  });
}

/**
 * An order paid with a reward's code marks that redemption used, and so does one paid
 * with store credit while the member holds a store-credit reward from the program (the
 * oldest, once per order: Shopify does not say whose credit was spent). Either makes it a
 * loyalty order for revenue attribution.
 */
export async function markRedemptionsUsed(
  tx: Tx,
  shopId: string,
  order: { id: bigint; processedAt: Date; discountCodes: string[]; paidWithStoreCredit: boolean },
  memberId: string | null,
): Promise<number> {
  let used = 0;
  if (order.discountCodes.length > 0) {
    const upper = order.discountCodes.map((code) => code.toUpperCase());
    const updated = await tx.redemption.updateMany({
      where: { shopId, code: { in: upper }, status: { in: ["ISSUED", "PENDING"] } },
      data: { status: "USED", usedOrderId: order.id },
    });
    used += updated.count;
  }
  if (order.paidWithStoreCredit && memberId) {
    used += await tx.$executeRaw`
      UPDATE "Redemption" SET status = 'USED', "usedOrderId" = ${order.id}, "updatedAt" = now()
      WHERE id = (
        SELECT id FROM "Redemption"
        WHERE "shopId" = ${shopId}::uuid AND "memberId" = ${memberId}::uuid AND status = 'ISSUED'
          AND code IS NULL AND "rewardSnapshot"->>'type' = 'STORE_CREDIT' AND "createdAt" <= ${order.processedAt}
        ORDER BY "createdAt" LIMIT 1 FOR UPDATE)
      AND NOT EXISTS (SELECT 1 FROM "Redemption" r WHERE r."shopId" = ${shopId}::uuid AND r."usedOrderId" = ${order.id})`;
  }
  if (used > 0) {
    await tx.order.update({ where: { shopId_id: { shopId, id: order.id } }, data: { usedLoyaltyReward: true } });
  }
  return used;
}

/**
 * The order ladder (003 in the seed articles): a time-limited coupon after the first
 * paid order, another after the second. Each ladder reward is granted once per member,
 * costs no points, and is issued in Shopify by the redemption job like any other.
 */
/** A code given rather than bought (the ladder, a birthday gift, a referred friend's): no points, a deadline. */
export function giftedRedemption(
  shopId: string,
  reward: Reward,
  to: { memberId: string } | { recipientEmail: string },
  idempotencyKey: string,
  now = new Date(),
) {
  return {
    shopId,
    memberId: "memberId" in to ? to.memberId : null,
    recipientEmail: "recipientEmail" in to ? to.recipientEmail : null,
    rewardId: reward.id,
    rewardSnapshot: rewardSnapshot(reward),
    pointsSpent: 0,
    code: reward.type === "STORE_CREDIT" ? null : generateDiscountCode(),
    endsAt: reward.codeExpiryDays ? new Date(now.getTime() + reward.codeExpiryDays * DAY_MS) : null,
    idempotencyKey,
  };
}

/**
 * The order ladder (003 in the seed articles): a time-limited coupon after the first
 * paid order, another after the second. Each ladder reward is granted once per member,
 * costs no points, and is issued in Shopify right after the webhook's commit (or by the
 * retry job) like any other.
 */
export async function grantLadderRewards(
  tx: Tx,
  shop: ShopContext,
  memberId: string,
  paidOrders: number,
  now = new Date(),
): Promise<number> {
  if (!shop.live) return 0;
  const rewards = await tx.reward.findMany({
    where: { shopId: shop.id, enabled: true, trigger: "ORDER_LADDER", ladderOrderCount: paidOrders },
  });
  if (rewards.length === 0) return 0;
  const created = await tx.redemption.createMany({
    data: rewards.map((reward) =>
      giftedRedemption(shop.id, reward, { memberId }, `ladder:${memberId}:${reward.id}`, now),
    ),
    skipDuplicates: true,
  });
  return created.count;
}
