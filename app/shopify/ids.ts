/** PostgreSQL's bigint ceiling: Shopify ids are stored in bigint columns. */
export const MAX_DB_ID = 9223372036854775807n;

/**
 * A positive decimal id that fits a bigint column, else null. Text that passes a digits
 * regex can still overflow the column, and PostgreSQL then fails the whole query (a 500).
 */
export function parseDbId(text: string): bigint | null {
  if (!/^\d{1,19}$/.test(text)) return null;
  const value = BigInt(text);
  return value > 0n && value <= MAX_DB_ID ? value : null;
}

/** A shop's permanent domain, as Shopify sends it in headers, tokens and queries. */
export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

export function isShopDomain(text: string): boolean {
  return SHOP_DOMAIN.test(text);
}

/**
 * The shop a session token's `dest` names. Admin tokens carry "https://{shop}"; checkout
 * and customer-account extension tokens carry the bare "{shop}" (shopify-app-remix's
 * checkout authenticate test: "Checkout UI session tokens don't include the protocol").
 * Both are accepted; anything else is not a shop.
 */
export function shopFromTokenDest(dest: unknown): string | null {
  if (typeof dest !== "string") return null;
  const host = dest.startsWith("https://") ? dest.slice("https://".length).replace(/\/$/, "") : dest;
  return isShopDomain(host) ? host : null;
}
