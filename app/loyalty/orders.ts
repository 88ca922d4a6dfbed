import type { Member, Order, OrderRefund } from "../generated/prisma/client";
import type { ShopifyOrder, ShopifyRefund } from "../shopify/payloads";
import type { Tx } from "./db";
import { computeOrderEarning, refundReversal, type EarningRules } from "./earning";
import { creditReferral, reverseReferral } from "./referrals";
import { lockAndReadMember, lockMember, postEntry } from "./ledger";
import { enrollMember } from "./members";
import { findOpenPending, holdPending } from "./pending";
import { grantLadderRewards, markRedemptionsUsed } from "./rewards";
import { applyTierUpgrade } from "./tiers";
import type { ShopContext } from "./shop-context";

/**
 * Orders → points, tolerant of Shopify's delivery model.
 *
 * Each order has one row, locked while an event for it is applied, so the events of
 * one order serialize even across app instances. Every effect has its own idempotency
 * key (`order:<id>:earn`, `refund:<id>`, `order:<id>:cancel`, …), so a replay of any
 * event changes nothing. Refunds and cancellations that arrive before `orders/paid` are
 * stored and applied when the payment arrives, with the same keys and amounts as if
 * they had come in order.
 */

const DAY_MS = 24 * 3600 * 1000;
const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded"]);

export type OrderOutcome =
  | { kind: "earned"; points: number; memberId: string | null; pending: boolean }
  | { kind: "duplicate" }
  | { kind: "not_live" }
  | { kind: "ignored"; reason: string };

export function earnKey(orderId: bigint) {
  return `order:${orderId}:earn`;
}

/** Inserts the order row if missing and locks it for this transaction. */
async function lockOrder(tx: Tx, shop: ShopContext, orderId: bigint, currency: string): Promise<Order> {
  await tx.$executeRaw`
    INSERT INTO "Order" (id, "shopId", currency, "updatedAt")
    VALUES (${orderId}, ${shop.id}::uuid, ${currency}, now())
    ON CONFLICT ("shopId", id) DO NOTHING`;
  const rows = await tx.$queryRaw<Order[]>`
    SELECT * FROM "Order" WHERE "shopId" = ${shop.id}::uuid AND id = ${orderId} FOR UPDATE`;
  if (!rows[0]) throw new Error("order row vanished");
  return rows[0];
}

/** First-order bonus points the member holds now (awarded minus taken back). */
async function heldFirstOrderBonus(tx: Tx, shopId: string, memberId: string): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ points: bigint | null }>>`
    SELECT SUM(points)::bigint AS points FROM "LedgerEntry"
    WHERE "shopId" = ${shopId}::uuid AND "memberId" = ${memberId}::uuid
      AND (source = 'FIRST_ORDER' OR "idempotencyKey" LIKE '%:first-order:cancel')`;
  return Number(rows[0]?.points ?? 0n);
}

function rulesOf(shop: ShopContext): EarningRules {
  return {
    earnPoints: shop.settings.earnPoints,
    earnSpendMinor: shop.settings.earnSpendMinor,
    includeShipping: shop.settings.includeShipping,
    includeTax: shop.settings.includeTax,
  };
}

async function resolveMember(tx: Tx, shop: ShopContext, order: ShopifyOrder): Promise<Member | null> {
  if (!order.customer) return null;
  const member = await tx.member.findUnique({
    where: { shopId_customerId: { shopId: shop.id, customerId: order.customer.id } },
  });
  if (member) return member.status === "ACTIVE" ? member : null;
  if (!shop.settings.autoEnroll) return null;
  const { member: enrolled } = await enrollMember(tx, shop, {
    customerId: order.customer.id,
    email: order.customer.email ?? order.email,
    firstName: order.customer.firstName,
    via: "order",
  });
  return enrolled;
}

function tierMultiplier(shop: ShopContext, member: Member | null): number {
  if (!member?.tierId) return 10_000;
  return shop.tiers.find((tier) => tier.id === member.tierId)?.multiplierBp ?? 10_000;
}

