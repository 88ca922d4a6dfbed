import { DAY_MS } from "../domain/time";
import type { Member, Order, OrderRefund } from "../generated/prisma/client";
import type { OrderInput, RefundInput } from "../domain/order-events";
import { TransactionConflict, type Tx } from "../platform/database/db";
import {
  computeOrderEarning,
  pointsAtMultiplier,
  refundReversal,
  type EarningRules,
  type OrderEarning,
} from "../domain/earning";
import { creditReferral, reverseReferral } from "./referrals";
import { lockAndReadMember, lockMember, postEntry } from "./ledger";
import { enrollMember } from "./members";
import { earnKey, basisOf, retierOrdersAfter, tierForNewOrder } from "./order-tiers";
import { findOpenPending, holdPending } from "./pending";
import { grantLadderRewards, markRedemptionsUsed } from "./rewards";
import { applyTierUpgrade } from "./tiers";
import type { ShopContext } from "./shop-context";
import type { Reason } from "../i18n/reasons";

/** How an order is named to people: Shopify's name ("#1001"), or its id. */
export function orderLabel(order: { name: string | null; id: bigint }): string {
  return order.name ?? order.id.toString();
}

export { earnKey };

/**
 * Orders → points, tolerant of Shopify's delivery model.
 *
 * Locks are taken member first, then order, everywhere: events of one member serialize
 * (across app instances too), and a late event may correct the member's other orders
 * without deadlocking against them. Every effect has its own idempotency key
 * (`order:<id>:earn`, `refund:<id>`, `order:<id>:cancel`, `order:<id>:tier:<n>` …), so a
 * replay changes nothing. Refunds and cancellations that arrive before `orders/paid` are
 * stored and applied when the payment arrives, with the same keys and amounts as if
 * they had come in order; the tier an order earns at comes from the member's history by
 * Shopify's timestamps (order-tiers.ts), not from what happened to arrive first.
 */

const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded"]);

export type OrderOutcome =
  | { kind: "earned"; points: number; memberId: string | null; pending: boolean; codesGranted?: number }
  | { kind: "reversed"; memberId: string | null }
  | { kind: "duplicate" }
  | { kind: "ignored"; reason: string };

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

/**
 * For events that name only the order (refunds, cancellations, edits): the member it
 * belongs to is locked first, then the order.
 */
async function lockOrderWithMember(tx: Tx, shop: ShopContext, orderId: bigint, currency: string): Promise<Order> {
  const seen = await tx.order.findUnique({
    where: { shopId_id: { shopId: shop.id, id: orderId } },
    select: { memberId: true },
  });
  if (seen?.memberId) await lockMember(tx, shop.id, seen.memberId);
  const order = await lockOrder(tx, shop, orderId, currency);
  // Paid while we waited for the lock: start over, to lock its member first.
  if (order.memberId && order.memberId !== (seen?.memberId ?? null))
    throw new TransactionConflict("the order's member changed while waiting for its lock");
  return order;
}

/** First-order bonus points the member holds now (awarded minus taken back). */
async function heldFirstOrderBonus(tx: Tx, shopId: string, memberId: string): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ points: bigint | null }>>`
    SELECT SUM(points)::bigint AS points FROM "LedgerEntry"
    WHERE "shopId" = ${shopId}::uuid AND "memberId" = ${memberId}::uuid
      AND (source = 'FIRST_ORDER' OR "idempotencyKey" LIKE '%:first-order:cancel')`;
  return Number(rows[0]?.points ?? 0);
}

function rulesOf(shop: ShopContext): EarningRules {
  return {
    earnPoints: shop.settings.earnPoints,
    earnSpendMinor: shop.settings.earnSpendMinor,
    includeShipping: shop.settings.includeShipping,
    includeTax: shop.settings.includeTax,
  };
}

async function resolveMember(tx: Tx, shop: ShopContext, order: OrderInput): Promise<Member | null> {
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
    locale: order.customerLocale,
    via: "order",
  });
  return enrolled;
}

