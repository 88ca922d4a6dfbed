import type { Db } from "../platform/database/db";
import { hitRateLimit } from "../platform/rate-limit.server";
import { loadShopContext, type ShopContext } from "../services/shop-context";
import type { ThankYouOrder } from "../services/thank-you";
import { parseMinor } from "../domain/money";
import { adminClientForShop, type AdminGraphql } from "./admin-api.server";
import { parseDbId, shopFromTokenDest } from "./ids";

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
      lineItems(first: 100) {
        nodes {
          currentQuantity
          isGiftCard
          product { id }
          discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount currencyCode } }
        }
      }
    }
  }
`;

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
  const { order } = await admin.request(THANK_YOU_ORDER_QUERY, { id: `gid://shopify/Order/${orderId}` });
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
    // Per product, so a bonus campaign on some products shows in the estimate.
    lines: order.lineItems.nodes
      .filter((line) => !line.isGiftCard && line.currentQuantity > 0)
      .map((line) => {
        const unit = line.discountedUnitPriceAfterAllDiscountsSet.shopMoney;
        return {
          productId: line.product ? numericId(line.product.id).toString() : null,
          amountMinor: parseMinor(unit.amount, unit.currencyCode) * BigInt(line.currentQuantity),
        };
      }),
    createdAt: new Date(order.createdAt),
  };
}

/** The block belongs to the moment after checkout; older orders are not served. */
const FRESH_MS = 72 * 3600 * 1000;

/** Per minute. A Thank-you page asks a few times (the block retries while the order is new). */
export const THANK_YOU_LIMITS = { perToken: 30, perShop: 1200 } as const;

export interface CheckoutToken {
  dest?: unknown;
  sub?: unknown;
  jti?: unknown;
  iat?: unknown;
}

export type ThankYouAccess =
  | { ok: true; shop: ShopContext; order: FetchedOrder; buyer: string | null }
  | { ok: false; status: number; error: string; message?: string; retryAfter?: number };

/**
 * Who may see what on a Thank-you page, from a checkout session token and what the
 * block sends: the token's shop (installed), within its rate limits, an order of that
 * shop the Admin API knows, fresh, of the signed-in buyer if the token names one, and
 * whose confirmation number the caller showed (order ids are sequential; the number is
 * what only this order's page knows).
 */
export async function authorizeThankYou(
  db: Db,
  token: CheckoutToken,
  orderParam: string | null,
  numberParam: string | null,
): Promise<ThankYouAccess> {
  const domain = shopFromTokenDest(token.dest);
  const shop = domain ? await loadShopContext(db, { domain }) : null;
  // A token for a shop that never installed the app, or uninstalled it.
  if (!shop || shop.uninstalled) return { ok: false, status: 401, error: "unknown_shop" };
  const tokenKey =
    typeof token.jti === "string" && token.jti ? token.jti : `${String(token.iat)}:${String(token.sub ?? "")}`;
  // Each call spends the shop's Admin API budget: a budget per token, and one per shop.
  for (const [key, limit] of [
    [`thank-you:token:${shop.id}:${tokenKey}`, THANK_YOU_LIMITS.perToken],
    [`thank-you:shop:${shop.id}`, THANK_YOU_LIMITS.perShop],
  ] as const) {
    const rate = await hitRateLimit(db, key, limit, 60);
    if (!rate.allowed)
      return {
        ok: false,
        status: 429,
        error: "rate_limited",
        message: "Too many requests; try again shortly",
        retryAfter: rate.retryAfterSeconds,
      };
  }
  const orderId = orderIdFromExtension(orderParam ?? "");
  if (!orderId)
    return { ok: false, status: 400, error: "bad_order_id", message: "Send the order id from orderConfirmation" };
  const admin = await adminClientForShop(db, shop.domain);
  if (!admin) return { ok: false, status: 401, error: "not_installed" };
  const order = await fetchThankYouOrder(admin, orderId);
  // Not found yet is normal for a few seconds after checkout (the block asks again);
  // an old order is final, with its own code so the block does not.
  if (!order) return { ok: false, status: 404, error: "order_not_found" };
  if (Date.now() - order.createdAt.getTime() > FRESH_MS) return { ok: false, status: 404, error: "order_too_old" };
  const buyer = typeof token.sub === "string" && token.sub ? token.sub : null;
  if (buyer && buyer !== order.customerGid) return { ok: false, status: 403, error: "not_your_order" };
  if (!confirmationMatches(order, numberParam)) return { ok: false, status: 403, error: "not_your_order" };
  return { ok: true, shop, order, buyer };
}