/** Records refunds (once each); returns how many were new. */
async function recordRefunds(tx: Tx, shop: ShopContext, refunds: ShopifyRefund[]): Promise<number> {
  let inserted = 0;
  for (const refund of refunds) {
    inserted += await tx.$executeRaw`
      INSERT INTO "OrderRefund" (id, "shopId", "orderId", currency, "linesSubtotalMinor", "linesTaxMinor", "shippingMinor", "refundedAt")
      VALUES (${refund.id}, ${shop.id}::uuid, ${refund.orderId}, ${refund.currency}, ${refund.linesSubtotalMinor},
              ${refund.linesTaxMinor}, ${refund.shippingMinor}, ${refund.refundedAt})
      ON CONFLICT ("shopId", id) DO NOTHING`;
  }
  return inserted;
}

export async function applyOrderPaid(tx: Tx, shop: ShopContext, order: ShopifyOrder, now = new Date()): Promise<OrderOutcome> {
  let row = await lockOrder(tx, shop, order.id, order.currency);
  await recordRefunds(tx, shop, order.refunds);
  if (row.paidAt) {
    // Already earned. Refunds this payload revealed are still applied.
    await applyPendingReversals(tx, shop, row);
    return { kind: "duplicate" };
  }
  if (order.currency !== shop.currency) {
    // Shop currency changed since install; amounts are still in the order's shop_money.
    // Earning rules are per shop currency, so such an order is recorded but earns nothing.
    await tx.order.update({
      where: { shopId_id: { shopId: shop.id, id: order.id } },
      data: baseOrderData(order),
    });
    return { kind: "ignored", reason: `order currency ${order.currency} differs from shop currency ${shop.currency}` };
  }

  const resolved = shop.live ? await resolveMember(tx, shop, order) : null;
  // Lock the member (always after the order: one lock order everywhere, so no deadlocks)
  // and re-read it, so parallel orders of one member see each other's counts.
  const member = resolved ? await lockAndReadMember(tx, shop.id, resolved.id) : null;
  const earning = computeOrderEarning(order, rulesOf(shop), {
    tierMultiplierBp: tierMultiplier(shop, member),
    campaigns: shop.campaigns,
  });
  // Points go somewhere only when there is someone to hold them for.
  const destination: "member" | "guest" | "none" = !shop.live
    ? "none"
    : member
      ? "member"
      : order.email
        ? "guest"
        : "none";
  const points = destination === "none" ? 0 : earning.points;

  row = await tx.order.update({
    where: { shopId_id: { shopId: shop.id, id: order.id } },
    data: {
      ...baseOrderData(order),
      memberId: member?.id ?? null,
      paidAt: now,
      earnableMinor: earning.earnableMinor,
      taxesIncluded: order.taxesIncluded,
      earnIncludesTax: shop.settings.includeTax,
      earnIncludesShipping: shop.settings.includeShipping,
      pointsEarned: points,
    },
  });

  const delayDays = shop.settings.availabilityDelayDays;
  const availableAt = new Date(order.processedAt.getTime() + delayDays * DAY_MS);
  const reason = `Order ${order.name ?? order.id.toString()}`;
  let pending = false;
  if (points > 0 && destination === "member" && member) {
    if (delayDays > 0 && availableAt > now) {
      pending = true;
      await holdPending(tx, {
        shopId: shop.id,
        memberId: member.id,
        email: null,
        points,
        source: "ORDER",
        reason,
        orderId: order.id,
        idempotencyKey: earnKey(order.id),
        availableAt,
        expiresAt: null,
      });
    } else {
      await postEntry(tx, {
        shopId: shop.id,
        memberId: member.id,
        points,
        kind: "EARN",
        source: "ORDER",
        reason,
        idempotencyKey: earnKey(order.id),
        orderId: order.id,
        meta: {
          earnableMinor: earning.earnableMinor.toString(),
          currency: order.currency,
          basePoints: earning.basePoints,
          tierBonusPoints: earning.tierBonusPoints,
          campaignBonusPoints: earning.campaignBonusPoints,
        },
      });
    }
  } else if (points > 0 && destination === "guest") {
    pending = true;
    await holdPending(tx, {
      shopId: shop.id,
      memberId: null,
      email: order.email,
      points,
      source: "ORDER",
      reason,
      orderId: order.id,
      idempotencyKey: earnKey(order.id),
      availableAt,
      expiresAt: new Date(now.getTime() + shop.settings.pendingWindowDays * DAY_MS),
    });
  }

  if (member) {
    await grantLadderRewards(tx, shop, member.id, member.orderCount + 1);
    // "First order" means the member holds no first-order bonus yet: a free order before
    // it, or a cancelled one whose bonus went back, does not use it up.
    const firstOrder = (await heldFirstOrderBonus(tx, shop.id, member.id)) <= 0;
    await tx.member.update({
      where: { id: member.id },
      data: {
        orderCount: { increment: 1 },
        totalSpentMinor: { increment: earning.earnableMinor },
        lastOrderAt: order.processedAt > (member.lastOrderAt ?? new Date(0)) ? order.processedAt : undefined,
      },
    });
    const bonus = shop.rules.get("FIRST_ORDER");
    // A free order (100% discount, a sample) does not count as the first purchase.
    if (firstOrder && bonus && bonus.points > 0 && shop.live && earning.earnableMinor > 0n) {
      await postEntry(tx, {
        shopId: shop.id,
        memberId: member.id,
        points: bonus.points,
        kind: "EARN",
        source: "FIRST_ORDER",
        reason: "First order bonus",
        idempotencyKey: `order:${order.id}:first-order`,
        orderId: order.id,
      });
      row = await tx.order.update({
        where: { shopId_id: { shopId: shop.id, id: order.id } },
        data: { firstOrderBonus: bonus.points },
      });
    }
  }

  if (order.referralCode && destination !== "none") {
    await creditReferral(
      tx,
      shop,
      { id: order.id, name: order.name, email: order.email, customerId: order.customer?.id ?? null, referralCode: order.referralCode, earnableMinor: earning.earnableMinor },
      member?.id ?? null,
    );
  }
  await markRedemptionsUsed(tx, shop.id, order.id, order.discountCodes);
  await applyPendingReversals(tx, shop, row);
  // Upgrades are immediate: the next order already earns at the new tier's rate.
  if (member) await applyTierUpgrade(tx, shop, member.id, `order ${order.name ?? order.id.toString()}`, now);
  return { kind: "earned", points, memberId: member?.id ?? null, pending };
}

