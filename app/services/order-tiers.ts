import type { Member, Order } from "../generated/prisma/client";
import {
  compareOrders,
  tiersByOrder,
  type HistoryOrder,
  type OtherEarning,
  type TierDefinition,
  type TierProgram,
} from "../domain/tier-history";
import type { Tx } from "../platform/database/db";
import { pointsAtMultiplier, refundReversal, type EarningBasis } from "../domain/earning";
import { postEntry } from "./ledger";
import { findOpenPending } from "./pending";
import type { ShopContext } from "./shop-context";

/**
 * The tier an order earns at comes from the member's history (domain/tier-history.ts),
 * so Shopify's delivery order cannot change it. This module loads that history and,
 * when a late event (an earlier order, a refund or a cancellation) changes the tier of
 * orders placed after it, corrects their points with one entry each: same history, same
 * points, whatever arrived first. Callers hold the member's row lock.
 */

export function earnKey(orderId: bigint) {
  return `order:${orderId}:earn`;
}

interface PaidOrderRow {
  id: bigint;
  name: string | null;
  processedAt: Date;
  earnableMinor: bigint;
  refundedEarnableMinor: bigint;
  cancelledAt: Date | null;
  cancelAppliedAt: Date | null;
  pointsEarned: number;
  pointsReversed: number;
  weightedMinor: bigint | null;
  earnRatePoints: number | null;
  earnRateSpendMinor: number | null;
  tierMultiplierBp: number;
  tierCorrections: number;
}

interface MemberHistory {
  orders: Array<PaidOrderRow & { refunds: Array<{ id: bigint; at: Date; earnableMinor: bigint }> }>;
  other: OtherEarning[];
}

export function basisOf(
  order: Pick<Order, "weightedMinor" | "earnRatePoints" | "earnRateSpendMinor">,
): EarningBasis | null {
  if (order.weightedMinor === null || order.earnRatePoints === null || order.earnRateSpendMinor === null) return null;
  return {
    weightedMinor: order.weightedMinor,
    earnPoints: order.earnRatePoints,
    earnSpendMinor: order.earnRateSpendMinor,
  };
}

export function tierProgram(
  shop: ShopContext,
  member: Pick<Member, "tierOverride" | "tierId" | "tierAchievedAt" | "tierOverrideUntil">,
): TierProgram {
  const { tierMetric, tierWindow, tierGraceDays, ladderVipOrders, ladderVipTierId } = shop.settings;
  return {
    metric: tierMetric,
    window: tierWindow,
    graceDays: tierGraceDays,
    timeZone: shop.timezone,
    tiers: shop.tiers.map((tier) => ({
      id: tier.id,
      position: tier.position,
      threshold: tier.threshold,
      multiplierBp: tier.multiplierBp,
    })),
    ladder: ladderVipOrders && ladderVipTierId ? { orders: ladderVipOrders, tierId: ladderVipTierId } : null,
    override:
      member.tierOverride && member.tierAchievedAt
        ? { tierId: member.tierId, from: member.tierAchievedAt, until: member.tierOverrideUntil }
        : null,
  };
}

async function loadHistory(tx: Tx, shop: ShopContext, memberId: string): Promise<MemberHistory> {
  const orders = await tx.$queryRaw<PaidOrderRow[]>`
    SELECT id, name, "processedAt", "earnableMinor", "refundedEarnableMinor", "cancelledAt", "cancelAppliedAt",
           "pointsEarned", "pointsReversed", "weightedMinor", "earnRatePoints", "earnRateSpendMinor",
           "tierMultiplierBp", "tierCorrections"
    FROM "Order"
    WHERE "shopId" = ${shop.id}::uuid AND "memberId" = ${memberId}::uuid AND "paidAt" IS NOT NULL AND "processedAt" IS NOT NULL
      AND ("importedAt" IS NULL OR ${shop.settings.tierCountsHistory})`;
  const ids = orders.map((order) => order.id);
  const refunds = ids.length
    ? await tx.$queryRaw<Array<{ id: bigint; orderId: bigint; at: Date; earnableMinor: bigint }>>`
        SELECT id, "orderId", COALESCE("refundedAt", "createdAt") AS at, "earnableMinor" FROM "OrderRefund"
        WHERE "shopId" = ${shop.id}::uuid AND "orderId" = ANY(${ids}::bigint[]) AND "appliedAt" IS NOT NULL
        ORDER BY id`
    : [];
  const other =
    shop.settings.tierMetric === "POINTS"
      ? await tx.$queryRaw<OtherEarning[]>`
          SELECT "createdAt" AS at, points FROM "LedgerEntry"
          WHERE "shopId" = ${shop.id}::uuid AND "memberId" = ${memberId}::uuid AND kind = 'EARN' AND source <> 'ORDER'`
      : [];
  return {
    orders: orders.map((order) => ({
      ...order,
      refunds: refunds
        .filter((r) => r.orderId === order.id)
        .map((r) => ({ id: r.id, at: r.at, earnableMinor: r.earnableMinor ?? 0n })),
    })),
    other,
  };
}

