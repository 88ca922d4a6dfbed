import { isShopDomain, parseDbId } from "../domain/validation";

export { isShopDomain, MAX_DB_ID, parseDbId } from "../domain/validation";

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

/** The numeric id in a GID of the given type (gid://shopify/Customer/123 → 123n), or null. */
export function parseGid(gid: string, type: string): bigint | null {
  const match = new RegExp(`^gid://shopify/${type}/(\\d{1,19})$`).exec(gid);
  return match ? parseDbId(match[1]!) : null;
}