/** Records refunds (once each); returns how many were new. */
async function recordRefunds(tx: Tx, shop: ShopContext, refunds: RefundInput[]): Promise<number> {
  let inserted = 0;
  for (const refund of refunds) {
    inserted += await tx.$executeRaw`
      INSERT INTO "OrderRefund" (id, "shopId", "orderId", currency, "linesSubtotalMinor", "linesTaxMinor", "shippingMinor",
                                 "transactionsMinor", "refundedAt")
      VALUES (${refund.id}, ${shop.id}::uuid, ${refund.orderId}, ${refund.currency ?? shop.currency},
              ${refund.linesSubtotalMinor}, ${refund.linesTaxMinor}, ${refund.shippingMinor}, ${refund.transactionsMinor},
              ${refund.refundedAt})
      ON CONFLICT ("shopId", id) DO NOTHING`;
  }
  return inserted;
}

function baseOrderData(order: OrderInput) {
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

/**
 * orders/paid, in steps:
 * 1. lock the member (enrolling them if the shop auto-enrols), then the order;
 * 2. a repeat only applies refunds its payload revealed;
 * 3. compute the points at the tier the member's history gives this order;
 * 4. record the payment with its earning basis;
 * 5. credit the points (or hold them: availability delay, or a guest's email);
 * 6. the member's counters, the order ladder and the first-order bonus;
 * 7. the referral the order carries, and loyalty codes it used;
 * 8. refunds and a cancellation that arrived first, then corrections of later orders;
 * 9. the member's displayed tier moves up at once.
 */
export async function applyOrderPaid(
  tx: Tx,
  shop: ShopContext,
  order: OrderInput,
  now = new Date(),
): Promise<OrderOutcome> {
  const resolved = shop.live ? await resolveMember(tx, shop, order) : null;
  const member = resolved ? await lockAndReadMember(tx, shop.id, resolved.id) : null;
  let row = await lockOrder(tx, shop, order.id, order.currency);
  await recordRefunds(tx, shop, order.refunds);
  if (row.paidAt) {
    await applyPendingReversals(tx, shop, row, now);
    return { kind: "duplicate" };
  }
  if (order.currency !== shop.currency) {
    // Earning rules are per shop currency: an order in another one is recorded, not earned on.
    await tx.order.update({ where: { shopId_id: { shopId: shop.id, id: order.id } }, data: baseOrderData(order) });
    return { kind: "ignored", reason: `order currency ${order.currency} differs from shop currency ${shop.currency}` };
  }
  if (order.test && !shop.settings.allowTestOrders) {
    // Shopify's test orders (Bogus Gateway, a test payment) are recorded, never earned on.
    await tx.order.update({ where: { shopId_id: { shopId: shop.id, id: order.id } }, data: baseOrderData(order) });
    return { kind: "ignored", reason: "test order" };
  }

  const earning = await earningFor(tx, shop, member, order);
  // Points go somewhere only when there is someone to hold them for.
  const destination = !shop.live ? "none" : member ? "member" : order.email ? "guest" : "none";
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
      ...(destination === "member"
        ? {
            weightedMinor: earning.basis.weightedMinor,
            earnRatePoints: earning.basis.earnPoints,
            earnRateSpendMinor: earning.basis.earnSpendMinor,
            tierMultiplierBp: earning.tierMultiplierBp,
          }
        : {}),
    },
  });
  const pending = await creditOrderPoints(tx, shop, order, member, destination, points, earning, now);
  let codesGranted = 0;
  if (member) ({ row, codesGranted } = await countMemberOrder(tx, shop, member, order, earning, row));
  if (destination !== "none") {
    await creditReferral(
      tx,
      shop,
      {
        id: order.id,
        name: order.name,
        email: order.email,
        customerId: order.customer?.id ?? null,
        referralCode: order.referralCode,
        earnableMinor: earning.earnableMinor,
        processedAt: order.processedAt,
      },
      member?.id ?? null,
    );
  }
  await markRedemptionsUsed(tx, shop.id, order, member?.id ?? null);
  await applyPendingReversals(tx, shop, row, now);
  if (member) {
    await retierOrdersAfter(tx, shop, member.id, { processedAt: order.processedAt, id: order.id });
    await applyTierUpgrade(tx, shop, member.id, `order ${order.name ?? order.id.toString()}`, now);
  }
  return { kind: "earned", points, memberId: member?.id ?? null, pending, codesGranted };
}

