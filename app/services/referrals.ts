import type { Tx } from "../platform/database/db";
import { postEntry } from "./ledger";
import type { ShopContext } from "./shop-context";

/**
 * Referrals: a member shares their link; when a friend's first paid order carries the
 * member's code, the member earns the REFERRAL rule's points. The points go back if that
 * order is cancelled or refunded in full. One referral per friend (by email), never for
 * oneself, never for a friend who had ordered before.
 */

export interface ReferredOrder {
  id: bigint;
  name: string | null;
  email: string | null;
  customerId: bigint | null;
  referralCode: string | null;
  earnableMinor: bigint;
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
  if (!order.referralCode) return "no_code";
  const rule = shop.rules.get("REFERRAL");
  if (!rule || rule.points <= 0 || !shop.live) return "no_rule";
  if (order.earnableMinor <= 0n) return "free_order";
  const referrer = await tx.member.findUnique({
    where: { shopId_referralCode: { shopId: shop.id, referralCode: order.referralCode } },
  });
  if (!referrer || referrer.status !== "ACTIVE") return "unknown_code";
  const email = order.email?.toLowerCase() ?? null;
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
  const inserted = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "Referral" (id, "shopId", "referrerId", "friendEmail", "friendMemberId", "orderId", status, "updatedAt")
    VALUES (gen_random_uuid(), ${shop.id}::uuid, ${referrer.id}::uuid, ${email}, ${buyerMemberId}::uuid, ${order.id}, 'REWARDED', now())
    ON CONFLICT ("shopId", "friendEmail") DO NOTHING
    RETURNING id`;
  if (inserted.length === 0) return "already_referred";
  await postEntry(tx, {
    shopId: shop.id,
    memberId: referrer.id,
    points: rule.points,
    kind: "EARN",
    source: "REFERRAL",
    reason: `Referral: order ${order.name ?? order.id.toString()}`,
    idempotencyKey: referralKey(order.id),
    orderId: order.id,
  });
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
    reason: `Referral ${why}: order ${orderId.toString()}`,
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