function baseOrderData(order: ShopifyOrder) {
  return {
    customerId: order.customer?.id ?? null,
    email: order.email,
    name: order.name,
    currency: order.currency,
    totalMinor: order.totalMinor,
    discountCodes: order.discountCodes,
    productIds: [...new Set(order.lines.map((line) => line.productId).filter((id): id is string => id !== null))],
    processedAt: order.processedAt,
    shopifyUpdatedAt: order.updatedAt,
  };
}

/** Applies stored refunds not yet applied, then a stored cancellation, in a fixed order. */
async function applyPendingReversals(tx: Tx, shop: ShopContext, order: Order): Promise<void> {
  if (!order.paidAt) return;
  const refunds = await tx.orderRefund.findMany({
    where: { shopId: shop.id, orderId: order.id, appliedAt: null },
    orderBy: { id: "asc" },
  });
  let current = order;
  for (const refund of refunds) current = await applyRefundReversal(tx, shop, current, refund);
  if (current.cancelledAt && !current.cancelAppliedAt) await applyCancellationReversal(tx, shop, current);
}

function refundEarnable(order: Order, refund: OrderRefund): bigint {
  let amount = refund.linesSubtotalMinor;
  if (order.taxesIncluded && !order.earnIncludesTax) amount -= refund.linesTaxMinor;
  if (!order.taxesIncluded && order.earnIncludesTax) amount += refund.linesTaxMinor;
  if (order.earnIncludesShipping) amount += refund.shippingMinor;
  return amount > 0n ? amount : 0n;
}

/** Takes back points from wherever the order's points are: still pending, or in the ledger. */
async function takeBack(
  tx: Tx,
  shop: ShopContext,
  order: Order,
  points: number,
  entry: { key: string; source: "REFUND" | "CANCELLATION"; reason: string },
) {
  if (points <= 0) return;
  const pending = await findOpenPending(tx, shop.id, earnKey(order.id));
  if (pending) {
    const left = Math.max(pending.points - points, 0);
    await tx.pendingPoints.update({
      where: { id: pending.id },
      data: left === 0 ? { points: 0, status: "CANCELLED", resolvedAt: new Date() } : { points: left },
    });
    return;
  }
  if (!order.memberId) return;
  await postEntry(tx, {
    shopId: shop.id,
    memberId: order.memberId,
    points: -points,
    kind: "REVERSAL",
    source: entry.source,
    reason: entry.reason,
    idempotencyKey: entry.key,
    orderId: order.id,
    negativePolicy: shop.settings.negativeBalancePolicy,
    touchesActivity: false,
  });
}