/** The order's earning at the tier its place in the member's history gives it. */
async function earningFor(
  tx: Tx,
  shop: ShopContext,
  member: Member | null,
  order: OrderInput,
): Promise<OrderEarning & { tierMultiplierBp: number }> {
  const base = computeOrderEarning(order, rulesOf(shop), { tierMultiplierBp: 10_000, campaigns: shop.campaigns });
  if (!member) return { ...base, tierMultiplierBp: 10_000 };
  const tier = await tierForNewOrder(tx, shop, member, {
    id: order.id,
    processedAt: order.processedAt,
    earnableMinor: base.earnableMinor,
    basis: base.basis,
  });
  const tierMultiplierBp = tier?.multiplierBp ?? 10_000;
  if (tierMultiplierBp === 10_000) return { ...base, tierMultiplierBp };
  return {
    ...computeOrderEarning(order, rulesOf(shop), { tierMultiplierBp, campaigns: shop.campaigns }),
    tierMultiplierBp,
  };
}

/** Step 5: into the ledger, or held (the availability delay; a guest's email). Returns whether held. */
async function creditOrderPoints(
  tx: Tx,
  shop: ShopContext,
  order: OrderInput,
  member: Member | null,
  destination: "member" | "guest" | "none",
  points: number,
  earning: OrderEarning,
  now: Date,
): Promise<boolean> {
  if (points <= 0 || destination === "none") return false;
  const delayDays = shop.settings.availabilityDelayDays;
  const availableAt = new Date(order.processedAt.getTime() + delayDays * DAY_MS);
  const reason: Reason = { code: "order", params: { order: orderLabel(order) } };
  const held = {
    shopId: shop.id,
    points,
    source: "ORDER" as const,
    reason,
    orderId: order.id,
    idempotencyKey: earnKey(order.id),
    availableAt,
  };
  if (destination === "guest") {
    await holdPending(tx, {
      ...held,
      memberId: null,
      email: order.email,
      expiresAt: new Date(now.getTime() + shop.settings.pendingWindowDays * DAY_MS),
    });
    return true;
  }
  if (delayDays > 0 && availableAt > now) {
    await holdPending(tx, { ...held, memberId: member!.id, email: null, expiresAt: null });
    return true;
  }
  await postEntry(tx, {
    shopId: shop.id,
    memberId: member!.id,
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
  return false;
}

/** Step 6: the member's counters, the order ladder's rewards and the first-order bonus. */
async function countMemberOrder(
  tx: Tx,
  shop: ShopContext,
  member: Member,
  order: OrderInput,
  earning: OrderEarning,
  row: Order,
): Promise<{ row: Order; codesGranted: number }> {
  const codesGranted = await grantLadderRewards(tx, shop, member.id, member.orderCount + 1);
  // "First order" means the member holds no first-order bonus yet: a free order before
  // it, or a cancelled one whose bonus went back, does not use it up.
  const firstOrder = (await heldFirstOrderBonus(tx, shop.id, member.id)) <= 0;
  await tx.member.update({
    where: { id: member.id },
    data: {
      orderCount: { increment: 1 },
      totalSpentMinor: { increment: earning.earnableMinor },
      lastOrderAt: order.processedAt > (member.lastOrderAt ?? new Date(0)) ? order.processedAt : undefined,
      ...(order.customerLocale && !member.locale ? { locale: order.customerLocale } : {}),
    },
  });
  const bonus = shop.rules.get("FIRST_ORDER");
  // A free order (100% discount, a sample) does not count as the first purchase.
  if (!firstOrder || !bonus || bonus.points <= 0 || !shop.live || earning.earnableMinor <= 0n)
    return { row, codesGranted };
  await postEntry(tx, {
    shopId: shop.id,
    memberId: member.id,
    points: bonus.points,
    kind: "EARN",
    source: "FIRST_ORDER",
    reason: { code: "first_order" },
    idempotencyKey: `order:${order.id}:first-order`,
    orderId: order.id,
  });
  const updated = await tx.order.update({
    where: { shopId_id: { shopId: shop.id, id: order.id } },
    data: { firstOrderBonus: bonus.points },
  });
  return { row: updated, codesGranted };
}

/** Applies stored refunds not yet applied, then a stored cancellation, in a fixed order. */
async function applyPendingReversals(tx: Tx, shop: ShopContext, order: Order, now: Date): Promise<Order> {
  if (!order.paidAt) return order;
  const refunds = await tx.orderRefund.findMany({
    where: { shopId: shop.id, orderId: order.id, appliedAt: null },
    orderBy: { id: "asc" },
  });
  let current = order;
  for (const refund of refunds) current = await applyRefundReversal(tx, shop, current, refund, now);
  if (current.cancelledAt && !current.cancelAppliedAt)
    current = await applyCancellationReversal(tx, shop, current, now);
  return current;
}

function refundEarnable(order: Order, refund: OrderRefund): bigint {
  // An amount-only refund (no line items, no shipping: a goodwill refund, or money sent to
  // store credit) takes back the earnable share of what it returns: the order's earnable
  // part of its total, at the rate that earned it.
  if (refund.linesSubtotalMinor === 0n && refund.shippingMinor === 0n) {
    if (refund.transactionsMinor <= 0n || !order.totalMinor || order.totalMinor <= 0n) return 0n;
    const share = (refund.transactionsMinor * order.earnableMinor) / order.totalMinor;
    return share > order.earnableMinor ? order.earnableMinor : share;
  }
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
  entry: { key: string; source: "REFUND" | "CANCELLATION"; reason: Reason },
  now: Date,
) {
  if (points <= 0) return;
  const pending = await findOpenPending(tx, shop.id, earnKey(order.id));
  if (pending) {
    const left = Math.max(pending.points - points, 0);
    await tx.pendingPoints.update({
      where: { id: pending.id },
      data: left === 0 ? { points: 0, status: "CANCELLED", resolvedAt: now } : { points: left },
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

async function applyRefundReversal(
  tx: Tx,
  shop: ShopContext,
  order: Order,
  refund: OrderRefund,
  now: Date,
): Promise<Order> {
  const earnable = refundEarnable(order, refund);
  const points = refundReversal({
    pointsEarned: order.pointsEarned,
    earnableMinor: order.earnableMinor,
    refundedEarnableMinor: earnable,
    alreadyReversed: order.pointsReversed,
  });
  await takeBack(
    tx,
    shop,
    order,
    points,
    { key: `refund:${refund.id}`, source: "REFUND", reason: { code: "refund", params: { order: orderLabel(order) } } },
    now,
  );
  await tx.orderRefund.update({
    where: { shopId_id: { shopId: shop.id, id: refund.id } },
    data: { earnableMinor: earnable, pointsReversed: points, appliedAt: now },
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
  if (updated.earnableMinor > 0n && updated.refundedEarnableMinor >= updated.earnableMinor)
    await reverseReferral(tx, shop, order.id, "refunded");
  return updated;
}

async function applyCancellationReversal(tx: Tx, shop: ShopContext, order: Order, now: Date): Promise<Order> {
  const remaining = order.pointsEarned - order.pointsReversed;
  const label = orderLabel(order);
  await takeBack(
    tx,
    shop,
    order,
    remaining,
    {
      key: `order:${order.id}:cancel`,
      source: "CANCELLATION",
      reason: { code: "cancellation", params: { order: label } },
    },
    now,
  );
  await reverseReferral(tx, shop, order.id, "cancelled");
  if (order.memberId) {
    await takeBackFirstOrderBonus(tx, shop, order, label);
    const stillCounted = order.earnableMinor - order.refundedEarnableMinor;
    await tx.member.update({
      where: { id: order.memberId },
      data: { orderCount: { decrement: 1 }, totalSpentMinor: { decrement: stillCounted > 0n ? stillCounted : 0n } },
    });
  }
  return tx.order.update({
    where: { shopId_id: { shopId: shop.id, id: order.id } },
    data: { pointsReversed: order.pointsEarned, cancelAppliedAt: now },
  });
}

/**
 * The first-order bonus stands while the member has any standing paid order: it goes back
 * when the last one is cancelled, whichever order first earned it (the order in which
 * Shopify delivered the events must not decide whether a customer keeps it).
 */
async function takeBackFirstOrderBonus(tx: Tx, shop: ShopContext, order: Order, label: string): Promise<void> {
  const memberId = order.memberId!;
  const held = await heldFirstOrderBonus(tx, shop.id, memberId);
  if (held <= 0) return;
  const otherStanding = await tx.order.count({
    where: {
      shopId: shop.id,
      memberId,
      paidAt: { not: null },
      cancelledAt: null,
      earnableMinor: { gt: 0 },
      id: { not: order.id },
    },
  });
  if (otherStanding > 0) return;
  await postEntry(tx, {
    shopId: shop.id,
    memberId,
    points: -held,
    kind: "REVERSAL",
    source: "CANCELLATION",
    reason: { code: "first_order_cancelled", params: { order: label } },
    idempotencyKey: `order:${order.id}:first-order:cancel`,
    orderId: order.id,
    negativePolicy: shop.settings.negativeBalancePolicy,
    touchesActivity: false,
  });
}

/** Orders placed after `at`, whose tier a refund or cancellation at `at` may have moved. */
async function retierAfterEvent(tx: Tx, shop: ShopContext, order: Order, at: Date | null): Promise<void> {
  if (!order.memberId || !order.paidAt) return;
  // Everything after the event; an event with no time of its own counts from the order.
  const since = at ?? order.processedAt ?? new Date(0);
  await retierOrdersAfter(tx, shop, order.memberId, { processedAt: since, id: -1n });
}

export async function applyRefund(
  tx: Tx,
  shop: ShopContext,
  refund: RefundInput,
  now = new Date(),
): Promise<OrderOutcome> {
  const currency = refund.currency ?? shop.currency;
  const order = await lockOrderWithMember(tx, shop, refund.orderId, currency);
  const inserted = await recordRefunds(tx, shop, [{ ...refund, currency }]);
  // Applied now if the order has earned; otherwise when orders/paid arrives.
  const updated = await applyPendingReversals(tx, shop, order, now);
  if (inserted === 0) return { kind: "duplicate" };
  await retierAfterEvent(tx, shop, updated, refund.refundedAt);
  return { kind: "reversed", memberId: updated.memberId };
}

export async function applyOrderCancelled(
  tx: Tx,
  shop: ShopContext,
  order: OrderInput,
  now = new Date(),
): Promise<OrderOutcome> {
  const row = await lockOrderWithMember(tx, shop, order.id, order.currency);
  await recordRefunds(tx, shop, order.refunds);
  if (row.cancelledAt) {
    await applyPendingReversals(tx, shop, row, now);
    return { kind: "duplicate" };
  }
  const cancelledAt = order.cancelledAt ?? now;
  const updated = await tx.order.update({
    where: { shopId_id: { shopId: shop.id, id: order.id } },
    data: { cancelledAt, shopifyUpdatedAt: order.updatedAt ?? row.shopifyUpdatedAt },
  });
  const applied = await applyPendingReversals(tx, shop, updated, now);
  await retierAfterEvent(tx, shop, applied, cancelledAt);
  return { kind: "reversed", memberId: applied.memberId };
}

/**
 * orders/updated matters only when it changes what was earned: a paid order whose
 * orders/paid never arrived, or an order edit that added or removed items after payment.
 * A stale payload (older updated_at than one already applied) is ignored.
 */
export async function applyOrderUpdated(
  tx: Tx,
  shop: ShopContext,
  order: OrderInput,
  now = new Date(),
): Promise<OrderOutcome> {
  const existing = await tx.order.findUnique({ where: { shopId_id: { shopId: shop.id, id: order.id } } });
  if (!existing?.paidAt) {
    if (order.financialStatus && PAID_STATUSES.has(order.financialStatus) && !order.cancelledAt)
      return applyOrderPaid(tx, shop, order, now);
    return { kind: "ignored", reason: "order is not paid" };
  }
  const row = await lockOrderWithMember(tx, shop, order.id, order.currency);
  await recordRefunds(tx, shop, order.refunds);
  if (row.shopifyUpdatedAt && order.updatedAt && order.updatedAt <= row.shopifyUpdatedAt) {
    await applyPendingReversals(tx, shop, row, now);
    return { kind: "ignored", reason: "stale update" };
  }
  if (row.cancelledAt || row.pointsEarned === 0 || order.currency !== row.currency) {
    await tx.order.update({
      where: { shopId_id: { shopId: shop.id, id: order.id } },
      data: { shopifyUpdatedAt: order.updatedAt },
    });
    await applyPendingReversals(tx, shop, row, now);
    return { kind: "ignored", reason: "nothing earned to adjust" };
  }
  const edit = editedEarning(row, order);
  if (edit.delta !== 0 && row.memberId) await postEditDelta(tx, shop, row, edit.delta, order.updatedAt ?? now);
  if (edit.delta !== 0 && row.memberId) {
    await tx.member.update({
      where: { id: row.memberId },
      data: { totalSpentMinor: { increment: edit.earnableMinor - row.earnableMinor } },
    });
  }
  const updated = await tx.order.update({
    where: { shopId_id: { shopId: shop.id, id: order.id } },
    data: {
      shopifyUpdatedAt: order.updatedAt,
      totalMinor: order.totalMinor,
      ...(edit.delta !== 0
        ? {
            earnableMinor: edit.earnableMinor,
            pointsEarned: { increment: edit.delta },
            weightedMinor: edit.weightedMinor,
          }
        : {}),
    },
  });
  await applyPendingReversals(tx, shop, updated, now);
  // The order's spend changed: orders placed after it may now sit in another tier.
  if (edit.delta !== 0 && row.processedAt) await retierAfterEvent(tx, shop, updated, row.processedAt);
  return { kind: "earned", points: edit.delta, memberId: row.memberId, pending: false };
}

/** The edited order measured with the basis frozen at payment, at the tier it earned at. */
function editedEarning(
  row: Order,
  order: OrderInput,
): { earnableMinor: bigint; weightedMinor: bigint | null; delta: number } {
  const edited = computeOrderEarning(
    order,
    { earnPoints: 1, earnSpendMinor: 1, includeShipping: row.earnIncludesShipping, includeTax: row.earnIncludesTax },
    { tierMultiplierBp: 10_000, campaigns: [] },
  ).earnableMinor;
  if (edited === row.earnableMinor || row.earnableMinor <= 0n)
    return { earnableMinor: row.earnableMinor, weightedMinor: row.weightedMinor, delta: 0 };
  const basis = basisOf(row);
  if (!basis) {
    const target = Number((BigInt(row.pointsEarned) * edited) / row.earnableMinor);
    return { earnableMinor: edited, weightedMinor: null, delta: target - row.pointsEarned };
  }
  // Campaign weights scale with the amount: the edit keeps the order's blend.
  const weightedMinor = (basis.weightedMinor * edited) / row.earnableMinor;
  const target = pointsAtMultiplier({ ...basis, weightedMinor }, row.tierMultiplierBp);
  return { earnableMinor: edited, weightedMinor, delta: target - row.pointsEarned };
}

async function postEditDelta(tx: Tx, shop: ShopContext, row: Order, delta: number, editedAt: Date): Promise<void> {
  const pending = await findOpenPending(tx, shop.id, earnKey(row.id));
  if (pending) {
    await tx.pendingPoints.update({ where: { id: pending.id }, data: { points: Math.max(pending.points + delta, 0) } });
    return;
  }
  await postEntry(tx, {
    shopId: shop.id,
    memberId: row.memberId!,
    points: delta,
    kind: delta > 0 ? "EARN" : "REVERSAL",
    source: "ORDER",
    reason: { code: "order_edited", params: { order: orderLabel(row) } },
    idempotencyKey: `order:${row.id}:edit:${editedAt.toISOString()}`,
    orderId: row.id,
    negativePolicy: shop.settings.negativeBalancePolicy,
  });
}

/**
 * Shipping news on any order webhook (orders/paid, orders/updated, orders/fulfilled):
 * the first shipment and the carrier's delivery, kept once known, so an older payload
 * delivered late cannot erase them. The NPS survey waits for these.
 */
export async function recordFulfillment(tx: Tx, shop: ShopContext, order: OrderInput): Promise<boolean> {
  if (!order.fulfilledAt && !order.deliveredAt) return false;
  await tx.$executeRaw`
    INSERT INTO "Order" (id, "shopId", currency, "updatedAt")
    VALUES (${order.id}, ${shop.id}::uuid, ${order.currency}, now())
    ON CONFLICT ("shopId", id) DO NOTHING`;
  const changed = await tx.$executeRaw`
    UPDATE "Order" SET "fulfilledAt" = COALESCE("fulfilledAt", ${order.fulfilledAt}::timestamp),
                       "deliveredAt" = COALESCE("deliveredAt", ${order.deliveredAt}::timestamp)
    WHERE "shopId" = ${shop.id}::uuid AND id = ${order.id}
      AND (("fulfilledAt" IS NULL AND ${order.fulfilledAt}::timestamp IS NOT NULL)
           OR ("deliveredAt" IS NULL AND ${order.deliveredAt}::timestamp IS NOT NULL))`;
  return changed > 0;
}
