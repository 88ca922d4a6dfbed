import { inTransaction, type Db, type Tx } from "../platform/database/db";
import { normalizeEmail } from "../domain/validation";
import type { Redemption } from "../generated/prisma/client";
import { postEntry } from "./ledger";
import { giftedRedemption } from "./rewards";
import type { ShopContext } from "./shop-context";
import { upgradeAfterEarning } from "./tiers";

/**
 * Referrals: a member shares their link (?ref=<code>). The friend who follows it is
 * offered the shop's friend reward, a single-use code for new customers, once they leave
 * their email in the widget (or, signed in, ask for it); when the friend's first paid
 * order carries the member's code, the member earns the REFERRAL rule's points. The points
 * go back if that order is cancelled or refunded in full. One referral per friend (by
 * email), never for oneself, never for a friend who had ordered before.
 *
 * Steps recorded on the Referral row: SIGNED_UP (email given), then REWARDED when the
 * referrer is credited; link opens are counted as `referral.click` analytics events.
 */

export interface ReferredOrder {
  id: bigint;
  name: string | null;
  email: string | null;
  customerId: bigint | null;
  referralCode: string | null;
  earnableMinor: bigint;
  processedAt: Date;
}

export type ReferralOutcome =
  | "credited"
  | "no_code"
  | "no_rule"
  | "unknown_code"
  | "self"
  | "not_first_order"
  | "already_referred"
  | "no_email"
  | "free_order";

const referralKey = (orderId: bigint) => `referral:${orderId}`;

