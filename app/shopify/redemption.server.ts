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
import { newCustomersSegment } from "./shop-resources.server";
import { requestDebounced } from "../platform/job-queue.server";

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
  // Claimed by compare-and-set on the attempt count: of two issuers racing (a request and
  // the job, two instances), one calls Shopify and the other leaves it alone.
  const attempts = redemption.attempts + 1;
  const claimed = await db.redemption.updateMany({
    where: { id: redemption.id, status: "PENDING", attempts: redemption.attempts },
    data: { attempts },
  });
  if (claimed.count === 0) return db.redemption.findUnique({ where: { id: redemption.id } });

  const reward = redemption.rewardSnapshot as unknown as RewardSnapshot;
  const customerId = redemption.member?.customerId ?? null;
  // A member's code is theirs alone; a code given by email (a referred friend) is for new customers.
  const forFriend = redemption.memberId === null && redemption.recipientEmail !== null;
  if (!admin || (customerId === null && !forFriend) || (forFriend && reward.type === "STORE_CREDIT")) {
    const reason = !admin ? "the shop has no Admin API access" : "the customer record was erased";
    return attempts >= MAX_ATTEMPTS || (admin && customerId === null)
      ? failRedemption(db, redemption.id, reason)
      : db.redemption.update({ where: { id: redemption.id }, data: { lastError: reason } });
  }

  try {
    const result =
      reward.type === "STORE_CREDIT"
        ? await creditStoreCredit(admin, {
            customerId: customerId!,
            amountMinor: reward.valueMinor ?? 0,
            currency: reward.currency ?? redemption.shop.currency,
          })
        : await createRewardDiscount(admin, {
            reward,
            code: redemption.code!,
            eligible: forFriend
              ? { segmentId: await newCustomersSegment(db, admin, redemption.shopId) }
              : { customerId: customerId! },
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

/** The per-shop queue that issues codes created without a request (ladder, birthday gift, friend). */
export const ISSUE_QUEUE = "shopify-issue-redemptions";

/** Asks for the shop's new codes to be created in Shopify now, rather than at the retry sweep. */
export function requestRedemptionIssue(shopId: string): Promise<void> {
  return requestDebounced(ISSUE_QUEUE, { shopId }, 2, shopId);
}

/** The job: issues the shop's codes nobody has tried to issue yet. */
export async function issueNewRedemptions(db: Db, shopId: string, limit = 200): Promise<number> {
  const fresh = await db.redemption.findMany({
    where: { shopId, status: "PENDING", attempts: 0 },
    orderBy: { createdAt: "asc" },
    take: limit,
    include: { shop: { select: { domain: true } } },
  });
  if (fresh.length === 0) return 0;
  const admin = await adminClientForShop(db, fresh[0]!.shop.domain, { attempts: 3 });
  for (const redemption of fresh) await issueRedemption(db, redemption.id, admin);
  return fresh.length;
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
    where: { id: reserved.memberId! },
    select: { balance: true },
  });
  return { ok: true, redemption, balance };
}

/** Issues one code in Shopify within the request (a gift chosen, a friend's code), as redeeming does. */
export async function issueNow(
  db: PrismaClient,
  shop: ShopContext,
  redemptionId: string,
  admin: AuthenticatedAdmin | undefined,
): Promise<Redemption | null> {
  const client = await adminClientForRequest(db, shop.domain, admin, { attempts: 3, timeoutMs: 4000 });
  const redemption = await issueRedemption(db, redemptionId, client);
  void requestShopifySync(shop.id);
  return redemption;
}

/**
 * What the storefront is told about a redemption: its state and, once issued, the code
 * (a discount) or the amount credited (store credit, which has no code).
 */
export function redemptionSummary(redemption: Redemption) {
  const reward = redemption.rewardSnapshot as unknown as RewardSnapshot;
  const issued = redemption.status === "ISSUED";
  return {
    redemptionId: redemption.id,
    status: redemption.status.toLowerCase(),
    type: reward.type,
    code: issued ? redemption.code : null,
    credited:
      issued && reward.type === "STORE_CREDIT"
        ? { amountMinor: reward.valueMinor ?? 0, currency: reward.currency }
        : null,
    endsAt: redemption.endsAt?.toISOString() ?? null,
    pointsSpent: redemption.pointsSpent,
  };
}