async function applyRefundReversal(tx: Tx, shop: ShopContext, order: Order, refund: OrderRefund): Promise<Order> {
  const earnable = refundEarnable(order, refund);
  const points = refundReversal({
    pointsEarned: order.pointsEarned,
    earnableMinor: order.earnableMinor,
    refundedEarnableMinor: earnable,
    alreadyReversed: order.pointsReversed,
  });
  await takeBack(tx, shop, order, points, {
    key: `refund:${refund.id}`,
    source: "REFUND",
    reason: `Refund on order ${order.name ?? order.id.toString()}`,
  });
  await tx.orderRefund.update({
    where: { shopId_id: { shopId: shop.id, id: refund.id } },
    data: { earnableMinor: earnable, pointsReversed: points, appliedAt: new Date() },
  });
  if (order.memberId && !order.cancelledAt) {
    await tx.member.update({
      where: { id: order.memberId },
      data: { totalSpentMinor: { decrement: earnable > order.earnableMinor ? order.earnableMinor : earnable } },
    });
  }
  const updated = await tx.order.update({
    where: { shopId_id: { shopId: shop.id, id: order.id } },
    data: { pointsReversed: { increment: points }, refundedEarnableMinor: { increment: earnable } },
  });
  // A referral counts for an order the friend kept: refunded in full, it is taken back.
  if (updated.earnableMinor > 0n && updated.refundedEarnableMinor >= updated.earnableMinor) await reverseReferral(tx, shop, order.id, "refunded");
  return updated;
}

async function applyCancellationReversal(tx: Tx, shop: ShopContext, order: Order): Promise<void> {
  // Member after order, as everywhere: parallel orders of this member wait for us.
  if (order.memberId) await lockMember(tx, shop.id, order.memberId);
  const remaining = order.pointsEarned - order.pointsReversed;
  const label = order.name ?? order.id.toString();
  await takeBack(tx, shop, order, remaining, {
    key: `order:${order.id}:cancel`,
    source: "CANCELLATION",
    reason: `Order ${label} cancelled`,
  });
  await reverseReferral(tx, shop, order.id, "cancelled");
  // The first-order bonus stands while the member has any standing paid order: it goes
  // back when the last one is cancelled, whichever order first earned it (the order in
  // which Shopify delivered the events must not decide whether a customer keeps it).
  if (order.memberId) {
    const held = await heldFirstOrderBonus(tx, shop.id, order.memberId);
    const otherStanding =
      held > 0
        ? await tx.order.count({
            where: {
              shopId: shop.id,
              memberId: order.memberId,
              paidAt: { not: null },
              cancelledAt: null,
              earnableMinor: { gt: 0 },
              id: { not: order.id },
            },
          })
        : 0;
    if (held > 0 && otherStanding === 0) {
      await postEntry(tx, {
        shopId: shop.id,
        memberId: order.memberId,
        points: -held,
        kind: "REVERSAL",
        source: "CANCELLATION",
        reason: `First order bonus: order ${label} cancelled`,
        idempotencyKey: `order:${order.id}:first-order:cancel`,
        orderId: order.id,
        negativePolicy: shop.settings.negativeBalancePolicy,
        touchesActivity: false,
      });
    }
  }
  if (order.memberId) {
    const stillCounted = order.earnableMinor - order.refundedEarnableMinor;
    await tx.member.update({
      where: { id: order.memberId },
      data: {
        orderCount: { decrement: 1 },
        totalSpentMinor: { decrement: stillCounted > 0n ? stillCounted : 0n },
      },
    });
  }
  await tx.order.update({
    where: { shopId_id: { shopId: shop.id, id: order.id } },
    data: { pointsReversed: order.pointsEarned, cancelAppliedAt: new Date() },
  });
}

export async function applyRefund(tx: Tx, shop: ShopContext, refund: ShopifyRefund): Promise<OrderOutcome> {
  const order = await lockOrder(tx, shop, refund.orderId, refund.currency);
  const inserted = await recordRefunds(tx, shop, [refund]);
  // Applied now if the order has earned; otherwise when orders/paid arrives.
  await applyPendingReversals(tx, shop, order);
  return inserted === 0 ? { kind: "duplicate" } : { kind: "earned", points: 0, memberId: order.memberId, pending: false };
}

