import { DAY_MS } from "../domain/time";
import { pseudonym } from "../platform/personal-data.server";
import type { Tx } from "../platform/database/db";
import { postEntry } from "./ledger";
import { holdPending } from "./pending";
import { upgradeAfterEarning } from "./tiers";
import type { ShopContext } from "./shop-context";
import type { Reason } from "../i18n/reasons";

/**
 * Points for product reviews, whichever review app they come from.
 *
 * A review earns once per customer and product (the key names both, the customer by a
 * keyed hash of their email, never the email itself), with a bonus when it has a photo. A
 * review by someone who is not a member yet is recorded and its points are held for their
 * email for the shop's pending window, like a guest order's.
 */

export interface ReviewInput {
  provider: string;
  externalId: string;
  email: string | null;
  productId: string | null;
  rating: number | null;
  hasPhoto: boolean;
}

export type ReviewOutcome = "credited" | "held" | "already_rewarded" | "duplicate" | "not_rewardable" | "not_purchased";

export async function recordReview(
  tx: Tx,
  shop: ShopContext,
  review: ReviewInput,
  now = new Date(),
): Promise<ReviewOutcome> {
  const inserted = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "Review" (id, "shopId", provider, "externalId", email, "productId", rating, "hasPhoto")
    VALUES (gen_random_uuid(), ${shop.id}::uuid, ${review.provider}, ${review.externalId}, ${review.email},
            ${review.productId}, ${review.rating}, ${review.hasPhoto})
    ON CONFLICT ("shopId", provider, "externalId") DO NOTHING
    RETURNING id`;
  const reviewId = inserted[0]?.id;
  if (!reviewId) return "duplicate";

  const rule = shop.rules.get("REVIEW");
  const photoRule = review.hasPhoto ? shop.rules.get("PHOTO_REVIEW") : undefined;
  if (!shop.live || !review.email || !review.productId || (!rule && !photoRule)) return "not_rewardable";

  const member = await tx.member.findFirst({
    where: { shopId: shop.id, email: review.email, status: "ACTIVE" },
    orderBy: { enrolledAt: "asc" },
  });
  if (
    shop.settings.reviewsRequirePurchase &&
    !(await boughtProduct(tx, shop.id, review.productId, review.email, member?.id ?? null))
  ) {
    return "not_purchased";
  }
  const reviewer = pseudonym(review.email);
  const awards: Array<{ key: string; points: number; reason: Reason }> = [];
  if (rule && rule.points > 0) {
    awards.push({ key: `review:${review.productId}:${reviewer}`, points: rule.points, reason: { code: "review" } });
  }
  if (photoRule && photoRule.points > 0) {
    awards.push({
      key: `review-photo:${review.productId}:${reviewer}`,
      points: photoRule.points,
      reason: { code: "photo_review" },
    });
  }

  let credited = false;
  for (const award of awards) {
    if (member) {
      await tx.review.update({ where: { id: reviewId }, data: { memberId: member.id } });
      const posted = await postEntry(tx, {
        shopId: shop.id,
        memberId: member.id,
        points: award.points,
        kind: "EARN",
        source: "REVIEW",
        reason: award.reason,
        idempotencyKey: award.key,
        meta: { provider: review.provider, reviewId: review.externalId, productId: review.productId },
      });
      credited ||= posted.created;
    } else {
      await holdPending(tx, {
        shopId: shop.id,
        memberId: null,
        email: review.email,
        points: award.points,
        source: "REVIEW",
        reason: award.reason,
        idempotencyKey: award.key,
        availableAt: now,
        expiresAt: new Date(now.getTime() + shop.settings.pendingWindowDays * DAY_MS),
      });
    }
  }
  if (!member) return "held";
  if (credited) {
    await tx.review.update({ where: { id: reviewId }, data: { credited: true } });
    await upgradeAfterEarning(tx, shop, member.id, "review");
  }
  return credited ? "credited" : "already_rewarded";
}

/** Whether the reviewer (the member, or a guest by email) has a paid, standing order of the product. */
async function boughtProduct(
  tx: Tx,
  shopId: string,
  productId: string,
  email: string,
  memberId: string | null,
): Promise<boolean> {
  const rows = await tx.$queryRaw<Array<{ found: boolean }>>`
    SELECT EXISTS (
      SELECT 1 FROM "Order"
      WHERE "shopId" = ${shopId}::uuid AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL
        AND ${productId} = ANY("productIds")
        AND (email = ${email} OR "memberId" = ${memberId}::uuid)
    ) AS found`;
  return rows[0]?.found ?? false;
}
