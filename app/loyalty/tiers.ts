import type { Tier, TierMetric, TierWindow } from "../generated/prisma/client";
import type { Tx } from "./db";
import type { ShopContext } from "./shop-context";

/**
 * VIP tier upgrades. A member moves up the moment an order or entry carries them over
 * a threshold, in the same transaction. Downgrades only ever happen at the end of a
 * qualifying period (a scheduled re-evaluation), never because of a single refund.
 */

/** Start of the qualifying window containing `now`, in the shop's time zone. */
export function windowStart(window: TierWindow, now: Date, timeZone: string): Date | null {
  if (window === "LIFETIME") return null;
  if (window === "ROLLING_12_MONTHS") {
    const start = new Date(now);
    start.setUTCFullYear(start.getUTCFullYear() - 1);
    return start;
  }
  // Calendar year in the shop's zone: find the zone's offset at its new year.
  const year = Number(new Intl.DateTimeFormat("en", { timeZone, year: "numeric" }).format(now));
  const utcGuess = Date.UTC(year, 0, 1);
  const offsetMs = zoneOffsetMs(new Date(utcGuess), timeZone);
  return new Date(utcGuess - offsetMs);
}

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - at.getTime();
}

/** The member's progress in the program's metric over its window. */
export async function qualifyingValue(tx: Tx, shop: ShopContext, memberId: string, now = new Date()): Promise<bigint> {
  const metric: TierMetric = shop.settings.tierMetric;
  const since = windowStart(shop.settings.tierWindow, now, shop.timezone) ?? new Date(0);
  if (metric === "POINTS") {
    const rows = await tx.$queryRaw<Array<{ value: bigint | null }>>`
      SELECT SUM(points)::bigint AS value FROM "LedgerEntry"
      WHERE "shopId" = ${shop.id}::uuid AND "memberId" = ${memberId}::uuid AND kind = 'EARN' AND "createdAt" >= ${since}`;
    return rows[0]?.value ?? 0n;
  }
  const rows = await tx.$queryRaw<Array<{ spend: bigint | null; orders: bigint }>>`
    SELECT SUM("earnableMinor" - "refundedEarnableMinor")::bigint AS spend, COUNT(*)::bigint AS orders FROM "Order"
    WHERE "shopId" = ${shop.id}::uuid AND "memberId" = ${memberId}::uuid
      AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL AND "processedAt" >= ${since}`;
  return metric === "ORDERS" ? (rows[0]?.orders ?? 0n) : (rows[0]?.spend ?? 0n);
}

export function qualifyingTier(tiers: Tier[], value: bigint): Tier | null {
  let best: Tier | null = null;
  for (const tier of tiers) if (value >= tier.threshold && (!best || tier.position > best.position)) best = tier;
  return best;
}

/** Moves the member up if they now qualify for a higher tier. Returns the new tier, if any. */
export async function applyTierUpgrade(tx: Tx, shop: ShopContext, memberId: string, cause: string, now = new Date()): Promise<Tier | null> {
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
  const vip = ladderVipTierId && ladderVipOrders && member.orderCount >= ladderVipOrders ? tiers.find((t) => t.id === ladderVipTierId) : undefined;
  if (vip && (!target || vip.position > target.position)) target = vip;
  if (!target || (current && target.position <= current.position)) return null;
  await tx.member.update({ where: { id: memberId }, data: { tierId: target.id, tierAchievedAt: now, tierDowngradeAfter: null } });
  await tx.tierEvent.create({ data: { shopId: shop.id, memberId, fromTierId: current?.id ?? null, toTierId: target.id, cause } });
  return target;
}