export async function applyOrderCancelled(tx: Tx, shop: ShopContext, order: ShopifyOrder, now = new Date()): Promise<OrderOutcome> {
  const row = await lockOrder(tx, shop, order.id, order.currency);
  await recordRefunds(tx, shop, order.refunds);
  if (row.cancelledAt) {
    await applyPendingReversals(tx, shop, row);
    return { kind: "duplicate" };
  }
  const updated = await tx.order.update({
    where: { shopId_id: { shopId: shop.id, id: order.id } },
    data: { cancelledAt: order.cancelledAt ?? now, shopifyUpdatedAt: order.updatedAt ?? row.shopifyUpdatedAt },
  });
  await applyPendingReversals(tx, shop, updated);
  return { kind: "earned", points: 0, memberId: updated.memberId, pending: false };
}

/**
 * orders/updated matters only when it changes what was earned: a paid order whose
 * orders/paid never arrived, or an order edit that added or removed items after payment.
 * A stale payload (older updated_at than one already applied) is ignored.
 */
export async function applyOrderUpdated(tx: Tx, shop: ShopContext, order: ShopifyOrder, now = new Date()): Promise<OrderOutcome> {
  const existing = await tx.order.findUnique({ where: { shopId_id: { shopId: shop.id, id: order.id } } });
  if (!existing?.paidAt) {
    if (order.financialStatus && PAID_STATUSES.has(order.financialStatus) && !order.cancelledAt) {
      return applyOrderPaid(tx, shop, order, now);
    }
    return { kind: "ignored", reason: "order is not paid" };
  }
  const row = await lockOrder(tx, shop, order.id, order.currency);
  await recordRefunds(tx, shop, order.refunds);
  if (row.shopifyUpdatedAt && order.updatedAt && order.updatedAt <= row.shopifyUpdatedAt) {
    await applyPendingReversals(tx, shop, row);
    return { kind: "ignored", reason: "stale update" };
  }
  if (row.cancelledAt || row.pointsEarned === 0 || order.currency !== row.currency) {
    await tx.order.update({ where: { shopId_id: { shopId: shop.id, id: order.id } }, data: { shopifyUpdatedAt: order.updatedAt } });
    await applyPendingReversals(tx, shop, row);
    return { kind: "ignored", reason: "nothing earned to adjust" };
  }
  // Measure the edited order with the basis frozen at payment, at the rate it earned.
  const edited = computeOrderEarning(
    order,
    { earnPoints: 1, earnSpendMinor: 1, includeShipping: row.earnIncludesShipping, includeTax: row.earnIncludesTax },
    { tierMultiplierBp: 10_000, campaigns: [] },
  ).earnableMinor;
  let delta = 0;
  if (edited !== row.earnableMinor && row.earnableMinor > 0n) {
    const target = Number((BigInt(row.pointsEarned) * edited) / row.earnableMinor);
    delta = target - row.pointsEarned;
  }
  if (delta !== 0 && row.memberId) {
    const key = `order:${order.id}:edit:${(order.updatedAt ?? now).toISOString()}`;
    const pending = await findOpenPending(tx, shop.id, earnKey(order.id));
    if (pending) {
      await tx.pendingPoints.update({ where: { id: pending.id }, data: { points: Math.max(pending.points + delta, 0) } });
    } else {
      await postEntry(tx, {
        shopId: shop.id,
        memberId: row.memberId,
        points: delta,
        kind: delta > 0 ? "EARN" : "REVERSAL",
        source: "ORDER",
        reason: `Order ${row.name ?? row.id.toString()} edited`,
        idempotencyKey: key,
        orderId: order.id,
        negativePolicy: shop.settings.negativeBalancePolicy,
      });
    }
    await tx.member.update({
      where: { id: row.memberId },
      data: { totalSpentMinor: { increment: edited - row.earnableMinor } },
    });
  }
  const updated = await tx.order.update({
    where: { shopId_id: { shopId: shop.id, id: order.id } },
    data: {
      shopifyUpdatedAt: order.updatedAt,
      totalMinor: order.totalMinor,
      ...(delta !== 0 ? { earnableMinor: edited, pointsEarned: { increment: delta } } : {}),
    },
  });
  await applyPendingReversals(tx, shop, updated);
  return { kind: "earned", points: delta, memberId: row.memberId, pending: false };
}