export async function creditReferral(
  tx: Tx,
  shop: ShopContext,
  order: ReferredOrder,
  buyerMemberId: string | null,
): Promise<ReferralOutcome> {
  const email = order.email?.toLowerCase() ?? null;
  // The link's code travels on the cart; a friend who claimed their code by email and
  // ordered from another device is still the member's friend.
  const signedUp =
    !order.referralCode && email
      ? await tx.referral.findFirst({
          where: { shopId: shop.id, friendEmail: email, status: { in: ["CLICKED", "SIGNED_UP"] } },
          select: { referrerId: true },
        })
      : null;
  if (!order.referralCode && !signedUp) return "no_code";
  const rule = shop.rules.get("REFERRAL");
  if (!rule || rule.points <= 0 || !shop.live) return "no_rule";
  if (order.earnableMinor <= 0n) return "free_order";
  const referrer = order.referralCode
    ? await tx.member.findUnique({
        where: { shopId_referralCode: { shopId: shop.id, referralCode: order.referralCode } },
      })
    : await tx.member.findUnique({ where: { id: signedUp!.referrerId } });
  if (!referrer || referrer.status !== "ACTIVE") return "unknown_code";
  if (
    referrer.id === buyerMemberId ||
    (order.customerId !== null && referrer.customerId === order.customerId) ||
    (email !== null && referrer.email?.toLowerCase() === email)
  ) {
    return "self";
  }
  // The friend is the email: without one, a referral could be claimed again and again.
  if (!email) return "no_email";
  const earlier = await tx.order.count({
    where: {
      shopId: shop.id,
      id: { not: order.id },
      paidAt: { not: null },
      OR: [...(order.customerId !== null ? [{ customerId: order.customerId }] : []), { email }],
    },
  });
  if (earlier > 0) return "not_first_order";
  // The friend may have signed up through the link first (CLICKED/SIGNED_UP row by their
  // email); a row already ORDERED, REWARDED or REJECTED means this friend was counted.
  const claimed = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "Referral" (id, "shopId", "referrerId", "friendEmail", "friendMemberId", "orderId", status,
                            "orderedAt", "creditedAt", "updatedAt")
    VALUES (gen_random_uuid(), ${shop.id}::uuid, ${referrer.id}::uuid, ${email}, ${buyerMemberId}::uuid, ${order.id},
            'REWARDED', ${order.processedAt}, now(), now())
    ON CONFLICT ("shopId", "friendEmail") DO UPDATE
      SET status = 'REWARDED', "orderId" = EXCLUDED."orderId", "orderedAt" = EXCLUDED."orderedAt",
          "creditedAt" = now(), "updatedAt" = now(),
          "friendMemberId" = COALESCE("Referral"."friendMemberId", EXCLUDED."friendMemberId")
      WHERE "Referral".status IN ('CLICKED', 'SIGNED_UP') AND "Referral"."referrerId" = EXCLUDED."referrerId"
    RETURNING id`;
  if (claimed.length === 0) return "already_referred";
  await postEntry(tx, {
    shopId: shop.id,
    memberId: referrer.id,
    points: rule.points,
    kind: "EARN",
    source: "REFERRAL",
    reason: { code: "referral", params: { order: order.name ?? order.id.toString() } },
    idempotencyKey: referralKey(order.id),
    orderId: order.id,
  });
  await upgradeAfterEarning(tx, shop, referrer.id, "referral");
  return "credited";
}

/** The referred order was cancelled or refunded in full: the referrer's points go back. */
export async function reverseReferral(
  tx: Tx,
  shop: ShopContext,
  orderId: bigint,
  why: "cancelled" | "refunded",
): Promise<number> {
  const earned = await tx.ledgerEntry.findUnique({
    where: { shopId_idempotencyKey: { shopId: shop.id, idempotencyKey: referralKey(orderId) } },
  });
  if (!earned) return 0;
  const reversal = await postEntry(tx, {
    shopId: shop.id,
    memberId: earned.memberId,
    points: -earned.points,
    kind: "REVERSAL",
    source: "REFERRAL",
    reason: {
      code: why === "cancelled" ? "referral_cancelled" : "referral_refunded",
      params: { order: orderId.toString() },
    },
    idempotencyKey: `${referralKey(orderId)}:reversed`,
    orderId,
    negativePolicy: shop.settings.negativeBalancePolicy,
  });
  await tx.referral.updateMany({
    where: { shopId: shop.id, orderId, status: "REWARDED" },
    data: { status: "REJECTED", rejectReason: why },
  });
  return reversal.points;
}

export type FriendOutcome =
  | { kind: "issued"; redemption: Redemption }
  | { kind: "already"; redemption: Redemption | null }
  | { kind: "no_reward" }
  | { kind: "unknown_code" }
  | { kind: "self" }
  | { kind: "not_new" }
  | { kind: "taken" };

/**
 * A friend who followed a member's link asks for their first-order code: by the email
 * they typed (a guest), or as the signed-in customer (`memberId`). One code per email,
 * whoever asks again; none for the referrer themselves or for someone who has ordered.
 */
export async function claimFriendReward(
  db: Db,
  shop: ShopContext,
  input: { code: string; email: string; memberId: string | null; customerId: bigint | null },
  now = new Date(),
): Promise<FriendOutcome> {
  const email = normalizeEmail(input.email);
  if (!email) return { kind: "unknown_code" };
  const rewardId = shop.settings.referralFriendRewardId;
  const reward = rewardId
    ? await db.reward.findFirst({ where: { id: rewardId, shopId: shop.id, enabled: true, trigger: "REFERRAL_FRIEND" } })
    : null;
  if (!reward || !shop.live) return { kind: "no_reward" };
  return inTransaction(db, async (tx) => {
    const referrer = await tx.member.findUnique({
      where: { shopId_referralCode: { shopId: shop.id, referralCode: input.code } },
    });
    if (!referrer || referrer.status !== "ACTIVE") return { kind: "unknown_code" as const };
    if (
      referrer.id === input.memberId ||
      referrer.email?.toLowerCase() === email ||
      (input.customerId !== null && referrer.customerId === input.customerId)
    )
      return { kind: "self" as const };
    const ordered = await tx.order.count({
      where: {
        shopId: shop.id,
        paidAt: { not: null },
        OR: [{ email }, ...(input.customerId !== null ? [{ customerId: input.customerId }] : [])],
      },
    });
    if (ordered > 0) return { kind: "not_new" as const };
    // Serializes two requests for the same email.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`referral:${shop.id}:${email}`}))`;
    const existing = await tx.referral.findUnique({
      where: { shopId_friendEmail: { shopId: shop.id, friendEmail: email } },
    });
    if (existing && existing.referrerId !== referrer.id) return { kind: "taken" as const };
    if (existing?.friendRedemptionId) {
      const redemption = await tx.redemption.findUnique({ where: { id: existing.friendRedemptionId } });
      return { kind: "already" as const, redemption };
    }
    const redemption = await tx.redemption.create({
      data: giftedRedemption(
        shop.id,
        reward,
        input.memberId ? { memberId: input.memberId } : { recipientEmail: email },
        `referral-friend:${email}`,
        now,
      ),
    });
    await tx.referral.upsert({
      where: { shopId_friendEmail: { shopId: shop.id, friendEmail: email } },
      create: {
        shopId: shop.id,
        referrerId: referrer.id,
        friendEmail: email,
        friendMemberId: input.memberId,
        status: "SIGNED_UP",
        signedUpAt: now,
        friendRedemptionId: redemption.id,
      },
      update: {
        status: "SIGNED_UP",
        signedUpAt: now,
        friendRedemptionId: redemption.id,
        friendMemberId: input.memberId,
      },
    });
    return { kind: "issued" as const, redemption };
  });
}

/** Someone opened a member's link: counted for the member's and the shop's referral figures. */
export async function recordReferralClick(db: Db, shop: ShopContext, code: string): Promise<boolean> {
  const referrer = await db.member.findUnique({
    where: { shopId_referralCode: { shopId: shop.id, referralCode: code } },
    select: { id: true, status: true },
  });
  if (!referrer || referrer.status !== "ACTIVE") return false;
  await db.analyticsEvent.create({ data: { shopId: shop.id, name: "referral.click", memberId: referrer.id } });
  return true;
}
