import type { PrismaClient, Redemption } from "../generated/prisma/client";
import type { Db } from "../platform/database/db";
import {
  completeRedemption,
  failRedemption,
  RedemptionError,
  reserveRedemption,
  type RewardSnapshot,
} from "../services/rewards";
import type { ShopContext } from "../services/shop-context";
import { logger } from "../platform/logger.server";
import {
  AdminApiError,
  adminClientForRequest,
  adminClientForShop,
  type AdminGraphql,
  type AuthenticatedAdmin,
} from "./admin-api.server";
import { requestShopifySync } from "./customer-sync.server";
import { createRewardDiscount, creditStoreCredit } from "./discounts.server";

/**
 * Issuing a reserved redemption in Shopify. A refusal (userErrors) returns the points
 * at once; a transient failure (5xx, timeout, throttling beyond our patience) leaves the
 * redemption PENDING for `retryPendingRedemptions`, which tries again with backoff and
 * returns the points after MAX_ATTEMPTS. Nothing stays pending for long.
 */

export const MAX_ATTEMPTS = 6;

export async function issueRedemption(
  db: Db,
  redemptionId: string,
  admin: AdminGraphql | null,
): Promise<Redemption | null> {
  const redemption = await db.redemption.findUnique({
    where: { id: redemptionId },
    include: { member: { select: { customerId: true } }, shop: { select: { currency: true } } },
  });
  if (!redemption || redemption.status !== "PENDING") return redemption;
  const attempts = redemption.attempts + 1;
  await db.redemption.update({ where: { id: redemption.id }, data: { attempts } });

  const customerId = redemption.member.customerId;
  if (!admin || customerId === null) {
    const reason = !admin ? "the shop has no Admin API access" : "the customer record was erased";
    return attempts >= MAX_ATTEMPTS || customerId === null
      ? failRedemption(db, redemption.id, reason)
      : db.redemption.update({ where: { id: redemption.id }, data: { lastError: reason } });
  }

  const reward = redemption.rewardSnapshot as unknown as RewardSnapshot;
  try {
    const result =
      reward.type === "STORE_CREDIT"
        ? await creditStoreCredit(admin, {
            customerId,
            amountMinor: reward.valueMinor ?? 0,
            currency: reward.currency ?? redemption.shop.currency,
          })
        : await createRewardDiscount(admin, {
            reward,
            code: redemption.code!,
            customerId,
            shopCurrency: redemption.shop.currency,
            startsAt: redemption.createdAt,
            endsAt: redemption.endsAt,
          });
    if (result.ok) return completeRedemption(db, redemption.id, result.shopifyId);
    const reason = result.userErrors.map((e) => e.message).join("; ") || "Shopify refused the discount";
    logger.warn({ redemption: redemption.id, userErrors: result.userErrors }, "redemption refused by Shopify");
    return failRedemption(db, redemption.id, reason);
  } catch (error) {
    const retryable = error instanceof AdminApiError ? error.retryable : false;
    const reason = error instanceof Error ? error.message : String(error);
    if (retryable && attempts < MAX_ATTEMPTS) {
      logger.warn({ redemption: redemption.id, attempts, reason }, "redemption will be retried");
      return db.redemption.update({ where: { id: redemption.id }, data: { lastError: reason.slice(0, 500) } });
    }
    return failRedemption(db, redemption.id, reason);
  }
}

/** Wait before retry n (1-based): 30 s, 1 min, 2 min, … up to 10 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 600_000);
}

/** Job: retries redemptions left PENDING, and returns the points of those that never succeed. */
export async function retryPendingRedemptions(db: Db, now = new Date(), limit = 200): Promise<number> {
  const pending = await db.redemption.findMany({
    where: { status: "PENDING", updatedAt: { lt: new Date(now.getTime() - 30_000) } },
    orderBy: { updatedAt: "asc" },
    take: limit,
    include: { shop: { select: { domain: true } } },
  });
  let handled = 0;
  for (const redemption of pending) {
    if (now.getTime() - redemption.updatedAt.getTime() < retryDelayMs(redemption.attempts)) continue;
    const admin = await adminClientForShop(db, redemption.shop.domain, { attempts: 2 });
    await issueRedemption(db, redemption.id, admin);
    handled += 1;
  }
  return handled;
}

export type RedeemResult =
  { ok: false; error: RedemptionError } | { ok: true; redemption: Redemption; balance: number };

/**
 * A shopper redeems a reward: the points are reserved (never overspent), the discount is
 * created in Shopify within the request when it can be, and Shopify's copy of the
 * balance is asked for. A slow Shopify leaves it PENDING for the retry job.
 */
export async function redeemReward(
  db: PrismaClient,
  shop: ShopContext,
  input: { customerId: bigint; rewardId: string; admin: AuthenticatedAdmin | undefined },
): Promise<RedeemResult> {
  let reserved: Redemption;
  try {
    reserved = await reserveRedemption(db, shop, { customerId: input.customerId, rewardId: input.rewardId });
  } catch (error) {
    if (error instanceof RedemptionError) return { ok: false, error };
    throw error;
  }
  const admin = await adminClientForRequest(db, shop.domain, input.admin, { attempts: 3, timeoutMs: 4000 });
  const redemption = (await issueRedemption(db, reserved.id, admin)) ?? reserved;
  void requestShopifySync(shop.id);
  const { balance } = await db.member.findUniqueOrThrow({
    where: { id: reserved.memberId },
    select: { balance: true },
  });
  return { ok: true, redemption, balance };
}