function asHistory(order: MemberHistory["orders"][number]): HistoryOrder {
  const basis = basisOf(order);
  return {
    id: order.id,
    processedAt: order.processedAt,
    earnableMinor: order.earnableMinor,
    cancelledAt: order.cancelledAt,
    refunds: order.refunds.map((refund) => ({ at: refund.at, earnableMinor: refund.earnableMinor })),
    // Orders without a basis keep the points they were given.
    pointsAt: (multiplierBp) => (basis ? pointsAtMultiplier(basis, multiplierBp) : order.pointsEarned),
  };
}

/**
 * The tier an order about to be paid earns at: its place in the member's history, with
 * the orders already paid (earlier and later ones alike).
 */
export async function tierForNewOrder(
  tx: Tx,
  shop: ShopContext,
  member: Member,
  order: { id: bigint; processedAt: Date; earnableMinor: bigint; basis: EarningBasis },
): Promise<TierDefinition | null> {
  if (shop.tiers.length === 0) return null;
  const history = await loadHistory(tx, shop, member.id);
  const orders = history.orders.filter((o) => o.id !== order.id).map(asHistory);
  orders.push({
    id: order.id,
    processedAt: order.processedAt,
    earnableMinor: order.earnableMinor,
    cancelledAt: null,
    refunds: [],
    pointsAt: (bp) => pointsAtMultiplier(order.basis, bp),
  });
  return tiersByOrder(orders, tierProgram(shop, member), history.other).get(order.id) ?? null;
}

/** Gross and reversed points of an order at a tier, refunds taken back in their order. */
function expectedPoints(
  order: MemberHistory["orders"][number],
  multiplierBp: number,
): { gross: number; reversed: number } {
  const basis = basisOf(order)!;
  const gross = pointsAtMultiplier(basis, multiplierBp);
  if (order.cancelAppliedAt) return { gross, reversed: gross };
  let reversed = 0;
  for (const refund of order.refunds) {
    reversed += refundReversal({
      pointsEarned: gross,
      earnableMinor: order.earnableMinor,
      refundedEarnableMinor: refund.earnableMinor,
      alreadyReversed: reversed,
    });
  }
  return { gross, reversed };
}

/**
 * Re-tiers the member's orders placed after `after` (by processed_at, then id): any whose
 * tier the history now puts elsewhere gets the difference as one correction entry (or
 * its pending points adjusted, while they wait out the availability delay).
 * Returns the number of orders corrected.
 */
export async function retierOrdersAfter(
  tx: Tx,
  shop: ShopContext,
  memberId: string,
  after: { processedAt: Date; id: bigint },
): Promise<number> {
  if (shop.tiers.length === 0) return 0;
  const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
  const history = await loadHistory(tx, shop, memberId);
  const tiers = tiersByOrder(history.orders.map(asHistory), tierProgram(shop, member), history.other);
  let corrected = 0;
  for (const order of history.orders.sort(compareOrders)) {
    if (compareOrders(order, after) <= 0 || !basisOf(order)) continue;
    const multiplierBp = tiers.get(order.id)?.multiplierBp ?? 10_000;
    if (multiplierBp === order.tierMultiplierBp) continue;
    const expected = expectedPoints(order, multiplierBp);
    const delta = expected.gross - expected.reversed - (order.pointsEarned - order.pointsReversed);
    if (delta !== 0) await applyCorrection(tx, shop, memberId, order, delta);
    await tx.order.update({
      where: { shopId_id: { shopId: shop.id, id: order.id } },
      data: {
        pointsEarned: expected.gross,
        pointsReversed: expected.reversed,
        tierMultiplierBp: multiplierBp,
        tierCorrections: { increment: 1 },
      },
    });
    corrected += 1;
  }
  return corrected;
}

async function applyCorrection(
  tx: Tx,
  shop: ShopContext,
  memberId: string,
  order: PaidOrderRow,
  delta: number,
): Promise<void> {
  const pending = await findOpenPending(tx, shop.id, earnKey(order.id));
  if (pending) {
    await tx.pendingPoints.update({ where: { id: pending.id }, data: { points: Math.max(pending.points + delta, 0) } });
    return;
  }
  await postEntry(tx, {
    shopId: shop.id,
    memberId,
    points: delta,
    // EARN either way: the order's earned points are what changed (POINTS tiers count them).
    kind: "EARN",
    source: "ORDER",
    reason: { code: "order_tier_correction", params: { order: order.name ?? order.id.toString() } },
    idempotencyKey: `order:${order.id}:tier:${order.tierCorrections + 1}`,
    orderId: order.id,
    negativePolicy: shop.settings.negativeBalancePolicy,
    touchesActivity: false,
  });
}
