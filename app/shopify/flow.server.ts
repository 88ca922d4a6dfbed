import type { Member, MessageLog, PrismaClient } from "../generated/prisma/client";
import { FLOW_TRIGGERS, isMessageKind } from "../domain/messages";
import { localizedName } from "../domain/localized";
import { DAY_MS } from "../domain/time";
import { logger } from "../platform/logger.server";
import { requestDebounced } from "../platform/job-queue.server";
import { claimFlowTriggers, recordFlowOutcome } from "../services/messages";
import { loadShopContext, type ShopContext } from "../services/shop-context";
import { AdminApiError, adminClientForShop } from "./admin-api.server";

/**
 * Comeback's events as Shopify Flow triggers (extensions/comeback-flow-triggers): each
 * occasion of a kind with a trigger is sent once with flowTriggerReceive, carrying the
 * customer reference (`customer_id`) and the fields the trigger's TOML declares, so the
 * merchant's workflows (Shopify Email, Klaviyo, tags) can act on them.
 */

export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation ComebackFlowTrigger($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const FLOW_QUEUE = "shopify-flow-triggers";

export function requestFlowTriggers(shopId: string): Promise<void> {
  return requestDebounced(FLOW_QUEUE, { shopId }, 5, shopId);
}

/** The trigger's payload: keys as declared in the extension's TOML (`key = "Points"`). */
export function flowPayload(shop: ShopContext, log: MessageLog, member: Member): Record<string, unknown> {
  const context = (log.context ?? {}) as Record<string, unknown>;
  const tierName = (id: string | null | undefined) => {
    const tier = shop.tiers.find((t) => t.id === id);
    return tier ? localizedName(tier.name, tier.names, "en") : "";
  };
  const base = { customer_id: Number(member.customerId), Balance: member.balance };
  const expiry = shop.settings.expiryInactivityDays
    ? new Date(member.lastActivityAt.getTime() + shop.settings.expiryInactivityDays * DAY_MS).toISOString()
    : null;
  switch (log.kind) {
    case "POINTS_EARNED":
      return { ...base, "Order ID": String(context.orderId ?? "") };
    case "REWARD_UNLOCKED":
      return { ...base, "Reward ID": String(context.rewardId ?? "") };
    case "TIER_UP":
      return { ...base, Tier: tierName(String(context.tierId ?? "")) };
    case "POINTS_EXPIRING":
      return { ...base, "Expires at": expiry ?? "", "Days left": Number(context.days ?? 0) };
    case "BIRTHDAY":
      return { ...base, "Gift points": Number(context.points ?? 0) };
    case "WIN_BACK":
      return { ...base, "Last order at": String(context.lastOrderAt ?? "") };
    default:
      return base;
  }
}

export async function sendFlowTriggers(db: PrismaClient, shopId: string, limit = 50): Promise<number> {
  const shop = await loadShopContext(db, { id: shopId });
  if (!shop) return 0;
  const admin = await adminClientForShop(db, shop.domain);
  let sent = 0;
  for (;;) {
    const claimed = await claimFlowTriggers(db, shopId, limit);
    if (claimed.length === 0) break;
    for (const log of claimed) {
      const handle = isMessageKind(log.kind) ? FLOW_TRIGGERS[log.kind] : undefined;
      const member = log.memberId ? await db.member.findUnique({ where: { id: log.memberId } }) : null;
      // The dormant trigger is the first win-back touch; an erased or guest customer has no reference.
      if (!handle || !member?.customerId || member.status !== "ACTIVE" || log.occasion.startsWith("winback:2:")) {
        await recordFlowOutcome(db, log.id, { status: "SKIPPED" });
        continue;
      }
      if (!admin) {
        await recordFlowOutcome(db, log.id, { status: "PENDING", error: "no offline access to the shop" });
        return sent;
      }
      try {
        const result = await admin.request(FLOW_TRIGGER_RECEIVE, { handle, payload: flowPayload(shop, log, member) });
        const errors = result.flowTriggerReceive?.userErrors ?? [];
        if (errors.length) {
          await recordFlowOutcome(db, log.id, { status: "FAILED", error: errors.map((e) => e.message).join("; ") });
        } else {
          await recordFlowOutcome(db, log.id, { status: "SENT" });
          sent++;
        }
      } catch (error) {
        // Throttled past the client's patience or Shopify down: back to pending; the job retries.
        await recordFlowOutcome(db, log.id, { status: "PENDING", error: String((error as Error).message) });
        if (!(error instanceof AdminApiError)) logger.warn({ err: error, shopId }, "flow trigger failed");
        throw error;
      }
    }
    if (claimed.length < limit) break;
  }
  return sent;
}
