import type { Db } from "../platform/database/db";
import type { ShopContext } from "./shop-context";

/**
 * What Shopify's customer-account order page shows beside the widget's view
 * (member-view.ts): what one order earned.
 */

export type OrderPoints =
  /** The program is off, or the order is not this customer's. */
  | { state: "none" }
  /** Shopify has the order, the app not yet (its webhook is on the way). */
  | { state: "processing" }
  /** The customer is not a member: what the order would have earned is unknown, so they are invited. */
  | { state: "join" }
  | { state: "pending"; points: number; availableAt: string }
  | { state: "earned"; points: number; reversed: number }
  | { state: "reversed"; points: number };

/**
 * What the customer's order earned: pending until the availability delay ends, earned, or
 * taken back by a refund or cancellation. Only an order of this customer, in this shop.
 */
export async function orderPoints(
  db: Db,
  shop: ShopContext,
  customerId: bigint,
  orderId: bigint,
): Promise<OrderPoints> {
  if (!shop.live) return { state: "none" };
  const [order, member] = await Promise.all([
    db.order.findUnique({ where: { shopId_id: { shopId: shop.id, id: orderId } } }),
    db.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } }),
  ]);
  if (order && order.customerId !== customerId) return { state: "none" };
  if (!member || member.status !== "ACTIVE") return { state: "join" };
  if (!order || !order.paidAt) return { state: "processing" };
  const pending = await db.pendingPoints.findFirst({
    where: { shopId: shop.id, orderId, memberId: member.id, status: "PENDING", source: "ORDER" },
    orderBy: { availableAt: "asc" },
  });
  if (pending) return { state: "pending", points: pending.points, availableAt: pending.availableAt.toISOString() };
  if (order.pointsEarned > 0 && order.pointsReversed >= order.pointsEarned)
    return { state: "reversed", points: order.pointsEarned };
  return { state: "earned", points: order.pointsEarned, reversed: order.pointsReversed };
}
