import type { ThankYouOrder } from "../loyalty/thank-you";
import { parseMinor } from "../loyalty/money";
import type { AdminGraphql } from "./admin-api.server";
import { parseDbId } from "./ids";

/**
 * The Thank-you page extension knows only the order's id; the rest comes from the Admin
 * API. Everything the block shows is derived from this, never from what the buyer's
 * browser sends.
 */
export const THANK_YOU_ORDER_QUERY = `#graphql
  query ComebackThankYouOrder($id: ID!) {
    order(id: $id) {
      id
      email
      createdAt
      confirmationNumber
      customer { id }
      currentSubtotalPriceSet { shopMoney { amount currencyCode } }
    }
  }
`;

interface OrderAnswer {
  order: {
    id: string;
    email: string | null;
    createdAt: string;
    confirmationNumber?: string | null;
    customer: { id: string } | null;
    currentSubtotalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
  } | null;
}

/**
 * `orderConfirmation.order.id` is an OrderIdentity GID whose number is the order's id;
 * an Order GID or the bare number are accepted too.
 */
export function orderIdFromExtension(value: string): bigint | null {
  const match = /^(?:gid:\/\/shopify\/(?:OrderIdentity|Order)\/)?(\d+)$/.exec(value);
  return match ? parseDbId(match[1]!) : null;
}

const numericId = (gid: string) => BigInt(gid.slice(gid.lastIndexOf("/") + 1));

export interface FetchedOrder extends ThankYouOrder {
  createdAt: Date;
  customerGid: string | null;
  confirmationNumber: string | null;
}

/**
 * Whether the caller showed the order's confirmation number. Order ids are sequential, so
 * a session token from any checkout of the shop could otherwise ask about other buyers'
 * recent orders; the random number is what only this order's Thank-you page knows. The
 * route serves fresh orders only, and every fresh order has one: an order without it, or
 * a request without it, proves nothing.
 */
export function confirmationMatches(order: FetchedOrder, number: string | null): boolean {
  if (!order.confirmationNumber || !number) return false;
  return number.trim().toUpperCase() === order.confirmationNumber.toUpperCase();
}

export async function fetchThankYouOrder(admin: AdminGraphql, orderId: bigint): Promise<FetchedOrder | null> {
  const { order } = await admin.request<OrderAnswer>(THANK_YOU_ORDER_QUERY, { id: `gid://shopify/Order/${orderId}` });
  if (!order) return null;
  const money = order.currentSubtotalPriceSet.shopMoney;
  return {
    id: numericId(order.id),
    email: order.email?.toLowerCase() ?? null,
    customerId: order.customer ? numericId(order.customer.id) : null,
    customerGid: order.customer?.id ?? null,
    confirmationNumber: order.confirmationNumber ?? null,
    subtotalMinor: parseMinor(money.amount, money.currencyCode),
    currency: money.currencyCode,
    createdAt: new Date(order.createdAt),
  };
}
